// SPDX-License-Identifier: MIT
// Unit tests of the JSON writer behind the JSON views of `evt inspect`, `evt topic` and
// `evt group`.
#include "evt/format/json_writer.hpp"

#include <cstdint>

#include <catch2/catch.hpp>

using evt::format::JsonWriter;

TEST_CASE("json writer: commas between members and items, none after the last", "[format][unit]") {
  JsonWriter json;
  json.begin_object().key("a").number(1).key("b").begin_array();
  json.number(-2).boolean(true).null().begin_object().end_object().begin_array().end_array();
  json.end_array().key("c").begin_object().key("d").boolean(false).end_object().end_object();
  CHECK(json.line() == R"({"a":1,"b":[-2,true,null,{},[]],"c":{"d":false}})"
                       "\n");
  CHECK(JsonWriter().begin_array().end_array().line() == "[]\n");
}

TEST_CASE("json writer: names and strings escaped as the envelope escapes them", "[format][unit]") {
  JsonWriter json;
  json.begin_object().key("say \"hi\"").string("C:\\dir\n\t\x1b[0m\x7f caf\xc3\xa9").end_object();
  CHECK(json.line() == "{\"say \\\"hi\\\"\":\"C:\\\\dir\\n\\t\\u001b[0m\x7f caf\xc3\xa9\"}\n");
}

TEST_CASE("json writer: optional values are null when absent", "[format][unit]") {
  JsonWriter json;
  json.begin_array().string_or_null(std::nullopt).string_or_null("x");
  json.number_or_null(std::nullopt).number_or_null(-1).end_array();
  CHECK(json.line() == "[null,\"x\",null,-1]\n");
}

TEST_CASE("json writer: a field or a flag is a member's name and value at once", "[format][unit]") {
  JsonWriter json;
  json.begin_object().field("topic", "t\x01").field("partitions", 3).flag("dry_run", true);
  json.field("low", std::int64_t{-1}).end_object();
  CHECK(json.line() == R"({"topic":"t\u0001","partitions":3,"dry_run":true,"low":-1})"
                       "\n");
}
