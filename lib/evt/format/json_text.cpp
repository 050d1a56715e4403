// SPDX-License-Identifier: MIT
#include "evt/format/json_text.hpp"

#include <cstdint>
#include <cstring>

#include <sodium.h>

namespace evt::format {

bool is_valid_utf8(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const auto* const end = p + bytes.size();
  while (p != end) {
    // Most keys and values are ASCII: skip it eight bytes at a time.
    while (end - p >= 8) {
      std::uint64_t chunk = 0;
      std::memcpy(&chunk, p, sizeof chunk);
      if ((chunk & 0x8080808080808080ULL) != 0) {
        break;
      }
      p += 8;
    }
    if (p == end) {
      break;
    }
    if (*p < 0x80) {
      ++p;
      continue;
    }
    // The well-formed sequences of Unicode's table 3-7: the second byte's range depends on the
    // first (no overlongs, no surrogates, nothing above U+10FFFF).
    const unsigned char lead = *p;
    std::ptrdiff_t length = 0;
    unsigned char second_min = 0x80;
    unsigned char second_max = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      second_min = lead == 0xE0 ? 0xA0 : 0x80;
      second_max = lead == 0xED ? 0x9F : 0xBF;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      second_min = lead == 0xF0 ? 0x90 : 0x80;
      second_max = lead == 0xF4 ? 0x8F : 0xBF;
    } else {
      return false;
    }
    if (end - p < length || p[1] < second_min || p[1] > second_max) {
      return false;
    }
    for (std::ptrdiff_t i = 2; i < length; ++i) {
      if (p[i] < 0x80 || p[i] > 0xBF) {
        return false;
      }
    }
    p += length;
  }
  return true;
}

namespace {

constexpr char k_hex_digits[] = "0123456789abcdef";

// Bytes that cannot appear raw inside a JSON string.
constexpr bool needs_escape(unsigned char c) {
  return c < 0x20 || c == '"' || c == '\\';
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out.push_back('"');
  const char* run_start = text.data();
  const char* end = text.data() + text.size();
  for (const char* p = run_start; p != end; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (!needs_escape(c)) {
      continue;
    }
    out.append(run_start, p);
    run_start = p + 1;
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      default: {
        const char escaped[6] = {'\\', 'u', '0', '0', k_hex_digits[c >> 4], k_hex_digits[c & 0xF]};
        out.append(escaped, sizeof escaped);
      }
    }
  }
  out.append(run_start, end);
  out.push_back('"');
}

void append_base64(std::string& out, std::string_view bytes) {
  const std::size_t encoded_size =
      sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  const std::size_t start = out.size();
  out.resize(start + encoded_size);
  sodium_bin2base64(out.data() + start,
                    encoded_size,
                    reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // drop the terminating NUL libsodium writes
}

Result<std::string> decode_base64(std::string_view text) {
  std::string decoded(text.size() / 4 * 3 + 3, '\0');
  std::size_t decoded_size = 0;
  const char* parsed_end = nullptr;
  const int rc = sodium_base642bin(reinterpret_cast<unsigned char*>(decoded.data()),
                                   decoded.size(),
                                   text.data(),
                                   text.size(),
                                   nullptr,
                                   &decoded_size,
                                   &parsed_end,
                                   sodium_base64_VARIANT_ORIGINAL);
  if (rc != 0 || parsed_end != text.data() + text.size()) {
    return fail(ErrorKind::usage, "invalid base64");
  }
  decoded.resize(decoded_size);
  return decoded;
}

void append_bytes_field(std::string& out, BytesView bytes) {
  if (bytes.is_null()) {
    out.append("null");
    return;
  }
  const std::string_view view = bytes.view();
  if (is_valid_utf8(view)) {
    append_json_string(out, view);
    return;
  }
  out.append("{\"base64\":\"");
  append_base64(out, view);
  out.append("\"}");
}

}  // namespace evt::format
