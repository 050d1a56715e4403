// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "evt/format/record_formatter.hpp"

namespace evt::format {

struct HumanOptions {
  bool color = false;         ///< ANSI colors (only for terminals)
  bool compact = false;       ///< JSON values on one line instead of pretty-printed
  std::size_t max_width = 0;  ///< cut value lines longer than this many columns (0: never)
};

/// The format for people at a terminal (evt tail): a header line with the local time (with
/// milliseconds), topic/partition@offset, key and headers, then the value. JSON values are
/// pretty-printed losslessly (re-indented, never re-encoded); other values are shown as text
/// when they are printable UTF-8, else escaped (\xNN) on one line: never a raw control byte.
/// Nothing looks like something else: a null key or value is the marker "(null)" (an empty
/// value "(empty)"), dim, while text starting with "(" starts with "\("; a backslash in text
/// is "\\", so "\x1b" can only be an escaped byte (drawn in a color of its own); bidi
/// controls are "\u{202e}". With `max_width`, each line of a value is cut to that many columns
/// and ends with "… (N bytes)", N being the value's whole length.
std::unique_ptr<RecordFormatter> make_human_formatter(HumanOptions options);

/// Appends `bytes` safe for a terminal: printable UTF-8 as is (newlines and tabs kept when
/// `multiline`), a backslash as \\, bidi controls as \u{XXXX}, everything else (control
/// bytes, ESC, invalid UTF-8) as \xNN.
void append_safe_text(std::string& out, std::string_view bytes, bool multiline);

/// Re-indents valid JSON text (2 spaces), or writes it on one line when `compact`, keeping
/// every token exactly as written. Returns false (appending nothing) when `text` is not JSON.
bool append_pretty_json(std::string& out, std::string_view text, bool compact, bool color);

}  // namespace evt::format
