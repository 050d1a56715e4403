// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include "evt/config/resolve.hpp"
#include "evt/io/standard_fds.hpp"
#include "evt/memory/process_allocator.hpp"
#include "evt/signals.hpp"

namespace evt::cmd {

/// The process's outside world, injected so commands can be run in-process by tests.
struct Context {
  int in_fd = 0;
  int out_fd = 1;
  int err_fd = 2;
  bool out_is_tty = false;
  bool err_is_tty = false;
  config::Env env;
  Signals* signals = nullptr;
  std::string argv0 = "evt";
  /// Hands the process's allocations to mimalloc (see process_allocator.hpp). Set by main in a
  /// binary that defines malloc; null in tests run in-process and in sanitizer builds.
  memory::AllocatorSwitch (*switch_to_mimalloc)() = nullptr;

  /// The real process: fds 0/1/2 (-1 for those it started without), the environment, isatty.
  static Context system(Signals& signals, const io::ClosedStandardFds& closed);
};

}  // namespace evt::cmd
