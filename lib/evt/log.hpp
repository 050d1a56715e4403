// SPDX-License-Identifier: MIT
#pragma once

#include <string_view>

namespace evt {

/// Diagnostics on stderr: `evt: error: ...`, `evt: warning: ...`. Thread-safe: each message is one
/// write(2), so librdkafka's threads may log through it. Never writes to stdout.
class Log {
 public:
  /// verbosity: -1 quiet (errors only), 0 default (warnings), 1 -v (info), 2+ -vv (debug).
  explicit Log(int fd = 2, int verbosity = 0, bool color = false)
      : m_fd(fd), m_verbosity(verbosity), m_color(color) {}

  void error(std::string_view message) const;
  void hint(std::string_view message) const;
  void warning(std::string_view message) const;
  void info(std::string_view message) const;
  /// "evt: MESSAGE" unless quiet: what evt is doing while someone waits for it.
  void notice(std::string_view message) const;
  void debug(std::string_view message) const;

  int verbosity() const { return m_verbosity; }
  bool color() const { return m_color; }
  int fd() const { return m_fd; }

 private:
  void emit(std::string_view prefix, std::string_view color, std::string_view message) const;

  int m_fd;
  int m_verbosity;
  bool m_color;
};

}  // namespace evt
