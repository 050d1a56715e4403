// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace evt::cmd {

// Checks of numeric flag values that name the value in plain words. CLI11's own
// (NonNegativeNumber, PositiveNumber) print their bound as a 300-digit float, and an unsigned
// option takes "-5" as a huge number.

/// A whole number, 0 or more (partitions, -n).
CLI::Validator non_negative_integer();

/// A whole number, 1 or more (-c/--count).
CLI::Validator positive_count();

/// Records per second for --rate: a finite number from k_min_rate up (below it the interval
/// between two records does not fit the clocks' range).
CLI::Validator records_per_second();
inline constexpr double k_min_rate = 0.000001;

}  // namespace evt::cmd
