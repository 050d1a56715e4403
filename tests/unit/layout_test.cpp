// SPDX-License-Identifier: MIT
// Unit tests of the %-layout grammar shared by output layouts (consume -f) and input layouts
// (produce -f).
#include "evt/format/layout.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "evt/error.hpp"
#include "evt/format/record_formatter.hpp"

namespace Catch {
template <>
struct StringMaker<evt::format::LayoutPiece> {
  static std::string convert(const evt::format::LayoutPiece& piece) {
    return piece.field == evt::format::LayoutField::literal
               ? "text \"" + piece.text + "\""
               : "%" + std::string(1, piece.verb) + " (field " +
                     std::to_string(static_cast<int>(piece.field)) + ", encoding " +
                     std::to_string(static_cast<int>(piece.encoding)) + ", \"" + piece.text + "\")";
  }
};
}  // namespace Catch

namespace {

using evt::format::LayoutEncoding;
using evt::format::LayoutField;
using evt::format::LayoutPiece;
using evt::format::LayoutUse;
using evt::format::parse_layout;

LayoutPiece text(std::string literal) {
  return LayoutPiece{LayoutField::literal, std::move(literal), LayoutEncoding::raw, 0};
}

LayoutPiece field(LayoutField f, char verb, LayoutEncoding encoding = LayoutEncoding::raw) {
  return LayoutPiece{f, {}, encoding, verb};
}

std::vector<LayoutPiece> pieces_of(const char* layout, LayoutUse use) {
  auto pieces = parse_layout(layout, use);
  INFO(layout << ": " << (pieces ? "" : pieces.error().message));
  REQUIRE(pieces.ok());
  return *pieces;
}

}  // namespace

TEST_CASE("layout: every output field, text between them joined, escapes expanded", "[format]") {
  CHECK(pieces_of("%t %p %o %k %s\\n", LayoutUse::output) ==
        std::vector<LayoutPiece>{field(LayoutField::topic, 't'),
                                 text(" "),
                                 field(LayoutField::partition, 'p'),
                                 text(" "),
                                 field(LayoutField::offset, 'o'),
                                 text(" "),
                                 field(LayoutField::key, 'k'),
                                 text(" "),
                                 field(LayoutField::value, 's'),
                                 text("\n")});
  CHECK(pieces_of("%K%S%T%d%h%v", LayoutUse::output) ==
        std::vector<LayoutPiece>{field(LayoutField::key_length, 'K'),
                                 field(LayoutField::value_length, 'S'),
                                 field(LayoutField::timestamp, 'T'),
                                 field(LayoutField::iso_time, 'd'),
                                 field(LayoutField::headers, 'h'),
                                 field(LayoutField::value, 'v')});
  // %% is a percent sign, part of the text around it; it takes no {argument}.
  CHECK(pieces_of("100%% \\x41%v\\t%%{x}", LayoutUse::output) ==
        std::vector<LayoutPiece>{text("100% A"), field(LayoutField::value, 'v'), text("\t%{x}")});
  CHECK(pieces_of("", LayoutUse::output).empty());
}

TEST_CASE("layout: output fields take {ARGUMENT}: encodings and header names", "[format]") {
  LayoutPiece header = field(LayoutField::header_named, 'h');
  header.text = "trace-id";
  LayoutPiece empty_name = field(LayoutField::header_named, 'h');
  CHECK(pieces_of("%k{base64}|%v{hex}|%s{decoded}|%k{decoded}|%h{trace-id}|%h{}",
                  LayoutUse::output) ==
        std::vector<LayoutPiece>{field(LayoutField::key, 'k', LayoutEncoding::base64),
                                 text("|"),
                                 field(LayoutField::value, 'v', LayoutEncoding::hex),
                                 text("|"),
                                 field(LayoutField::value, 's', LayoutEncoding::decoded),
                                 text("|"),
                                 field(LayoutField::key, 'k', LayoutEncoding::decoded),
                                 text("|"),
                                 header,
                                 text("|"),
                                 empty_name});
  // In an input layout, { after a field is text.
  CHECK(pieces_of("%k{%v}", LayoutUse::input) ==
        std::vector<LayoutPiece>{
            field(LayoutField::key, 'k'), text("{"), field(LayoutField::value, 'v'), text("}")});
}

