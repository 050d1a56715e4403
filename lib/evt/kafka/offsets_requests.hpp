// SPDX-License-Identifier: MIT
// Internal to lib/evt/kafka: the ListOffsets requests behind query_all_watermarks, shared with
// the FetchNudger (which sends them only to wake the fetchers).
#pragma once

#include <cstdint>
#include <vector>

#include "evt/kafka/handles.hpp"
#include "evt/kafka/topic_partition.hpp"

namespace evt::kafka {

/// The partition lists of ListOffsets requests asking `which` offset (-2 earliest, -1 latest)
/// of every partition: one request for up to 256 partitions, above that requests of 64 (see
/// metadata.cpp for why).
std::vector<PartitionListPtr> offsets_requests(const std::vector<TopicPartition>& partitions,
                                               std::int64_t which);

}  // namespace evt::kafka
