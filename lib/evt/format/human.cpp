// SPDX-License-Identifier: MIT
#include "evt/format/human.hpp"

#include <ctime>

#include <fmt/format.h>

#include "evt/format/json_text.hpp"
#include "evt/format/rapidjson.hpp"

namespace evt::format {

namespace {

constexpr std::string_view k_dim = "\x1b[2m";
constexpr std::string_view k_cyan = "\x1b[36m";
constexpr std::string_view k_yellow = "\x1b[33m";
constexpr std::string_view k_blue = "\x1b[34m";
constexpr std::string_view k_green = "\x1b[32m";
constexpr std::string_view k_reset = "\x1b[0m";
constexpr std::string_view k_magenta = "\x1b[35m";  // escapes: bytes that are not shown as is

// Length of the valid UTF-8 sequence at `p`, or 0.
std::size_t utf8_sequence(const unsigned char* p, const unsigned char* end) {
  const unsigned char c = p[0];
  std::size_t length = c < 0x80           ? 1
                       : (c >> 5) == 0x6  ? 2
                       : (c >> 4) == 0xE  ? 3
                       : (c >> 3) == 0x1E ? 4
                                          : 0;
  if (length == 0 || p + length > end) {
    return 0;
  }
  for (std::size_t i = 1; i < length; ++i) {
    if ((p[i] & 0xC0) != 0x80) {
      return 0;
    }
  }
  // Reject overlongs, surrogates and values past U+10FFFF by validating the sequence strictly.
  return is_valid_utf8(std::string_view(reinterpret_cast<const char*>(p), length)) ? length : 0;
}

void append_local_time(std::string& out, std::int64_t epoch_ms) {
  if (epoch_ms < 0) {
    out.append("-");
    return;
  }
  const std::time_t seconds = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm local{};
  localtime_r(&seconds, &local);
  out.append(fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:03}",
                         local.tm_year + 1900,
                         local.tm_mon + 1,
                         local.tm_mday,
                         local.tm_hour,
                         local.tm_min,
                         local.tm_sec,
                         epoch_ms % 1000));
}

// Unicode's bidirectional formatting controls (U+061C, U+200E-U+200F, U+202A-U+202E,
// U+2066-U+2069): shown raw they reorder the text around them on a terminal (Trojan Source).
bool is_bidi_control(const unsigned char* p, std::size_t length) {
  if (length == 2) {
    return p[0] == 0xD8 && p[1] == 0x9C;  // U+061C
  }
  if (length != 3 || p[0] != 0xE2) {
    return false;
  }
  const unsigned code = 0x2000u | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
  return (code >= 0x200E && code <= 0x200F) || (code >= 0x202A && code <= 0x202E) ||
         (code >= 0x2066 && code <= 0x2069);
}

unsigned code_point(const unsigned char* p, std::size_t length) {
  if (length == 2) {
    return ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
  }
  return ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
}

// How `bytes` must be shown: whether any byte needs an escape other than \n and \t (then the
// text is binary and shown on one line).
bool needs_escapes_beyond_lines(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const auto* end = p + bytes.size();
  while (p < end) {
    const unsigned char c = *p;
    if ((c >= 0x20 && c < 0x7f) || c == '\n' || c == '\t') {
      ++p;
      continue;
    }
    if (c >= 0x80) {
      const std::size_t length = utf8_sequence(p, end);
      const bool c1_control = length == 2 && c == 0xC2 && p[1] < 0xA0;
      if (length > 0 && !c1_control) {
        p += length;
        continue;
      }
    }
    return true;
  }
  return false;
}

// The terminal-safe text of `bytes`: printable UTF-8 as is; a backslash as \\, so that every
// other backslash starts an escape; \n and \t kept when `multiline`; a bidi control as \u{XXXX};
// any other byte (C0 and C1 controls, ESC, DEL, invalid UTF-8) as \xNN. `style` (an SGR code,
// or empty for none) marks the escapes, so that they stand out from text that looks the same.
void append_text(std::string& out,
                 std::string_view bytes,
                 bool multiline,
                 std::string_view style,
                 std::string_view resume) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const auto* end = p + bytes.size();
  auto escape = [&](const std::string& text) {
    out.append(style);
    out.append(text);
    if (!style.empty()) {
      out.append(k_reset);
      out.append(resume);
    }
  };
  while (p < end) {
    const unsigned char c = *p;
    if (c == '\\') {
      escape("\\\\");
      ++p;
      continue;
    }
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
      ++p;
      continue;
    }
    if (multiline && (c == '\n' || c == '\t')) {
      out.push_back(static_cast<char>(c));
      ++p;
      continue;
    }
    if (c >= 0x80) {
      const std::size_t length = utf8_sequence(p, end);
      // C1 control characters (U+0080..U+009F) are as dangerous as C0 ones on terminals.
      const bool c1_control = length == 2 && c == 0xC2 && p[1] < 0xA0;
      if (length > 0 && is_bidi_control(p, length)) {
        escape(fmt::format("\\u{{{:04x}}}", code_point(p, length)));
        p += length;
        continue;
      }
      if (length > 0 && !c1_control) {
        out.append(reinterpret_cast<const char*>(p), length);
        p += length;
        continue;
      }
    }
    escape(fmt::format("\\x{:02x}", c));
    ++p;
  }
}

