// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "evt/kafka/topic_partition.hpp"

namespace evt::ops {

/// Which records reached the reader of the output, for a group that commits only those. Each
/// record is noted with the output byte where it ends; what the reader has taken so far (a
/// byte count, see io::Output::bytes_taken) says which records it has.
class CommitTracker {
 public:
  explicit CommitTracker(bool active) : m_active(active) {}

  bool active() const { return m_active; }

  /// Record `offset` of `topic`/`partition` ends at output byte `byte_end`.
  void note(std::string_view topic,
            std::int32_t partition,
            std::int64_t offset,
            std::uint64_t byte_end);

  /// Per partition, the offset after the last record whose bytes were all taken, for the
  /// records not reported before; empty when there are none.
  std::map<kafka::TopicPartition, std::int64_t> taken(std::uint64_t bytes_taken);

 private:
  struct Entry {
    std::uint32_t slot;  // index into m_partitions
    std::int64_t offset;
    std::uint64_t byte_end;
  };

  std::uint32_t slot_of(std::string_view topic, std::int32_t partition);

  bool m_active;
  std::deque<Entry> m_entries;
  std::vector<kafka::TopicPartition> m_partitions;
  std::uint32_t m_last_slot = 0;
};

}  // namespace evt::ops
