// SPDX-License-Identifier: MIT
// Unit tests of the record envelope: the JSON writer (append_envelope and the bytes-field
// helpers) and EnvelopeParser, including byte-exact round trips of arbitrary bytes.
#include "evt/format/envelope.hpp"

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "evt/error.hpp"
#include "evt/format/json_text.hpp"
#include "evt/record.hpp"

namespace {

using evt::Bytes;
using evt::BytesView;
using evt::Header;
using evt::Record;
using evt::TimestampType;
using namespace std::string_literals;

std::string write_envelope(const Record& record) {
  std::vector<evt::HeaderView> storage;
  std::string out;
  evt::format::append_envelope(out, evt::view_of(record, storage));
  return out;
}

std::string bytes_field(const Bytes& bytes) {
  std::string out;
  evt::format::append_bytes_field(out, BytesView::of(bytes));
  return out;
}

std::string json_string(std::string_view text) {
  std::string out;
  evt::format::append_json_string(out, text);
  return out;
}

std::string base64(std::string_view bytes) {
  std::string out;
  evt::format::append_base64(out, bytes);
  return out;
}

// What parse(write(record)) must give: offset and timestamp_type are output-only, and a record
// without a timestamp type is written with a null timestamp.
Record as_read_back(Record record) {
  // Only a negative timestamp means "none"; it is written (and read back) as null.
  if (record.timestamp < 0) {
    record.timestamp = -1;
  }
  record.offset = -1;
  record.timestamp_type = TimestampType::not_available;
  return record;
}

// A readable form of bytes for failure messages.
std::string show(const Bytes& bytes) {
  if (!bytes) {
    return "null";
  }
  std::string out = "\"";
  for (unsigned char c : *bytes) {
    if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
      out.push_back(static_cast<char>(c));
    } else {
      static constexpr char k_hex[] = "0123456789abcdef";
      out += "\\x";
      out.push_back(k_hex[c >> 4]);
      out.push_back(k_hex[c & 0xF]);
    }
  }
  return out + "\"";
}

// Round-trips `record` and checks equality field by field (for readable failures) and as a whole.
void check_round_trip(const Record& record) {
  const std::string line = write_envelope(record);
  INFO("envelope: " << line);
  REQUIRE(!line.empty());
  REQUIRE(line.back() == '\n');
  // Exactly one line, and no raw control character anywhere in it.
  for (std::size_t i = 0; i + 1 < line.size(); ++i) {
    REQUIRE(static_cast<unsigned char>(line[i]) >= 0x20);
  }
  evt::format::EnvelopeParser parser;
  Record parsed;
  parsed.topic = "stale";
  parsed.key = "stale";
  parsed.headers.push_back(Header{"stale", std::nullopt});
  auto result = parser.parse(std::string_view(line).substr(0, line.size() - 1), parsed);
  INFO("parse error: " << (result ? "" : result.error().message));
  REQUIRE(result.ok());
  const Record expected = as_read_back(record);
  CHECK(parsed.topic == expected.topic);
  CHECK(parsed.partition == expected.partition);
  CHECK(parsed.timestamp == expected.timestamp);
  CHECK(show(parsed.key) == show(expected.key));
  CHECK(show(parsed.value) == show(expected.value));
  REQUIRE(parsed.headers.size() == expected.headers.size());
  for (std::size_t i = 0; i < expected.headers.size(); ++i) {
    CHECK(parsed.headers[i].name == expected.headers[i].name);
    CHECK(show(parsed.headers[i].value) == show(expected.headers[i].value));
  }
  CHECK(parsed == expected);
}

Record sample_record() {
  Record record;
  record.topic = "orders";
  record.partition = 2;
  record.offset = 17;
  record.timestamp = 1763892000123;
  record.timestamp_type = TimestampType::create;
  record.key = "user-1";
  record.value = R"({"id":1})";
  record.headers = {Header{"trace", "abc"}};
  return record;
}

}  // namespace

TEST_CASE("envelope: writes the design's example line exactly", "[format]") {
  CHECK(write_envelope(sample_record()) ==
        R"({"topic":"orders","partition":2,"offset":17,"timestamp":1763892000123,)"
        R"("timestamp_type":"create","key":"user-1","value":"{\"id\":1}",)"
        R"("headers":[{"name":"trace","value":"abc"}]})"
        "\n");
}

