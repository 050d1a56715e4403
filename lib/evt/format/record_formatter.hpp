// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "evt/error.hpp"
#include "evt/format/field_decoder.hpp"
#include "evt/record.hpp"

namespace evt::format {

/// Writes records as text. Pure: appends to a string, so every subcommand (consume, tail,
/// replay, inspect) shares one tested engine.
class RecordFormatter {
 public:
  virtual ~RecordFormatter() = default;
  virtual void append(std::string& out, const RecordView& record) = 0;
  /// Whether records need their headers decoded (a cost on the hot path).
  virtual bool needs_headers() const = 0;
};

/// The value, then `delimiter`. With `key_delimiter`, the key (empty when null) and that
/// delimiter come first, like kcat's -K.
std::unique_ptr<RecordFormatter> make_value_formatter(std::string delimiter,
                                                      std::optional<std::string> key_delimiter);

/// The record envelope, one JSON object per line. With `json_values`, keys and values that
/// are JSON in compact form are embedded as JSON (see append_envelope).
std::unique_ptr<RecordFormatter> make_envelope_formatter(bool json_values = false);

/// A %-layout, a superset of kcat's -f:
///   %t topic  %p partition  %o offset  %k key  %v or %s value  %K key length  %S value length
///   %T timestamp (epoch ms)  %d timestamp (RFC 3339 UTC)  %h headers (name=value,...)
///   %h{NAME} the value of header NAME  %k{base64} %k{hex} %v{base64} %v{hex} encoded bytes
///   %k{decoded} %v{decoded} the schema-registry decoded JSON (raw when it does not decode;
///   needs `decode.decoder`)
///   %% percent; escapes \n \t \r \0 \xNN. Null keys and values print as nothing (lengths -1).
/// Unknown verbs are usage errors with a did-you-mean.
Result<std::unique_ptr<RecordFormatter>> make_layout_formatter(std::string_view layout,
                                                               DecodeOptions decode = {});

/// True when `layout` asks for decoded fields (%k{decoded}, %v{decoded}).
bool layout_wants_decoding(std::string_view layout);

}  // namespace evt::format
