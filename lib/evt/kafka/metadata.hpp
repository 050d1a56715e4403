// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "evt/error.hpp"
#include "evt/kafka/topic_partition.hpp"

namespace evt::kafka {

class Client;

/// An error the cluster reported in metadata for a topic or a partition, in evt's terms:
/// Kafka's error code (0: none; negative: one the client library found itself) and its name as
/// Kafka spells it (LEADER_NOT_AVAILABLE), for showing. Filled in by kafka/ code only.
struct BrokerError {
  int code = 0;
  std::string name;

  explicit operator bool() const { return code != 0; }
  bool operator==(const BrokerError&) const = default;
};

struct BrokerInfo {
  std::int32_t id = -1;
  std::string host;
  int port = 0;
};

struct PartitionInfo {
  std::int32_t id = -1;
  std::int32_t leader = -1;
  std::vector<std::int32_t> replicas;
  std::vector<std::int32_t> isrs;
  BrokerError error;
};

struct TopicInfo {
  std::string name;
  std::vector<PartitionInfo> partitions;  ///< sorted by id
  BrokerError error;
};

struct ClusterInfo {
  std::string cluster_id;
  std::int32_t controller = -1;
  std::vector<BrokerInfo> brokers;  ///< sorted by id
  std::vector<TopicInfo> topics;    ///< sorted by name
};

enum class TopicSelection { none, all };

/// Cluster metadata; unreachable brokers give an `unreachable` error naming them.
Result<ClusterInfo> fetch_cluster(Client& client, TopicSelection topics);

/// Metadata of one topic; `not_found` when the broker says it does not exist.
Result<TopicInfo> fetch_topic(Client& client, const std::string& topic);

/// Low and high watermarks of a partition, asked of the broker (not cached).
struct Watermarks {
  std::int64_t low = 0;
  std::int64_t high = 0;
  std::int64_t count() const { return high - low; }
};
Result<Watermarks> query_watermarks(Client& client,
                                    const std::string& topic,
                                    std::int32_t partition);

/// The message for brokers that could not be reached.
std::string unreachable_message(const Client& client);

/// A refused login (ClientEvents::auth_failed): names the brokers, the SASL mechanism and the
/// broker's reason, never the password.
Unexpected auth_failure(Client& client);

/// Whether any broker answers a metadata request within `timeout` (a quick check, unlike
/// fetch_cluster, which waits up to the client's --timeout).
bool any_broker_answers(Client& client, std::chrono::milliseconds timeout);

}  // namespace evt::kafka

namespace evt::kafka {

/// Watermarks of many partitions in batched ListOffsets requests (earliest, latest), sent
/// concurrently, instead of one query per partition.
Result<std::map<TopicPartition, Watermarks>> query_all_watermarks(
    Client& client, const std::vector<TopicPartition>& partitions);

}  // namespace evt::kafka
