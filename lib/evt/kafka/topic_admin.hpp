// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "evt/error.hpp"
#include "evt/kafka/admin_connection.hpp"

namespace evt::kafka {

/// A topic to create; -1 partitions or replicas leave the count to the broker's defaults
/// (num.partitions, default.replication.factor).
struct NewTopicSpec {
  std::string name;
  std::int32_t partitions = -1;
  std::int32_t replicas = -1;
  std::vector<std::pair<std::string, std::string>> configs;
};

/// What the broker answered for one topic of a request: nothing (done) or an Error whose
/// message is the broker's in full.
struct TopicOutcome {
  std::string topic;
  std::optional<Error> error;
  bool already_exists = false;  ///< create: TOPIC_ALREADY_EXISTS
};

/// CreateTopics (validate-only for a dry run). The request fails as a whole only when it was
/// not answered; each topic's refusal is in its outcome.
Result<std::vector<TopicOutcome>> create_topics(AdminConnection& connection,
                                                const std::vector<NewTopicSpec>& topics,
                                                bool validate_only);

/// DeleteTopics, one outcome per topic.
Result<std::vector<TopicOutcome>> delete_topics(AdminConnection& connection,
                                                const std::vector<std::string>& topics);

/// CreatePartitions: grows `topic` to `total` partitions (validate-only for a dry run).
Result<void> create_partitions(AdminConnection& connection,
                               const std::string& topic,
                               std::int32_t total,
                               bool validate_only);

/// One entry of a topic's configuration as DescribeConfigs reports it.
struct TopicConfigEntry {
  std::string name;
  std::optional<std::string> value;  ///< nullopt when sensitive (the broker never says)
  bool set_on_topic = false;         ///< source DYNAMIC_TOPIC_CONFIG: an override of this topic
  bool sensitive = false;
  bool read_only = false;
};

/// DescribeConfigs of a topic, every entry (inherited ones too).
Result<std::vector<TopicConfigEntry>> describe_topic_config(AdminConnection& connection,
                                                            const std::string& topic);

/// AlterConfigs of a topic: `overrides` becomes the topic's whole set of overrides (librdkafka
/// 2.0.2 has no IncrementalAlterConfigs; every entry not in `overrides` reverts to its
/// inherited value). Validate-only for a dry run.
Result<void> replace_topic_config(AdminConnection& connection,
                                  const std::string& topic,
                                  const std::vector<std::pair<std::string, std::string>>& overrides,
                                  bool validate_only);

/// DeleteRecords: deletes the records of each partition below its offset. Returns each
/// partition's new low watermark.
Result<std::map<std::int32_t, std::int64_t>> delete_records(
    AdminConnection& connection,
    const std::string& topic,
    const std::map<std::int32_t, std::int64_t>& before);

}  // namespace evt::kafka