// Display columns of `text` (one per code point), not counting SGR sequences.
std::size_t columns_of(std::string_view text) {
  std::size_t columns = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\x1b') {
      while (i < text.size() && text[i] != 'm') {
        ++i;
      }
      continue;
    }
    columns += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 ? 1 : 0;
  }
  return columns;
}

// Cuts each line of `body` longer than `width` columns, ending it with a marker that gives the
// value's full length; keeps whole code points and SGR sequences.
std::string truncate_lines(std::string_view body,
                           std::size_t width,
                           std::size_t full_length,
                           bool color) {
  const std::string marker = fmt::format("\u2026 ({} bytes)", full_length);
  const std::size_t marker_columns = columns_of(marker);
  std::string out;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find('\n', start);
    if (end == std::string_view::npos) {
      end = body.size();
    }
    const std::string_view line = body.substr(start, end - start);
    if (columns_of(line) <= width) {
      out.append(line);
    } else {
      const std::size_t keep = width > marker_columns ? width - marker_columns : 0;
      std::size_t columns = 0;
      std::size_t i = 0;
      while (i < line.size()) {
        if (line[i] == '\x1b') {  // an SGR sequence: copied whole, no width
          const std::size_t m = line.find('m', i);
          const std::size_t stop = m == std::string_view::npos ? line.size() : m + 1;
          out.append(line.substr(i, stop - i));
          i = stop;
          continue;
        }
        if (columns == keep) {
          break;
        }
        std::size_t length = 1;
        while (i + length < line.size() &&
               (static_cast<unsigned char>(line[i + length]) & 0xC0) == 0x80) {
          ++length;
        }
        out.append(line.substr(i, length));
        i += length;
        ++columns;
      }
      if (color) {
        out.append(k_reset);
        out.append(k_dim);
      }
      out.append(marker);
      if (color) {
        out.append(k_reset);
      }
    }
    if (end == body.size()) {
      break;
    }
    out.push_back('\n');
    start = end + 1;
  }
  return out;
}

class HumanFormatter final : public RecordFormatter {
 public:
  explicit HumanFormatter(HumanOptions options) : m_options(options) {}

  void append(std::string& out, const RecordView& record) override {
    paint(out, k_dim);
    append_local_time(out, record.timestamp);
    paint(out, k_reset);
    out.append("  ");
    paint(out, k_cyan);
    append_text(out, record.topic, false, escape_style(), m_options.color ? k_cyan : "");
    out.append(fmt::format("/{}@{}", record.partition, record.offset));
    paint(out, k_reset);
    out.append("  key=");
    if (record.key.is_null()) {
      marker(out, "(null)");  // the key "null" or "(null)" reads differently: see text()
    } else {
      paint(out, k_yellow);
      text(out, record.key.view(), false, m_options.color ? k_yellow : "");
      paint(out, k_reset);
    }
    if (record.header_count > 0) {
      out.append("  ");
      paint(out, k_dim);
      for (std::size_t i = 0; i < record.header_count; ++i) {
        out.append(i ? " " : "");
        append_text(out, record.headers[i].name, false, escape_style(), resume_dim());
        if (!record.headers[i].value.is_null()) {
          out.push_back('=');
          append_text(out, record.headers[i].value.view(), false, escape_style(), resume_dim());
        }
      }
      paint(out, k_reset);
    }
    out.push_back('\n');
    if (record.value.is_null()) {
      marker(out, "(null)");
    } else if (record.value.size == 0) {
      marker(out, "(empty)");
    } else {
      const std::size_t start = out.size();
      if (!append_pretty_json(out, record.value.view(), m_options.compact, m_options.color)) {
        // Text keeps its lines; binary (any byte that needs an escape) is one escaped line, so
        // its 0x0a bytes cannot pass for line breaks.
        const bool lines = !needs_escapes_beyond_lines(record.value.view());
        text(out, record.value.view(), lines, "");
      }
      if (m_options.max_width > 0) {
        const std::string body = out.substr(start);
        out.resize(start);
        out.append(truncate_lines(body, m_options.max_width, record.value.size, m_options.color));
      }
    }
    out.push_back('\n');
  }
  bool needs_headers() const override { return true; }

