// SPDX-License-Identifier: MIT
// Unit tests of lib/evt/schema: the Confluent wire format, the registry client (against a fake
// transport, and libcurl against a closed port), and the Avro, Protobuf and JSON Schema codecs
// against records encoded by independent encoders (tests/unit/schema/make_vectors.py: fastavro
// and Python's protobuf).
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

// RapidJSON as the library configures it (SSE2 on): an inline RapidJSON function compiled here
// with another configuration would be a second, different definition of the same function.
#include "evt/format/rapidjson.hpp"
#include "evt/schema/codec.hpp"
#include "evt/schema/decoder.hpp"
#include "evt/schema/encoder.hpp"
#include "evt/schema/registry.hpp"
#include "evt/schema/wire.hpp"

namespace {

using namespace std::string_literals;
using evt::ErrorKind;
using evt::schema::RegistryClient;
using evt::schema::Schema;
using evt::schema::SchemaType;

struct SchemaVector {
  std::string bytes;
  const char* json;
};
struct ProtobufVector {
  const char* name;
  std::string bytes;  // message indexes, then the message
  const char* json;
};
#include "schema/vectors.inc"

std::string read_file(const std::string& name) {
  std::ifstream in(std::string(EVT_SOURCE_DIR) + "/tests/unit/schema/" + name);
  std::stringstream text;
  text << in.rdbuf();
  REQUIRE(!text.str().empty());
  return text.str();
}

// Compares JSON texts as values: member order and number spelling do not matter.
bool same_json(const std::string& a, const std::string& b) {
  rapidjson::Document left;
  rapidjson::Document right;
  // With a length: from a NUL-terminated string, RapidJSON's SSE2 scanning reads up to 15 bytes
  // past its end (evt's own callers pad the text).
  left.Parse(a.data(), a.size());
  right.Parse(b.data(), b.size());
  INFO("left: " << a);
  INFO("right: " << b);
  REQUIRE(!left.HasParseError());
  REQUIRE(!right.HasParseError());
  return left == right;
}

// A JSON string literal of `text`, for registry answers.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

class FakeTransport final : public evt::schema::HttpTransport {
 public:
  explicit FakeTransport(std::map<std::string, evt::schema::HttpResponse> answers)
      : m_answers(std::move(answers)) {}
  evt::Result<evt::schema::HttpResponse> get(const std::string& path) override {
    paths.push_back(path);
    auto it = m_answers.find(path);
    if (it == m_answers.end()) {
      return evt::schema::HttpResponse{404, R"({"error_code":40403,"message":"Schema not found"})"};
    }
    return it->second;
  }
  std::vector<std::string> paths;

 private:
  std::map<std::string, evt::schema::HttpResponse> m_answers;
};

std::shared_ptr<RegistryClient> fake_registry(
    std::map<std::string, evt::schema::HttpResponse> answers, FakeTransport** raw = nullptr) {
  auto transport = std::make_unique<FakeTransport>(std::move(answers));
  if (raw) {
    *raw = transport.get();
  }
  return std::make_shared<RegistryClient>("http://registry.test", std::move(transport));
}

Schema schema_of(SchemaType type, const std::string& text, std::int32_t id = 1) {
  Schema schema;
  schema.type = type;
  schema.text = text;
  schema.id = id;
  return schema;
}

std::unique_ptr<evt::schema::Codec> codec_of(
    const Schema& schema,
    const std::vector<evt::schema::ResolvedReference>& references = {},
    const std::optional<std::string>& message = {}) {
  auto codec = evt::schema::make_codec(schema, references, message);
  INFO((codec ? "" : codec.error().message));
  REQUIRE(codec);
  return std::move(*codec);
}

}  // namespace

TEST_CASE("wire: the 5-byte header") {
  const std::string bytes = "\x00\x00\x01\x00\x2a{}"s;
  auto framed = evt::schema::parse_frame(bytes);
  REQUIRE(framed);
  CHECK(framed->id == 65578);
  CHECK(framed->payload == "{}");
  CHECK_FALSE(evt::schema::parse_frame("\x01\x00\x00\x00\x01x"s));  // wrong magic byte
  CHECK_FALSE(evt::schema::parse_frame("\x00\x00\x00\x01"s));       // too short
  std::string out;
  evt::schema::append_frame_header(out, 65578);
  CHECK(out == "\x00\x00\x01\x00\x2a"s);
  out.clear();
  evt::schema::append_frame_header(out, 2147483647);
  CHECK(out == "\x00\x7f\xff\xff\xff"s);
}

