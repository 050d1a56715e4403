// SPDX-License-Identifier: MIT
#include "evt/ops/commit_tracker.hpp"

namespace evt::ops {

std::uint32_t CommitTracker::slot_of(std::string_view topic, std::int32_t partition) {
  // Records come in runs of one partition: the last slot is nearly always the one.
  if (m_last_slot < m_partitions.size()) {
    const kafka::TopicPartition& last = m_partitions[m_last_slot];
    if (last.partition == partition && last.topic == topic) {
      return m_last_slot;
    }
  }
  for (std::uint32_t slot = 0; slot < m_partitions.size(); ++slot) {
    if (m_partitions[slot].partition == partition && m_partitions[slot].topic == topic) {
      return m_last_slot = slot;
    }
  }
  m_partitions.push_back(kafka::TopicPartition{std::string(topic), partition});
  return m_last_slot = static_cast<std::uint32_t>(m_partitions.size() - 1);
}

void CommitTracker::note(std::string_view topic,
                         std::int32_t partition,
                         std::int64_t offset,
                         std::uint64_t byte_end) {
  if (m_active) {
    m_entries.push_back(Entry{slot_of(topic, partition), offset, byte_end});
  }
}

std::map<kafka::TopicPartition, std::int64_t> CommitTracker::taken(std::uint64_t bytes_taken) {
  std::map<kafka::TopicPartition, std::int64_t> next;
  while (!m_entries.empty() && m_entries.front().byte_end <= bytes_taken) {
    const Entry& entry = m_entries.front();
    next[m_partitions[entry.slot]] = entry.offset + 1;
    m_entries.pop_front();
  }
  return next;
}

}  // namespace evt::ops