 private:
  void paint(std::string& out, std::string_view code) const {
    if (m_options.color) {
      out.append(code);
    }
  }
  std::string_view escape_style() const { return m_options.color ? k_magenta : ""; }
  std::string_view resume_dim() const { return m_options.color ? k_dim : ""; }

  // A marker for what is not text (null, empty): dim, in parentheses. Text that begins with
  // "(" is shown as "\(", so a marker and a text never look alike, with or without colors.
  void marker(std::string& out, std::string_view word) const {
    paint(out, k_dim);
    out.append(word);
    paint(out, k_reset);
  }
  void text(std::string& out,
            std::string_view bytes,
            bool multiline,
            std::string_view resume) const {
    if (!bytes.empty() && bytes.front() == '(') {
      out.append(escape_style());
      out.append("\\(");
      if (m_options.color) {
        out.append(k_reset);
        out.append(resume);
      }
      bytes.remove_prefix(1);
    }
    append_text(out, bytes, multiline, escape_style(), resume);
  }

  HumanOptions m_options;
};

}  // namespace

void append_safe_text(std::string& out, std::string_view bytes, bool multiline) {
  append_text(out, bytes, multiline, "", "");
}

bool append_pretty_json(std::string& out, std::string_view text, bool compact, bool color) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || (text[first] != '{' && text[first] != '[')) {
    return false;
  }
  // Validate first (strictly, UTF-8 included; a raw NUL would read as the end), then re-indent
  // the original tokens.
  if (text.find('\0') != std::string_view::npos || !is_valid_utf8(text)) {
    return false;
  }
  rapidjson::MemoryStream bytes(text.data(), text.size());
  rapidjson::BaseReaderHandler<> ignore;
  rapidjson::Reader reader;
  if (reader.Parse<k_strict_json>(bytes, ignore).IsError()) {
    return false;
  }
  int depth = 0;
  auto newline = [&] {
    if (!compact) {
      out.push_back('\n');
      out.append(static_cast<std::size_t>(depth) * 2, ' ');
    }
  };
  for (std::size_t i = first; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case ' ':
      case '\t':
      case '\r':
      case '\n':
        break;
      case '{':
      case '[': {
        out.push_back(c);
        const std::size_t next = text.find_first_not_of(" \t\r\n", i + 1);
        if (next != std::string_view::npos && (text[next] == '}' || text[next] == ']')) {
          out.push_back(text[next]);  // keep {} and [] on one line
          i = next;
          break;
        }
        ++depth;
        newline();
        break;
      }
      case '}':
      case ']':
        --depth;
        newline();
        out.push_back(c);
        break;
      case ',':
        out.push_back(',');
        if (compact) {
          out.push_back(' ');
        }
        newline();
        break;
      case ':':
        out.append(": ");
        break;
      case '"': {
        std::size_t end = i + 1;
        while (end < text.size() && text[end] != '"') {
          end += text[end] == '\\' ? 2 : 1;
        }
        const std::size_t after = text.find_first_not_of(" \t\r\n", end + 1);
        const bool is_key = after != std::string_view::npos && text[after] == ':';
        if (color) {
          out.append(is_key ? k_blue : k_green);
        }
        // JSON forbids raw C0 controls in strings, but DEL and C1 controls (U+0080..U+009F,
        // which some terminals obey) may appear raw: write those as the equivalent \u escape.
        for (std::size_t j = i; j <= end && j < text.size(); ++j) {
          const auto byte = static_cast<unsigned char>(text[j]);
          const auto rest = reinterpret_cast<const unsigned char*>(text.data()) + j;
          if (byte == 0x7F) {
            out.append("\\u007f");
          } else if (j + 3 <= end && is_bidi_control(rest, 3)) {
            out.append(fmt::format("\\u{:04x}", code_point(rest, 3)));
            j += 2;
          } else if (j + 2 <= end && is_bidi_control(rest, 2)) {
            out.append("\\u061c");
            ++j;
          } else if (byte == 0xC2 && j + 1 <= end &&
                     static_cast<unsigned char>(text[j + 1]) < 0xA0) {
            out.append(fmt::format("\\u{:04x}", static_cast<unsigned char>(text[j + 1])));
            ++j;
          } else {
            out.push_back(text[j]);
          }
        }
        if (color) {
          out.append(k_reset);
        }
        i = end;
        break;
      }
      default:
        out.push_back(c);
    }
  }
  return true;
}

std::unique_ptr<RecordFormatter> make_human_formatter(HumanOptions options) {
  return std::make_unique<HumanFormatter>(options);
}

}  // namespace evt::format
