// SPDX-License-Identifier: MIT
// replay --speed and --rate: when each record is due, against a fake clock (time points the
// test chooses), so no test sleeps.
#include "evt/ops/pace_schedule.hpp"

#include <catch2/catch.hpp>

namespace {

using evt::ops::PaceSchedule;
using Clock = PaceSchedule::Clock;
using std::chrono::milliseconds;

// A fake clock: an arbitrary origin plus the milliseconds a test says.
Clock::time_point at(std::int64_t ms) {
  return Clock::time_point(std::chrono::hours(1000)) + milliseconds(ms);
}

std::int64_t ms_of(Clock::time_point t) {
  return std::chrono::duration_cast<milliseconds>(t - at(0)).count();
}

}  // namespace

TEST_CASE("pace: --speed keeps the original gaps divided by X", "[pace]") {
  PaceSchedule schedule(2.0, std::nullopt);
  CHECK(schedule.active());
  // Records stamped 10:00:00.000, .500, 02.000 replayed at twice the speed from t=0.
  CHECK(ms_of(schedule.due(1'000'000, at(0))) == 0);
  CHECK(ms_of(schedule.due(1'000'500, at(1))) == 250);
  CHECK(ms_of(schedule.due(1'002'000, at(260))) == 1000);
  // A record that is ready late is due at once; the schedule does not drift.
  CHECK(ms_of(schedule.due(1'002'100, at(5000))) == 5000);
  CHECK(ms_of(schedule.due(1'012'000, at(5001))) == 6000);
}

TEST_CASE("pace: --speed 1 replays in real time, fractions slow it down", "[pace]") {
  PaceSchedule real_time(1.0, std::nullopt);
  CHECK(ms_of(real_time.due(0, at(0))) == 0);
  CHECK(ms_of(real_time.due(1234, at(0))) == 1234);
  PaceSchedule slow(0.5, std::nullopt);
  CHECK(ms_of(slow.due(0, at(0))) == 0);
  CHECK(ms_of(slow.due(100, at(0))) == 200);
}

TEST_CASE("pace: records older than the first go at once", "[pace]") {
  // Partitions merged by timestamp can still hand over an older record (equal or earlier).
  PaceSchedule schedule(10.0, std::nullopt);
  CHECK(ms_of(schedule.due(5000, at(0))) == 0);
  CHECK(ms_of(schedule.due(4000, at(3))) == 3);
  CHECK(ms_of(schedule.due(5000, at(4))) == 4);
  CHECK(ms_of(schedule.due(6000, at(4))) == 100);
}

TEST_CASE("pace: --rate N spaces records 1/N s apart", "[pace]") {
  PaceSchedule schedule(std::nullopt, 4.0);
  CHECK(ms_of(schedule.due(0, at(0))) == 0);
  CHECK(ms_of(schedule.due(0, at(0))) == 250);
  CHECK(ms_of(schedule.due(0, at(250))) == 500);
  CHECK(ms_of(schedule.due(0, at(900))) == 900);   // late: at once
  CHECK(ms_of(schedule.due(0, at(900))) == 1000);  // and the rate holds from the start
}

TEST_CASE("pace: --speed and --rate together, the later wins", "[pace]") {
  PaceSchedule schedule(1.0, 2.0);
  CHECK(ms_of(schedule.due(0, at(0))) == 0);
  CHECK(ms_of(schedule.due(100, at(0))) == 500);      // the rate is later
  CHECK(ms_of(schedule.due(3000, at(500))) == 3000);  // the speed is later
}

TEST_CASE("pace: without --speed or --rate everything is due at once", "[pace]") {
  PaceSchedule schedule(std::nullopt, std::nullopt);
  CHECK_FALSE(schedule.active());
  CHECK(ms_of(schedule.due(0, at(7))) == 7);
  CHECK(ms_of(schedule.due(1'000'000, at(8))) == 8);
}
