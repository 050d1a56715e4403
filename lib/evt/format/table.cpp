// SPDX-License-Identifier: MIT
#include "evt/format/table.hpp"

#include <algorithm>
#include <cctype>

#include "evt/format/human.hpp"

namespace evt::format {

namespace {

// Display width of UTF-8 text: one column per code point (good enough for names and numbers).
std::size_t display_width(const std::string& text) {
  std::size_t width = 0;
  for (unsigned char c : text) {
    width += (c & 0xC0) != 0x80 ? 1 : 0;
  }
  return width;
}

std::string truncate(const std::string& text, std::size_t width) {
  if (display_width(text) <= width) {
    return text;
  }
  if (width <= 3) {
    return std::string(width, '.');
  }
  std::string out;
  std::size_t used = 0;
  for (std::size_t i = 0; i < text.size() && used < width - 3; ++i) {
    out.push_back(text[i]);
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++used;
    }
    // Keep whole code points.
    while (i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) {
      out.push_back(text[++i]);
    }
  }
  return out + "...";
}

}  // namespace

bool looks_numeric(const std::string& cell) {
  if (cell.empty() || cell == "-") {
    return true;
  }
  std::size_t start = cell[0] == '-' ? 1 : 0;
  if (start == cell.size()) {
    return false;
  }
  return std::all_of(cell.begin() + static_cast<long>(start), cell.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

Table::Table(std::vector<std::string> headers)
    : m_headers(std::move(headers)), m_alignments(m_headers.size(), -1) {}

void Table::align(std::size_t index, Align alignment) {
  if (index < m_alignments.size()) {
    m_alignments[index] = static_cast<int>(alignment);
  }
}

void Table::add_row(std::vector<std::string> cells) {
  cells.resize(m_headers.size());
  // Cells hold names the broker sent (topics, groups, hosts, client ids): never let one carry
  // an escape sequence or a line break to the terminal. (A real Kafka allows only
  // [a-zA-Z0-9._-] in topic names; the local broker accepts anything.)
  for (std::string& cell : cells) {
    std::string safe;
    append_safe_text(safe, cell, false);
    cell = std::move(safe);
  }
  m_rows.push_back(std::move(cells));
}

std::string Table::render(std::size_t width, bool bold_header) const {
  const std::size_t columns = m_headers.size();
  std::vector<std::size_t> widths(columns, 0);
  std::vector<bool> right(columns, true);
  for (std::size_t c = 0; c < columns; ++c) {
    widths[c] = display_width(m_headers[c]);
    for (const auto& row : m_rows) {
      widths[c] = std::max(widths[c], display_width(row[c]));
      right[c] = right[c] && looks_numeric(row[c]);
    }
    if (m_alignments[c] >= 0) {
      right[c] = m_alignments[c] == static_cast<int>(Align::right);
    }
  }
  // Shrink the widest left-aligned (text) column until the table fits.
  auto total = [&] {
    std::size_t sum = columns > 0 ? (columns - 1) * 2 : 0;
    for (std::size_t w : widths) {
      sum += w;
    }
    return sum;
  };
  while (width > 0 && total() > width) {
    std::size_t widest = columns;
    for (std::size_t c = 0; c < columns; ++c) {
      if (!right[c] && widths[c] > 8 && (widest == columns || widths[c] > widths[widest])) {
        widest = c;
      }
    }
    if (widest == columns) {
      break;
    }
    widths[widest] -= std::min(widths[widest] - 8, total() - width);
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t c = 0; c < columns; ++c) {
      const std::string cell = truncate(cells[c], widths[c]);
      const std::size_t pad = widths[c] - display_width(cell);
      if (right[c]) {
        out.append(pad, ' ');
        out.append(cell);
      } else {
        out.append(cell);
        if (c + 1 < columns) {
          out.append(pad, ' ');
        }
      }
      if (c + 1 < columns) {
        out.append("  ");
      }
    }
    while (!out.empty() && out.back() == ' ') {
      out.pop_back();
    }
    return out + "\n";
  };
  std::string out = line(m_headers);
  if (bold_header) {
    out = "\x1b[1m" + out.substr(0, out.size() - 1) + "\x1b[0m\n";
  }
  for (const auto& row : m_rows) {
    out += line(row);
  }
  return out;
}

}  // namespace evt::format
