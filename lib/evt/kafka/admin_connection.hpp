// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "evt/config/resolve.hpp"
#include "evt/error.hpp"
#include "evt/log.hpp"

namespace evt::kafka {

class Consumer;

/// One partition's watermarks.
struct PartitionState {
  std::int32_t partition = 0;
  std::int64_t low = 0;
  std::int64_t high = 0;
};

/// A topic's partitions (sorted by id) with their watermarks as they are now.
struct TopicState {
  std::string topic;
  std::vector<PartitionState> partitions;
};

/// The client behind `evt topic` and `evt group`: admin requests, metadata, watermarks and
/// time lookups on one librdkafka handle (a consumer's, which never auto-creates topics).
/// Exposes no librdkafka types; topic_admin.hpp and group_admin.hpp hold the requests.
class AdminConnection {
 public:
  static Result<std::unique_ptr<AdminConnection>> open(const config::ResolvedConfig& config,
                                                       const Log& log);
  ~AdminConnection();
  AdminConnection(const AdminConnection&) = delete;
  AdminConnection& operator=(const AdminConnection&) = delete;

  /// The bootstrap list, for messages.
  std::string brokers() const;

  /// The partitions of `topic` and their watermarks; not_found when the topic does not exist.
  Result<TopicState> topic_state(const std::string& topic);
  /// Partition count and replication factor of `topic` (metadata only); not_found when it does
  /// not exist.
  struct Layout {
    std::int32_t partitions = 0;
    std::int32_t replicas = 0;
  };
  Result<Layout> layout(const std::string& topic);

  /// The first offset in [low, high) whose record timestamp is >= `time_ms` (high when none):
  /// the broker's offsets-for-times, or a search over record timestamps where the broker
  /// cannot answer (as for `consume -o @TIME`).
  Result<std::int64_t> offset_for_time(const std::string& topic,
                                       const PartitionState& partition,
                                       std::int64_t time_ms);

  /// Requests that go to the controller (CreateTopics, DeleteTopics, CreatePartitions,
  /// DescribeConfigs, AlterConfigs, DeleteRecords in librdkafka 2.0.2) only time out on a
  /// cluster that names no live controller, as librdkafka's mock (`evt broker`): fails at once
  /// with unsupported, "the broker does not support <request>".
  Result<void> require_controller(const std::string& request);
  /// The group admin requests (DescribeGroups, DeleteGroups, OffsetDelete): a broker without
  /// them (the mock) is found out by ListGroups, which fails cleanly where they would hang.
  Result<void> require_group_admin(const std::string& request);

  /// For the implementations in lib/evt/kafka only.
  Consumer& consumer() { return *m_consumer; }

 private:
  explicit AdminConnection(std::unique_ptr<Consumer> consumer);

  std::unique_ptr<Consumer> m_consumer;
  int m_group_admin = -1;  // unknown, 0 unsupported, 1 supported
};

}  // namespace evt::kafka
