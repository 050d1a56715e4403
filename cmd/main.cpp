// SPDX-License-Identifier: MIT
#include "evt/signals.hpp"

#include "cmd/app.hpp"

int main(int argc, char** argv) {
  // Before any thread exists, so librdkafka's and the mock cluster's threads inherit the mask.
  evt::Signals::block();
  evt::Signals signals;
  auto ctx = evt::cmd::Context::system(signals);
  return evt::cmd::main(argc, argv, ctx);
}
