// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "evt/error.hpp"
#include "evt/kafka/consumer.hpp"
#include "evt/kafka/metadata.hpp"
#include "evt/offset_spec.hpp"

namespace evt::kafka {

/// How ranges end when the spec does not say.
struct RangeOptions {
  bool exit_at_end = false;       ///< -e: stop at the high watermark as it is now
  std::optional<Position> until;  ///< --until: an end for every partition
};

/// One resolved partition, with what was known when resolving.
struct ResolvedRange {
  PartitionRange range;
  Watermarks watermarks;
  std::int64_t missing = 0;  ///< records requested but already deleted by retention
};

/// Turns an offset spec into absolute [start, end) per partition of each topic, from the
/// watermarks as they are now. @TIME uses the broker's offsets-for-times and, where the broker
/// cannot answer (the local mock always says "none"), a search over record timestamps.
/// `partitions` limits the partitions (empty: all). Notes for -v go to the log.
Result<std::vector<ResolvedRange>> resolve_ranges(Consumer& consumer,
                                                  const std::vector<TopicInfo>& topics,
                                                  const std::set<std::int32_t>& partitions,
                                                  const OffsetSpec& spec,
                                                  const RangeOptions& options);

/// The first offset in [low, high) whose record timestamp is >= `time_ms` (high when none).
Result<std::int64_t> find_offset_for_time(Consumer& consumer,
                                          const std::string& topic,
                                          std::int32_t partition,
                                          const Watermarks& watermarks,
                                          std::int64_t time_ms);

}  // namespace evt::kafka
