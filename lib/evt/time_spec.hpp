// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "evt/error.hpp"

namespace evt {

/// Parses a duration: a sequence of <number><unit> with units ms, s, m, h, d ("250ms", "1m30s",
/// "7d"). A bare number means seconds. Negative values are rejected here; see parse_time.
Result<std::chrono::milliseconds> parse_duration(std::string_view text);

/// Parses a point in time and returns epoch milliseconds. Accepted forms:
///   now                        the current time
///   1763892000123              epoch milliseconds (any integer)
///   2026-11-23T10:00:00Z       RFC 3339 / ISO 8601, optional fraction, Z or ±hh:mm offset
///   2026-11-23 10:00:00        the same with a space, UTC when no offset is given
///   2026-11-23                 midnight UTC of that date
///   -15m, -2h30m, +1h          a duration relative to now
Result<std::int64_t> parse_time(std::string_view text, std::int64_t now_ms);

/// Formats a duration as --timeout takes it: "10s" when whole seconds, else "1500ms".
std::string format_duration(std::chrono::milliseconds duration);

/// Formats epoch milliseconds as RFC 3339 UTC with milliseconds: 2026-11-23T10:00:00.123Z.
std::string format_iso_utc(std::int64_t epoch_ms);

/// The current wall-clock time in epoch milliseconds.
std::int64_t now_epoch_ms();

}  // namespace evt
