// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

#include "evt/kafka/rdkafka_fwd.hpp"
#include "evt/record.hpp"

namespace evt::kafka {

/// Views librdkafka messages as RecordViews without copying their bytes. One viewer per loop:
/// the view (and its headers) is valid until the next call or until the message is destroyed.
class MessageViewer {
 public:
  /// The topic name of a topic handle (cached: the name lookup is not free).
  const std::string& topic_name(rd_kafka_topic_t* topic);

  RecordView view(const rd_kafka_message_t* message, bool with_headers);

 private:
  rd_kafka_topic_t* m_last_topic = nullptr;
  std::string m_last_name;
  std::vector<HeaderView> m_headers;
};

/// An owning copy of a message, for code that keeps records beyond the poll loop (tail, replay).
Record to_record(const rd_kafka_message_t* message);

}  // namespace evt::kafka
