// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include "evt/kafka/rdkafka_fwd.hpp"

namespace evt::kafka {

/// RAII owners of librdkafka objects. Destruction order matters to librdkafka (topics, queues and
/// messages before their rd_kafka_t); owners of those live inside the client classes, which
/// declare them after the handle so they are destroyed first.
struct KafkaDeleter {
  void operator()(rd_kafka_t* rk) const;
};
struct ConfDeleter {
  void operator()(rd_kafka_conf_t* conf) const;
};
struct TopicDeleter {
  void operator()(rd_kafka_topic_t* topic) const;
};
struct QueueDeleter {
  void operator()(rd_kafka_queue_t* queue) const;
};
struct MessageDeleter {
  void operator()(rd_kafka_message_t* message) const;
};
struct MetadataDeleter {
  void operator()(const rd_kafka_metadata_t* metadata) const;
};
struct PartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* list) const;
};
struct EventDeleter {
  void operator()(rd_kafka_event_t* event) const;
};
struct AdminOptionsDeleter {
  void operator()(rd_kafka_AdminOptions_t* options) const;
};
struct ErrorDeleter {
  void operator()(rd_kafka_error_t* error) const;
};

using KafkaPtr = std::unique_ptr<rd_kafka_t, KafkaDeleter>;
using ConfPtr = std::unique_ptr<rd_kafka_conf_t, ConfDeleter>;
using TopicPtr = std::unique_ptr<rd_kafka_topic_t, TopicDeleter>;
using QueuePtr = std::unique_ptr<rd_kafka_queue_t, QueueDeleter>;
using MessagePtr = std::unique_ptr<rd_kafka_message_t, MessageDeleter>;
using MetadataPtr = std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter>;
using PartitionListPtr = std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter>;
using EventPtr = std::unique_ptr<rd_kafka_event_t, EventDeleter>;
using AdminOptionsPtr = std::unique_ptr<rd_kafka_AdminOptions_t, AdminOptionsDeleter>;
using KafkaErrorPtr = std::unique_ptr<rd_kafka_error_t, ErrorDeleter>;

}  // namespace evt::kafka
