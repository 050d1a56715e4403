// SPDX-License-Identifier: MIT
#include "evt/ops/input_buffer.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <unistd.h>

namespace evt::ops {

namespace {
// Spare bytes past the data, so parsers that read ahead (SIMD) never touch unmapped memory.
constexpr std::size_t k_padding = 64;
}  // namespace

InputBuffer::InputBuffer(std::size_t initial_size, std::size_t max_size)
    : m_bytes(initial_size + k_padding), m_max_size(std::max(initial_size, max_size)) {}

InputBuffer::ReadResult InputBuffer::read_from(int fd) {
  const std::size_t capacity = m_bytes.size() - k_padding;
  if (m_end == capacity) {
    if (m_begin > 0) {
      std::memmove(m_bytes.data(), m_bytes.data() + m_begin, m_end - m_begin);
      m_end -= m_begin;
      m_begin = 0;
    }
    if (m_end == capacity) {
      const std::size_t grown = std::min(capacity * 2, m_max_size + 1);
      m_bytes.resize(grown + k_padding);
    }
  }
  const std::size_t room = m_bytes.size() - k_padding - m_end;
  if (room == 0) {
    errno = ENOBUFS;
    return ReadResult::error;
  }
  for (;;) {
    const ssize_t got = ::read(fd, m_bytes.data() + m_end, room);
    if (got > 0) {
      m_end += static_cast<std::size_t>(got);
      return ReadResult::data;
    }
    if (got == 0) {
      return ReadResult::eof;
    }
    if (errno == EINTR) {
      continue;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      return ReadResult::again;
    }
    return ReadResult::error;
  }
}

}  // namespace evt::ops
