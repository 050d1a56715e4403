// SPDX-License-Identifier: MIT
#include "evt/time_spec.hpp"

#include <cctype>
#include <charconv>
#include <ctime>

#include <fmt/format.h>

namespace evt {

namespace {

// The longest duration accepted: 10^12 seconds (about 31,700 years).
constexpr std::int64_t k_max_duration_ms = 1'000'000'000'000'000LL;

bool all_digits(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

// Reads exactly `width` digits at `pos`.
bool read_fixed(std::string_view text, std::size_t pos, std::size_t width, int& out) {
  if (pos + width > text.size()) {
    return false;
  }
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) {
      return false;
    }
    value = value * 10 + (text[i] - '0');
  }
  out = value;
  return true;
}

// Days from 1970-01-01 to a civil date (proleptic Gregorian), after Howard Hinnant's algorithm.
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

int days_in_month(int y, int m) {
  static constexpr int k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : k_days[m - 1];
}

Result<std::int64_t> parse_iso(std::string_view text) {
  auto bad = [&] {
    return fail(ErrorKind::usage,
                fmt::format("invalid time \"{}\": expected epoch milliseconds, an RFC 3339 time "
                            "like 2026-11-23T10:00:00Z, a date like 2026-11-23, a duration like "
                            "-15m, or now",
                            text));
  };
  int year = 0, month = 0, day = 0;
  if (!read_fixed(text, 0, 4, year) || text.size() < 10 || text[4] != '-' ||
      !read_fixed(text, 5, 2, month) || text[7] != '-' || !read_fixed(text, 8, 2, day)) {
    return bad();
  }
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) {
    return bad();
  }
  std::int64_t ms = days_from_civil(year, month, day) * 86'400'000;
  if (text.size() == 10) {
    return ms;
  }
  int hour = 0, minute = 0, second = 0;
  if ((text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !read_fixed(text, 11, 2, hour) ||
      text.size() < 16 || text[13] != ':' || !read_fixed(text, 14, 2, minute)) {
    return bad();
  }
  std::size_t pos = 16;
  if (pos < text.size() && text[pos] == ':') {
    if (!read_fixed(text, pos + 1, 2, second)) {
      return bad();
    }
    pos += 3;
  }
  if (hour > 23 || minute > 59 || second > 60) {
    return bad();
  }
  ms += (hour * 3600 + minute * 60 + second) * 1000LL;
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    ++pos;
    std::int64_t fraction_ms = 0;
    int digits = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      if (digits < 3) {
        fraction_ms = fraction_ms * 10 + (text[pos] - '0');
      }
      ++digits;
      ++pos;
    }
    if (digits == 0) {
      return bad();
    }
    for (int i = digits; i < 3; ++i) {
      fraction_ms *= 10;
    }
    ms += fraction_ms;
  }
  if (pos == text.size()) {
    return ms;  // no offset: UTC
  }
  if ((text[pos] == 'Z' || text[pos] == 'z') && pos + 1 == text.size()) {
    return ms;
  }
  if (text[pos] == '+' || text[pos] == '-') {
    const int sign = text[pos] == '+' ? 1 : -1;
    int offset_hours = 0, offset_minutes = 0;
    if (!read_fixed(text, pos + 1, 2, offset_hours)) {
      return bad();
    }
    std::size_t after = pos + 3;
    if (after < text.size() && text[after] == ':') {
      ++after;
    }
    if (!read_fixed(text, after, 2, offset_minutes) || after + 2 != text.size() ||
        offset_hours > 23 || offset_minutes > 59) {
      return bad();
    }
    return ms - sign * (offset_hours * 3600 + offset_minutes * 60) * 1000LL;
  }
  return bad();
}

}  // namespace

Result<std::chrono::milliseconds> parse_duration(std::string_view text) {
  auto bad = [&] {
    return fail(ErrorKind::usage,
                fmt::format("invalid duration \"{}\": expected a number with a unit (ms, s, m, h, "
                            "d), like 500ms, 30s, 1m30s or 7d",
                            text));
  };
  if (text.empty()) {
    return bad();
  }
  if (all_digits(text)) {
    std::int64_t seconds = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (ec != std::errc() || seconds > k_max_duration_ms / 1000) {
      return bad();
    }
    return std::chrono::milliseconds(seconds * 1000);
  }
  std::int64_t total_ms = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t digits_end = pos;
    while (digits_end < text.size() && std::isdigit(static_cast<unsigned char>(text[digits_end]))) {
      ++digits_end;
    }
    if (digits_end == pos || digits_end - pos > 12) {
      return bad();
    }
    std::int64_t amount = 0;
    std::from_chars(text.data() + pos, text.data() + digits_end, amount);
    std::size_t unit_end = digits_end;
    while (unit_end < text.size() && std::isalpha(static_cast<unsigned char>(text[unit_end]))) {
      ++unit_end;
    }
    const std::string_view unit = text.substr(digits_end, unit_end - digits_end);
    std::int64_t factor = 0;
    if (unit == "ms") {
      factor = 1;
    } else if (unit == "s") {
      factor = 1000;
    } else if (unit == "m") {
      factor = 60'000;
    } else if (unit == "h") {
      factor = 3'600'000;
    } else if (unit == "d") {
      factor = 86'400'000;
    } else {
      return bad();
    }
    // Stay far from int64 overflow: no duration evt takes needs more than the bare-number limit.
    if (amount > k_max_duration_ms / factor || total_ms + amount * factor > k_max_duration_ms) {
      return bad();
    }
    total_ms += amount * factor;
    pos = unit_end;
  }
  return std::chrono::milliseconds(total_ms);
}

Result<std::int64_t> parse_time(std::string_view text, std::int64_t now_ms) {
  if (text == "now") {
    return now_ms;
  }
  if (all_digits(text)) {
    std::int64_t epoch_ms = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), epoch_ms);
    if (ec != std::errc()) {
      return fail(ErrorKind::usage, fmt::format("invalid time \"{}\": number too large", text));
    }
    return epoch_ms;
  }
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    auto duration = parse_duration(text.substr(1));
    if (!duration) {
      return fail(ErrorKind::usage,
                  fmt::format("invalid relative time \"{}\": expected a duration like -15m, "
                              "-2h30m or -7d",
                              text));
    }
    const std::int64_t delta = duration->count();
    return text[0] == '-' ? now_ms - delta : now_ms + delta;
  }
  return parse_iso(text);
}

std::string format_duration(std::chrono::milliseconds duration) {
  return duration.count() % 1000 == 0 ? fmt::format("{}s", duration.count() / 1000)
                                      : fmt::format("{}ms", duration.count());
}

std::string format_iso_utc(std::int64_t epoch_ms) {
  std::int64_t seconds = epoch_ms / 1000;
  std::int64_t millis = epoch_ms % 1000;
  if (millis < 0) {
    millis += 1000;
    seconds -= 1;
  }
  const std::time_t as_time_t = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&as_time_t, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                     utc.tm_year + 1900,
                     utc.tm_mon + 1,
                     utc.tm_mday,
                     utc.tm_hour,
                     utc.tm_min,
                     utc.tm_sec,
                     millis);
}

std::int64_t now_epoch_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace evt
