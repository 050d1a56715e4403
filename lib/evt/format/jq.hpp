// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "evt/error.hpp"
#include "evt/format/record_formatter.hpp"
#include "evt/record.hpp"

namespace evt::format {

/// A jq program (Debian's libjq 1.6) run on record envelopes: --jq (a filter) and --jq-output
/// (what to print). Its input is the envelope `-f json` writes, built as jq values directly
/// (never printed and parsed): topic, partition, offset, timestamp, timestamp_type, key, value
/// (bytes fields: a string when UTF-8, {"base64":...} when not, null when absent) and headers
/// ([{name, value}] in record order), plus key_json and value_json, the key and value parsed,
/// when they are JSON (strict, nested at most k_max_json_depth deep; numbers are doubles, as
/// everywhere in jq 1.6).
///
/// libjq is loaded with dlopen when the first program is compiled: it and Oniguruma cost every
/// start of evt about a millisecond to load, which only the runs that use jq should pay.
class JqProgram {
 public:
  /// Compiles `expression` once. A syntax or compile error is a usage error that starts with
  /// `flag` and gives jq's message, the line and the column; a missing libjq is an error too.
  static Result<std::unique_ptr<JqProgram>> compile(std::string_view flag,
                                                    std::string_view expression);
  ~JqProgram();
  JqProgram(const JqProgram&) = delete;
  JqProgram& operator=(const JqProgram&) = delete;

  /// True when one of the program's outputs for the record is neither false nor null (jq runs
  /// until that output). Common shapes are decided without jq (jq_shortcut.hpp).
  bool selects(const RecordView& record);

  /// Appends each output of the program for the record as compact JSON, one per line.
  void append_outputs(std::string& out, const RecordView& record);

  /// Records on which the program raised an error (they are not selected; outputs before the
  /// error are kept).
  std::uint64_t errors() const;
  /// Records jq itself ran on (the others were decided by the shortcut).
  std::uint64_t evaluated() const;

  /// Where messages go: the first runtime error (naming the record), and `debug` outputs.
  void set_diagnostics(std::function<void(std::string_view)> sink);

  struct State;  ///< libjq's state and the envelope builder (defined in the .cpp)

 private:
  explicit JqProgram(std::unique_ptr<State> state);
  std::unique_ptr<State> m_state;
};

/// --jq-output: prints the program's outputs for each record instead of the record.
std::unique_ptr<RecordFormatter> make_jq_formatter(std::shared_ptr<JqProgram> program);

}  // namespace evt::format
