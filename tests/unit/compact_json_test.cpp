// SPDX-License-Identifier: MIT
// Unit tests of --json-values: which bytes the envelope embeds as JSON (CompactJsonCheck), how
// key_json/value_json are written, and that the parser gives back the original bytes.
#include "evt/format/compact_json.hpp"

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "evt/error.hpp"
#include "evt/format/envelope.hpp"
#include "evt/record.hpp"

namespace {

using evt::Bytes;
using evt::Header;
using evt::Record;
using namespace std::string_literals;

std::string write_json_values(const Record& record) {
  evt::format::CompactJsonCheck check;
  std::vector<evt::HeaderView> storage;
  std::string out;
  evt::format::append_envelope(out, evt::view_of(record, storage), &check);
  return out;
}

Record parse_line(std::string_view line) {
  evt::format::EnvelopeParser parser;
  Record record;
  if (!line.empty() && line.back() == '\n') {
    line.remove_suffix(1);
  }
  auto parsed = parser.parse(line, record);
  INFO("line: " << line);
  INFO("error: " << (parsed ? "" : parsed.error().message));
  REQUIRE(parsed.ok());
  return record;
}

// The bytes come back exactly, whichever form the envelope chose.
void check_round_trip(const Bytes& bytes) {
  Record record;
  record.key = bytes;
  record.value = bytes;
  record.headers = {Header{"h", bytes}};
  const std::string line = write_json_values(record);
  INFO("line: " << line);
  const Record back = parse_line(line);
  CHECK(back.key == bytes);
  CHECK(back.value == bytes);
  REQUIRE(back.headers.size() == 1);
  CHECK(back.headers[0].value == bytes);
}

}  // namespace

TEST_CASE("json values: compact JSON is embedded, anything else stays a bytes field", "[format]") {
  struct Case {
    std::string bytes;
    bool embedded;
  };
  const std::vector<Case> cases = {
      {R"({"id":1})", true},
      {R"({"user":{"id":3,"tags":["a","b"]},"ok":true,"none":null})", true},
      {R"([1,-2,3.5,1e+21,0.1,12345678901234567890])", true},
      {R"("a string")", true},
      {R"("é and \"quotes\" and \n")", true},
      {R"("\u0001")", true},
      {"42", true},
      {"-7", true},
      {"true", true},
      {"null", true},
      {"{}", true},
      {"[]", true},
      {R"({"a":1,"a":2})", true},  // duplicate names are kept, in order
      {R"({"b":1,"a":2})", true},  // so is their order
      // Not compact: the reader would print other bytes.
      {R"({"id": 1})", false},
      {R"( {"id":1})", false},
      {R"({"id":1} )", false},
      {"{\"id\":1}\n", false},
      {R"("\u00e9")", false},  // the compact form writes é itself
      {R"("\/")", false},
      {R"("\u001F")", false},  // control characters are escaped in lower case
      {"1.0", false},
      {"1e2", false},
      {"1E+21", false},
      {"-0", false},
      {"-0.0", false},
      {"123456789012345678901234", false},  // beyond 64 bits: a double, printed otherwise
      // Not JSON at all.
      {"", false},
      {"user-1", false},
      {"{", false},
      {R"({"id":1}x)", false},
      {"[1,]", false},
      {"NaN", false},
      {"'a'", false},
      {"{\"a\":\"\x01\"}", false},  // raw control character in a string
      {"\"\xff\"", false},          // not UTF-8
      {R"("\udc00")", false},       // a lone surrogate
      {"1\0"s, false},
      {"\"a\0\""s, false},
  };
  evt::format::CompactJsonCheck check;
  for (const Case& c : cases) {
    INFO("bytes: " << c.bytes);
    CHECK(check.is_compact(c.bytes) == c.embedded);
    Record record;
    record.value = c.bytes;
    const std::string line = write_json_values(record);
    INFO("line: " << line);
    CHECK((line.find(",\"value_json\":" + c.bytes + ",") != std::string::npos) == c.embedded);
    check_round_trip(c.bytes);
  }
}

TEST_CASE("json values: nesting deeper than the limit stays a string", "[format]") {
  const auto nested = [](int depth) {
    return std::string(static_cast<std::size_t>(depth), '[') +
           std::string(static_cast<std::size_t>(depth), ']');
  };
  evt::format::CompactJsonCheck check;
  CHECK(check.is_compact(nested(evt::format::k_max_json_depth)));
  CHECK_FALSE(check.is_compact(nested(evt::format::k_max_json_depth + 1)));
  CHECK_FALSE(check.is_compact(nested(100000)));  // no recursion: no stack overflow
  check_round_trip(nested(evt::format::k_max_json_depth));
  check_round_trip(nested(evt::format::k_max_json_depth + 1));
}

