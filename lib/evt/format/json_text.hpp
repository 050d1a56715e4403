// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

#include "evt/error.hpp"
#include "evt/record.hpp"

namespace evt::format {

/// True when `bytes` is valid UTF-8 (overlongs, surrogates and values above U+10FFFF rejected).
bool is_valid_utf8(std::string_view bytes);

/// Appends `text` (valid UTF-8) as a JSON string literal, quotes included.
void append_json_string(std::string& out, std::string_view text);

/// Appends a bytes field of the record envelope: a JSON string when the bytes are valid UTF-8,
/// {"base64":"..."} when they are not, null when absent.
void append_bytes_field(std::string& out, BytesView bytes);

/// Appends standard base64 (with padding).
void append_base64(std::string& out, std::string_view bytes);

/// Decodes standard base64 with padding; whitespace is not allowed.
Result<std::string> decode_base64(std::string_view text);

}  // namespace evt::format
