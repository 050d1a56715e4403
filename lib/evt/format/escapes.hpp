// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

#include "evt/error.hpp"

namespace evt::format {

/// Expands the escapes users type for delimiters and layouts: \n \t \r \0 \\ \xNN (two hex
/// digits) and \e (ESC). Any other backslash sequence is a usage error naming it.
Result<std::string> unescape(std::string_view text);

/// The reverse, for messages: shows control and non-ASCII bytes as escapes.
std::string escape_for_display(std::string_view bytes);

}  // namespace evt::format
