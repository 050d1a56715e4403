// SPDX-License-Identifier: MIT
// Unit tests of `evt inspect message` for people: text as text, anything that could upset a
// terminal as a hexdump, decoded fields as indented JSON.
#include "evt/ops/message_view.hpp"

#include <catch2/catch.hpp>

namespace {

using evt::Record;
using evt::TimestampType;
using evt::ops::MessageView;

Record record(std::int64_t offset, evt::Bytes key, evt::Bytes value) {
  Record r;
  r.topic = "msgs";
  r.partition = 1;
  r.offset = offset;
  r.timestamp = 1700000001500;
  r.timestamp_type = TimestampType::create;
  r.key = std::move(key);
  r.value = std::move(value);
  return r;
}

const std::string k_head =
    "topic      msgs\n"
    "partition  1\n"
    "offset     0\n"
    "timestamp  1700000001500 (2023-11-14T22:13:21.500Z, create)\n";

}  // namespace

TEST_CASE("message view: text key, value and headers, a binary header as a hexdump",
          "[inspect][unit]") {
  MessageView view{record(0, "k\"1", "hello world"), {}};
  view.record.headers = {{"h\\1", "v\"1"}, {"bin", std::string("\x01\x02", 2)}, {"n", {}}};
  CHECK(render_table(view, 0, false) ==
        k_head +
            "key        \"k\"1\"\n"
            "headers    3\n"
            "  h\\\\1 = \"v\"1\"\n"
            "  bin = (2 bytes, binary)\n"
            "  00000000  01 02                                             |..|\n"
            "  n = null\n"
            "value      (11 bytes)\n"
            "hello world\n");
}

TEST_CASE("message view: a binary value as a hexdump of 16 bytes a line", "[inspect][unit]") {
  std::string bytes;
  for (int c = 0; c < 35; ++c) {
    bytes.push_back(static_cast<char>(c));
  }
  CHECK(render_table(MessageView{record(0, "", bytes), {}}, 0, false) ==
        k_head +
            "key        \"\" (empty)\n"
            "headers    0\n"
            "value      (35 bytes, binary)\n"
            "00000000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  |................|\n"
            "00000010  10 11 12 13 14 15 16 17  18 19 1a 1b 1c 1d 1e 1f  |................|\n"
            "00000020  20 21 22                                          | !\"|\n");
}

TEST_CASE("message view: line breaks and tabs are text, C1 controls are not", "[inspect][unit]") {
  CHECK(render_table(MessageView{record(0, {}, "line1\nline2\ttab"), {}}, 0, false) ==
        k_head +
            "key        null\n"
            "headers    0\n"
            "value      (15 bytes)\n"
            "line1\nline2\ttab\n");
  // U+0085 and U+009B (which a terminal may obey as CSI): valid UTF-8, still not shown as text.
  CHECK(render_table(MessageView{record(0, "c\xc2\x9b", "c1\xc2\x85 \xc2\x9b"), {}}, 0, false) ==
        k_head +
            "key        (3 bytes, binary)\n"
            "00000000  63 c2 9b                                          |c..|\n"
            "headers    0\n"
            "value      (7 bytes, binary)\n"
            "00000000  63 31 c2 85 20 c2 9b                              |c1.. ..|\n");
  CHECK(render_table(MessageView{record(0, {}, {}), {}}, 0, false) ==
        k_head + "key        null\nheaders    0\nvalue      null\n");
}

TEST_CASE("message view: decoded key and value follow as indented JSON", "[inspect][unit]") {
  MessageView view{record(0, "\x00\x00\x00\x00\x07k", "\x00\x00\x00\x00\x08v"), {}};
  view.decoded = {{true, 7, R"({"id":1})"}, {false, 8, R"({"name":"a\"b","tags":[1,2]})"}};
  const std::string shown = render_table(view, 0, false);
  CHECK_THAT(shown,
             Catch::EndsWith("key decoded      schema id 7\n"
                             "{\n  \"id\": 1\n}\n"
                             "value decoded    schema id 8\n"
                             "{\n  \"name\": \"a\\\"b\",\n  \"tags\": [\n    1,\n    2\n  ]\n}\n"));
}
