// SPDX-License-Identifier: MIT
#include "cmd/context.hpp"

#include <unistd.h>

extern char** environ;

namespace evt::cmd {

Context Context::system(Signals& signals, const io::ClosedStandardFds& closed) {
  Context ctx;
  // A closed standard fd is -1 here: reading or writing it fails with EBADF, as it should.
  ctx.in_fd = closed.in ? -1 : 0;
  ctx.out_fd = closed.out ? -1 : 1;
  ctx.err_fd = closed.err ? -1 : 2;
  ctx.out_is_tty = ::isatty(ctx.out_fd) == 1;
  ctx.err_is_tty = ::isatty(ctx.err_fd) == 1;
  for (char** entry = environ; entry && *entry; ++entry) {
    const std::string text = *entry;
    const std::size_t equals = text.find('=');
    if (equals != std::string::npos) {
      ctx.env[text.substr(0, equals)] = text.substr(equals + 1);
    }
  }
  ctx.signals = &signals;
  return ctx;
}

}  // namespace evt::cmd
