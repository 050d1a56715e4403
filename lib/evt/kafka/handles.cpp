// SPDX-License-Identifier: MIT
#include "evt/kafka/handles.hpp"

#include <librdkafka/rdkafka.h>

namespace evt::kafka {

// Out of line, so that handles.hpp needs no rdkafka.h (see rdkafka_fwd.hpp).
void KafkaDeleter::operator()(rd_kafka_t* rk) const {
  rd_kafka_destroy(rk);
}
void ConfDeleter::operator()(rd_kafka_conf_t* conf) const {
  rd_kafka_conf_destroy(conf);
}
void TopicDeleter::operator()(rd_kafka_topic_t* topic) const {
  rd_kafka_topic_destroy(topic);
}
void QueueDeleter::operator()(rd_kafka_queue_t* queue) const {
  rd_kafka_queue_destroy(queue);
}
void MessageDeleter::operator()(rd_kafka_message_t* message) const {
  rd_kafka_message_destroy(message);
}
void MetadataDeleter::operator()(const rd_kafka_metadata_t* metadata) const {
  rd_kafka_metadata_destroy(metadata);
}
void PartitionListDeleter::operator()(rd_kafka_topic_partition_list_t* list) const {
  rd_kafka_topic_partition_list_destroy(list);
}
void EventDeleter::operator()(rd_kafka_event_t* event) const {
  rd_kafka_event_destroy(event);
}
void AdminOptionsDeleter::operator()(rd_kafka_AdminOptions_t* options) const {
  rd_kafka_AdminOptions_destroy(options);
}
void ErrorDeleter::operator()(rd_kafka_error_t* error) const {
  rd_kafka_error_destroy(error);
}

}  // namespace evt::kafka
