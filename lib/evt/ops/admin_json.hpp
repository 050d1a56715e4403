// SPDX-License-Identifier: MIT
// Internal to lib/evt/ops: RapidJSON's Writer for the JSON views of `evt topic` and `evt group`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "evt/format/rapidjson.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace evt::ops {

/// One JSON document, written in order; text() ends it with a newline.
class JsonOut {
 public:
  JsonOut() : m_writer(m_buffer) {}
  rapidjson::Writer<rapidjson::StringBuffer>& w() { return m_writer; }
  void key(std::string_view name) {
    m_writer.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
  }
  void string(std::string_view text) {
    m_writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  }
  void optional_string(const std::optional<std::string>& text) {
    if (text) {
      string(*text);
    } else {
      m_writer.Null();
    }
  }
  void optional_int(const std::optional<std::int64_t>& value) {
    if (value) {
      m_writer.Int64(*value);
    } else {
      m_writer.Null();
    }
  }
  void field(std::string_view name, std::string_view text) {
    key(name);
    string(text);
  }
  void field(std::string_view name, std::int64_t value) {
    key(name);
    m_writer.Int64(value);
  }
  void flag(std::string_view name, bool value) {
    key(name);
    m_writer.Bool(value);
  }
  std::string text() const { return std::string(m_buffer.GetString(), m_buffer.GetSize()) + "\n"; }

 private:
  rapidjson::StringBuffer m_buffer;
  rapidjson::Writer<rapidjson::StringBuffer> m_writer;
};

}  // namespace evt::ops
