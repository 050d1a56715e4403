// SPDX-License-Identifier: MIT
#pragma once

// librdkafka's handle types, declared without librdkafka: the kafka headers that code outside
// lib/evt/kafka includes name these only as opaque pointers, so ops/ and cmd/ compile without
// rdkafka.h (tests/unit/librdkafka_boundary_test.cpp checks that). The typedefs are the ones
// rdkafka.h declares (repeating a typedef of the same type is allowed); the calls on these
// handles stay in lib/evt/kafka/*.cpp.
extern "C" {
typedef struct rd_kafka_s rd_kafka_t;
typedef struct rd_kafka_topic_s rd_kafka_topic_t;
typedef struct rd_kafka_conf_s rd_kafka_conf_t;
typedef struct rd_kafka_queue_s rd_kafka_queue_t;
typedef struct rd_kafka_op_s rd_kafka_event_t;
typedef struct rd_kafka_error_s rd_kafka_error_t;
typedef struct rd_kafka_AdminOptions_s rd_kafka_AdminOptions_t;
typedef struct rd_kafka_message_s rd_kafka_message_t;
typedef struct rd_kafka_metadata rd_kafka_metadata_t;
typedef struct rd_kafka_topic_partition_list_s rd_kafka_topic_partition_list_t;
}