TEST_CASE("wire: Protobuf message indexes are zig-zag varints with the [0] shortcut") {
  const std::vector<std::pair<std::string, std::vector<int>>> cases = {
      {"\x00"s, {0}},
      {"\x02\x02"s, {1}},
      {"\x04\x02\x00"s, {1, 0}},
      {"\x02\x80\x01"s, {64}},
      {"\x06\x00\x02\x04"s, {0, 1, 2}},
  };
  for (const auto& [bytes, indexes] : cases) {
    const std::string input = bytes + "rest";
    std::string_view payload = input;
    auto read = evt::schema::read_message_indexes(payload);
    REQUIRE(read);
    CHECK(*read == indexes);
    CHECK(payload == "rest");
    std::string written;
    evt::schema::append_message_indexes(written, indexes);
    CHECK(written == bytes);
  }
  for (const std::string& bad : {""s,
                                 "\x02"s,
                                 "\x01\x02"s,
                                 "\x04\x02"s,
                                 "\x02\x03"s,
                                 "\xfe\xff\xff\xff\x0f"s,
                                 "\x02\xff\xff\xff\xff\xff"s}) {
    std::string_view payload = bad;
    auto read = evt::schema::read_message_indexes(payload);
    INFO("bytes of length " << bad.size());
    CHECK_FALSE(read);
    CHECK(payload == bad);  // not advanced on error
  }
}

TEST_CASE("wire: replay's OLD=NEW schema id mappings, bad ones refused naming the text") {
  std::map<std::int32_t, std::int32_t> ids;
  REQUIRE(evt::schema::add_schema_id_mapping(ids, "7=1042"));
  REQUIRE(evt::schema::add_schema_id_mapping(ids, "0=2147483647"));
  CHECK(ids == std::map<std::int32_t, std::int32_t>{{0, 2147483647}, {7, 1042}});
  for (const char* bad :
       {"7", "=1", "1=", "a=1", "1=b", "-1=2", "1=-2", "1=2=3", " 1=2", "1=2147483648", ""}) {
    INFO(bad);
    auto added = evt::schema::add_schema_id_mapping(ids, bad);
    REQUIRE_FALSE(added);
    CHECK(added.error().kind == ErrorKind::usage);
    CHECK(added.error().message ==
          "\"" + std::string(bad) + "\": expected OLD=NEW, two schema ids");
  }
  auto twice = evt::schema::add_schema_id_mapping(ids, "7=9");
  REQUIRE_FALSE(twice);
  CHECK(twice.error().message == "\"7=9\": id 7 is mapped twice");
  CHECK(ids.at(7) == 1042);  // the first mapping stands
}

TEST_CASE("avro: records written by fastavro decode to Avro's JSON encoding") {
  auto codec = codec_of(schema_of(SchemaType::avro, read_file("order.avsc")));
  for (const SchemaVector& vector : k_avro_vectors) {
    std::string json;
    auto decoded = codec->to_json(vector.bytes, json);
    INFO((decoded ? "" : decoded.error().message));
    REQUIRE(decoded);
    CHECK(same_json(json, vector.json));
    CHECK(json.find('\n') == std::string::npos);
  }
}

TEST_CASE("avro: JSON encodes to the bytes fastavro wrote") {
  auto codec = codec_of(schema_of(SchemaType::avro, read_file("order.avsc")));
  for (const SchemaVector& vector : k_avro_vectors) {
    std::string bytes;
    auto encoded = codec->from_json(vector.json, bytes);
    INFO((encoded ? "" : encoded.error().message));
    REQUIRE(encoded);
    CHECK(bytes == vector.bytes);
  }
}

