// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace evt::ops {

/// When each record of a paced replay is due. --speed X keeps the original gaps between record
/// timestamps divided by X; --rate N spaces records 1/N s apart; with both, the later wins. The
/// caller passes the current time, so the schedule is pure (unit-tested with a fake clock).
class PaceSchedule {
 public:
  using Clock = std::chrono::steady_clock;

  PaceSchedule(std::optional<double> speed, std::optional<double> rate)
      : m_speed(speed), m_rate(rate) {}

  /// The time the next record, with `timestamp` (ms), is due; `now` is when it is ready. The
  /// first record is due at once and anchors the schedule. Never earlier than `now`: a record
  /// that is late (or older than the first) goes at once.
  Clock::time_point due(std::int64_t timestamp, Clock::time_point now);

  bool active() const { return m_speed || m_rate; }

 private:
  std::optional<double> m_speed;
  std::optional<double> m_rate;
  std::uint64_t m_count = 0;
  Clock::time_point m_start;
  std::int64_t m_first_timestamp = 0;
};

}  // namespace evt::ops
