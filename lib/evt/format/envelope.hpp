// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "evt/error.hpp"
#include "evt/record.hpp"

namespace evt::format {

class CompactJsonCheck;

/// Appends one record envelope line (NDJSON, newline included) as the design specifies:
/// {"topic","partition","offset","timestamp","timestamp_type","key","value","headers"}.
/// With `json_values` (--json-values), a key or value whose bytes are JSON in compact form is
/// written as "key_json"/"value_json" holding that JSON itself instead of a string; the parser
/// turns it back into the same bytes.
void append_envelope(std::string& out,
                     const RecordView& record,
                     CompactJsonCheck* json_values = nullptr);

/// Parses envelope lines back into Records. Strict: unknown fields, wrong types, trailing
/// content and invalid base64 are errors whose message names the field. "key_json" and
/// "value_json" hold JSON whose compact form (compact_json.hpp) is the key's or value's bytes.
class EnvelopeParser {
 public:
  EnvelopeParser();
  ~EnvelopeParser();
  EnvelopeParser(const EnvelopeParser&) = delete;
  EnvelopeParser& operator=(const EnvelopeParser&) = delete;

  /// Parses one line (without its newline) into `record`, replacing its contents.
  /// Fields absent from the line are reset: topic "", partition -1, timestamp -1, null key and
  /// value, no headers.
  Result<void> parse(std::string_view line, Record& record);

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace evt::format
