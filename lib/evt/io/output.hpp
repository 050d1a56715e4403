// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "evt/error.hpp"

namespace evt::io {

/// Buffered writes to an fd with large write(2)s, which remember how they ended. A reader that
/// went away (EPIPE, `evt consume | head`) is no failure: the streaming commands stop quietly.
/// Any other error (ENOSPC, EIO, EBADF for a closed stdout) is, and result() says so.
class Output {
 public:
  enum class State { open, reader_gone, failed };

  explicit Output(int fd, std::size_t flush_threshold = 1 << 20, std::string name = "stdout");
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
  /// Writes everything buffered. Returns false once the output is closed or failed (then the
  /// buffer is dropped: nobody can read it).
  bool flush();
  /// Appends `text` and flushes.
  bool write(std::string_view text);

  State state() const { return m_state; }
  bool open() const { return m_state == State::open; }
  bool reader_gone() const { return m_state == State::reader_gone; }
  bool failed() const { return m_state == State::failed; }

  /// Whether the reader of a pipe went away while nothing was written (`evt tail t | head -1`
  /// on a quiet topic): a write would fail with EPIPE, and this notices without writing.
  bool reader_left();

  /// The failure, if any: an I/O error naming the output and the reason.
  Result<void> result() const;

  /// Bytes written so far (not counting the buffer).
  std::uint64_t bytes_written() const { return m_written; }
  /// How many of them the reader has taken (a group commits only records it took): for a
  /// pipe, those it has read (FIONREAD tells what waits in the pipe); for a socket, those
  /// its peer has (SIOCOUTQ); for a file or terminal, all written.
  std::uint64_t bytes_taken() const;
  /// Waits, up to `limit`, until the reader has taken every byte written or has gone away.
  void wait_taken(std::chrono::milliseconds limit);

 private:
  int m_fd;
  std::size_t m_threshold;
  std::string m_name;
  std::string m_buffer;
  State m_state = State::open;
  int m_errno = 0;
  std::uint64_t m_written = 0;
  // A pipe or socket holds written bytes its reader has not taken: the ioctl that counts them
  // (FIONREAD on a pipe, SIOCOUTQ on a socket), or 0 for a file or terminal.
  unsigned long m_unread_request = 0;
};

}  // namespace evt::io
