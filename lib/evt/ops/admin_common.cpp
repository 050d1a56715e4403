// SPDX-License-Identifier: MIT
#include "evt/ops/admin_common.hpp"

#include <fmt/format.h>

#include "evt/io/write_all.hpp"

namespace evt::ops {

Result<void> write_output(int fd, const std::string& text) {
  // The one write loop: a reader that left (EPIPE) is no failure, as for inspect; any other
  // error is, with its reason (this loop said "failed" for both, without why).
  return io::write_text(fd, text);
}

Unexpected declined(const std::string& what) {
  return fail(ErrorKind::usage, fmt::format("not confirmed: {}", what));
}

}  // namespace evt::ops
