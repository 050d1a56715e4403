// SPDX-License-Identifier: MIT
#include "evt/format/layout.hpp"

#include <cctype>
#include <optional>

#include <fmt/format.h>

#include "evt/format/escapes.hpp"
#include "evt/spellcheck.hpp"

namespace evt::format {

namespace {

// The field a verb stands for in `use`; nullopt when `use` has no such field.
std::optional<LayoutField> field_of(char verb, LayoutUse use) {
  const bool output = use == LayoutUse::output;
  switch (verb) {
    case 't':
      return LayoutField::topic;
    case 'p':
      return LayoutField::partition;
    case 'k':
      return LayoutField::key;
    case 'v':
    case 's':
      return LayoutField::value;
    case 'T':
      return LayoutField::timestamp;
    case 'h':
      return LayoutField::headers;
    case 'o':
      return output ? std::optional(LayoutField::offset) : std::nullopt;
    case 'K':
      return output ? std::optional(LayoutField::key_length) : std::nullopt;
    case 'S':
      return output ? std::optional(LayoutField::value_length) : std::nullopt;
    case 'd':
      return output ? std::optional(LayoutField::iso_time) : std::nullopt;
    default:
      return std::nullopt;
  }
}

// A field `use` does not have: `given` as written (%x, or %K{hex} with its argument).
Unexpected unknown_field(std::string_view layout, LayoutUse use, const std::string& given) {
  const bool output = use == LayoutUse::output;
  std::string hint = output ? "output fields: %t %p %o %k %v %K %S %T %d %h %h{NAME} "
                              "%k{base64|hex|decoded} %v{base64|hex|decoded} %%"
                            : "input fields: %k key, %v value, %t topic, %p partition, "
                              "%T timestamp, %h headers, %% percent";
  const auto byte = static_cast<unsigned char>(given[1]);
  std::optional<std::string> suggestion;
  if (given.size() > 2) {
    // %K{hex}: a field that takes no encoding; %k{hex} is the likely meaning.
    const char lower = static_cast<char>(std::tolower(byte));
    if (lower == 'k' || lower == 'v') {
      suggestion = std::string("%") + lower + given.substr(2);
    }
  } else {
    // Every verb is one edit from every other, so edit distance cannot tell them apart; only a
    // slip of case ("%O") is worth a suggestion.
    const char other_case =
        static_cast<char>(std::isupper(byte) ? std::tolower(byte) : std::toupper(byte));
    if (field_of(other_case, use)) {
      suggestion = std::string("%") + other_case;
    }
  }
  if (suggestion) {
    hint = fmt::format("did you mean {}? ", *suggestion) + hint;
  }
  return fail(
      ErrorKind::usage,
      fmt::format(
          "unknown field {} in {} \"{}\"", given, output ? "layout" : "input layout", layout),
      std::move(hint));
}

// An output field's {ARGUMENT} into `piece`: an encoding of %k and %v, the header name of %h.
Result<void> apply_argument(std::string_view layout,
                            const std::string& argument,
                            LayoutPiece& piece) {
  if (piece.field == LayoutField::headers) {
    piece.field = LayoutField::header_named;
    piece.text = argument;
    return {};
  }
  if (piece.field != LayoutField::key && piece.field != LayoutField::value) {
    return unknown_field(layout, LayoutUse::output, fmt::format("%{}{{{}}}", piece.verb, argument));
  }
  if (argument == "base64") {
    piece.encoding = LayoutEncoding::base64;
  } else if (argument == "hex") {
    piece.encoding = LayoutEncoding::hex;
  } else if (argument == "decoded") {
    piece.encoding = LayoutEncoding::decoded;
  } else {
    const std::vector<std::string> encodings = {"base64", "hex", "decoded"};
    const auto close = closest_match(argument, encodings);
    return fail(ErrorKind::usage,
                fmt::format("layout \"{}\": unknown encoding {{{}}} (known: base64, hex, decoded)",
                            layout,
                            argument),
                close ? fmt::format("did you mean {{{}}}?", *close) : std::string());
  }
  return {};
}

}  // namespace

Result<std::vector<LayoutPiece>> parse_layout(std::string_view layout, LayoutUse use) {
  auto expanded = unescape(layout);
  if (!expanded) {
    return std::move(expanded).take_error();
  }
  const std::string& text = *expanded;
  std::vector<LayoutPiece> pieces;
  auto literal = [&](char c) {
    if (pieces.empty() || pieces.back().field != LayoutField::literal) {
      pieces.emplace_back();
    }
    pieces.back().text.push_back(c);
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      literal(text[i]);
      continue;
    }
    if (i + 1 == text.size()) {
      return fail(ErrorKind::usage,
                  fmt::format("layout \"{}\" ends with a lone %", layout),
                  "write %% for a percent sign");
    }
    const char verb = text[++i];
    if (verb == '%') {
      literal('%');
      continue;
    }
    // An output field's optional {ARGUMENT}, right after the verb.
    std::optional<std::string> argument;
    if (use == LayoutUse::output && i + 1 < text.size() && text[i + 1] == '{') {
      const std::size_t close = text.find('}', i + 2);
      if (close == std::string::npos) {
        return fail(ErrorKind::usage, fmt::format("layout \"{}\": unclosed {{", layout));
      }
      argument = text.substr(i + 2, close - i - 2);
      i = close;
    }
    const std::optional<LayoutField> field = field_of(verb, use);
    if (!field) {
      return unknown_field(layout, use, std::string("%") + verb);
    }
    LayoutPiece piece;
    piece.field = *field;
    piece.verb = verb;
    if (argument) {
      EVT_TRY(apply_argument(layout, *argument, piece));
    }
    pieces.push_back(std::move(piece));
  }
  return pieces;
}

}  // namespace evt::format
