// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "evt/kafka/metadata.hpp"

namespace evt::ops {

using PartitionKey = std::pair<std::string, std::int32_t>;

/// What a metadata refresh adds to a running tail: the partitions of `topics` not in `following`
/// and allowed by `only` (-p; empty allows all). A partition without a leader yet (just created,
/// or in an election) waits for a later refresh, when its offsets can be read.
std::vector<PartitionKey> new_partitions(const std::vector<kafka::TopicInfo>& topics,
                                         const std::set<std::int32_t>& only,
                                         const std::set<PartitionKey>& following);

}  // namespace evt::ops
