// SPDX-License-Identifier: MIT
// Unit tests of evt::Signals: a signal raised while blocked is seen by check() and, within a
// tick of the coarse clock, by check_throttled() (which per-record loops call).
#include "evt/signals.hpp"

#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include <signal.h>

TEST_CASE("signals: a pending SIGHUP is seen by check_throttled within milliseconds", "[unit]") {
  sigset_t before;
  pthread_sigmask(SIG_SETMASK, nullptr, &before);
  evt::Signals::block();
  {
    evt::Signals signals;
    REQUIRE(signals.fd() >= 0);
    CHECK(signals.check_throttled() == 0);
    CHECK(signals.check() == 0);
    REQUIRE(pthread_kill(pthread_self(), SIGHUP) == 0);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
    while (signals.check_throttled() == 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    CHECK(signals.count() == 1);
    CHECK(signals.last_signal() == SIGHUP);
    // Read once: further checks count no more.
    CHECK(signals.check_throttled() == 1);
    CHECK(signals.check() == 1);
  }
  pthread_sigmask(SIG_SETMASK, &before, nullptr);
}
