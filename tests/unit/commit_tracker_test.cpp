// SPDX-License-Identifier: MIT
// Unit tests of CommitTracker: a group commits exactly the records whose bytes the reader took.
#include "evt/ops/commit_tracker.hpp"

#include <catch2/catch.hpp>

namespace {

using evt::kafka::TopicPartition;
using evt::ops::CommitTracker;
using Offsets = std::map<TopicPartition, std::int64_t>;

}  // namespace

TEST_CASE("commit tracker: only records whose last byte was taken", "[unit][commit]") {
  CommitTracker tracker(true);
  tracker.note("t", 0, 10, 6);   // bytes [0, 6)
  tracker.note("t", 1, 3, 12);   // [6, 12)
  tracker.note("t", 0, 11, 18);  // [12, 18)
  CHECK(tracker.taken(5).empty());
  CHECK(tracker.taken(6) == Offsets{{{"t", 0}, 11}});
  CHECK(tracker.taken(17) == Offsets{{{"t", 1}, 4}});  // the third record is half taken
  CHECK(tracker.taken(18) == Offsets{{{"t", 0}, 12}});
  CHECK(tracker.taken(100).empty());  // each record is reported once
}

TEST_CASE("commit tracker: an inactive tracker (no group) keeps nothing", "[unit][commit]") {
  CommitTracker tracker(false);
  tracker.note("t", 0, 10, 6);
  CHECK_FALSE(tracker.active());
  CHECK(tracker.taken(100).empty());
}
