// SPDX-License-Identifier: MIT
#include "evt/format/compact_json.hpp"

#include <charconv>
#include <cstring>

#include "evt/format/json_text.hpp"

namespace evt::format {

namespace {

// A RapidJSON handler that prints what it is given in the compact form; parsing bytes through
// it (SAX) and walking a document with it (Accept) print the same text for the same JSON.
class CompactWriter : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, CompactWriter> {
 public:
  explicit CompactWriter(std::string& out) : m_out(out) {}

  bool Null() { return scalar("null"); }
  bool Bool(bool value) { return scalar(value ? "true" : "false"); }
  bool Int(int value) { return integer(value); }
  bool Uint(unsigned value) { return integer(value); }
  bool Int64(std::int64_t value) { return integer(value); }
  bool Uint64(std::uint64_t value) { return integer(value); }
  bool Double(double value) {
    char digits[32];
    const auto result = std::to_chars(digits, digits + sizeof digits, value);
    return scalar(std::string_view(digits, static_cast<std::size_t>(result.ptr - digits)));
  }
  bool String(const char* text, rapidjson::SizeType length, bool) {
    separate();
    return string(std::string_view(text, length));
  }
  bool StartObject() { return open('{'); }
  bool Key(const char* text, rapidjson::SizeType length, bool) {
    separate();
    if (!string(std::string_view(text, length))) {
      return false;
    }
    m_out.push_back(':');
    m_comma = false;  // the member's value follows its colon
    return true;
  }
  bool EndObject(rapidjson::SizeType) { return close('}'); }
  bool StartArray() { return open('['); }
  bool EndArray(rapidjson::SizeType) { return close(']'); }

 private:
  void separate() {
    if (m_comma) {
      m_out.push_back(',');
    }
  }
  bool scalar(std::string_view text) {
    separate();
    m_out.append(text);
    m_comma = true;
    return true;
  }
  template <typename Integer>
  bool integer(Integer value) {
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof digits, value);
    return scalar(std::string_view(digits, static_cast<std::size_t>(result.ptr - digits)));
  }
  bool string(std::string_view text) {
    // RapidJSON 1.1.0 decodes a lone surrogate escape (\udc00) into bytes that are not UTF-8.
    if (!is_valid_utf8(text)) {
      return false;
    }
    append_json_string(m_out, text);
    m_comma = true;
    return true;
  }
  bool open(char bracket) {
    separate();
    if (++m_depth > k_max_json_depth) {
      return false;
    }
    m_out.push_back(bracket);
    m_comma = false;
    return true;
  }
  bool close(char bracket) {
    --m_depth;
    m_out.push_back(bracket);
    m_comma = true;
    return true;
  }

  std::string& m_out;
  int m_depth = 0;
  bool m_comma = false;  // a value was written at this level: the next one needs a comma
};

}  // namespace

bool append_compact_json(std::string& out, const rapidjson::Value& value) {
  CompactWriter writer(out);
  // Accept recurses once per level, but the writer refuses to go deeper than
  // k_max_json_depth, which ends the walk there.
  return value.Accept(writer);
}

struct CompactJsonCheck::Impl {
  rapidjson::Reader reader;  // keeps its stack between calls
  std::string text;          // the bytes, NUL-terminated and padded for SSE2 scanning
  std::string compact;
};

CompactJsonCheck::CompactJsonCheck() : m_impl(std::make_unique<Impl>()) {}
CompactJsonCheck::~CompactJsonCheck() = default;

bool CompactJsonCheck::is_compact(std::string_view bytes) {
  // A NUL byte would end RapidJSON's input early; raw NULs are never JSON anyway.
  if (!may_start_json(bytes) || std::memchr(bytes.data(), '\0', bytes.size()) != nullptr) {
    return false;
  }
  Impl& impl = *m_impl;
  impl.text.assign(bytes);
  impl.text.append(16, '\0');
  impl.compact.clear();
  CompactWriter writer(impl.compact);
  rapidjson::StringStream stream(impl.text.data());
  const bool parsed = !impl.reader.Parse<k_embedded_json>(stream, writer).IsError();
  if (!parsed) {
    return false;
  }
  return impl.compact == bytes;
}

}  // namespace evt::format
