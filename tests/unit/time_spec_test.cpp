// SPDX-License-Identifier: MIT
// Unit tests of durations, points in time and their ISO 8601 formatting.
#include "evt/time_spec.hpp"

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "evt/error.hpp"

namespace {

constexpr std::int64_t k_now = 1795428000000;  // 2026-11-23T10:00:00Z
constexpr std::int64_t k_second = 1000;
constexpr std::int64_t k_minute = 60 * k_second;
constexpr std::int64_t k_hour = 60 * k_minute;
constexpr std::int64_t k_day = 24 * k_hour;

}  // namespace

TEST_CASE("time: parse_duration accepts numbers with units", "[time]") {
  struct Case {
    const char* text;
    std::int64_t ms;
  };
  const std::vector<Case> cases = {
      {"0", 0},
      {"1", 1000},  // a bare number means seconds
      {"30", 30'000},
      {"1000000000000", 1'000'000'000'000'000},
      {"0ms", 0},
      {"250ms", 250},
      {"1s", 1000},
      {"0s", 0},
      {"90s", 90'000},
      {"1m", k_minute},
      {"1m30s", 90'000},
      {"2h30m", 2 * k_hour + 30 * k_minute},
      {"7d", 7 * k_day},
      {"1d1h1m1s1ms", k_day + k_hour + k_minute + k_second + 1},
      {"1h1ms", k_hour + 1},
      {"007s", 7000},
      {"999999999999ms", 999'999'999'999},
      {"999999999999s", 999'999'999'999'000},
      {"11574074d", 11574074 * k_day},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto duration = evt::parse_duration(c.text);
    REQUIRE(duration.ok());
    CHECK(duration->count() == c.ms);
  }
}

TEST_CASE("time: parse_duration rejects malformed and out-of-range durations", "[time]") {
  const std::vector<const char*> invalid = {
      "",
      "abc",
      "s",
      "ms",
      "5x",
      "5M",
      "5S",
      "5sec",
      "5mss",
      "1.5s",
      "1,5s",
      "-5m",
      "+5m",
      "-5",
      "5 m",
      " 5m",
      "5m ",
      "1m30",  // the last number lacks its unit
      "m30",
      "1000000000001",  // above the bare-number limit
      "99999999999999999999",
      "1234567890123ms",  // more than 12 digits in one component
      "999999999999d",    // would overflow 64-bit milliseconds
      "999999999999h",
      "999999999999m999999999999m999999999999m999999999999m",
  };
  for (const char* text : invalid) {
    INFO(text);
    auto duration = evt::parse_duration(text);
    REQUIRE_FALSE(duration.ok());
    CHECK(duration.error().kind == evt::ErrorKind::usage);
    CHECK_THAT(duration.error().message,
               Catch::Matchers::Contains("invalid duration \"" + std::string(text) + "\""));
    CHECK_THAT(duration.error().message, Catch::Matchers::Contains("ms, s, m, h, d"));
  }
}

TEST_CASE("time: parse_time accepts now, epoch milliseconds and relative times", "[time]") {
  struct Case {
    const char* text;
    std::int64_t ms;
  };
  const std::vector<Case> cases = {
      {"now", k_now},
      {"0", 0},
      {"2026", 2026},  // all digits: epoch milliseconds, not a year
      {"1763892000123", 1763892000123},
      {"9223372036854775807", INT64_MAX},
      {"-15m", k_now - 15 * k_minute},
      {"-2h30m", k_now - 2 * k_hour - 30 * k_minute},
      {"-7d", k_now - 7 * k_day},
      {"+1h", k_now + k_hour},
      {"-0s", k_now},
      {"+250ms", k_now + 250},
      {"-30", k_now - 30 * k_second},  // a bare relative number is seconds, like durations
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto time = evt::parse_time(c.text, k_now);
    REQUIRE(time.ok());
    CHECK(*time == c.ms);
  }
}

TEST_CASE("time: parse_time accepts RFC 3339 instants and dates", "[time]") {
  struct Case {
    const char* text;
    std::int64_t ms;
  };
  const std::vector<Case> cases = {
      {"2026-11-23T10:00:00Z", 1795428000000},
      {"2025-11-23T10:00:00.123Z", 1763892000123},
      {"2026-11-23", 1795428000000 - 10 * k_hour},
      {"2026-11-23T10:00:00", 1795428000000},   // no offset: UTC
      {"2026-11-23 10:00:00", 1795428000000},   // space instead of T
      {"2026-11-23t10:00:00z", 1795428000000},  // lower case
      {"2026-11-23T10:00Z", 1795428000000},     // no seconds
      {"2026-11-23T10:00", 1795428000000},
      {"2026-11-23T10:00:00+00:00", 1795428000000},
      {"2026-11-23T10:00:00-00:00", 1795428000000},
      {"2026-11-23T10:00:00+05:30", 1795408200000},
      {"2026-11-23T10:00:00+0530", 1795408200000},
      {"2026-11-23T10:00:00-08:00", 1795456800000},
      {"2026-11-23T10:00+01:00", 1795428000000 - k_hour},
      {"2026-11-23T10:00:00+23:59", 1795428000000 - 23 * k_hour - 59 * k_minute},
      // Fractions: any number of digits, truncated to milliseconds; comma allowed.
      {"2026-11-23T10:00:00.1Z", 1795428000100},
      {"2026-11-23T10:00:00.12Z", 1795428000120},
      {"2026-11-23T10:00:00.123Z", 1795428000123},
      {"2026-11-23T10:00:00.123456789Z", 1795428000123},
      {"2026-11-23T10:00:00.999999Z", 1795428000999},
      {"2026-11-23T10:00:00,5Z", 1795428000500},
      {"2026-11-23T10:00:00.5+01:00", 1795428000500 - k_hour},
      {"2026-11-23T10:00:00.000", 1795428000000},
      // Edges of the calendar.
      {"1970-01-01", 0},
      {"1970-01-01T00:00:00.001Z", 1},
      {"1969-12-31T23:59:59Z", -1000},
      {"1969-12-31T23:59:59.999Z", -1},
      {"1970-01-01T00:00:00+01:00", -k_hour},
      {"2024-02-29", 1709164800000},  // leap year
      {"2000-02-29", 951782400000},   // divisible by 400: leap
      {"2024-12-31T23:59:59Z", 1735689599000},
      {"2026-12-31T23:59:59.999Z", 1798761599999},
      {"1900-03-01", -2203891200000},
      {"0001-01-01", -62135596800000},
      {"9999-12-31T23:59:59Z", 253402300799000},
      {"2026-11-23T23:59:60Z", 1795392000000 + k_day},  // a leap second is the next minute
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto time = evt::parse_time(c.text, k_now);
    INFO((time ? "" : time.error().message));
    REQUIRE(time.ok());
    CHECK(*time == c.ms);
  }
}

TEST_CASE("time: parse_time rejects invalid times", "[time]") {
  const std::vector<const char*> invalid = {
      "",
      "Now",
      "today",
      "yesterday",
      "2026-02-30",  // February has no 30th
      "2026-02-29",  // not a leap year
      "2023-02-29",
      "1900-02-29",  // divisible by 100 but not 400
      "2026-04-31",
      "2026-06-31",
      "2026-13-01",
      "2026-00-10",
      "2026-01-00",
      "2026-12-32",
      "2026/11/23",
      "26-11-23",
      "2026-1-23",
      "2026-11-3",
      "2026-11",
      "2026-11-23Z",
      "2026-11-23T",
      "2026-11-23T10",
      "2026-11-23T10Z",
      "2026-11-23T10:0",
      "2026-11-23T1:00:00Z",
      "2026-11-23T10:00:0Z",
      "2026-11-23X10:00:00Z",
      "2026-11-23T24:00:00Z",
      "2026-11-23T23:60:00Z",
      "2026-11-23T23:59:61Z",
      "2026-11-23T10:00:00.Z",
      "2026-11-23T10:00:00.",
      "2026-11-23T10:00:00 Z",
      "2026-11-23T10:00:00Z ",
      " 2026-11-23",
      "2026-11-23T10:00:00ZZ",
      "2026-11-23T10:00:00UTC",
      "2026-11-23T10:00:00+5:30",
      "2026-11-23T10:00:00+05:3",
      "2026-11-23T10:00:00+05",
      "2026-11-23T10:00:00+24:00",
      "2026-11-23T10:00:00+05:60",
      "2026-11-23T10:00:00+05:30x",
      "2026-11-23T10:00:00+05::30",
      "-",
      "+",
      "-x",
      "--5m",
      "-5m ",
      "-1.5h",
      "99999999999999999999",
      "1763892000123.5",
  };
  for (const char* text : invalid) {
    INFO(text);
    auto time = evt::parse_time(text, k_now);
    REQUIRE_FALSE(time.ok());
    CHECK(time.error().kind == evt::ErrorKind::usage);
    CHECK_THAT(time.error().message, Catch::Matchers::Contains(std::string(text)));
  }
}

TEST_CASE("time: parse_time error messages say what is accepted", "[time]") {
  auto iso = evt::parse_time("2026-02-30", k_now);
  REQUIRE_FALSE(iso.ok());
  CHECK_THAT(iso.error().message, Catch::Matchers::StartsWith("invalid time \"2026-02-30\""));
  CHECK_THAT(iso.error().message, Catch::Matchers::Contains("2026-11-23T10:00:00Z"));
  auto relative = evt::parse_time("-5x", k_now);
  REQUIRE_FALSE(relative.ok());
  CHECK_THAT(relative.error().message,
             Catch::Matchers::StartsWith("invalid relative time \"-5x\""));
  auto large = evt::parse_time("99999999999999999999", k_now);
  REQUIRE_FALSE(large.ok());
  CHECK_THAT(large.error().message, Catch::Matchers::Contains("too large"));
}

TEST_CASE("time: format_iso_utc", "[time]") {
  struct Case {
    std::int64_t ms;
    const char* text;
  };
  const std::vector<Case> cases = {
      {0, "1970-01-01T00:00:00.000Z"},
      {1, "1970-01-01T00:00:00.001Z"},
      {999, "1970-01-01T00:00:00.999Z"},
      {1000, "1970-01-01T00:00:01.000Z"},
      {1763892000123, "2025-11-23T10:00:00.123Z"},
      {1795428000000, "2026-11-23T10:00:00.000Z"},
      {951782400000, "2000-02-29T00:00:00.000Z"},
      {1709164800000 + k_day - 1, "2024-02-29T23:59:59.999Z"},
      {-1, "1969-12-31T23:59:59.999Z"},
      {-999, "1969-12-31T23:59:59.001Z"},
      {-1000, "1969-12-31T23:59:59.000Z"},
      {-1001, "1969-12-31T23:59:58.999Z"},
      {-k_day, "1969-12-31T00:00:00.000Z"},
      {-2203891200000, "1900-03-01T00:00:00.000Z"},
      {-62135596800000, "0001-01-01T00:00:00.000Z"},
      {253402300799999, "9999-12-31T23:59:59.999Z"},
  };
  for (const Case& c : cases) {
    INFO(c.ms);
    CHECK(evt::format_iso_utc(c.ms) == std::string(c.text));
  }
}

TEST_CASE("time: format_iso_utc and parse_time round-trip", "[time]") {
  std::mt19937_64 random(7);
  std::uniform_int_distribution<std::int64_t> any(-62135596800000, 253402300799999);
  for (int i = 0; i < 2000; ++i) {
    const std::int64_t ms = any(random);
    const std::string text = evt::format_iso_utc(ms);
    INFO(ms << " " << text);
    auto back = evt::parse_time(text, k_now);
    REQUIRE(back.ok());
    CHECK(*back == ms);
  }
}

TEST_CASE("time: now_epoch_ms is the wall clock", "[time]") {
  const std::int64_t now = evt::now_epoch_ms();
  CHECK(now > 1'700'000'000'000);  // after November 2023
  auto parsed = evt::parse_time("now", now);
  REQUIRE(parsed.ok());
  CHECK(*parsed == now);
}
