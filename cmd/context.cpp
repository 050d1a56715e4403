// SPDX-License-Identifier: MIT
#include "cmd/context.hpp"

#include <unistd.h>

extern char** environ;

namespace evt::cmd {

Context Context::system(Signals& signals) {
  Context ctx;
  ctx.out_is_tty = ::isatty(1) == 1;
  ctx.err_is_tty = ::isatty(2) == 1;
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
