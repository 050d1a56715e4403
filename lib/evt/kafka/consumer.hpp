// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "evt/error.hpp"
#include "evt/kafka/client.hpp"
#include "evt/kafka/fetch_nudger.hpp"
#include "evt/kafka/rdkafka_fwd.hpp"
#include "evt/kafka/record_reader.hpp"
#include "evt/kafka/topic_handles.hpp"
#include "evt/kafka/topic_partition.hpp"

namespace evt::kafka {

/// Messages polled from librdkafka, owned until cleared.
class MessageBatch {
 public:
  MessageBatch() = default;
  ~MessageBatch() { clear(); }
  MessageBatch(const MessageBatch&) = delete;
  MessageBatch& operator=(const MessageBatch&) = delete;

  void clear();
  std::vector<rd_kafka_message_t*>& messages() { return m_messages; }
  std::size_t size() const { return m_messages.size(); }
  rd_kafka_message_t* operator[](std::size_t i) const { return m_messages[i]; }

 private:
  std::vector<rd_kafka_message_t*> m_messages;
};

/// Options for a consumer; group == nullopt means partitions are assigned directly and nothing
/// is committed.
struct ConsumerOptions {
  std::optional<std::string> group;
  /// Where a group member without a committed offset starts; "error" for a RangeReader, which
  /// handles an offset out of range itself.
  std::string offset_reset = "earliest";
  int fetch_wait_ms = 100;  ///< low: the mock holds empty fetches this long
  bool commit = true;       ///< with a group: commit stored offsets
  /// isolation.level: read_committed skips aborted transactions and stops at the last stable
  /// offset (what a copy wants); false shows every record written (what a look wants).
  bool read_committed = true;
};

/// A consumer in one of two modes: direct assignment (librdkafka's queue consumer, no group
/// coordinator involved, as kcat -C) or group membership (subscribe, commits).
class Consumer {
 public:
  static Result<std::unique_ptr<Consumer>> create(const config::ResolvedConfig& config,
                                                  const Log& log,
                                                  const ConsumerOptions& options);
  ~Consumer();
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  Client& client() { return *m_client; }
  bool in_group() const { return m_options.group.has_value(); }
  /// The group of a group member; nullopt in direct mode.
  const std::optional<std::string>& group() const { return m_options.group; }

  /// Direct mode: starts fetching every range (absolute offsets) into one queue.
  Result<void> start(const std::vector<PartitionRange>& ranges);
  /// Direct mode: stops fetching one partition.
  void stop(const std::string& topic, std::int32_t partition);

  /// Group mode: joins the group and subscribes (names starting with ^ are regexes).
  Result<void> subscribe(const std::vector<std::string>& topics);
  /// Group mode: the partitions assigned right now.
  std::vector<TopicPartition> assignment();
  /// The next offset the application reads in each partition (-1 while unknown). It moves
  /// past transaction markers and aborted records, which are never delivered as messages.
  std::map<TopicPartition, std::int64_t> positions(const std::vector<TopicPartition>& partitions);

  /// Waits up to `timeout_ms` for a first message, then takes whatever else is ready, up to
  /// `max` in all. Returns the number added to `out`.
  std::size_t poll(int timeout_ms, MessageBatch& out, std::size_t max);
  /// Wakes a poll() blocked in another thread (or the next one).
  void wake();
  /// The queue every partition read directly forwards into (the consumer queue in a group).
  rd_kafka_queue_t* queue() { return m_queue.get(); }
  /// The bounds of that queue in direct mode (queued.min.messages, queued.max.messages.kbytes
  /// in bytes); zero in a group.
  std::size_t queue_records() const { return m_queue_records; }
  std::size_t queue_bytes() const { return m_queue_bytes; }

  /// Group mode: marks offsets (next offset to read) as safe to commit.
  void store_offsets(const std::map<TopicPartition, std::int64_t>& next);
  /// Group mode: commits stored offsets now and leaves the group.
  Result<void> close();

  /// The offset and timestamp of the first record at or after `offset` (direct mode, before
  /// start()). nullopt when there is none within the timeout.
  Result<std::optional<std::pair<std::int64_t, std::int64_t>>> record_at(const std::string& topic,
                                                                         std::int32_t partition,
                                                                         std::int64_t offset);

  /// The first offset in [from, to) whose record's timestamp is >= `time_ms` (`to` when none),
  /// reading the records in order (direct mode, before start()). `scanned` counts them.
  Result<std::int64_t> first_at_or_after(const std::string& topic,
                                         std::int32_t partition,
                                         std::int64_t from,
                                         std::int64_t to,
                                         std::int64_t time_ms,
                                         std::int64_t& scanned);

  /// Committed offsets of this consumer's group for these partitions (-1 when none).
  Result<std::map<std::int32_t, std::int64_t>> committed(
      const std::string& topic, const std::vector<std::int32_t>& partitions);

  /// The broker's offsets-for-times answer: per partition the first offset with timestamp >=
  /// `time_ms`, or -1 ("none", which the mock broker answers for everything).
  Result<std::map<std::int32_t, std::int64_t>> offsets_for_time(
      const std::string& topic, const std::vector<std::int32_t>& partitions, std::int64_t time_ms);

  rd_kafka_topic_t* topic(const std::string& name);

  /// A sibling consumer for short probes (record_at), made on first use. A probe's fetcher
  /// runs into the end of the partition, where the broker holds the fetch for
  /// fetch.wait.max.ms before the next probe can start; the prober waits only 5 ms.
  Result<Consumer*> prober();

 private:
  Consumer() = default;

  // Nudges parked fetchers when a queueful that stopped them has been read (direct mode).
  void watch_queue(std::size_t taken, std::size_t taken_bytes);

  ConsumerOptions m_options;
  std::unique_ptr<Client> m_client;
  // Destroyed before the client (declared after it).
  TopicHandles m_topics;
  QueuePtr m_queue;
  std::vector<std::pair<rd_kafka_topic_t*, std::int32_t>> m_started;
  bool m_closed = false;
  const Log* m_log = nullptr;
  std::unique_ptr<Consumer> m_prober;
  // The local queue's bounds (queued.min.messages, queued.max.messages.kbytes in bytes), the
  // mean size of a record read, and whether the queue has been full since the last nudge.
  std::size_t m_queue_records = 0;
  std::size_t m_queue_bytes = 0;
  double m_record_bytes = 0;
  bool m_queue_was_full = false;
  std::unique_ptr<FetchNudger> m_nudger;
};

}  // namespace evt::kafka