TEST_CASE("avro: unions also take bare values, missing optional fields are null") {
  auto codec = codec_of(schema_of(SchemaType::avro, read_file("order.avsc")));
  // The second vector with "note" bare and "address" left out.
  std::string bytes;
  auto encoded = codec->from_json(
      R"({"id":9223372036854775807,"customer":"","qty":0,"price":-1e300,"ratio":1.5,"paid":false,)"
      R"("raw":"","digest":"AQIDBA==","status":"NEW","tags":[],"attrs":{}})",
      bytes);
  INFO((encoded ? "" : encoded.error().message));
  REQUIRE(encoded);
  CHECK(bytes == k_avro_vectors[1].bytes);
  bytes.clear();
  REQUIRE(codec->from_json(
      R"({"id":1,"customer":"ann é \"q\"","qty":-3,"price":9.5,"ratio":0.25,"paid":true,)"
      R"("note":"rush","raw":"AP8=","digest":"YWJjZA==","status":"PAID","tags":["a","b"],)"
      R"("attrs":{"x":1,"y":-9007199254740993},"address":{"city":"Oslo","zip":150}})",
      bytes));
  CHECK(bytes == k_avro_vectors[0].bytes);
}

TEST_CASE("avro: a value that does not match names the field") {
  auto codec = codec_of(schema_of(SchemaType::avro, read_file("order.avsc")));
  const std::string good =
      R"("customer":"c","qty":1,"price":1,"ratio":1,"paid":true,"raw":"","digest":"AAAAAA==",)"
      R"("status":"NEW","tags":[],"attrs":{})";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"id":"7",)" + good + "}", "field .id: expected a long (64 bits), got a string"},
      {R"({)" + good + "}", "field .id: missing (record com.acme.Order)"},
      {R"({"id":1,"extra":2,)" + good + "}", "field .extra: not in record com.acme.Order"},
      {R"({"id":1,"address":{"city":"x","zip":"y"},)" + good + "}",
       "field .address: an object matches no branch of union [null, com.acme.Address]"},
      {R"({"id":1,"address":{"com.acme.Address":{"city":"x","zip":1.5}},)" + good + "}",
       "field .address.zip: expected an int (32 bits), got a number"},
      {R"({"id":1,"note":5,)" + good + "}",
       "field .note: a number matches no branch of union [null, string]"},
      {R"({"id":1,)" + good.substr(0, good.find("\"status\"")) +
           R"("status":"LOST","tags":[],"attrs":{}})",
       "field .status: \"LOST\" is not a symbol of enum com.acme.Status"},
      {R"({"id":1,)" + good.substr(0, good.find("\"tags\"")) + R"("tags":["a",2],"attrs":{}})",
       "field .tags[1]: expected a string, got a number"},
      {"[1]", "field (the record): expected an object (record com.acme.Order), got an array"},
      {"{", "not JSON"},
  };
  for (const auto& [json, message] : cases) {
    std::string bytes = "kept";
    auto encoded = codec->from_json(json, bytes);
    INFO(json);
    REQUIRE_FALSE(encoded);
    CHECK(encoded.error().kind == ErrorKind::usage);
    CHECK_THAT(encoded.error().message, Catch::Contains(message));
  }
}

TEST_CASE("avro: bytes that are not a record of the schema are errors, not crashes") {
  auto codec = codec_of(schema_of(SchemaType::avro, read_file("order.avsc")));
  const std::string& good = k_avro_vectors[0].bytes;
  for (std::size_t cut = 0; cut < good.size(); ++cut) {
    std::string json;
    CHECK_FALSE(codec->to_json(std::string_view(good).substr(0, cut), json));
  }
  std::string json;
  auto trailing = codec->to_json(good + "x", json);
  REQUIRE_FALSE(trailing);
  CHECK_THAT(trailing.error().message, Catch::Contains("bytes left after the record"));
  // A negative string length (zig-zag 1 = -1) and a huge one.
  CHECK_FALSE(codec->to_json("\x02\x01xyz"s, json));
  CHECK_FALSE(codec->to_json("\x02\xfe\xff\xff\xff\xff\xff\xff\xff\x7f"s, json));
  CHECK_FALSE(codec->to_json("\x02\x80\x80\x80\x80\x10"s, json));
}

