// SPDX-License-Identifier: MIT
#include "evt/io/standard_fds.hpp"
#include "evt/signals.hpp"

#include "cmd/app.hpp"

int main(int argc, char** argv) {
  const auto closed = evt::io::occupy_closed_standard_fds();  // before any fd is opened
  evt::Signals::ignore_sigpipe();
  evt::Signals signals;
  auto ctx = evt::cmd::Context::system(signals, closed);
#ifdef EVT_PROCESS_ALLOCATOR
  ctx.switch_to_mimalloc = [] { return evt::memory::switch_to_mimalloc(); };
#endif
  return evt::cmd::main(argc, argv, ctx);
}