TEST_CASE("envelope: writes timestamp types, nulls and empty headers", "[format]") {
  Record record;
  record.topic = "t";
  record.partition = 0;
  record.offset = 0;

  SECTION("no timestamp: timestamp and its type are null") {
    record.timestamp = -1;
    CHECK(write_envelope(record) ==
          R"({"topic":"t","partition":0,"offset":0,"timestamp":null,"timestamp_type":null,)"
          R"("key":null,"value":null,"headers":[]})"
          "\n");
  }

  SECTION("a timestamp without a type (read from an envelope file) is a create time") {
    record.timestamp = 5;
    CHECK(write_envelope(record) ==
          R"({"topic":"t","partition":0,"offset":0,"timestamp":5,"timestamp_type":"create",)"
          R"("key":null,"value":null,"headers":[]})"
          "\n");
  }
  SECTION("log append time") {
    record.timestamp = 0;
    record.timestamp_type = TimestampType::log_append;
    record.key = "";
    record.value = "";
    CHECK(write_envelope(record) ==
          R"({"topic":"t","partition":0,"offset":0,"timestamp":0,"timestamp_type":"log_append",)"
          R"("key":"","value":"","headers":[]})"
          "\n");
  }
  SECTION("negative and extreme numbers") {
    record.partition = -1;
    record.offset = INT64_MAX;
    record.timestamp = INT64_MIN;  // negative: no timestamp, whatever the type says
    record.timestamp_type = TimestampType::create;
    CHECK(write_envelope(record) == R"({"topic":"t","partition":-1,"offset":9223372036854775807,)"
                                    R"("timestamp":null,"timestamp_type":null,)"
                                    R"("key":null,"value":null,"headers":[]})"
                                    "\n");
  }
  SECTION("headers with null, empty and binary values") {
    record.timestamp = 1;
    record.timestamp_type = TimestampType::create;
    record.headers = {Header{"a", std::nullopt}, Header{"a", ""}, Header{"", "\xff"s}};
    CHECK(write_envelope(record) ==
          R"({"topic":"t","partition":0,"offset":0,"timestamp":1,"timestamp_type":"create",)"
          R"("key":null,"value":null,"headers":[{"name":"a","value":null},)"
          R"({"name":"a","value":""},{"name":"","value":{"base64":"/w=="}}]})"
          "\n");
  }
}