TEST_CASE("avro: indexes, counts and nesting the schema cannot hold are errors, not crashes") {
  std::string json;
  // libavro 1.11.1 keeps an enum index past the symbols, and a union index past the branches.
  auto enums =
      codec_of(schema_of(SchemaType::avro, R"({"type":"enum","name":"E","symbols":["A","B"]})"));
  REQUIRE(enums->to_json("\x02"s, json));
  CHECK(json == R"("B")");
  for (const std::string& bytes : {"\x04"s, "\xfe\x02"s, "\x01"s}) {
    auto read = enums->to_json(bytes, json);
    REQUIRE_FALSE(read);
    CHECK_THAT(read.error().message, Catch::Contains("enum index out of range"));
  }
  auto unions = codec_of(schema_of(SchemaType::avro, R"(["null","string"])"));
  for (const std::string& bytes : {"\x04"s, "\x01"s, "\x82\x80\x80\x80\x20"s}) {
    auto read = unions->to_json(bytes + "\x02x", json);
    REQUIRE_FALSE(read);
    CHECK_THAT(read.error().message, Catch::Contains("union branch index out of range"));
  }
  // Block counts: INT64_MIN (negated, still negative), and 2^62 nulls in ten bytes.
  auto ints = codec_of(schema_of(SchemaType::avro, R"({"type":"array","items":"int"})"));
  CHECK_FALSE(ints->to_json("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01\x00"s, json));
  CHECK_FALSE(ints->to_json("\x01\x01\x02\x00"s, json));  // a negative block size
  auto nulls = codec_of(schema_of(SchemaType::avro, R"({"type":"array","items":"null"})"));
  REQUIRE(nulls->to_json("\x06\x00"s, json.erase()));
  CHECK(json == "[null,null,null]");
  REQUIRE(nulls->to_json("\x05\x00\x00"s, json.erase()));  // -3 items in a block of 0 bytes
  CHECK(json == "[null,null,null]");
  auto many = nulls->to_json("\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01\x00"s, json);
  REQUIRE_FALSE(many);
  CHECK_THAT(many.error().message, Catch::Contains("take no bytes"));
  // A varint of more than 64 bits.
  auto longs = codec_of(schema_of(SchemaType::avro, R"("long")"));
  CHECK_FALSE(longs->to_json("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f"s, json));
  CHECK_FALSE(longs->to_json("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"s, json));
  REQUIRE(longs->to_json("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"s, json.erase()));
  CHECK(json == "-9223372036854775808");
  // Nesting: a recursive record 100 deep reads and writes back; 1000 deep is refused both ways.
  auto nested = codec_of(
      schema_of(SchemaType::avro,
                R"({"type":"record","name":"N","fields":[{"name":"n","type":["null","N"]}]})"));
  const auto deep = [](int levels) { return std::string(levels, '\x02') + '\x00'; };
  REQUIRE(nested->to_json(deep(100), json.erase()));
  std::string bytes;
  REQUIRE(nested->from_json(json, bytes));
  CHECK(bytes == deep(100));
  auto too_deep = nested->to_json(deep(1000), json.erase());
  REQUIRE_FALSE(too_deep);
  CHECK_THAT(too_deep.error().message, Catch::Contains("nested too deep"));
  std::string deep_json = "null";
  for (int i = 0; i < 1000; ++i) {
    deep_json = R"({"n":{"N":)" + deep_json + "}}";
  }
  auto written = nested->from_json(deep_json, bytes);
  REQUIRE_FALSE(written);
  CHECK_THAT(written.error().message, Catch::Contains("nested deeper than"));
}

TEST_CASE("avro: JSON strings and map keys that are not UTF-8 are not written") {
  std::string bytes;
  auto maps = codec_of(schema_of(SchemaType::avro, R"({"type":"map","values":"null"})"));
  auto key = maps->from_json("{\"\x9d\": null}", bytes);
  REQUIRE_FALSE(key);
  CHECK_THAT(key.error().message, Catch::Contains("map key is not UTF-8"));
  auto strings = codec_of(schema_of(SchemaType::avro, R"("string")"));
  auto text = strings->from_json("\"a\xc3\"", bytes);
  REQUIRE_FALSE(text);
  CHECK_THAT(text.error().message, Catch::Contains("not UTF-8"));
  REQUIRE(strings->from_json("\"h\xc3\xa9\"", bytes));
  CHECK(bytes == "\x06h\xc3\xa9");
}

