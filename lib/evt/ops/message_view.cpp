// SPDX-License-Identifier: MIT
#include "evt/ops/message_view.hpp"

#include <fmt/format.h>

#include "evt/format/escapes.hpp"
#include "evt/format/human.hpp"
#include "evt/format/json_text.hpp"
#include "evt/time_spec.hpp"

namespace evt::ops {

namespace {

// Valid UTF-8 (checked before) without control characters other than \n and \t: C0, DEL and
// C1 (U+0080..U+009F, UTF-8 C2 80..C2 9F; terminals may obey U+009B as CSI).
bool printable(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto u = static_cast<unsigned char>(text[i]);
    if ((u < 0x20 && u != '\n' && u != '\t') || u == 0x7f ||
        (u == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xA0)) {
      return false;
    }
  }
  return true;
}

std::string hexdump(const std::string& bytes) {
  std::string out;
  for (std::size_t row = 0; row < bytes.size(); row += 16) {
    out += fmt::format("{:08x}  ", row);
    std::string ascii;
    for (std::size_t i = row; i < row + 16; ++i) {
      if (i < bytes.size()) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        out += fmt::format("{:02x} ", c);
        ascii.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '.');
      } else {
        out += "   ";
      }
      if (i == row + 7) {
        out += " ";
      }
    }
    out += " |" + ascii + "|\n";
  }
  return out;
}

// A key or header value and its line end: text in quotes, binary as a hexdump below (its
// lines prefixed by `indent`), as the value is shown.
std::string describe_bytes(const Bytes& bytes, const std::string& indent) {
  if (!bytes) {
    return "null\n";
  }
  if (bytes->empty()) {
    return "\"\" (empty)\n";
  }
  if (format::is_valid_utf8(*bytes) && printable(*bytes)) {  // \n and \t escaped
    return "\"" + format::escape_for_display(*bytes) + "\"\n";
  }
  std::string out = fmt::format("({} bytes, binary)\n", bytes->size());
  const std::string dump = hexdump(*bytes);
  for (std::size_t start = 0; start < dump.size();) {
    const std::size_t end = dump.find('\n', start) + 1;
    out += indent + dump.substr(start, end - start);
    start = end;
  }
  return out;
}

}  // namespace

std::string render_table(const MessageView& view, std::size_t /*width*/, bool color) {
  const Record& r = view.record;
  std::string out =
      fmt::format("topic      {}\npartition  {}\noffset     {}\n", r.topic, r.partition, r.offset);
  out += fmt::format("timestamp  {} ({}, {})\n",
                     r.timestamp,
                     format_iso_utc(r.timestamp),
                     to_string(r.timestamp_type));
  out += "key        " + describe_bytes(r.key, "");
  out += fmt::format("headers    {}\n", r.headers.size());
  for (const auto& h : r.headers) {
    out += "  " + format::escape_for_display(h.name) + " = " + describe_bytes(h.value, "  ");
  }
  out += "value      ";
  if (!r.value) {
    out += "null\n";
  } else if (format::is_valid_utf8(*r.value) && printable(*r.value)) {
    out += fmt::format("({} bytes)\n{}\n", r.value->size(), *r.value);
  } else {
    out += fmt::format("({} bytes, binary)\n{}", r.value->size(), hexdump(*r.value));
  }
  for (const MessageView::Decoded& field : view.decoded) {
    out += fmt::format(
        "{}    schema id {}\n", field.key ? "key decoded  " : "value decoded", field.schema_id);
    if (!format::append_pretty_json(out, field.json, false, color)) {
      out += field.json;
    }
    out += "\n";
  }
  return out;
}

}  // namespace evt::ops
