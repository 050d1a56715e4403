// SPDX-License-Identifier: MIT
#include "evt/io/output.hpp"

#include <cerrno>

#include "evt/io/write_all.hpp"

#include <poll.h>

namespace evt::io {

Output::Output(int fd, std::size_t flush_threshold, std::string name)
    : m_fd(fd), m_threshold(flush_threshold), m_name(std::move(name)) {
  m_buffer.reserve(flush_threshold + (64 << 10));
}

bool Output::flush() {
  if (m_state != State::open) {
    m_buffer.clear();
    return false;
  }
  if (m_buffer.empty()) {
    return true;
  }
  std::size_t written = 0;
  const int error = write_all(m_fd, m_buffer, &written);
  m_written += written;
  m_buffer.clear();
  if (error == EPIPE) {
    m_state = State::reader_gone;
  } else if (error != 0) {
    m_state = State::failed;
    m_errno = error;
  }
  return m_state == State::open;
}

bool Output::write(std::string_view text) {
  m_buffer.append(text);
  return flush();
}

bool Output::reader_left() {
  if (m_state == State::reader_gone) {
    return true;
  }
  pollfd fds[1] = {{m_fd, 0, 0}};
  if (::poll(fds, 1, 0) > 0 && (fds[0].revents & (POLLERR | POLLHUP)) != 0) {
    // POLLERR on the write end of a pipe: its last reader closed it; POLLHUP: a socket's peer
    // or a terminal hung up.
    m_state = State::reader_gone;
    m_buffer.clear();
    return true;
  }
  return false;
}

Result<void> Output::result() const {
  if (m_state == State::failed) {
    return write_failure(m_name, m_errno);
  }
  return {};
}

}  // namespace evt::io
