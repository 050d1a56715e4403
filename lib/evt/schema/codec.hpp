// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "evt/error.hpp"
#include "evt/schema/registry.hpp"

namespace evt::schema {

/// Turns the payload of framed records of one schema (what follows the 5-byte header) into JSON
/// and back. The libraries do the encoding: libavro for Avro, libprotobuf for Protobuf; a JSON
/// Schema payload is JSON already and is validated with valijson.
class Codec {
 public:
  virtual ~Codec() = default;
  /// Appends the record in `payload` as one line of JSON (no newline). On error `out` may hold
  /// part of it; the caller truncates.
  virtual Result<void> to_json(std::string_view payload, std::string& out) = 0;
  /// Appends the payload encoding the JSON text `json` (without the 5-byte header). A value
  /// that does not match the schema is a usage error whose message names the field.
  virtual Result<void> from_json(std::string_view json, std::string& out) = 0;
};

/// Compiles `schema` with the schemas it references (dependencies first, as
/// RegistryClient::references_of returns them). A schema the library rejects is a usage error.
/// `message` picks the Protobuf message type to encode by full name (default: the file's first).
Result<std::unique_ptr<Codec>> make_codec(const Schema& schema,
                                          const std::vector<ResolvedReference>& references,
                                          const std::optional<std::string>& message = {});

Result<std::unique_ptr<Codec>> make_avro_codec(const Schema& schema,
                                               const std::vector<ResolvedReference>& references);
Result<std::unique_ptr<Codec>> make_protobuf_codec(const Schema& schema,
                                                   const std::vector<ResolvedReference>& references,
                                                   const std::optional<std::string>& message);
Result<std::unique_ptr<Codec>> make_json_schema_codec(
    const Schema& schema, const std::vector<ResolvedReference>& references);

}  // namespace evt::schema