TEST_CASE("envelope: JSON string escaping", "[format]") {
  struct Case {
    std::string text;
    std::string json;
  };
  const std::vector<Case> cases = {
      {"", R"("")"},
      {"plain", R"("plain")"},
      {"quote\"", R"("quote\"")"},
      {"back\\slash", R"("back\\slash")"},
      {"/", R"("/")"},
      {"\n\r\t\b\f", R"("\n\r\t\b\f")"},
      {"\0"s, R"("\u0000")"},
      {"a\0b"s, R"("a\u0000b")"},
      {"\x01\x1f", R"("\u0001\u001f")"},
      {"\x0b", R"("\u000b")"},
      {"\x1b[0m", R"("\u001b[0m")"},
      {"\x7f", "\"\x7f\""},          // DEL needs no escape in JSON
      {"\xc3\xa9", "\"\xc3\xa9\""},  // é stays raw UTF-8
      {"\xe2\x80\xa8", "\"\xe2\x80\xa8\""},
      {"\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\""},
      {"\"\\\"", R"("\"\\\"")"},
  };
  for (const Case& c : cases) {
    INFO("text: " << show(c.text));
    CHECK(json_string(c.text) == c.json);
  }
}

TEST_CASE("envelope: UTF-8 validation decides string or base64", "[format]") {
  struct Case {
    const char* what;
    std::string bytes;
    bool valid;
  };
  const std::vector<Case> cases = {
      {"empty", "", true},
      {"ASCII", "hello", true},
      {"NUL", "\0"s, true},
      {"NULs inside", "a\0\0b"s, true},
      {"all ASCII controls", "\x01\x02\x1f\x7f", true},
      {"2-byte U+00E9", "\xc3\xa9", true},
      {"2-byte lowest U+0080", "\xc2\x80", true},
      {"3-byte U+20AC", "\xe2\x82\xac", true},
      {"3-byte U+0800", "\xe0\xa0\x80", true},
      {"3-byte last before surrogates U+D7FF", "\xed\x9f\xbf", true},
      {"3-byte first after surrogates U+E000", "\xee\x80\x80", true},
      {"3-byte U+FFFF", "\xef\xbf\xbf", true},
      {"BOM", "\xef\xbb\xbf", true},
      {"4-byte U+1F600", "\xf0\x9f\x98\x80", true},
      {"4-byte U+10000", "\xf0\x90\x80\x80", true},
      {"4-byte U+10FFFF", "\xf4\x8f\xbf\xbf", true},
      {"lone continuation 0x80", "\x80", false},
      {"lone continuation 0xBF", "\xbf", false},
      {"continuation after ASCII", "abc\x80", false},
      {"two continuations", "\x80\x80", false},
      {"overlong NUL C0 80", "\xc0\x80", false},
      {"overlong C1 BF", "\xc1\xbf", false},
      {"overlong 3-byte E0 80 80", "\xe0\x80\x80", false},
      {"overlong 3-byte E0 9F BF", "\xe0\x9f\xbf", false},
      {"overlong 4-byte F0 80 80 80", "\xf0\x80\x80\x80", false},
      {"overlong 4-byte F0 8F BF BF", "\xf0\x8f\xbf\xbf", false},
      {"surrogate U+D800 (ED A0 80)", "\xed\xa0\x80", false},
      {"surrogate U+DBFF", "\xed\xaf\xbf", false},
      {"surrogate U+DC00", "\xed\xb0\x80", false},
      {"surrogate U+DFFF", "\xed\xbf\xbf", false},
      {"surrogate pair in CESU-8", "\xed\xa0\xbd\xed\xb8\x80", false},
      {"above U+10FFFF (F4 90 80 80)", "\xf4\x90\x80\x80", false},
      {"F5 lead byte", "\xf5\x80\x80\x80", false},
      {"F8 lead byte", "\xf8\x88\x80\x80\x80", false},
      {"FE", "\xfe", false},
      {"FF", "\xff", false},
      {"truncated 2-byte", "\xc3", false},
      {"truncated 2-byte before ASCII", "\xc3x", false},
      {"truncated 3-byte", "\xe2\x82", false},
      {"truncated 3-byte at end of text", "price: \xe2\x82", false},
      {"truncated 4-byte", "\xf0\x9f\x98", false},
      {"truncated 4-byte then valid", "\xf0\x9f\x98\xc3\xa9", false},
      {"valid then invalid", "\xc3\xa9\xff", false},
      {"invalid then NUL", "\xff\0"s, false},
  };
  for (const Case& c : cases) {
    INFO(c.what << ": " << show(c.bytes));
    CHECK(evt::format::is_valid_utf8(c.bytes) == c.valid);
    const std::string field = bytes_field(c.bytes);
    if (c.valid) {
      CHECK(field == json_string(c.bytes));
    } else {
      CHECK(field == R"({"base64":")" + base64(c.bytes) + R"("})");
    }
    // And the field reads back byte for byte, as key, value and header value.
    Record record;
    record.key = c.bytes;
    record.value = c.bytes;
    record.headers = {Header{"h", c.bytes}};
    check_round_trip(record);
  }
}

TEST_CASE("envelope: base64 encoding and decoding", "[format]") {
  struct Case {
    std::string bytes;
    std::string text;
  };
  const std::vector<Case> cases = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
      {"\xff", "/w=="},
      {"\xfb\xff", "+/8="},
      {"\0\0\0"s, "AAAA"},
  };
  for (const Case& c : cases) {
    INFO(show(c.bytes));
    CHECK(base64(c.bytes) == c.text);
    auto decoded = evt::format::decode_base64(c.text);
    REQUIRE(decoded.ok());
    CHECK(*decoded == c.bytes);
  }
  const std::vector<std::string> invalid = {
      "Zg",
      "Zg=",
      "Z",
      "Zm9",
      "Zg==Zg==x",
      "Zm9v!",
      "Zm 9v",
      "Zm9v\n",
      "-_8=",
      "Zg===",
      "====",
  };
  for (const std::string& text : invalid) {
    INFO(text);
    auto decoded = evt::format::decode_base64(text);
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.error().kind == evt::ErrorKind::usage);
  }
}

