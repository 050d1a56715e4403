// SPDX-License-Identifier: MIT
#pragma once

namespace evt::io {

/// Which of stdin, stdout and stderr the process started without (`evt consume t >&-`).
struct ClosedStandardFds {
  bool in = false;
  bool out = false;
  bool err = false;
};

/// Call first in main. A closed fd 0, 1 or 2 would be handed to the next file evt opens (the
/// signalfd, a broker's socket), and output meant for stdout would go there. Each closed one is
/// occupied by /dev/null instead, and reported, so that the commands can treat it as closed
/// (write to fd -1: EBADF, an error like a full disk) rather than write into /dev/null.
ClosedStandardFds occupy_closed_standard_fds();

}  // namespace evt::io
