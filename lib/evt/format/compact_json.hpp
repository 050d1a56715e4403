// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "evt/format/rapidjson.hpp"

namespace evt::format {

/// JSON nested deeper than this is treated as text (`--json-values`, `value_json` in `--jq`):
/// jq 1.6's own parser stops at the same depth, and evt's code that walks JSON recursively
/// (and libjq's) stays far from the end of the stack.
constexpr int k_max_json_depth = 256;

/// How the envelope parses JSON it may embed: strict. Not with kParseFullPrecisionFlag: RapidJSON
/// 1.1.0's full-precision parser has undefined behaviour (clz(0), signed overflow) on numbers the
/// fuzzer keeps finding ("0e64", "0.000...", significands past 2^64). Without it a number may
/// parse to a neighbouring double; embedding stays lossless because --json-values embeds only
/// bytes that print back identically through this same parser.
constexpr unsigned k_embedded_json = k_strict_json;

/// Appends `value` in evt's compact form: no whitespace, object members in their order
/// (duplicates kept), strings escaped as the envelope escapes them (only `"`, `\` and control
/// characters; \n \r \t \b \f short, others \u00XX), integers in decimal, other numbers in the
/// shortest form that reads back as the same double. False (and `out` partly written) when a
/// string is not valid UTF-8 or the value is nested deeper than k_max_json_depth.
bool append_compact_json(std::string& out, const rapidjson::Value& value);

/// Decides whether bytes can be embedded in an envelope as JSON (`--json-values`): they must be
/// strict JSON, valid UTF-8, nested at most k_max_json_depth deep, and identical to their own
/// compact form, so that the reader, which prints the embedded value in that form, gets the
/// original bytes back. Reuses its buffers: nothing is allocated per call once warm.
class CompactJsonCheck {
 public:
  CompactJsonCheck();
  ~CompactJsonCheck();
  CompactJsonCheck(const CompactJsonCheck&) = delete;
  CompactJsonCheck& operator=(const CompactJsonCheck&) = delete;

  bool is_compact(std::string_view bytes);

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

/// Whether `bytes` could start a JSON text with no leading whitespace: a cheap first test.
inline bool may_start_json(std::string_view bytes) {
  if (bytes.empty()) {
    return false;
  }
  const char c = bytes.front();
  return c == '{' || c == '[' || c == '"' || c == '-' || (c >= '0' && c <= '9') || c == 't' ||
         c == 'f' || c == 'n';
}

}  // namespace evt::format
