// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "evt/error.hpp"
#include "evt/kafka/topic_partition.hpp"
#include "evt/record.hpp"

namespace evt::kafka {

/// Where to read one partition: [start, end), or from start on when `end` is absent.
struct PartitionRange {
  std::string topic;
  std::int32_t partition = 0;
  std::int64_t start = 0;
  std::optional<std::int64_t> end;
};

/// What RecordReader::next() found.
struct ReadEvent {
  enum class Kind {
    record,  ///< `record` holds the next record
    idle,    ///< nothing arrived within the wait
    end,     ///< every bounded range is done and nothing is followed
  };
  Kind kind = Kind::idle;
  /// Valid until the next call of next().
  RecordView record;
  /// More records are ready without waiting: a loop may hold its output back for them.
  bool more_ready = false;
};

/// How a reader treats errors. The reader always fails on what no retry can fix: a topic or
/// partition that does not exist (not_found), refused authorization (auth), a fatal client
/// error (kafka). Everything else is retried; what a subcommand may decide is here.
struct ReadPolicy {
  /// How long the reader waits while every broker is down before it fails with `unreachable`
  /// (exit 3). nullopt: wait for them as long as it takes, saying so once.
  std::optional<std::chrono::milliseconds> unreachable_after;
  /// Transient errors (retried by the client) are warnings, each once per partition; false:
  /// only with -v (a terminal view that must not be cluttered).
  bool warn_transient = true;
};

/// A source of records: the seam between the streaming loops (consume, tail, replay) and Kafka.
/// The real ones read partition ranges (RangeReader) or a consumer group's assignment
/// (GroupReader); tests give the loops a scripted fake.
class RecordReader {
 public:
  virtual ~RecordReader() = default;

  /// The next record (in offset order within each partition), `idle` when none arrived within
  /// `wait`, or `end`. An error ends the read (see ReadPolicy).
  virtual Result<ReadEvent> next(std::chrono::milliseconds wait) = 0;

  /// Starts reading more ranges (tail: partitions added while it follows).
  virtual Result<void> add(const std::vector<PartitionRange>& ranges) = 0;

  /// The records before these offsets (per partition: the next offset to read) reached their
  /// reader: a group commits them. Other readers ignore it.
  virtual void written(const std::map<TopicPartition, std::int64_t>& next_offsets) = 0;

  /// What is left to read: per partition not finished, from the next offset it would read to
  /// the range's end (none when followed). Where a rerun resumes; empty for a group, whose
  /// commits say that.
  virtual std::vector<PartitionRange> remaining() const = 0;
};

}  // namespace evt::kafka
