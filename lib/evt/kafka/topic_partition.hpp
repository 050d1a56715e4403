// SPDX-License-Identifier: MIT
#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace evt::kafka {

/// One partition of one topic: the key of everything evt tracks per partition.
struct TopicPartition {
  std::string topic;
  std::int32_t partition = -1;

  auto operator<=>(const TopicPartition&) const = default;
  bool operator==(const TopicPartition&) const = default;
};

/// "topic/partition", as messages name a partition.
inline std::string to_string(const TopicPartition& tp) {
  return tp.topic + "/" + std::to_string(tp.partition);
}

}  // namespace evt::kafka
