// SPDX-License-Identifier: MIT
#include "evt/ops/new_partitions.hpp"

namespace evt::ops {

std::vector<kafka::TopicPartition> new_partitions(
    const std::vector<kafka::TopicInfo>& topics,
    const std::set<std::int32_t>& only,
    const std::set<kafka::TopicPartition>& following) {
  std::vector<kafka::TopicPartition> added;
  for (const kafka::TopicInfo& topic : topics) {
    for (const kafka::PartitionInfo& partition : topic.partitions) {
      kafka::TopicPartition key{topic.name, partition.id};
      if (following.contains(key) || (!only.empty() && !only.contains(partition.id)) ||
          partition.leader < 0 || partition.error) {
        continue;
      }
      added.push_back(std::move(key));
    }
  }
  return added;
}

}  // namespace evt::ops
