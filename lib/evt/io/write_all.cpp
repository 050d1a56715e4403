// SPDX-License-Identifier: MIT
#include "evt/io/write_all.hpp"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include <unistd.h>

namespace evt::io {

int write_all(int fd, std::string_view data, std::size_t* written) {
  const char* next = data.data();
  std::size_t left = data.size();
  int error = 0;
  while (left > 0) {
    const ssize_t count = ::write(fd, next, left);
    if (count < 0) {
      if (errno == EINTR) {
        continue;
      }
      error = errno;
      break;
    }
    if (count == 0) {
      error = EIO;  // write(2) of a non-zero count returning 0: the device takes nothing more
      break;
    }
    next += count;
    left -= static_cast<std::size_t>(count);
  }
  if (written != nullptr) {
    *written = data.size() - left;
  }
  return error;
}

Unexpected write_failure(std::string_view name, int error) {
  std::string hint;
  if (error == EBADF) {
    hint = "is it closed (>&-)? redirect it to a file or /dev/null instead";
  }
  return fail(ErrorKind::io,
              fmt::format("cannot write to {}: {}", name, std::strerror(error)),
              std::move(hint));
}

Result<void> write_text(int fd, std::string_view text, std::string_view name) {
  const int error = write_all(fd, text);
  if (error == 0 || error == EPIPE) {
    return {};
  }
  return write_failure(name, error);
}

}  // namespace evt::io