TEST_CASE("avro: the record the fuzzer crashed libavro with (enum index 191 of 2)") {
  auto codec =
      codec_of(schema_of(SchemaType::avro, R"({"type":"record","name":"R","namespace":"f","fields":[
  {"name":"l","type":"long"},{"name":"s","type":["null","string"]},{"name":"b","type":"bytes"},
  {"name":"d","type":"double"},{"name":"f","type":"float"},{"name":"t","type":"boolean"},
  {"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"]}},
  {"name":"x","type":{"type":"fixed","name":"X","size":2}},
  {"name":"a","type":{"type":"array","items":"int"}},
  {"name":"m","type":{"type":"map","values":["null","R"]}}]})"));
  const std::string crash =
      "\x09\x02\x06\x68\xc3\xa9\x04\x00\x01\x00\x00\x00\x00\x00\x0d\x01\x08\xce\xff\x04\xff\x3f"
      "\xfe\x02\x61\x62\x04\x02\x03\x00\x04\x02\x6b\x00\x02\x72\x02\x02\x00\x00\x00\x00\x00\x00"
      "\x82\x22\x7b\x00\x00\x00\x00\x00\x00\x00\x7a\x7a\x00\x00\x00"s;
  std::string json;
  auto read = codec->to_json(crash, json);
  REQUIRE_FALSE(read);
  CHECK_THAT(read.error().message, Catch::Contains("enum index out of range"));
}

TEST_CASE("avro: a schema libavro rejects is a usage error") {
  auto codec = evt::schema::make_codec(schema_of(SchemaType::avro, R"({"type":"recrd"})"), {});
  REQUIRE_FALSE(codec);
  CHECK(codec.error().kind == ErrorKind::usage);
  CHECK_THAT(codec.error().message, Catch::Contains("libavro rejects"));
}

TEST_CASE("avro: a record that holds itself through record fields alone is refused") {
  // libavro accepts these schemas and then recurses without end making a value of them.
  const char* const refused[] = {
      R"({"type":"record","name":"A","fields":[{"name":"a","type":"A"}]})",
      R"({"type":"record","name":"A","fields":[{"name":"n","type":"int"},{"name":"b","type":)"
      R"({"type":"record","name":"B","fields":[{"name":"a","type":"A"}]}}]})",
      R"({"type":"array","items":{"type":"record","name":"A","fields":[{"name":"a","type":"A"}]}})",
  };
  for (const char* text : refused) {
    INFO(text);
    auto codec = evt::schema::make_codec(schema_of(SchemaType::avro, text), {});
    REQUIRE_FALSE(codec);
    CHECK(codec.error().kind == ErrorKind::usage);
    CHECK_THAT(codec.error().message, Catch::Contains("holds itself"));
  }
  // A union, an array or a map between ends the chain.
  const char* const accepted[] = {
      R"({"type":"record","name":"A","fields":[{"name":"a","type":["null","A"]}]})",
      R"({"type":"record","name":"A","fields":[{"name":"a","type":{"type":"array","items":"A"}}]})",
      R"({"type":"record","name":"A","fields":[{"name":"a","type":{"type":"map","values":"A"}}]})",
  };
  for (const char* text : accepted) {
    INFO(text);
    CHECK(evt::schema::make_codec(schema_of(SchemaType::avro, text), {}));
  }
}

TEST_CASE("protobuf: messages written by Python's protobuf decode to libprotobuf's JSON") {
  const Schema common = schema_of(SchemaType::protobuf, read_file("common.proto"), 2);
  const std::vector<evt::schema::ResolvedReference> references = {
      {"common.proto", std::make_shared<Schema>(common)}};
  auto codec = codec_of(schema_of(SchemaType::protobuf, read_file("order.proto")), references);
  for (const ProtobufVector& vector : k_protobuf_vectors) {
    INFO(vector.name);
    std::string json;
    auto decoded = codec->to_json(vector.bytes, json);
    INFO((decoded ? "" : decoded.error().message));
    REQUIRE(decoded);
    CHECK(same_json(json, vector.json));
  }
}

