// SPDX-License-Identifier: MIT
#include "cmd/output_format.hpp"

#include <fmt/format.h>

#include "evt/format/escapes.hpp"
#include "evt/spellcheck.hpp"

namespace evt::cmd {

void add_json_values_option(CLI::App* sub, bool& json_values) {
  sub->add_flag("--json-values",
                json_values,
                "With -f json: keys and values that are compact JSON are written as JSON "
                "(key_json, value_json), not as strings; produce -f json reads them back byte "
                "for byte");
}

Result<std::unique_ptr<format::RecordFormatter>> make_output_formatter(
    const std::string& format,
    const std::string& delimiter,
    const std::optional<std::string>& key_delimiter,
    bool json_values,
    const format::DecodeOptions& decode) {
  const bool decoding = decode.decoder && (decode.key || decode.value);
  if (json_values && format != "json") {
    return fail(ErrorKind::usage,
                "--json-values applies to -f json only",
                "add -f json, or drop --json-values");
  }
  if (format == "value") {
    auto unescaped = format::unescape(delimiter);
    if (!unescaped) {
      return fail(ErrorKind::usage, "--delim: " + unescaped.error().message);
    }
    std::optional<std::string> key_separator;
    if (key_delimiter) {
      auto key_unescaped = format::unescape(*key_delimiter);
      if (!key_unescaped) {
        return fail(ErrorKind::usage, "--key-delim: " + key_unescaped.error().message);
      }
      key_separator = std::move(*key_unescaped);
    }
    auto formatter = format::make_value_formatter(std::move(*unescaped), std::move(key_separator));
    if (decoding) {
      return format::make_substituting_formatter(std::move(formatter), decode);
    }
    return formatter;
  }
  if (key_delimiter) {
    return fail(ErrorKind::usage,
                "--key-delim applies to -f value only",
                "with a layout, write the key into it: -f '%k:%v\\n'");
  }
  if (format == "json") {
    if (decoding) {
      return format::make_decoding_envelope_formatter(decode, json_values);
    }
    return format::make_envelope_formatter(json_values);
  }
  if (format.find('%') != std::string::npos) {
    return format::make_layout_formatter(format, decode);
  }
  static constexpr std::string_view k_formats[] = {"value", "json"};
  std::string hint =
      "formats: value, json, or a layout with %t %p %o %k %v %T %d %h (evt help "
      "formats)";
  if (auto suggestion = closest_match(format, k_formats)) {
    hint = fmt::format("did you mean \"{}\"? ", *suggestion) + hint;
  }
  return fail(ErrorKind::usage,
              fmt::format("--format: unknown output format \"{}\"", format),
              std::move(hint));
}

}  // namespace evt::cmd
