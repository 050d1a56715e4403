// SPDX-License-Identifier: MIT
#include "evt/kafka/message_view.hpp"

#include <librdkafka/rdkafka.h>

namespace evt::kafka {

namespace {

TimestampType type_of(rd_kafka_timestamp_type_t type) {
  switch (type) {
    case RD_KAFKA_TIMESTAMP_CREATE_TIME:
      return TimestampType::create;
    case RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME:
      return TimestampType::log_append;
    case RD_KAFKA_TIMESTAMP_NOT_AVAILABLE:
      break;
  }
  return TimestampType::not_available;
}

BytesView bytes_of(const void* data, std::size_t size) {
  return data ? BytesView{static_cast<const char*>(data), size} : BytesView{};
}

}  // namespace

const std::string& MessageViewer::topic_name(rd_kafka_topic_t* topic) {
  if (topic != m_last_topic) {
    m_last_topic = topic;
    m_last_name = rd_kafka_topic_name(topic);
  }
  return m_last_name;
}

RecordView MessageViewer::view(const rd_kafka_message_t* message, bool with_headers) {
  RecordView record;
  record.topic = topic_name(message->rkt);
  record.partition = message->partition;
  record.offset = message->offset;
  rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
  record.timestamp = rd_kafka_message_timestamp(message, &type);
  record.timestamp_type = type_of(type);
  record.key = bytes_of(message->key, message->key_len);
  record.value = bytes_of(message->payload, message->len);
  m_headers.clear();
  if (with_headers) {
    rd_kafka_headers_t* headers = nullptr;
    if (rd_kafka_message_headers(message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR && headers) {
      const char* name = nullptr;
      const void* value = nullptr;
      std::size_t size = 0;
      for (std::size_t i = 0;
           rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
           ++i) {
        m_headers.push_back(HeaderView{name, bytes_of(value, size)});
      }
    }
  }
  record.headers = m_headers.data();
  record.header_count = m_headers.size();
  return record;
}

Record to_record(const rd_kafka_message_t* message) {
  MessageViewer viewer;
  return copy_of(viewer.view(message, true));
}

}  // namespace evt::kafka
