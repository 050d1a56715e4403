// SPDX-License-Identifier: MIT
#include "evt/kafka/topic_handles.hpp"

#include <librdkafka/rdkafka.h>

namespace evt::kafka {

rd_kafka_topic_t* TopicHandles::get(rd_kafka_t* client, std::string_view name) {
  auto it = m_handles.find(name);
  if (it != m_handles.end()) {
    return it->second.get();
  }
  std::string key(name);
  rd_kafka_topic_t* handle = rd_kafka_topic_new(client, key.c_str(), nullptr);
  m_handles.emplace(std::move(key), TopicPtr(handle));
  return handle;
}

}  // namespace evt::kafka
