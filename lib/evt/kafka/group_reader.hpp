// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "evt/kafka/consumer.hpp"
#include "evt/kafka/message_view.hpp"
#include "evt/kafka/read_errors.hpp"
#include "evt/kafka/record_reader.hpp"

namespace evt::kafka {

/// What a group member reads: the group decides the partitions and where they start (its
/// committed offsets, or the reset policy for partitions without).
struct GroupReadOptions {
  /// -e: stop at the end each partition had when it was assigned.
  bool exit_at_end = false;
  /// Where a partition without a committed offset starts (-o end); else its beginning.
  bool start_at_end = false;
  bool headers = true;
};

/// Reads a consumer group's assignment (the consumer has subscribed). It owns where each
/// assigned partition ends with -e, the commits of what was written (written()), and the read
/// error policy (ReadErrors).
class GroupReader final : public RecordReader {
 public:
  GroupReader(Consumer& consumer, const Log& log, ReadPolicy policy, GroupReadOptions options);
  ~GroupReader() override = default;
  GroupReader(const GroupReader&) = delete;
  GroupReader& operator=(const GroupReader&) = delete;

  Result<ReadEvent> next(std::chrono::milliseconds wait) override;
  /// The group assigns partitions: ranges cannot be added.
  Result<void> add(const std::vector<PartitionRange>& ranges) override;
  void written(const std::map<TopicPartition, std::int64_t>& next_offsets) override;
  std::vector<PartitionRange> remaining() const override { return {}; }

 private:
  struct Partition {
    std::optional<std::int64_t> end;  // exclusive, with -e
    std::int64_t next = -1;           // -1: nothing read yet
    bool done = false;
  };

  Result<Partition*> partition_of(const rd_kafka_message_t* message);
  // -e: where each newly assigned partition ends, and whether it has anything to read.
  Result<void> track_assignment();
  // -e: a partition whose position reached its end with no record to show is done.
  void close_passed_partitions();
  bool finished() const;

  Consumer& m_consumer;
  GroupReadOptions m_options;
  ReadErrors m_errors;
  MessageViewer m_viewer;
  MessageBatch m_batch;
  std::size_t m_index = 0;
  std::map<TopicPartition, Partition> m_partitions;  // nodes are stable: cached below
  std::unordered_map<const rd_kafka_topic_t*, std::vector<Partition*>> m_cache;
  std::size_t m_open = 0;  // partitions with an end, not yet done
};

}  // namespace evt::kafka
