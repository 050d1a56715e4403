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

class HumanFormatter final : public RecordFormatter {
 public:
  explicit HumanFormatter(HumanOptions options) : m_options(options) {}

  void append(std::string& out, const RecordView& record) override {
    paint(out, k_dim);
    append_local_time(out, record.timestamp);
    paint(out, k_reset);
    out.append("  ");
    paint(out, k_cyan);
    out.append(fmt::format("{}/{}@{}", record.topic, record.partition, record.offset));
    paint(out, k_reset);
    out.append("  key=");
    paint(out, k_yellow);
    if (record.key.is_null()) {
      out.append("null");
    } else {
      append_safe_text(out, record.key.view(), false);
    }
    paint(out, k_reset);
    if (record.header_count > 0) {
      out.append("  ");
      paint(out, k_dim);
      for (std::size_t i = 0; i < record.header_count; ++i) {
        out.append(i ? " " : "");
        append_safe_text(out, record.headers[i].name, false);
        if (!record.headers[i].value.is_null()) {
          out.push_back('=');
          append_safe_text(out, record.headers[i].value.view(), false);
        }
      }
      paint(out, k_reset);
    }
    out.push_back('\n');
    if (record.value.is_null()) {
      paint(out, k_dim);
      out.append("(null)");
      paint(out, k_reset);
    } else if (record.value.size == 0) {
      paint(out, k_dim);
      out.append("(empty)");
      paint(out, k_reset);
    } else if (!append_pretty_json(out, record.value.view(), m_options.compact, m_options.color)) {
      append_safe_text(out, record.value.view(), true);
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

  HumanOptions m_options;
};

}  // namespace

void append_safe_text(std::string& out, std::string_view bytes, bool multiline) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const auto* end = p + bytes.size();
  while (p < end) {
    const unsigned char c = *p;
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
      if (length > 0 && !c1_control) {
        out.append(reinterpret_cast<const char*>(p), length);
        p += length;
        continue;
      }
    }
    out.append(fmt::format("\\x{:02x}", c));
    ++p;
  }
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
          if (byte == 0x7F) {
            out.append("\\u007f");
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
