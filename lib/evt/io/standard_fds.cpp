// SPDX-License-Identifier: MIT
#include "evt/io/standard_fds.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace evt::io {

namespace {

// True when `fd` was closed and now holds /dev/null.
bool occupy_if_closed(int fd) {
  if (::fcntl(fd, F_GETFD) != -1) {
    return false;
  }
  // open() returns the lowest free fd: fd itself, since the lower ones are open by now.
  const int opened = ::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
  if (opened >= 0 && opened != fd) {
    ::dup2(opened, fd);
    ::close(opened);
  }
  return true;
}

}  // namespace

ClosedStandardFds occupy_closed_standard_fds() {
  ClosedStandardFds closed;
  closed.in = occupy_if_closed(0);
  closed.out = occupy_if_closed(1);
  closed.err = occupy_if_closed(2);
  return closed;
}

}  // namespace evt::io