TEST_CASE("protobuf: JSON encodes to the bytes Python wrote, message indexes included") {
  const std::vector<evt::schema::ResolvedReference> references = {
      {"common.proto",
       std::make_shared<Schema>(schema_of(SchemaType::protobuf, read_file("common.proto"), 2))}};
  const Schema order = schema_of(SchemaType::protobuf, read_file("order.proto"));
  auto by_name = codec_of(order, references, "acme.Order");
  for (std::size_t i : {0U, 3U}) {
    std::string bytes;
    auto encoded = by_name->from_json(k_protobuf_vectors[i].json, bytes);
    INFO((encoded ? "" : encoded.error().message));
    REQUIRE(encoded);
    CHECK(bytes == k_protobuf_vectors[i].bytes);
  }
  auto line = codec_of(order, references, "Order.Line");  // relative to the package
  std::string bytes;
  REQUIRE(line->from_json(k_protobuf_vectors[1].json, bytes));
  CHECK(bytes == k_protobuf_vectors[1].bytes);
  auto first = codec_of(order, references);  // the file's first message: Other
  bytes.clear();
  REQUIRE(first->from_json(k_protobuf_vectors[2].json, bytes));
  CHECK(bytes == k_protobuf_vectors[2].bytes);

  bytes.clear();
  auto bad = by_name->from_json(R"({"qty":"many"})", bytes);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().kind == ErrorKind::usage);
  CHECK_THAT(bad.error().message, Catch::Contains("qty"));
  auto unknown = by_name->from_json(R"({"nope":1})", bytes);
  REQUIRE_FALSE(unknown);
  CHECK_THAT(unknown.error().message, Catch::Contains("nope"));
}

TEST_CASE("protobuf: schema errors and bad bytes") {
  auto missing_import =
      evt::schema::make_codec(schema_of(SchemaType::protobuf, read_file("order.proto")), {});
  REQUIRE_FALSE(missing_import);
  CHECK_THAT(missing_import.error().message,
             Catch::Contains("imports common.proto, which is neither a reference"));
  auto syntax = evt::schema::make_codec(
      schema_of(SchemaType::protobuf, "syntax = \"proto3\";\nmessage A { int32 x = ; }"), {});
  REQUIRE_FALSE(syntax);
  CHECK_THAT(syntax.error().message, Catch::Contains("line 2:"));
  auto codec =
      codec_of(schema_of(SchemaType::protobuf, "syntax = \"proto3\"; message A { int32 x = 1; }"));
  std::string json;
  CHECK_FALSE(codec->to_json("\x02\x02\x08\x01"s, json));  // index 1: there is one message
  CHECK_FALSE(codec->to_json("\x00\x08"s, json));          // truncated varint field
  CHECK_FALSE(codec->to_json(""s, json));                  // no message indexes
}

TEST_CASE("json schema: validates on write, naming the field, compacts on read") {
  const std::vector<evt::schema::ResolvedReference> references = {
      {"address.json",
       std::make_shared<Schema>(schema_of(SchemaType::json, read_file("address.schema.json"), 3))}};
  auto codec = codec_of(schema_of(SchemaType::json, read_file("order.schema.json")), references);
  std::string out;
  const std::string good = R"({"id":1,"customer":"a","address":{"city":"Oslo","zip":1}})";
  REQUIRE(codec->from_json(good, out));
  CHECK(out == good);
  const std::vector<std::pair<std::string, std::string>> bad = {
      {R"({"id":0,"customer":"a"})", "field .id:"},
      {R"({"id":1})", "customer"},
      {R"({"id":1,"customer":"a","tags":["x",2]})", "field .tags[1]:"},
      {R"({"id":1,"customer":"a","address":{"zip":1}})", "city"},
      {R"({"id":1,"customer":"a","more":true})", "more"},
      {"{\"id\":1,\"customer\":\"a\x9d\"}", "not UTF-8"},  // to_json would refuse it
  };
  for (const auto& [json, message] : bad) {
    INFO(json);
    auto encoded = codec->from_json(json, out);
    REQUIRE_FALSE(encoded);
    CHECK(encoded.error().kind == ErrorKind::usage);
    CHECK_THAT(encoded.error().message, Catch::Contains(message));
  }
  std::string json;
  REQUIRE(codec->to_json("{ \"id\" : 12345678901234567890123,\n \"x\": [1.50] }", json));
  CHECK(json == R"({"id":12345678901234567890123,"x":[1.50]})");
  CHECK_FALSE(codec->to_json("{\"id\":", json));
  CHECK_FALSE(codec->to_json("\"\xff\"", json));
}

