// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

namespace evt::format {

/// A plain-text table for humans: numbers right-aligned, text left-aligned, shrunk to fit the
/// terminal width by truncating the widest text columns with "...".
class Table {
 public:
  enum class Align { left, right };

  explicit Table(std::vector<std::string> headers);
  /// Sets the alignment of column `index` (default: right when every cell looks numeric).
  void align(std::size_t index, Align alignment);
  void add_row(std::vector<std::string> cells);
  bool empty() const { return m_rows.empty(); }

  /// Renders with two spaces between columns. `width` 0 means no limit. `bold_header` adds ANSI
  /// bold to the header line (only for terminals).
  std::string render(std::size_t width, bool bold_header) const;

 private:
  std::vector<std::string> m_headers;
  std::vector<std::vector<std::string>> m_rows;
  std::vector<int> m_alignments;  // -1 auto, else Align
};

/// "1,234,567"-free plain digits are numbers; also "-" and "-1".
bool looks_numeric(const std::string& cell);

}  // namespace evt::format
