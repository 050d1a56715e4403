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
#include "evt/kafka/fetch_nudger.hpp"
#include "evt/kafka/message_view.hpp"
#include "evt/kafka/read_errors.hpp"
#include "evt/kafka/record_reader.hpp"

namespace evt::kafka {

/// Reads partition ranges directly (no group, as kcat -C): the records of [start, end) of each
/// range, in offset order per partition, never one outside it. It owns
/// - where each range ends (a partition stops fetching at its end; `end` once all are done),
/// - a start past the end of a partition: the records are waited for, and those before the
///   start skipped as they are written (librdkafka would otherwise read from offset 0),
/// - offsets out of range while reading (records deleted by retention): said, and the read
///   continues at the new beginning; never followed silently,
/// - the fetch nudger (FetchNudger), and the read error policy (ReadErrors).
class RangeReader final : public RecordReader {
 public:
  /// `headers`: whether records carry their headers (parsing them costs, and a loop whose
  /// output shows none may do without).
  RangeReader(Consumer& consumer, const Log& log, ReadPolicy policy, bool headers = true);
  ~RangeReader() override;
  RangeReader(const RangeReader&) = delete;
  RangeReader& operator=(const RangeReader&) = delete;

  Result<ReadEvent> next(std::chrono::milliseconds wait) override;
  Result<void> add(const std::vector<PartitionRange>& ranges) override;
  void written(const std::map<TopicPartition, std::int64_t>&) override {}
  std::vector<PartitionRange> remaining() const override;

 private:
  struct Partition {
    TopicPartition key;
    rd_kafka_topic_t* handle = nullptr;
    std::int64_t next = 0;        // the next offset to hand out
    std::int64_t skip_below = 0;  // records below were not asked for (a start past the end)
    std::optional<std::int64_t> end;
    int out_of_range_tries = 0;  // in a row, for an offset the broker holds
    bool fetching = false;
    bool done = false;
  };

  // The partition of a message (cached per topic handle), or null when it is none of ours.
  Partition* partition_of(const rd_kafka_message_t* message);
  Result<void> on_error(const rd_kafka_message_t* message);
  // The fetch position of `partition` is out of range: find out why and continue properly.
  Result<void> out_of_range(Partition& partition, const std::string& reason);
  // Fetches `partition` from `offset` on (stopping it first when it is fetching).
  Result<void> restart_at(Partition& partition, std::int64_t offset);
  void finish(Partition& partition);
  // A bounded partition whose position reached its end with no record to show is done.
  void close_passed_ranges();
  void watch_queue(std::size_t taken, std::size_t taken_bytes);

  Consumer& m_consumer;
  const Log& m_log;
  ReadErrors m_errors;
  bool m_headers;
  MessageViewer m_viewer;
  MessageBatch m_batch;
  std::size_t m_index = 0;
  // Nodes are stable: the cache below points into them.
  std::map<TopicPartition, std::unique_ptr<Partition>> m_partitions;
  std::unordered_map<const rd_kafka_topic_t*, std::vector<Partition*>> m_cache;
  std::size_t m_open = 0;       // bounded partitions not yet done
  std::size_t m_following = 0;  // unbounded partitions
  // The local queue's mean record size, and whether it has been full since the last nudge.
  double m_record_bytes = 0;
  bool m_queue_was_full = false;
  std::unique_ptr<FetchNudger> m_nudger;
};

}  // namespace evt::kafka
