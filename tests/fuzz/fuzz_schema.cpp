// SPDX-License-Identifier: MIT
// Fuzz target: the schema codecs on untrusted bytes. The first byte picks the codec and the
// direction: records from a topic (to_json: libavro, libprotobuf, the JSON re-serializer, and
// the Protobuf message indexes) or JSON from produce's input (from_json). Whatever decodes must
// encode back to a record that decodes again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "evt/schema/codec.hpp"
#include "evt/schema/wire.hpp"

namespace {

using evt::schema::Schema;
using evt::schema::SchemaType;

constexpr const char* k_avro = R"({"type":"record","name":"R","namespace":"f","fields":[
  {"name":"l","type":"long"},{"name":"s","type":["null","string"]},{"name":"b","type":"bytes"},
  {"name":"d","type":"double"},{"name":"f","type":"float"},{"name":"t","type":"boolean"},
  {"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"]}},
  {"name":"x","type":{"type":"fixed","name":"X","size":2}},
  {"name":"a","type":{"type":"array","items":"int"}},
  {"name":"m","type":{"type":"map","values":["null","R"]}}]})";

constexpr const char* k_proto = R"(syntax = "proto3";
package f;
import "google/protobuf/timestamp.proto";
message R {
  message N { repeated R r = 1; map<string, int64> m = 2; }
  int64 l = 1; string s = 2; bytes b = 3; double d = 4; float f = 5; bool t = 6;
  enum E { A = 0; B = 1; }
  E e = 7; repeated sint32 a = 8; N n = 9; google.protobuf.Timestamp at = 10;
  oneof o { string os = 11; uint64 ou = 12; }
}
)";

constexpr const char* k_json = R"({"type":"object","properties":{"l":{"type":"integer"},
  "s":{"type":"string","maxLength":5},"a":{"type":"array","items":{"$ref":"#/definitions/n"}}},
  "definitions":{"n":{"type":"number","minimum":0}},"required":["l"]})";

std::unique_ptr<evt::schema::Codec> make(SchemaType type, const char* text) {
  Schema schema;
  schema.type = type;
  schema.text = text;
  schema.id = 1;
  auto codec = evt::schema::make_codec(schema, {});
  if (!codec) {
    std::abort();
  }
  return std::move(*codec);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static auto avro = make(SchemaType::avro, k_avro);
  static auto proto = make(SchemaType::protobuf, k_proto);
  static auto json = make(SchemaType::json, k_json);
  if (size == 0) {
    return 0;
  }
  evt::schema::Codec* codecs[] = {avro.get(), proto.get(), json.get()};
  evt::schema::Codec& codec = *codecs[(data[0] & 0x7F) % 3];
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string text;
  std::string bytes;
  if (data[0] & 0x80) {
    if (!codec.from_json(input, bytes)) {
      return 0;
    }
    if (!codec.to_json(bytes, text)) {
      std::abort();  // what evt wrote, it must read
    }
    return 0;
  }
  if (!codec.to_json(input, text)) {
    return 0;
  }
  if (&codec == proto.get()) {
    // A record's message indexes may name any message of the file (R.N, or the entry message
    // of N's map), and to_json reads that one; from_json writes the codec's message, f.R.
    std::string_view rest = input;
    auto indexes = evt::schema::read_message_indexes(rest);
    if (!indexes || *indexes != std::vector<int>{0}) {
      return 0;
    }
  }
  if (!codec.from_json(text, bytes)) {
    if (&codec == json.get()) {
      return 0;  // JSON Schema records are validated on write only: any JSON reads
    }
    std::abort();  // what evt printed, it must take back
  }
  // Not necessarily the same JSON: an Avro map may hold a key twice, which JSON input cannot say.
  std::string again;
  if (!codec.to_json(bytes, again)) {
    std::abort();
  }
  return 0;
}
