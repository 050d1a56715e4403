// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "evt/record.hpp"

namespace evt::ops {

/// `evt inspect message T P O` for people: one record in full. (Its JSON is the record
/// envelope, written by format/envelope.)
struct MessageView {
  /// A key or value that --decode turned into JSON.
  struct Decoded {
    bool key = false;
    std::int32_t schema_id = 0;
    std::string json;  ///< one line
  };
  Record record;
  std::vector<Decoded> decoded;
};

/// Text that prints safely is shown as text (keys and header values quoted, with \n and \t
/// escaped), anything else as a hexdump; decoded fields follow as indented JSON. `width` does
/// not apply (there is no table).
std::string render_table(const MessageView& view, std::size_t width, bool color);

}  // namespace evt::ops
