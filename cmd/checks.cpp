// SPDX-License-Identifier: MIT
#include "cmd/checks.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>

#include <fmt/format.h>

namespace evt::cmd {

namespace {

// The whole of `text` as an integer; nullopt when it is not one (or out of int64's range).
std::optional<std::int64_t> whole_number(const std::string& text) {
  std::int64_t value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (begin != end && *begin == '+') {
    ++begin;
  }
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end || begin == end) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

CLI::Validator non_negative_integer() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        const auto value = whole_number(text);
        if (!value) {
          return fmt::format("\"{}\" is not a whole number", text);
        }
        if (*value < 0) {
          return fmt::format("{} is negative; it must be 0 or more", text);
        }
        return {};
      },
      "N>=0",
      "non-negative integer");
}

CLI::Validator positive_count() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        const auto value = whole_number(text);
        if (!value) {
          return fmt::format("\"{}\" is not a whole number", text);
        }
        if (*value < 1) {
          return fmt::format("{} records: the count must be at least 1", text);
        }
        return {};
      },
      "N>=1",
      "count");
}

CLI::Validator records_per_second() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size()) {
          return fmt::format("\"{}\" is not a number of records per second", text);
        }
        if (!std::isfinite(value) || value < k_min_rate) {
          return fmt::format(
              "{} records per second: it must be a number from {} up", text, "0.000001");
        }
        return {};
      },
      "RATE",
      "records per second");
}

}  // namespace evt::cmd
