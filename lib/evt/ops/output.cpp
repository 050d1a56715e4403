// SPDX-License-Identifier: MIT
#include "evt/ops/output.hpp"

#include <cerrno>

#include <unistd.h>

namespace evt::ops {

Output::Output(int fd, std::size_t flush_threshold) : m_fd(fd), m_threshold(flush_threshold) {
  m_buffer.reserve(flush_threshold + (64 << 10));
}

bool Output::flush() {
  if (m_closed || m_errno != 0) {
    m_buffer.clear();
    return false;
  }
  const char* data = m_buffer.data();
  std::size_t left = m_buffer.size();
  while (left > 0) {
    const ssize_t written = ::write(m_fd, data, left);
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      if (errno == EPIPE) {
        m_closed = true;
      } else {
        m_errno = errno;
      }
      m_buffer.clear();
      return false;
    }
    data += written;
    left -= static_cast<std::size_t>(written);
  }
  m_buffer.clear();
  return true;
}

}  // namespace evt::ops
