// SPDX-License-Identifier: MIT
#include "evt/kafka/topic_admin.hpp"

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include "evt/kafka/admin_request.hpp"
#include "evt/kafka/consumer.hpp"

namespace evt::kafka {

namespace {

Client& client_of(AdminConnection& connection) {
  return connection.consumer().client();
}

std::vector<TopicOutcome> topic_outcomes(const rd_kafka_topic_result_t** results,
                                         std::size_t count,
                                         const char* verb) {
  std::vector<TopicOutcome> outcomes;
  for (std::size_t i = 0; i < count; ++i) {
    TopicOutcome outcome;
    outcome.topic = rd_kafka_topic_result_name(results[i]);
    if (const rd_kafka_resp_err_t err = rd_kafka_topic_result_error(results[i])) {
      outcome.already_exists = err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS;
      outcome.error = broker_refusal(err,
                                     fmt::format("{} topic \"{}\"", verb, outcome.topic),
                                     rd_kafka_topic_result_error_string(results[i]));
    }
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

}  // namespace

Result<std::vector<TopicOutcome>> create_topics(AdminConnection& connection,
                                                const std::vector<NewTopicSpec>& topics,
                                                bool validate_only) {
  Client& client = client_of(connection);
  std::vector<rd_kafka_NewTopic_t*> requests;
  struct Cleanup {
    std::vector<rd_kafka_NewTopic_t*>& list;
    ~Cleanup() { rd_kafka_NewTopic_destroy_array(list.data(), list.size()); }
  } cleanup{requests};
  for (const NewTopicSpec& topic : topics) {
    char reason[512] = "";
    rd_kafka_NewTopic_t* request = rd_kafka_NewTopic_new(
        topic.name.c_str(), topic.partitions, topic.replicas, reason, sizeof reason);
    if (!request) {
      return fail(ErrorKind::usage, fmt::format("topic \"{}\": {}", topic.name, reason));
    }
    requests.push_back(request);
    for (const auto& [name, value] : topic.configs) {
      if (rd_kafka_NewTopic_set_config(request, name.c_str(), value.c_str())) {
        return fail(ErrorKind::usage, fmt::format("-c {}={}: not a valid config", name, value));
      }
    }
  }
  auto event = run_admin_request(
      client,
      RD_KAFKA_ADMIN_OP_CREATETOPICS,
      "CreateTopics",
      AdminRequestOptions{validate_only, true},
      [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
        rd_kafka_CreateTopics(client.handle(), requests.data(), requests.size(), options, queue);
      });
  if (!event) {
    return std::move(event).take_error();
  }
  std::size_t count = 0;
  const rd_kafka_topic_result_t** results =
      rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event->get()), &count);
  return topic_outcomes(results, count, "creating");
}

Result<std::vector<TopicOutcome>> delete_topics(AdminConnection& connection,
                                                const std::vector<std::string>& topics) {
  Client& client = client_of(connection);
  std::vector<rd_kafka_DeleteTopic_t*> requests;
  struct Cleanup {
    std::vector<rd_kafka_DeleteTopic_t*>& list;
    ~Cleanup() { rd_kafka_DeleteTopic_destroy_array(list.data(), list.size()); }
  } cleanup{requests};
  for (const std::string& topic : topics) {
    requests.push_back(rd_kafka_DeleteTopic_new(topic.c_str()));
  }
  auto event = run_admin_request(
      client,
      RD_KAFKA_ADMIN_OP_DELETETOPICS,
      "DeleteTopics",
      AdminRequestOptions{false, true},
      [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
        rd_kafka_DeleteTopics(client.handle(), requests.data(), requests.size(), options, queue);
      });
  if (!event) {
    return std::move(event).take_error();
  }
  std::size_t count = 0;
  const rd_kafka_topic_result_t** results =
      rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(event->get()), &count);
  return topic_outcomes(results, count, "deleting");
}

Result<void> create_partitions(AdminConnection& connection,
                               const std::string& topic,
                               std::int32_t total,
                               bool validate_only) {
  Client& client = client_of(connection);
  char reason[512] = "";
  rd_kafka_NewPartitions_t* request = rd_kafka_NewPartitions_new(
      topic.c_str(), static_cast<std::size_t>(total), reason, sizeof reason);
  if (!request) {
    return fail(ErrorKind::usage, fmt::format("--to {}: {}", total, reason));
  }
  struct Cleanup {
    rd_kafka_NewPartitions_t* request;
    ~Cleanup() { rd_kafka_NewPartitions_destroy(request); }
  } cleanup{request};
  auto event =
      run_admin_request(client,
                        RD_KAFKA_ADMIN_OP_CREATEPARTITIONS,
                        "CreatePartitions",
                        AdminRequestOptions{validate_only, true},
                        [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
                          rd_kafka_CreatePartitions(client.handle(), &request, 1, options, queue);
                        });
  if (!event) {
    return std::move(event).take_error();
  }
  std::size_t count = 0;
  const rd_kafka_topic_result_t** results = rd_kafka_CreatePartitions_result_topics(
      rd_kafka_event_CreatePartitions_result(event->get()), &count);
  for (const TopicOutcome& outcome : topic_outcomes(results, count, "adding partitions to")) {
    if (outcome.error) {
      return Unexpected{*outcome.error};
    }
  }
  return {};
}

