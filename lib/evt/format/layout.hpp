// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "evt/error.hpp"

namespace evt::format {

/// The %-layout grammar, shared by output layouts (consume, tail, replay -f '%t %p %o %k %s\n')
/// and input layouts (produce -f '%k=%v\n'), parsed once when a command starts.

/// Which side reads the layout: the fields each allows differ, and so do the messages.
enum class LayoutUse {
  output,  ///< every field; %k, %v and %h take a {ARGUMENT}
  input,   ///< %k %v %s %t %p %T %h; no field takes an argument ({ is literal text)
};

/// What a piece of a layout stands for.
enum class LayoutField {
  literal,       ///< text, with escapes expanded and %% as a percent sign
  topic,         ///< %t
  partition,     ///< %p
  offset,        ///< %o (output)
  key,           ///< %k
  value,         ///< %v or %s
  key_length,    ///< %K (output)
  value_length,  ///< %S (output)
  timestamp,     ///< %T, epoch milliseconds
  iso_time,      ///< %d, RFC 3339 UTC (output)
  headers,       ///< %h, name=value,...
  header_named,  ///< %h{NAME}, the value of header NAME (output)
};

/// How an output field writes bytes: %k{base64}, %v{hex}, %v{decoded}.
enum class LayoutEncoding { raw, base64, hex, decoded };

struct LayoutPiece {
  LayoutField field = LayoutField::literal;
  std::string text;  ///< the literal text, or header_named's header name
  LayoutEncoding encoding = LayoutEncoding::raw;
  char verb = 0;  ///< the letter after % as written (for messages); 0 for literal text

  bool operator==(const LayoutPiece&) const = default;
};

/// Splits `layout` into literal text and fields: escapes expanded (see unescape), adjacent
/// text (and %%) joined into one literal piece. Usage errors: a bad escape, a lone % at the end,
/// a field `use` does not have (with a did-you-mean for a slip of case, or %K{hex} for %k{hex}),
/// an unclosed {, an unknown {encoding}. What a use adds (input needs %v and separators between
/// fields; %v{decoded} needs a registry) is checked by the parser and the formatter.
Result<std::vector<LayoutPiece>> parse_layout(std::string_view layout, LayoutUse use);

}  // namespace evt::format
