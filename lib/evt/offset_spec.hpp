// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "evt/error.hpp"

namespace evt {

/// One position in a partition, before it is resolved against the partition's watermarks.
struct Position {
  enum class Kind {
    beginning,        ///< the low watermark
    end,              ///< the high watermark as it was when evt started
    stored,           ///< the consumer group's committed offset
    absolute,         ///< offset `value`
    before_end,       ///< `value` records before the end (-N)
    after_beginning,  ///< `value` records after the beginning (+N)
    time,             ///< the first record with timestamp >= `value` (epoch ms)
  };
  Kind kind = Kind::beginning;
  std::int64_t value = 0;

  bool operator==(const Position&) const = default;
};

/// FROM[:TO]; `to` is exclusive and absent when the range is open (follow).
struct OffsetRange {
  Position from;
  std::optional<Position> to;

  bool operator==(const OffsetRange&) const = default;
};

/// The whole `-o` specification: a default range and per-partition overrides.
struct OffsetSpec {
  OffsetRange all;
  std::map<std::int32_t, OffsetRange> per_partition;

  const OffsetRange& for_partition(std::int32_t partition) const {
    auto it = per_partition.find(partition);
    return it == per_partition.end() ? all : it->second;
  }
  bool operator==(const OffsetSpec&) const = default;
};

/// Parses one position: beginning|start|oldest|earliest, end|newest|latest, stored, N, -N, +N,
/// @TIME (see parse_time). `now_ms` anchors relative times.
Result<Position> parse_position(std::string_view text, std::int64_t now_ms);

/// Fails (usage) when `range` is empty or inverted whatever the partition holds: 10:5, 5:5,
/// end:beginning, -1:-3, @T2:@T1... `shown` names the range in the message.
Result<void> check_range_not_empty(const OffsetRange& range, std::string_view shown);

/// Parses FROM, FROM:TO or :TO (FROM defaults to beginning); an empty range is an error.
Result<OffsetRange> parse_offset_range(std::string_view text, std::int64_t now_ms);

/// Parses every `-o` argument: each is a range for all partitions, or P=RANGE for partition P;
/// two for all partitions, or two for one partition, are an error.
/// With no arguments the result is `default_range`.
Result<OffsetSpec> parse_offset_spec(const std::vector<std::string>& args,
                                     std::int64_t now_ms,
                                     OffsetRange default_range = {});

/// Parses replay's --from and --to: each value is one position (not a range) for all partitions,
/// or P=POSITION for partition P; "stored" is refused. A partition named only in `to` starts
/// where all partitions start; one named only in `from` ends where all partitions end. Two
/// values for the same partitions and an empty or inverted range are errors.
Result<OffsetSpec> parse_range_ends(const std::vector<std::string>& from,
                                    const std::vector<std::string>& to,
                                    std::int64_t now_ms);

/// A readable form of a position, for plans and error messages.
std::string describe(const Position& position);

}  // namespace evt
