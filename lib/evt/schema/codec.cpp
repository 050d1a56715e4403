// SPDX-License-Identifier: MIT
#include "evt/schema/codec.hpp"

namespace evt::schema {

Result<std::unique_ptr<Codec>> make_codec(const Schema& schema,
                                          const std::vector<ResolvedReference>& references,
                                          const std::optional<std::string>& message) {
  switch (schema.type) {
    case SchemaType::avro:
      return make_avro_codec(schema, references);
    case SchemaType::protobuf:
      return make_protobuf_codec(schema, references, message);
    case SchemaType::json:
      return make_json_schema_codec(schema, references);
  }
  return fail(ErrorKind::internal, "unknown schema type");
}

}  // namespace evt::schema
