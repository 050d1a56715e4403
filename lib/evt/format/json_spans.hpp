// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace evt::format {

/// The text of each member's value in the JSON object `text`, exactly as written (no
/// surrounding whitespace), in document order: the i-th span is the value of the i-th member,
/// duplicates included, as RapidJSON lists them. For keeping a JSON "value" byte for byte.
/// `text` must be one JSON object that a strict parser has accepted: it is scanned, not
/// checked (a malformed text gives short or missing spans, never a read past its end).
/// Iterative: nesting depth costs no stack.
std::vector<std::string_view> member_value_spans(std::string_view text);

/// How deeply arrays and objects nest in the JSON text `text` (0 for a string, number or literal),
/// under the same assumption: valid JSON, scanned without recursion.
std::size_t nesting_depth(std::string_view text);

}  // namespace evt::format
