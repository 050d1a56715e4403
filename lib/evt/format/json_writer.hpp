// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace evt::format {

/// Writes one JSON text in order, placing the commas itself: the JSON views of `evt inspect`,
/// `evt topic` and `evt group`.
/// Strings are escaped as the record envelope escapes them (append_json_string), so every JSON
/// evt prints escapes alike. The caller nests correctly; nothing is checked.
class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();

  /// An object member's name; the next value is its value.
  JsonWriter& key(std::string_view name);

  JsonWriter& string(std::string_view text);
  JsonWriter& number(std::int64_t value);
  JsonWriter& boolean(bool value);
  JsonWriter& null();
  JsonWriter& string_or_null(const std::optional<std::string>& text);
  JsonWriter& number_or_null(const std::optional<std::int64_t>& value);

  /// An object member, its name and its value at once.
  JsonWriter& field(std::string_view name, std::string_view text) { return key(name).string(text); }
  JsonWriter& field(std::string_view name, std::int64_t value) { return key(name).number(value); }
  JsonWriter& flag(std::string_view name, bool value) { return key(name).boolean(value); }

  /// The text written so far, ended by a newline (one JSON document per line).
  std::string line() const { return m_out + "\n"; }

 private:
  void before_value();

  std::string m_out;
  std::vector<bool> m_has_values;  // per open object or array: whether a comma comes next
  bool m_after_key = false;
};

}  // namespace evt::format