TEST_CASE("registry: schemas by id and subject, cached, references in order") {
  FakeTransport* transport = nullptr;
  const std::string address = read_file("address.avsc");
  const std::string customer = read_file("customer.avsc");
  auto registry = fake_registry(
      {{"/schemas/ids/7",
        {200,
         R"({"schema":)" + quoted(customer) +
             R"(,"references":[{"name":"com.acme.common.Address","subject":"addr","version":1}]})"}},
       {"/subjects/addr/versions/1",
        {200, R"({"subject":"addr","version":1,"id":5,"schema":)" + quoted(address) + "}"}},
       {"/subjects/a%2Fb%20c/versions/latest",
        {200,
         R"({"subject":"a/b c","version":3,"id":9,"schemaType":"PROTOBUF","schema":"syntax = \"proto3\";"})"}}},
      &transport);
  auto first = registry->by_id(7);
  REQUIRE(first);
  CHECK((*first)->type == SchemaType::avro);
  CHECK((*first)->id == 7);
  REQUIRE((*first)->references.size() == 1);
  REQUIRE(registry->by_id(7));
  CHECK(registry->requests() == 1);
  auto references = registry->references_of(**first);
  REQUIRE(references);
  REQUIRE(references->size() == 1);
  CHECK((*references)[0].name == "com.acme.common.Address");
  CHECK((*references)[0].schema->id == 5);
  auto by_subject = registry->by_subject("a/b c", std::nullopt);
  REQUIRE(by_subject);
  CHECK((*by_subject)->type == SchemaType::protobuf);
  CHECK((*by_subject)->id == 9);
  CHECK((*by_subject)->version == 3);

  auto unknown = registry->by_id(8);
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().kind == ErrorKind::not_found);
  CHECK_THAT(
      unknown.error().message,
      Catch::Contains("schema registry http://registry.test: schema id 8: Schema not found"));
}

TEST_CASE("registry: refused credentials, server errors and odd answers") {
  auto registry =
      fake_registry({{"/schemas/ids/1", {401, R"({"error_code":401,"message":"Unauthorized"})"}},
                     {"/schemas/ids/2", {403, "forbidden"}},
                     {"/schemas/ids/3", {500, "<html>oops</html>"}},
                     {"/schemas/ids/4", {200, "[]"}},
                     {"/schemas/ids/5", {200, R"({"schema":"x","schemaType":"XML"})"}}});
  CHECK(registry->by_id(1).error().kind == ErrorKind::auth);
  CHECK(registry->by_id(2).error().kind == ErrorKind::auth);
  CHECK(registry->by_id(3).error().kind == ErrorKind::io);
  CHECK_THAT(registry->by_id(3).error().message, Catch::Contains("HTTP 500"));
  CHECK(registry->by_id(4).error().kind == ErrorKind::io);
  CHECK(registry->by_id(5).error().kind == ErrorKind::unsupported);
  CHECK(registry->check().error().kind == ErrorKind::not_found);
}

TEST_CASE(
    "registry: libcurl against a closed port is unreachable, naming the URL without "
    "credentials") {
  evt::schema::RegistrySettings settings;
  settings.url = "http://bob:hunter2@127.0.0.1:1";
  settings.timeout = std::chrono::milliseconds(2000);
  auto transport = evt::schema::make_curl_transport(settings);
  REQUIRE(transport);
  RegistryClient registry(evt::schema::display_url(settings.url), std::move(*transport));
  auto checked = registry.check();
  REQUIRE_FALSE(checked);
  CHECK(checked.error().kind == ErrorKind::unreachable);
  CHECK_THAT(checked.error().message,
             Catch::StartsWith("schema registry http://127.0.0.1:1 is unreachable"));
  CHECK_THAT(checked.error().message, !Catch::Contains("hunter2"));
  settings.url = "ftp://x";
  CHECK(evt::schema::make_curl_transport(settings).error().kind == ErrorKind::usage);
}

