// SPDX-License-Identifier: MIT
#include "evt/io/output.hpp"

#include <cerrno>
#include <thread>

#include "evt/io/write_all.hpp"

#include <linux/sockios.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

namespace evt::io {

Output::Output(int fd, std::size_t flush_threshold, std::string name)
    : m_fd(fd), m_threshold(flush_threshold), m_name(std::move(name)) {
  m_buffer.reserve(flush_threshold + (64 << 10));
  struct stat status {};
  if (::fstat(fd, &status) == 0) {
    if (S_ISFIFO(status.st_mode)) {
      m_unread_request = FIONREAD;
    } else if (S_ISSOCK(status.st_mode)) {
      m_unread_request = SIOCOUTQ;
    }
  }
}

std::uint64_t Output::bytes_taken() const {
  if (m_unread_request == 0) {
    return m_written;
  }
  // The unread bytes are the last ones written. A pipe keeps them after its reader closed
  // it: they were never read. FIONREAD works on a pipe's write end too; on a socket SIOCOUTQ
  // counts what its peer has not yet received (a Unix socket: not read; TCP: not
  // acknowledged).
  int unread = 0;
  if (::ioctl(m_fd, m_unread_request, &unread) != 0) {
    return m_written;
  }
  const auto waiting = static_cast<std::uint64_t>(unread > 0 ? unread : 0);
  return waiting < m_written ? m_written - waiting : 0;
}

void Output::wait_taken(std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (m_unread_request != 0 && m_state == State::open && bytes_taken() < m_written &&
         !reader_left() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
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
