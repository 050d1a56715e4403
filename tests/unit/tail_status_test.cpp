// SPDX-License-Identifier: MIT
// Unit tests of tail's idle status line: its text, and what it writes with and without colors.
#include "evt/ops/tail_status.hpp"

#include <catch2/catch.hpp>

namespace {

using evt::ops::TailStatus;

}  // namespace

TEST_CASE("tail status: shown, rate and skipped records", "[unit][tail]") {
  CHECK(TailStatus::text(12, 0.4, std::nullopt) ==
        "-- 12 shown, 0.4/s, waiting (Ctrl-C to stop) --");
  CHECK(TailStatus::text(1, 0, 2) ==
        "-- 1 shown, 0.0/s, 2 skipped by the filters, waiting (Ctrl-C to stop) --");
}

TEST_CASE("tail status: dim and erased by escapes with colors, plain and overwritten without",
          "[unit][tail]") {
  // fd -1 writes nothing; the sequences are what would be written.
  TailStatus colored(-1, true);
  CHECK(colored.show_sequence("-- x --") == "\x1b[2m-- x --\x1b[0m");
  CHECK(colored.clear_sequence().empty());  // nothing shown yet
  colored.show("-- x --");
  CHECK(colored.clear_sequence() == "\r\x1b[2K");
  CHECK(colored.show_sequence("-- y --") == "\r\x1b[2K\x1b[2m-- y --\x1b[0m");

  TailStatus plain(-1, false);
  CHECK(plain.show_sequence("-- x --") == "-- x --");
  plain.show("-- x --");
  CHECK(plain.clear_sequence() == "\r       \r");
  CHECK(plain.show_sequence("-- yy --") == "\r       \r-- yy --");
  plain.clear();
  CHECK(plain.clear_sequence().empty());
}
