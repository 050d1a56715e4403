// SPDX-License-Identifier: MIT
#include "evt/ops/admin_common.hpp"

#include <cerrno>

#include <fmt/format.h>

#include <unistd.h>

namespace evt::ops {

Result<void> write_output(int fd, const std::string& text) {
  const char* data = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t written = ::write(fd, data, left);
    if (written < 0 && errno == EINTR) {
      continue;
    }
    if (written <= 0) {
      return fail(ErrorKind::io, "writing to standard output failed");
    }
    data += written;
    left -= static_cast<std::size_t>(written);
  }
  return {};
}

Unexpected declined(const std::string& what) {
  return fail(ErrorKind::usage, fmt::format("not confirmed: {}", what));
}

}  // namespace evt::ops
