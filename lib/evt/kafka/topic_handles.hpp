// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "evt/kafka/handles.hpp"
#include "evt/kafka/rdkafka_fwd.hpp"

namespace evt::kafka {

/// The topic handles of one client, each created once per name. Its owner declares it after
/// the client (or clears it first): librdkafka wants topics destroyed before their client.
class TopicHandles {
 public:
  /// The handle of `name` on `client`, made on first use.
  rd_kafka_topic_t* get(rd_kafka_t* client, std::string_view name);
  void clear() { m_handles.clear(); }

 private:
  // Ordered, with transparent lookup: finding a name (per record, with topics from -f json)
  // builds no string.
  std::map<std::string, TopicPtr, std::less<>> m_handles;
};

}  // namespace evt::kafka