TEST_CASE("envelope: every byte value round-trips in key, value and headers", "[format]") {
  for (int b = 0; b < 256; ++b) {
    const std::string one(1, static_cast<char>(b));
    INFO("byte " << b);
    // A single byte is valid UTF-8 exactly when it is ASCII.
    CHECK(evt::format::is_valid_utf8(one) == (b < 0x80));
    if (b < 0x80) {
      CHECK(bytes_field(one).front() == '"');
    } else {
      CHECK(bytes_field(one) == R"({"base64":")" + base64(one) + R"("})");
    }
    Record record;
    record.topic = "bytes";
    record.partition = b % 7;
    record.offset = b;
    record.timestamp = b * 1000;
    record.timestamp_type = b % 2 ? TimestampType::create : TimestampType::log_append;
    record.key = one;
    record.value = "<" + one + one + ">";
    record.headers = {Header{"h", one}, Header{"surrounded", "a" + one + "b"}};
    check_round_trip(record);
  }
  // All 256 values in one field, both in order and reversed.
  std::string all;
  for (int b = 0; b < 256; ++b) {
    all.push_back(static_cast<char>(b));
  }
  Record record;
  record.key = all;
  record.value = std::string(all.rbegin(), all.rend());
  record.headers = {Header{"all", all}};
  check_round_trip(record);
  // All 128 ASCII values in a field stay a JSON string.
  Record ascii;
  ascii.value = all.substr(0, 128);
  CHECK(write_envelope(ascii).find("base64") == std::string::npos);
  check_round_trip(ascii);
}

TEST_CASE("envelope: empty and null differ for key, value and header values", "[format]") {
  struct Case {
    Bytes key;
    Bytes value;
    Bytes header;
    std::string expected_fragment;
  };
  const std::vector<Case> cases = {
      {std::nullopt,
       std::nullopt,
       std::nullopt,
       R"("key":null,"value":null,"headers":[{"name":"h","value":null}])"},
      {"", "", "", R"("key":"","value":"","headers":[{"name":"h","value":""}])"},
      {"", std::nullopt, "", R"("key":"","value":null,"headers":[{"name":"h","value":""}])"},
      {std::nullopt,
       "",
       std::nullopt,
       R"("key":null,"value":"","headers":[{"name":"h","value":null}])"},
      {"\0"s,
       "\0"s,
       "\0"s,
       R"("key":"\u0000","value":"\u0000","headers":[{"name":"h","value":"\u0000"}])"},
  };
  for (const Case& c : cases) {
    Record record;
    record.key = c.key;
    record.value = c.value;
    record.headers = {Header{"h", c.header}};
    const std::string line = write_envelope(record);
    INFO(line);
    CHECK(line.find(c.expected_fragment) != std::string::npos);
    check_round_trip(record);
  }
}

TEST_CASE("envelope: headers keep order and duplicate names", "[format]") {
  Record record;
  record.topic = "t";
  record.headers = {Header{"b", "1"},
                    Header{"a", "2"},
                    Header{"b", "3"},
                    Header{"b", std::nullopt},
                    Header{"a", ""},
                    Header{"", "empty name"},
                    Header{"b", "\xff\xfe"s},
                    Header{"\xc3\xa9t\xc3\xa9", "\n"}};
  check_round_trip(record);

  SECTION("names that are not UTF-8 are written as base64, and NUL in names is kept") {
    record.headers = {Header{"a\xff"
                             "b"s,
                             "1"},
                      Header{"x\0y"s, "2"},
                      Header{"\x80"s, std::nullopt}};
    const std::string line = write_envelope(record);
    CHECK_THAT(line,
               Catch::Contains(R"({"name":{"base64":"Yf9i"},"value":"1"})") &&
                   Catch::Contains(R"({"name":"x\u0000y","value":"2"})") &&
                   Catch::Contains(R"({"name":{"base64":"gA=="},"value":null})"));
    check_round_trip(record);
  }

  SECTION("many headers") {
    record.headers.clear();
    for (int i = 0; i < 1000; ++i) {
      record.headers.push_back(Header{"h" + std::to_string(i % 10),
                                      i % 3 == 0   ? Bytes{}
                                      : i % 3 == 1 ? Bytes{std::to_string(i)}
                                                   : Bytes{std::string(1, static_cast<char>(i))}});
    }
    check_round_trip(record);
  }
}

