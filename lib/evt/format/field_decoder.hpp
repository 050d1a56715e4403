// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "evt/error.hpp"
#include "evt/record.hpp"

namespace evt::format {

/// Turns encoded keys or values (schema-registry framed Avro, Protobuf, JSON Schema) into JSON
/// for the formatters. Implemented in evt/schema; the formatters only see this interface.
class FieldDecoder {
 public:
  virtual ~FieldDecoder() = default;
  /// Appends the decoded JSON (one line) of the record's key or value to `out` and returns its
  /// schema id. When it does not decode, appends nothing and returns nullopt: the decoder has
  /// warned and counted it, and the caller shows the bytes raw.
  virtual std::optional<std::int32_t> decode(const RecordView& record,
                                             bool key,
                                             std::string& out) = 0;
};

/// Which fields formatters decode, and with what.
struct DecodeOptions {
  std::shared_ptr<FieldDecoder> decoder;  ///< null: nothing is decoded
  bool key = false;
  bool value = false;
};

/// Encodes JSON keys or values into schema-registry framed records for produce. Implemented in
/// evt/schema.
class FieldEncoder {
 public:
  virtual ~FieldEncoder() = default;
  virtual bool encodes(bool key) const = 0;
  /// Appends the framed record for the JSON text `json` of a record for `topic`. A value that does
  /// not match the schema is a usage error naming the field.
  virtual Result<void> encode(std::string_view topic,
                              bool key,
                              std::string_view json,
                              std::string& out) = 0;
};

class RecordFormatter;

/// The record envelope with the decoded fields beside the lossless ones:
/// ..."key_schema_id":N,"key_decoded":{...},"value_schema_id":N,"value_decoded":{...}}. A field
/// that does not decode gets neither (its bytes are in "key"/"value" as always). With
/// `json_values` (--json-values), the raw fields are written as make_envelope_formatter does.
std::unique_ptr<RecordFormatter> make_decoding_envelope_formatter(DecodeOptions options,
                                                                  bool json_values = false);

/// Shows the decoded JSON in place of the bytes of each decoded field, for formats that show one
/// form of a field (-f value, tail's human format); a field that does not decode stays raw.
std::unique_ptr<RecordFormatter> make_substituting_formatter(std::unique_ptr<RecordFormatter> inner,
                                                             DecodeOptions options);

}  // namespace evt::format
