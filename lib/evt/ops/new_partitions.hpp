// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "evt/kafka/metadata.hpp"
#include "evt/kafka/topic_partition.hpp"

namespace evt::ops {

/// What a metadata refresh adds to a running tail: the partitions of `topics` not in `following`
/// and allowed by `only` (-p; empty allows all). A partition without a leader yet (just created,
/// or in an election) waits for a later refresh, when its offsets can be read.
std::vector<kafka::TopicPartition> new_partitions(const std::vector<kafka::TopicInfo>& topics,
                                                  const std::set<std::int32_t>& only,
                                                  const std::set<kafka::TopicPartition>& following);

}  // namespace evt::ops