TEST_CASE("envelope: topic names, partitions and timestamps round-trip", "[format]") {
  struct Case {
    std::string topic;
    std::int32_t partition;
    std::int64_t timestamp;
    TimestampType type;
  };
  const std::vector<Case> cases = {
      {"", -1, -1, TimestampType::not_available},
      {"orders", 0, 0, TimestampType::create},
      {"with \"quotes\" and \\", 2147483647, INT64_MAX, TimestampType::log_append},
      {"t\xc3\xa9pic", 5, 1763892000123, TimestampType::create},
      {"x", -1, -1, TimestampType::create},
      {"x", 1, 42, TimestampType::not_available},  // timestamp is dropped without a type
  };
  for (const Case& c : cases) {
    Record record;
    record.topic = c.topic;
    record.partition = c.partition;
    record.timestamp = c.timestamp;
    record.timestamp_type = c.type;
    record.offset = 99;
    check_round_trip(record);
  }
}

TEST_CASE("envelope: randomized round trip of arbitrary records", "[format]") {
  std::mt19937_64 random(20261123);
  auto below = [&](std::uint64_t n) { return static_cast<std::size_t>(random() % n); };
  // Bytes biased towards the interesting: ASCII, JSON specials, UTF-8 sequences (valid and
  // broken), NULs.
  auto random_bytes = [&]() -> Bytes {
    switch (below(10)) {
      case 0:
        return std::nullopt;
      case 1:
        return std::string();
      default:
        break;
    }
    std::string out;
    const std::size_t pieces = below(12);
    for (std::size_t i = 0; i < pieces; ++i) {
      switch (below(8)) {
        case 0:
          out.push_back(static_cast<char>(below(256)));
          break;
        case 1:
          out += "\"\\\n\0"s.substr(below(4), 1);
          break;
        case 2:
          out += "\xc3\xa9";
          break;
        case 3:
          out += "\xf0\x9f\x98\x80";
          break;
        case 4:
          out += "\xed\xa0\x80";  // surrogate
          break;
        case 5:
          out += "\xe2\x82";  // truncated
          break;
        default:
          out.push_back(static_cast<char>(0x20 + below(0x5f)));
      }
    }
    return out;
  };
  evt::format::EnvelopeParser parser;  // one parser reused for every line, as produce does
  Record parsed;
  int base64_fields = 0;
  int string_fields = 0;
  for (int n = 0; n < 3000; ++n) {
    Record record;
    const Bytes topic = random_bytes();
    // Topic names are strings: keep only valid UTF-8 ones.
    record.topic = topic && evt::format::is_valid_utf8(*topic) ? *topic : "t";
    record.partition = static_cast<std::int32_t>(below(100)) - 1;
    record.offset = static_cast<std::int64_t>(random() >> 1);
    record.timestamp_type = static_cast<TimestampType>(below(3));
    record.timestamp = static_cast<std::int64_t>(random() >> 1);
    record.key = random_bytes();
    record.value = random_bytes();
    const std::size_t header_count = below(5);
    for (std::size_t i = 0; i < header_count; ++i) {
      const Bytes name = random_bytes();
      record.headers.push_back(Header{name.value_or("h"), random_bytes()});
    }
    for (const Bytes* field : {&record.key, &record.value}) {
      if (*field) {
        (evt::format::is_valid_utf8(**field) ? string_fields : base64_fields)++;
      }
    }
    const std::string line = write_envelope(record);
    auto result = parser.parse(std::string_view(line).substr(0, line.size() - 1), parsed);
    INFO("record " << n << ": " << line);
    REQUIRE(result.ok());
    REQUIRE(parsed == as_read_back(record));
  }
  // The generator exercised both encodings.
  CHECK(base64_fields > 500);
  CHECK(string_fields > 500);
}

