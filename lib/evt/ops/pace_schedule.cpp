// SPDX-License-Identifier: MIT
#include "evt/ops/pace_schedule.hpp"

#include <algorithm>

namespace evt::ops {

PaceSchedule::Clock::time_point PaceSchedule::due(std::int64_t timestamp, Clock::time_point now) {
  if (m_count == 0) {
    m_start = now;
    m_first_timestamp = timestamp;
  }
  auto due = now;
  if (m_speed && timestamp >= m_first_timestamp) {
    const double gap_ms = static_cast<double>(timestamp - m_first_timestamp) / *m_speed;
    due = std::max(due,
                   m_start + std::chrono::duration_cast<Clock::duration>(
                                 std::chrono::duration<double, std::milli>(gap_ms)));
  }
  if (m_rate) {
    due = std::max(
        due,
        m_start + std::chrono::duration_cast<Clock::duration>(
                      std::chrono::duration<double>(static_cast<double>(m_count) / *m_rate)));
  }
  ++m_count;
  return due;
}

}  // namespace evt::ops
