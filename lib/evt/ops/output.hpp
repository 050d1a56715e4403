// SPDX-License-Identifier: MIT
#pragma once

#include <string>

namespace evt::ops {

/// Buffered writes to an fd with large write(2)s. A closed reader (EPIPE) is remembered, not
/// thrown: `evt consume | head` must end quietly.
class Output {
 public:
  explicit Output(int fd, std::size_t flush_threshold = 1 << 20);
  ~Output() = default;
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  /// The buffer to append to; call maybe_flush() after each record.
  std::string& buffer() { return m_buffer; }
  void maybe_flush() {
    if (m_buffer.size() >= m_threshold) {
      flush();
    }
  }
  /// Writes everything buffered. Returns false when the output is closed or failed.
  bool flush();

  bool closed() const { return m_closed; }  ///< the reader went away (EPIPE)
  int error() const { return m_errno; }     ///< errno of a failed write other than EPIPE

 private:
  int m_fd;
  std::size_t m_threshold;
  std::string m_buffer;
  bool m_closed = false;
  int m_errno = 0;
};

}  // namespace evt::ops