TEST_CASE("envelope: parser accepts hand-written JSON", "[format]") {
  struct Case {
    const char* what;
    std::string line;
    Record expected;
  };
  auto record = [](std::string topic,
                   std::int32_t partition,
                   std::int64_t timestamp,
                   Bytes key,
                   Bytes value,
                   std::vector<Header> headers = {}) {
    Record r;
    r.topic = std::move(topic);
    r.partition = partition;
    r.timestamp = timestamp;
    r.key = std::move(key);
    r.value = std::move(value);
    r.headers = std::move(headers);
    return r;
  };
  const std::vector<Case> cases = {
      {"empty object", "{}", record("", -1, -1, std::nullopt, std::nullopt)},
      {"value only", R"({"value":"v"})", record("", -1, -1, std::nullopt, "v")},
      {"nulls everywhere",
       R"({"topic":null,"partition":null,"offset":null,"timestamp":null,"timestamp_type":null,)"
       R"("key":null,"value":null,"headers":null})",
       record("", -1, -1, std::nullopt, std::nullopt)},
      {"field order does not matter",
       R"({"headers":[{"value":"1","name":"a"}],"value":"v","key":"k","timestamp":7,)"
       R"("partition":3,"topic":"t"})",
       record("t", 3, 7, "k", "v", {Header{"a", "1"}})},
      {"offset and timestamp_type are ignored, whatever their type",
       R"({"offset":"x","timestamp_type":5,"value":"v"})",
       record("", -1, -1, std::nullopt, "v")},
      {"whitespace around tokens and a trailing CR",
       " { \"key\" : \"k\" , \"value\" : { \"base64\" : \"/w==\" } } \r",
       record("", -1, -1, "k", "\xff"s)},
      {"unicode escapes",
       R"({"value":"\u00e9\ud83d\ude00\u0000\/"})",
       record("", -1, -1, std::nullopt, "\xc3\xa9\xf0\x9f\x98\x80\0/"s)},
      {"base64 of empty", R"({"key":{"base64":""}})", record("", -1, -1, "", std::nullopt)},
      {"header without value is null",
       R"({"headers":[{"name":"a"},{"name":"a","value":""}]})",
       record(
           "", -1, -1, std::nullopt, std::nullopt, {Header{"a", std::nullopt}, Header{"a", ""}})},
      {"empty headers", R"({"headers":[]})", record("", -1, -1, std::nullopt, std::nullopt)},
      {"partition and timestamp bounds",
       R"({"partition":2147483647,"timestamp":9223372036854775807})",
       record("", 2147483647, INT64_MAX, std::nullopt, std::nullopt)},
      {"partition -1 and timestamp -1 mean unset",
       R"({"partition":-1,"timestamp":-1})",
       record("", -1, -1, std::nullopt, std::nullopt)},
      {"timestamp zero", R"({"timestamp":0})", record("", -1, 0, std::nullopt, std::nullopt)},
      // A key or value that is JSON but not a bytes field is its text as written.
      {"an object value", R"({"value":{"id":1}})", record("", -1, -1, std::nullopt, R"({"id":1})")},
      {"numbers, booleans and arrays",
       R"({"key":7,"value":[1,2.50,true,null]})",
       record("", -1, -1, "7", "[1,2.50,true,null]")},
      {"a number and false, exactly as written",
       R"({"key":-0.10e+3,"value":false})",
       record("", -1, -1, "-0.10e+3", "false")},
      {"whitespace and escapes inside are kept, around are not",
       "{\"value\" :  { \"s\" : \"caf\\u00e9 \\\"}\\\" ]\" ,\n\t\"a\":[ ] }  ,\"key\":\"k\"}",
       record("", -1, -1, "k", "{ \"s\" : \"caf\\u00e9 \\\"}\\\" ]\" ,\n\t\"a\":[ ] }")},
      {"empty object and array", R"({"key":{},"value":[]})", record("", -1, -1, "{}", "[]")},
      {"an object with base64 and more members is JSON",
       R"({"value":{"base64":"YQ==","type":"png"}})",
       record("", -1, -1, std::nullopt, R"({"base64":"YQ==","type":"png"})")},
      {"a duplicate field: the last one, by position",
       R"({"key":{"x":1},"value":"v","key":[2, 3]})",
       record("", -1, -1, "[2, 3]", "v")},
      {"after other JSON fields",
       R"({"headers":[{"name":"h","value":"}"}],"timestamp":5,"value":{"b":"]"}})",
       record("", -1, 5, std::nullopt, R"({"b":"]"})", {Header{"h", "}"}})},
  };
  evt::format::EnvelopeParser parser;
  for (const Case& c : cases) {
    INFO(c.what << ": " << c.line);
    Record parsed = sample_record();  // fields absent from the line must be reset
    auto result = parser.parse(c.line, parsed);
    INFO((result ? "" : result.error().message));
    REQUIRE(result.ok());
    CHECK(parsed == c.expected);
  }
}