Result<std::vector<TopicConfigEntry>> describe_topic_config(AdminConnection& connection,
                                                            const std::string& topic) {
  Client& client = client_of(connection);
  rd_kafka_ConfigResource_t* resource =
      rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.c_str());
  struct Cleanup {
    rd_kafka_ConfigResource_t* resource;
    ~Cleanup() { rd_kafka_ConfigResource_destroy(resource); }
  } cleanup{resource};
  auto event =
      run_admin_request(client,
                        RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS,
                        "DescribeConfigs",
                        AdminRequestOptions{},
                        [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
                          rd_kafka_DescribeConfigs(client.handle(), &resource, 1, options, queue);
                        });
  if (!event) {
    return std::move(event).take_error();
  }
  std::size_t resource_count = 0;
  const rd_kafka_ConfigResource_t** resources = rd_kafka_DescribeConfigs_result_resources(
      rd_kafka_event_DescribeConfigs_result(event->get()), &resource_count);
  std::vector<TopicConfigEntry> entries;
  for (std::size_t r = 0; r < resource_count; ++r) {
    if (const rd_kafka_resp_err_t err = rd_kafka_ConfigResource_error(resources[r])) {
      if (err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
        return fail(ErrorKind::not_found,
                    fmt::format("topic \"{}\" not found on {}", topic, client.brokers()),
                    "list topics with 'evt inspect topics'");
      }
      return Unexpected{broker_refusal(err,
                                       fmt::format("describing the configs of topic \"{}\"", topic),
                                       rd_kafka_ConfigResource_error_string(resources[r]))};
    }
    std::size_t count = 0;
    const rd_kafka_ConfigEntry_t** configs = rd_kafka_ConfigResource_configs(resources[r], &count);
    for (std::size_t i = 0; i < count; ++i) {
      TopicConfigEntry entry;
      entry.name = rd_kafka_ConfigEntry_name(configs[i]);
      entry.sensitive = rd_kafka_ConfigEntry_is_sensitive(configs[i]) != 0;
      entry.read_only = rd_kafka_ConfigEntry_is_read_only(configs[i]) != 0;
      entry.set_on_topic =
          rd_kafka_ConfigEntry_source(configs[i]) == RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG;
      if (const char* value = rd_kafka_ConfigEntry_value(configs[i]); value && !entry.sensitive) {
        entry.value = value;
      }
      entries.push_back(std::move(entry));
    }
  }
  return entries;
}

Result<void> replace_topic_config(AdminConnection& connection,
                                  const std::string& topic,
                                  const std::vector<std::pair<std::string, std::string>>& overrides,
                                  bool validate_only) {
  Client& client = client_of(connection);
  rd_kafka_ConfigResource_t* resource =
      rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.c_str());
  struct Cleanup {
    rd_kafka_ConfigResource_t* resource;
    ~Cleanup() { rd_kafka_ConfigResource_destroy(resource); }
  } cleanup{resource};
  for (const auto& [name, value] : overrides) {
    if (rd_kafka_ConfigResource_set_config(resource, name.c_str(), value.c_str())) {
      return fail(ErrorKind::usage, fmt::format("-c {}={}: not a valid config", name, value));
    }
  }
  auto event =
      run_admin_request(client,
                        RD_KAFKA_ADMIN_OP_ALTERCONFIGS,
                        "AlterConfigs",
                        AdminRequestOptions{validate_only, false},
                        [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
                          rd_kafka_AlterConfigs(client.handle(), &resource, 1, options, queue);
                        });
  if (!event) {
    return std::move(event).take_error();
  }
  std::size_t count = 0;
  const rd_kafka_ConfigResource_t** resources = rd_kafka_AlterConfigs_result_resources(
      rd_kafka_event_AlterConfigs_result(event->get()), &count);
  for (std::size_t r = 0; r < count; ++r) {
    if (const rd_kafka_resp_err_t err = rd_kafka_ConfigResource_error(resources[r])) {
      return Unexpected{broker_refusal(err,
                                       fmt::format("altering the configs of topic \"{}\"", topic),
                                       rd_kafka_ConfigResource_error_string(resources[r]))};
    }
  }
  return {};
}

Result<std::map<std::int32_t, std::int64_t>> delete_records(
    AdminConnection& connection,
    const std::string& topic,
    const std::map<std::int32_t, std::int64_t>& before) {
  Client& client = client_of(connection);
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(before.size())));
  for (const auto& [partition, offset] : before) {
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), partition)->offset = offset;
  }
  rd_kafka_DeleteRecords_t* request = rd_kafka_DeleteRecords_new(list.get());
  struct Cleanup {
    rd_kafka_DeleteRecords_t* request;
    ~Cleanup() { rd_kafka_DeleteRecords_destroy(request); }
  } cleanup{request};
  auto event =
      run_admin_request(client,
                        RD_KAFKA_ADMIN_OP_DELETERECORDS,
                        "DeleteRecords",
                        AdminRequestOptions{false, true},
                        [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
                          rd_kafka_DeleteRecords(client.handle(), &request, 1, options, queue);
                        });
  if (!event) {
    return std::move(event).take_error();
  }
  const rd_kafka_topic_partition_list_t* results =
      rd_kafka_DeleteRecords_result_offsets(rd_kafka_event_DeleteRecords_result(event->get()));
  std::map<std::int32_t, std::int64_t> lows;
  for (int i = 0; results && i < results->cnt; ++i) {
    const rd_kafka_topic_partition_t& result = results->elems[i];
    if (result.err) {
      return Unexpected{broker_refusal(
          result.err, fmt::format("deleting records of {}/{}", topic, result.partition), nullptr)};
    }
    lows[result.partition] = result.offset;
  }
  return lows;
}

}  // namespace evt::kafka
