// SPDX-License-Identifier: MIT
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "evt/signals.hpp"

int main(int argc, char* argv[]) {
  // As in evt's own main; and the looping commands run in-process block signals themselves.
  evt::Signals::ignore_sigpipe();
  return Catch::Session().run(argc, argv);
}