TEST_CASE("envelope: parser errors name the field", "[format]") {
  struct Case {
    std::string line;
    std::vector<std::string> message_parts;
  };
  const std::vector<Case> cases = {
      // Not JSON at all, or not an object.
      {"", {"not valid JSON"}},
      {"not json", {"not valid JSON"}},
      {"{", {"not valid JSON"}},
      {R"({"key":"k",})", {"not valid JSON"}},
      {R"({'key':'k'})", {"not valid JSON"}},
      {"{\"value\":\"\xff\"}", {"not valid JSON"}},   // raw invalid UTF-8 inside a string
      {"{\"value\":\"a\0b\"}"s, {"not valid JSON"}},  // raw control characters must be escaped
      {"{\"value\":\"a\nb\"}", {"not valid JSON"}},
      {"{\"value\":\"\x01\"}", {"not valid JSON"}},
      {R"({"value":"\ud800"})", {"not valid JSON"}},  // a lone surrogate is not text
      {R"({"value":"\udc00\ud800"})", {"not valid JSON"}},
      {R"({"value":"\udd2d"})", {"not valid JSON"}},  // a lone low surrogate (fuzzer finding)
      {R"({"topic":"t\udc00"})", {"not valid JSON", "\"topic\""}},
      {R"({"headers":[{"name":"\ude00"}]})", {"not valid JSON", "headers[0].name"}},
      {R"({"value":"\x41"})", {"not valid JSON"}},
      {"[1,2]", {"expected a JSON object", "an array"}},
      {"42", {"expected a JSON object", "an integer"}},
      {"\"text\"", {"expected a JSON object", "a string"}},
      {"null", {"expected a JSON object", "null"}},
      {"true", {"expected a JSON object", "a boolean"}},
      // Trailing garbage after the object.
      {R"({"value":"v"} x)", {"not valid JSON"}},
      {R"({"value":"v"}{})", {"not valid JSON"}},
      {R"({"value":"v"},)", {"not valid JSON"}},
      {R"({"value":"v"}})", {"not valid JSON"}},
      {"{\"value\":\"v\"}\0"s, {"not valid JSON"}},
      {"{\"value\":\"v\"}\n{}", {"not valid JSON"}},
      // Wrong types, one per field.
      {R"({"topic":1})", {"\"topic\"", "a string or null", "an integer"}},
      {R"({"topic":["a"]})", {"\"topic\"", "an array"}},
      {R"({"topic":{"base64":"YQ=="}})", {"\"topic\"", "an object"}},
      {R"({"partition":"1"})", {"\"partition\"", "an integer", "a string"}},
      {R"({"partition":1.5})", {"\"partition\"", "a number"}},
      {R"({"partition":1e3})", {"\"partition\"", "a number"}},
      {R"({"partition":true})", {"\"partition\"", "a boolean"}},
      {R"({"timestamp":"2026-11-23"})", {"\"timestamp\"", "an integer", "a string"}},
      {R"({"timestamp":1.0})", {"\"timestamp\"", "a number"}},
      {R"({"headers":{}})", {"\"headers\"", "an array or null", "an object"}},
      {R"({"headers":"a=1"})", {"\"headers\"", "a string"}},
      {R"({"headers":[1]})", {"\"headers[0]\"", "an object", "an integer"}},
      {R"({"headers":[{"name":"a"},"b"]})", {"\"headers[1]\"", "a string"}},
      {R"({"headers":[{"value":"x"}]})", {"headers[0]", "no \"name\""}},
      {R"({"headers":[{"name":1}]})", {"\"headers[0].name\"", "a string", "an integer"}},
      {R"({"headers":[{"name":null}]})", {"\"headers[0].name\"", "null"}},
      {R"({"headers":[{"name":{"base64":"!"}}]})", {"\"headers[0].name\"", "invalid base64"}},
      {R"({"headers":[{"name":"a","value":5}]})", {"\"headers[0].value\"", "an integer"}},
      {R"({"headers":[{"name":"a","valeu":"x"}]})", {"unknown field", "headers[0].valeu"}},
      // Out of range.
      {R"({"partition":2147483648})", {"\"partition\"", "out of range"}},
      {R"({"partition":-2})", {"\"partition\"", "out of range"}},
      {R"({"partition":-9223372036854775808})", {"\"partition\"", "out of range"}},
      {R"({"partition":18446744073709551615})", {"\"partition\"", "out of range"}},
      {R"({"timestamp":-2})", {"\"timestamp\"", "out of range"}},
      {R"({"timestamp":9223372036854775808})", {"\"timestamp\"", "out of range"}},
      // Bytes fields in the base64 form.
      {R"({"key":{"base64":"!!!!"}})", {"\"key\"", "invalid base64"}},
      {R"({"value":{"base64":"Zg"}})", {"\"value\"", "invalid base64"}},
      {R"({"value":{"base64":"Zm9v\n"}})", {"\"value\"", "invalid base64"}},
      {R"({"headers":[{"name":"a"},{"name":"b","value":{"base64":"%%%%"}}]})",
       {"\"headers[1].value\"", "invalid base64"}},
      {R"({"value":{"base64":1}})", {"\"value\"", "{\"base64\":\"...\"}"}},
      {R"({"value":{"base64":null}})", {"\"value\"", "{\"base64\":\"...\"}"}},
      {R"({"key":{"base64":["YQ=="]}})", {"\"key\"", "{\"base64\":\"...\"}"}},
      // JSON as a key or value is its text, up to the depth --json-values embeds.
      {"{\"value\":" + std::string(257, '[') + std::string(257, ']') + "}",
       {"\"value\"", "nested deeper than 256"}},
      // Unknown fields, with a suggestion when one is close.
      {R"({"topc":"t"})", {"unknown field \"topc\"", "did you mean \"topic\"?"}},
      {R"({"vaule":"v"})", {"unknown field \"vaule\"", "did you mean \"value\"?"}},
      {R"({"header":[]})", {"unknown field \"header\"", "did you mean \"headers\"?"}},
      {R"({"Key":"k"})", {"unknown field \"Key\"", "did you mean \"key\"?"}},
      {R"({"timestamp_typ":"create"})", {"did you mean \"timestamp_type\"?"}},
      {R"({"partiton":1})", {"did you mean \"partition\"?"}},
  };
  evt::format::EnvelopeParser parser;
  for (const Case& c : cases) {
    INFO("line: " << c.line);
    Record parsed;
    auto result = parser.parse(c.line, parsed);
    REQUIRE_FALSE(result.ok());
    INFO("message: " << result.error().message);
    CHECK(result.error().kind == evt::ErrorKind::usage);
    for (const std::string& part : c.message_parts) {
      CHECK_THAT(result.error().message, Catch::Matchers::Contains(part));
    }
  }
  SECTION("no suggestion when nothing is close") {
    Record parsed;
    auto result = parser.parse(R"({"zzzzzzzz":1})", parsed);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().message == "unknown field \"zzzzzzzz\"");
  }
  SECTION("the parser recovers after an error") {
    Record parsed;
    REQUIRE_FALSE(parser.parse("{oops", parsed).ok());
    REQUIRE(parser.parse(R"({"value":"ok"})", parsed).ok());
    CHECK(parsed.value == Bytes{"ok"});
  }
}
