// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace evt::ops {

/// tail's idle status line on a terminal's stderr: "-- 12 shown, 0.4/s, waiting --", redrawn in
/// place. With colors it is dim and erased with an escape sequence; without (--color never,
/// NO_COLOR, TERM=dumb) it is plain text, erased by overwriting it with spaces.
class TailStatus {
 public:
  TailStatus(int fd, bool color) : m_fd(fd), m_color(color) {}

  /// The line for `shown` records (`skipped` by the filters, when there are filters) at a rate
  /// of `per_second`.
  static std::string text(std::uint64_t shown,
                          double per_second,
                          std::optional<std::uint64_t> skipped);

  /// Draws `line`, replacing what is shown.
  void show(const std::string& line);
  /// Removes the line, so that records can be written where it was.
  void clear();

  /// What show() or clear() writes (for tests).
  std::string show_sequence(const std::string& line) const;
  std::string clear_sequence() const;

 private:
  int m_fd;
  bool m_color;
  std::size_t m_shown_width = 0;  // 0: nothing shown
};

}  // namespace evt::ops
