// SPDX-License-Identifier: MIT
#include "evt/ops/tail_status.hpp"

#include <fmt/format.h>

#include "evt/io/write_all.hpp"

namespace evt::ops {

std::string TailStatus::text(std::uint64_t shown,
                             double per_second,
                             std::optional<std::uint64_t> skipped) {
  std::string line = fmt::format("-- {} shown, {:.1f}/s", shown, per_second);
  if (skipped) {
    line += fmt::format(", {} skipped by the filters", *skipped);
  }
  return line + ", waiting (Ctrl-C to stop) --";
}

std::string TailStatus::clear_sequence() const {
  if (m_shown_width == 0) {
    return {};
  }
  if (m_color) {
    return "\r\x1b[2K";
  }
  return "\r" + std::string(m_shown_width, ' ') + "\r";
}

std::string TailStatus::show_sequence(const std::string& line) const {
  std::string out = clear_sequence();
  if (m_color) {
    out += "\x1b[2m" + line + "\x1b[0m";
  } else {
    out += line;
  }
  return out;
}

void TailStatus::show(const std::string& line) {
  const std::string sequence = show_sequence(line);
  m_shown_width = line.size();
  if (m_fd >= 0) {
    (void)io::write_all(m_fd, sequence);  // stderr: nothing sensible to do when it fails
  }
}

void TailStatus::clear() {
  const std::string sequence = clear_sequence();
  m_shown_width = 0;
  if (m_fd >= 0 && !sequence.empty()) {
    (void)io::write_all(m_fd, sequence);
  }
}

}  // namespace evt::ops