TEST_CASE("json values: the envelope line says which form each field holds", "[format]") {
  Record record;
  record.topic = "t";
  record.partition = 0;
  record.offset = 3;
  record.timestamp = 5;
  record.timestamp_type = evt::TimestampType::create;
  record.key = "user-1";
  record.value = R"({"id":1})";
  record.headers = {Header{"h", "[1]"}};
  CHECK(write_json_values(record) ==
        R"({"topic":"t","partition":0,"offset":3,"timestamp":5,"timestamp_type":"create",)"
        R"("key":"user-1","value_json":{"id":1},"headers":[{"name":"h","value":"[1]"}]})"
        "\n");
  record.key = "7";
  record.value = std::nullopt;
  CHECK(write_json_values(record) ==
        R"({"topic":"t","partition":0,"offset":3,"timestamp":5,"timestamp_type":"create",)"
        R"("key_json":7,"value":null,"headers":[{"name":"h","value":"[1]"}]})"
        "\n");
  // A value that is the JSON text null is not a null value.
  record.value = "null";
  const std::string line = write_json_values(record);
  CHECK(line.find(R"("value_json":null)") != std::string::npos);
  CHECK(parse_line(line).value == Bytes{"null"});
}

TEST_CASE("json values: the parser reads key_json and value_json as their compact form",
          "[format]") {
  // Written by hand, with whitespace: the bytes are the compact form.
  Record record = parse_line(
      R"({"key_json": "k", "value_json": { "user" : {"id": 3}, "list": [ 1, 2.5, true ] }})");
  CHECK(record.key == Bytes{R"("k")"});
  CHECK(record.value == Bytes{R"({"user":{"id":3},"list":[1,2.5,true]})"});
  record = parse_line(R"({"value_json":"\u00e9\/"})");
  CHECK(record.value == Bytes{"\"\xc3\xa9/\""});
  record = parse_line(R"({"value_json":null})");
  CHECK(record.value == Bytes{"null"});
  record = parse_line(R"({"value":null})");
  CHECK(record.value == std::nullopt);

  evt::format::EnvelopeParser parser;
  const auto error_of = [&](std::string_view line) {
    auto parsed = parser.parse(line, record);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().kind == evt::ErrorKind::usage);
    return parsed.error().message;
  };
  CHECK(error_of(R"({"value":"1","value_json":1})") ==
        R"(fields "value" and "value_json" cannot both be given)");
  CHECK(error_of(R"({"key_json":1,"key":"1"})") ==
        R"(fields "key" and "key_json" cannot both be given)");
  CHECK(error_of(R"({"value_json":"\udc00"})").find("value_json") != std::string::npos);
  const std::string deep =
      R"({"value_json":)" + std::string(300, '[') + std::string(300, ']') + "}";
  CHECK(error_of(deep) ==
        R"(field "value_json" holds JSON nested deeper than 256 or an invalid \u escape (a lone )"
        R"(surrogate))");
  CHECK(error_of(R"({"value_jsn":1})") ==
        R"(unknown field "value_jsn" (did you mean "value_json"?))");
}

TEST_CASE("json values: random JSON-like bytes round-trip exactly", "[format]") {
  // Bytes built from JSON's own alphabet, so that many are JSON and many are almost JSON.
  static const std::vector<std::string> pieces = {
      "{",   "}",    "[",        "]",    ",", ":",   "\"",  "\"a\"",  "1",    "-",   "0",
      ".",   "5",    "e",        "E",    "+", " ",   "\n",  "true",   "null", "\\u", "00e9",
      "\\n", "\\\"", "\xc3\xa9", "\xff", "x", "1.5", "2e3", "\"k\":", "[]",   "{}"};
  std::mt19937 random(21);
  evt::format::CompactJsonCheck check;
  int embedded = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string bytes;
    const int count = static_cast<int>(random() % 12);
    for (int j = 0; j < count; ++j) {
      bytes += pieces[random() % pieces.size()];
    }
    embedded += check.is_compact(bytes) ? 1 : 0;
    check_round_trip(bytes);
  }
  // The generator is useful only if both forms occur often.
  CHECK(embedded > 300);
  CHECK(embedded < 19500);
}

TEST_CASE("compact json: zeros with exponents parse safely and are not embedded as JSON",
          "[compact_json]") {
  // RapidJSON 1.1.0's full-precision parser had undefined behaviour on these (found by fuzzing;
  // tests/fuzz/corpus/envelope/zero-with-*, significand-past-2-64): evt does not use it.
  evt::format::CompactJsonCheck check;
  CHECK_FALSE(check.is_compact("0e64"));  // not its own compact form: stays a string
  const Record record = parse_line(R"({"value_json":[0e64,1.5],"key":"k"})");
  REQUIRE(record.value);
  CHECK(record.value->substr(0, 1) == "[");
}