TEST_CASE("decoder: decodes framed values once per id, shows the rest raw and counts them") {
  FakeTransport* transport = nullptr;
  auto registry = fake_registry(
      {{"/schemas/ids/1", {200, R"({"schema":)" + quoted(read_file("order.avsc")) + "}"}},
       {"/schemas/ids/2", {200, R"({"schema":"{\"type\":\"nope\"}"})"}}},
      &transport);
  evt::Log log(-1, -1);  // quiet
  evt::schema::RegistryDecoder decoder(registry, log);
  std::string value = "\x00\x00\x00\x00\x01"s + k_avro_vectors[0].bytes;
  evt::RecordView record;
  record.value = evt::BytesView::of(value);
  for (int i = 0; i < 3; ++i) {
    std::string out = "x";
    auto id = decoder.decode(record, false, out);
    REQUIRE(id);
    CHECK(*id == 1);
    CHECK(same_json(out.substr(1), k_avro_vectors[0].json));
  }
  CHECK(transport->paths == std::vector<std::string>{"/schemas/ids/1"});

  const std::vector<std::string> undecodable = {
      "plain text"s,
      "\x00\x00\x00\x00\x09{}"s,                                // unknown id
      "\x00\x00\x00\x00\x02{}"s,                                // a schema libavro rejects
      "\x00\x00\x00\x00\x01"s + k_avro_vectors[0].bytes + "x",  // trailing byte
  };
  for (const std::string& bytes : undecodable) {
    record.value = evt::BytesView::of(bytes);
    std::string out = "x";
    CHECK_FALSE(decoder.decode(record, false, out));
    CHECK(out == "x");
  }
  record.value = evt::BytesView{};  // a tombstone is not a failure
  std::string out;
  CHECK_FALSE(decoder.decode(record, false, out));
  CHECK(decoder.failures() == 4);
  CHECK(decoder.decoded() == 3);
  CHECK_THAT(decoder.summary(), Catch::StartsWith("4 fields could not be decoded"));
  // The unknown id was asked once, not once per record.
  record.value = evt::BytesView::of(undecodable[1]);
  CHECK_FALSE(decoder.decode(record, false, out));
  CHECK(std::count(transport->paths.begin(), transport->paths.end(), "/schemas/ids/9") == 1);
}

TEST_CASE("encoder: selectors and TopicNameStrategy") {
  using Kind = evt::schema::SchemaSelector::Kind;
  auto topic = evt::schema::parse_schema_selector("topic");
  REQUIRE(topic);
  CHECK(topic->kind == Kind::topic);
  auto subject = evt::schema::parse_schema_selector("orders-value@3#acme.Order");
  REQUIRE(subject);
  CHECK(subject->kind == Kind::subject);
  CHECK(subject->subject == "orders-value");
  CHECK(subject->version == 3);
  CHECK(subject->message == "acme.Order");
  auto latest = evt::schema::parse_schema_selector("a@latest");
  REQUIRE(latest);
  CHECK_FALSE(latest->version);
  auto id = evt::schema::parse_schema_selector("id:42");
  REQUIRE(id);
  CHECK(id->kind == Kind::id);
  CHECK(id->id == 42);
  for (const char* bad : {"", "id:x", "id:-1", "s@0", "s@x", "@1", "s#"}) {
    INFO(bad);
    CHECK(evt::schema::parse_schema_selector(bad).error().kind == ErrorKind::usage);
  }

  auto registry = fake_registry({{"/subjects/orders-value/versions/latest",
                                  {200,
                                   R"({"subject":"orders-value","version":1,"id":300,"schema":)" +
                                       quoted(read_file("order.avsc")) + "}"}}});
  evt::schema::RegistryEncoder encoder(registry, *topic, false);
  REQUIRE(encoder.prepare("orders"));
  std::string out;
  REQUIRE(encoder.encode("orders", k_avro_vectors[1].json, out));
  CHECK(out == "\x00\x00\x00\x01\x2c"s + k_avro_vectors[1].bytes);
  auto missing = encoder.prepare("audit");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().kind == ErrorKind::not_found);
  CHECK_THAT(missing.error().hint, Catch::Contains("subject audit-value (TopicNameStrategy)"));
  out = "kept";
  CHECK_FALSE(encoder.encode("orders", R"({"id":1})", out));
  CHECK(out == "kept");
}
