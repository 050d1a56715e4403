// SPDX-License-Identifier: MIT
#include "evt/format/json_writer.hpp"

#include "evt/format/json_text.hpp"

namespace evt::format {

void JsonWriter::before_value() {
  if (m_after_key) {
    m_after_key = false;  // the key wrote the separator already
    return;
  }
  if (!m_has_values.empty()) {
    if (m_has_values.back()) {
      m_out.push_back(',');
    }
    m_has_values.back() = true;
  }
}

JsonWriter& JsonWriter::begin_object() {
  before_value();
  m_out.push_back('{');
  m_has_values.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  m_out.push_back('}');
  m_has_values.pop_back();
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  before_value();
  m_out.push_back('[');
  m_has_values.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  m_out.push_back(']');
  m_has_values.pop_back();
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  before_value();
  append_json_string(m_out, name);
  m_out.push_back(':');
  m_after_key = true;
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view text) {
  before_value();
  append_json_string(m_out, text);
  return *this;
}

JsonWriter& JsonWriter::number(std::int64_t value) {
  before_value();
  m_out += std::to_string(value);
  return *this;
}

JsonWriter& JsonWriter::boolean(bool value) {
  before_value();
  m_out += value ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  m_out += "null";
  return *this;
}

JsonWriter& JsonWriter::string_or_null(const std::optional<std::string>& text) {
  return text ? string(*text) : null();
}

JsonWriter& JsonWriter::number_or_null(const std::optional<std::int64_t>& value) {
  return value ? number(*value) : null();
}

}  // namespace evt::format
