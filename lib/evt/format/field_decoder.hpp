// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

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

}  // namespace evt::format