TEST_CASE("layout: input layouts have only the fields a record is made of", "[format]") {
  CHECK(pieces_of("%t|%p|%T|%h|%k=%v\\n", LayoutUse::input) ==
        std::vector<LayoutPiece>{field(LayoutField::topic, 't'),
                                 text("|"),
                                 field(LayoutField::partition, 'p'),
                                 text("|"),
                                 field(LayoutField::timestamp, 'T'),
                                 text("|"),
                                 field(LayoutField::headers, 'h'),
                                 text("|"),
                                 field(LayoutField::key, 'k'),
                                 text("="),
                                 field(LayoutField::value, 'v'),
                                 text("\n")});
}

TEST_CASE("layout: errors name the layout, with the fields of its use and a did-you-mean",
          "[format]") {
  struct Case {
    const char* layout;
    LayoutUse use;
    std::string message;
    std::string hint;
  };
  const std::string output_fields =
      "output fields: %t %p %o %k %v %K %S %T %d %h %h{NAME} %k{base64|hex|decoded} "
      "%v{base64|hex|decoded} %%";
  const std::string input_fields =
      "input fields: %k key, %v value, %t topic, %p partition, %T timestamp, %h headers, "
      "%% percent";
  const std::vector<Case> cases = {
      {"%x", LayoutUse::output, "unknown field %x in layout \"%x\"", output_fields},
      {"%O",
       LayoutUse::output,
       "unknown field %O in layout \"%O\"",
       "did you mean %o? " + output_fields},
      {"%D{hex}",
       LayoutUse::output,
       "unknown field %D in layout \"%D{hex}\"",
       "did you mean %d? " + output_fields},
      {"%K{hex}",
       LayoutUse::output,
       "unknown field %K{hex} in layout \"%K{hex}\"",
       "did you mean %k{hex}? " + output_fields},
      {"%t{hex}", LayoutUse::output, "unknown field %t{hex} in layout \"%t{hex}\"", output_fields},
      {"%v{hx}",
       LayoutUse::output,
       "layout \"%v{hx}\": unknown encoding {hx} (known: base64, hex, decoded)",
       "did you mean {hex}?"},
      {"%v{", LayoutUse::output, "layout \"%v{\": unclosed {", ""},
      {"%v%",
       LayoutUse::output,
       "layout \"%v%\" ends with a lone %",
       "write %% for a percent sign"},
      {"%v%", LayoutUse::input, "layout \"%v%\" ends with a lone %", "write %% for a percent sign"},
      {"%x=%v", LayoutUse::input, "unknown field %x in input layout \"%x=%v\"", input_fields},
      // Output fields an input layout does not have, with the case slip they may be.
      {"%o=%v", LayoutUse::input, "unknown field %o in input layout \"%o=%v\"", input_fields},
      {"%K=%v",
       LayoutUse::input,
       "unknown field %K in input layout \"%K=%v\"",
       "did you mean %k? " + input_fields},
      {"%d=%v", LayoutUse::input, "unknown field %d in input layout \"%d=%v\"", input_fields},
      {"%v\\q",
       LayoutUse::output,
       "unknown escape \\q in \"%v\\q\" (known: \\n \\t \\r \\0 \\\\ \\xNN \\e)",
       ""},
  };
  for (const Case& c : cases) {
    INFO(c.layout);
    auto pieces = parse_layout(c.layout, c.use);
    REQUIRE_FALSE(pieces.ok());
    CHECK(pieces.error().kind == evt::ErrorKind::usage);
    CHECK(pieces.error().message == c.message);
    if (!c.hint.empty()) {
      CHECK(pieces.error().hint == c.hint);
    }
  }
}

TEST_CASE("layout: a layout wants decoding only for a field it decodes", "[format]") {
  CHECK(evt::format::layout_wants_decoding("%k{decoded} %v\\n"));
  CHECK(evt::format::layout_wants_decoding("%s{decoded}"));
  CHECK_FALSE(evt::format::layout_wants_decoding("%v{hex}"));
  CHECK_FALSE(evt::format::layout_wants_decoding("json"));
  CHECK_FALSE(evt::format::layout_wants_decoding("%%v{decoded}"));  // a percent sign, then text
}
