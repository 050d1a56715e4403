// SPDX-License-Identifier: MIT
// Unit tests of the escapes users type for delimiters and layouts, and their display form.
#include "evt/format/escapes.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "evt/error.hpp"

using namespace std::string_literals;

TEST_CASE("escapes: unescape expands the known escapes", "[format]") {
  struct Case {
    std::string text;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"", ""},
      {"plain", "plain"},
      {R"(\n)", "\n"},
      {R"(\t)", "\t"},
      {R"(\r)", "\r"},
      {R"(\r\n)", "\r\n"},
      {R"(\0)", "\0"s},
      {R"(a\0b)", "a\0b"s},
      {R"(\e)", "\x1b"},
      {R"(\\)", "\\"},
      {R"(\\n)", "\\n"},  // an escaped backslash followed by n, not a newline
      {R"(\\\n)", "\\\n"},
      {R"(\x41)", "A"},
      {R"(\x00)", "\0"s},
      {R"(\xff)", "\xff"},
      {R"(\xFF)", "\xff"},
      {R"(\xaB)", "\xab"},
      {R"(\x1f\x7F)", "\x1f\x7f"},
      {R"(\x411)", "A1"},  // exactly two hex digits
      {R"(key\tvalue\n)", "key\tvalue\n"},
      {"%k=%v", "%k=%v"},
      {"\xc3\xa9", "\xc3\xa9"},  // non-ASCII bytes pass through
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto result = evt::format::unescape(c.text);
    REQUIRE(result.ok());
    CHECK(*result == c.expected);
  }
}

TEST_CASE("escapes: unescape rejects unknown and incomplete escapes", "[format]") {
  struct Case {
    std::string text;
    std::string message_part;
  };
  const std::vector<Case> cases = {
      {R"(\)", "lone backslash"},
      {R"(abc\)", "lone backslash"},
      {R"(\\\)", "lone backslash"},
      {R"(\q)", "unknown escape \\q"},
      {R"(\N)", "unknown escape \\N"},
      {R"(\a)", "unknown escape \\a"},
      {R"(\u0041)", "unknown escape \\u"},
      {R"(\")", "unknown escape \\\""},
      {R"(\x)", "\\x needs two hex digits"},
      {R"(\x4)", "\\x needs two hex digits"},
      {R"(\x4g)", "\\x needs two hex digits"},
      {R"(\xg4)", "\\x needs two hex digits"},
      {R"(ab\x)", "\\x needs two hex digits"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto result = evt::format::unescape(c.text);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().kind == evt::ErrorKind::usage);
    CHECK_THAT(result.error().message, Catch::Matchers::Contains(c.message_part));
    // The message quotes the text as given.
    CHECK_THAT(result.error().message, Catch::Matchers::Contains("\"" + c.text + "\""));
  }
  SECTION("the unknown-escape message lists the known ones") {
    auto result = evt::format::unescape(R"(\q)");
    REQUIRE_FALSE(result.ok());
    CHECK_THAT(result.error().message, Catch::Matchers::Contains(R"(\n \t \r \0 \\ \xNN \e)"));
  }
}

TEST_CASE("escapes: escape_for_display shows control and non-ASCII bytes", "[format]") {
  struct Case {
    std::string bytes;
    std::string shown;
  };
  const std::vector<Case> cases = {
      {"", ""},
      {"plain text", "plain text"},
      {"\n", R"(\n)"},
      {"\t", R"(\t)"},
      {"\r\n", R"(\r\n)"},
      {"\\", R"(\\)"},
      {"\0"s, R"(\x00)"},
      {"\x1b", R"(\x1b)"},
      {"\x1f", R"(\x1f)"},
      {" ~", " ~"},
      {"\x7f", R"(\x7f)"},
      {"\x80", R"(\x80)"},
      {"\xff", R"(\xff)"},
      {"\xc3\xa9", R"(\xc3\xa9)"},
      {"\"%'", "\"%'"},
  };
  for (const Case& c : cases) {
    INFO(c.shown);
    CHECK(evt::format::escape_for_display(c.bytes) == c.shown);
  }
}

TEST_CASE("escapes: unescape inverts escape_for_display for every byte", "[format]") {
  std::string all;
  for (int b = 0; b < 256; ++b) {
    all.push_back(static_cast<char>(b));
  }
  const std::string shown = evt::format::escape_for_display(all);
  for (char c : shown) {
    const auto byte = static_cast<unsigned char>(c);
    CHECK((byte >= 0x20 && byte < 0x7f));  // printable ASCII only
  }
  auto back = evt::format::unescape(shown);
  REQUIRE(back.ok());
  CHECK(*back == all);
}
