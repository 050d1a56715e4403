// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace evt::ops {

/// A growable window over an input stream: bytes are appended at the end by read_from() and
/// consumed from the front by parsers. Memory stays bounded by `max_size`.
class InputBuffer {
 public:
  explicit InputBuffer(std::size_t initial_size, std::size_t max_size);

  std::string_view data() const { return {m_bytes.data() + m_begin, m_end - m_begin}; }
  std::size_t size() const { return m_end - m_begin; }
  void consume(std::size_t count) {
    m_begin += count;
    if (m_begin == m_end) {
      m_begin = m_end = 0;
    }
  }
  bool full() const { return size() >= m_max_size; }

  enum class ReadResult { data, eof, again, error };
  /// One read(2) into free space (compacting or growing first). `error` leaves errno set.
  ReadResult read_from(int fd);

  /// Drops everything (between input files).
  void clear() { m_begin = m_end = 0; }

 private:
  std::vector<char> m_bytes;
  std::size_t m_begin = 0;
  std::size_t m_end = 0;
  std::size_t m_max_size;
};

}  // namespace evt::ops
