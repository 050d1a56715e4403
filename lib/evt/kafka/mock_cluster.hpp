// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "evt/error.hpp"
#include "evt/log.hpp"

namespace evt::kafka {

/// librdkafka's in-process mock cluster: real Kafka protocol on 127.0.0.1 TCP ports. This file
/// pair is the only place that includes rdkafka_mock.h ("experimental, subject to change").
/// Limits (librdkafka 2.0.2): random ports, 5 MiB per partition, topics named by a metadata
/// request are auto-created with 4 partitions, no CreateTopics/DescribeConfigs/ListGroups.
class MockCluster {
 public:
  static Result<std::unique_ptr<MockCluster>> start(int broker_count, const Log& log);
  ~MockCluster();
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;

  /// "127.0.0.1:port,..." of every broker.
  std::string bootstrap() const;
  int broker_count() const { return m_broker_count; }

  Result<void> create_topic(const std::string& name, int partitions, int replication = -1);

  // Fault injection, for tests and for users testing their own scripts.
  Result<void> broker_down(std::int32_t broker);
  Result<void> broker_up(std::int32_t broker);
  Result<void> broker_rtt(std::int32_t broker, int rtt_ms);
  /// The next `count` requests of API `api_key` fail with Kafka error `error_code`.
  Result<void> fail_requests(std::int16_t api_key, int count, int error_code);
  Result<void> set_leader(const std::string& topic, std::int32_t partition, std::int32_t broker);
  /// Metadata answers `error_code` for the topic (e.g. 3 = UNKNOWN_TOPIC_OR_PART).
  Result<void> set_topic_error(const std::string& topic, int error_code);
  /// Advertises only versions min..max of API `api_key` (as a broker without Produce v0).
  Result<void> set_api_versions(std::int16_t api_key, std::int16_t min, std::int16_t max);

 private:
  MockCluster() = default;
  struct Impl;
  std::unique_ptr<Impl> m_impl;
  int m_broker_count = 0;
};

/// Kafka API keys by name ("Produce", "Fetch", ...), for fault commands.
Result<std::int16_t> api_key_by_name(const std::string& name);
/// Kafka error codes by name ("NOT_LEADER_FOR_PARTITION", "REQUEST_TIMED_OUT", ...) or number.
Result<int> error_code_by_name(const std::string& name);

}  // namespace evt::kafka
