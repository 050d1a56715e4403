// SPDX-License-Identifier: MIT
#include "evt/kafka/admin_connection.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "evt/kafka/admin.hpp"
#include "evt/kafka/consumer.hpp"
#include "evt/kafka/metadata.hpp"
#include "evt/kafka/range_resolver.hpp"

namespace evt::kafka {

AdminConnection::AdminConnection(std::unique_ptr<Consumer> consumer)
    : m_consumer(std::move(consumer)) {}

AdminConnection::~AdminConnection() = default;

Result<std::unique_ptr<AdminConnection>> AdminConnection::open(const config::ResolvedConfig& config,
                                                               const Log& log) {
  auto consumer = Consumer::create(config, log, ConsumerOptions{});
  if (!consumer) {
    return std::move(consumer).take_error();
  }
  return std::unique_ptr<AdminConnection>(new AdminConnection(std::move(*consumer)));
}

std::string AdminConnection::brokers() const {
  return m_consumer->client().brokers();
}

Result<AdminConnection::Layout> AdminConnection::layout(const std::string& topic) {
  auto info = fetch_topic(m_consumer->client(), topic);
  if (!info) {
    return std::move(info).take_error();
  }
  Layout layout;
  layout.partitions = static_cast<std::int32_t>(info->partitions.size());
  for (const PartitionInfo& partition : info->partitions) {
    layout.replicas =
        std::max(layout.replicas, static_cast<std::int32_t>(partition.replicas.size()));
  }
  return layout;
}

Result<TopicState> AdminConnection::topic_state(const std::string& topic) {
  auto info = fetch_topic(m_consumer->client(), topic);
  if (!info) {
    return std::move(info).take_error();
  }
  std::vector<TopicPartition> wanted;
  for (const PartitionInfo& partition : info->partitions) {
    wanted.push_back(TopicPartition{topic, partition.id});
  }
  auto marks = query_all_watermarks(m_consumer->client(), wanted);
  if (!marks) {
    return std::move(marks).take_error();
  }
  TopicState state;
  state.topic = topic;
  for (const PartitionInfo& partition : info->partitions) {
    const Watermarks& found = (*marks)[{topic, partition.id}];
    state.partitions.push_back(PartitionState{partition.id, found.low, found.high});
  }
  return state;
}

Result<std::int64_t> AdminConnection::offset_for_time(const std::string& topic,
                                                      const PartitionState& partition,
                                                      std::int64_t time_ms) {
  return find_offset_for_time(
      *m_consumer, topic, partition.partition, Watermarks{partition.low, partition.high}, time_ms);
}

Result<void> AdminConnection::require_controller(const std::string& request) {
  auto cluster = fetch_cluster(m_consumer->client(), TopicSelection::none);
  if (!cluster) {
    return std::move(cluster).take_error();
  }
  const bool has_controller =
      std::any_of(cluster->brokers.begin(), cluster->brokers.end(), [&](const BrokerInfo& broker) {
        return broker.id == cluster->controller;
      });
  if (!has_controller) {
    return fail(ErrorKind::unsupported,
                fmt::format("the broker does not support {} (it names no controller, as the local "
                            "'evt broker' does)",
                            request),
                "run this against a real Kafka cluster");
  }
  return {};
}

Result<void> AdminConnection::require_group_admin(const std::string& request) {
  if (m_group_admin < 0) {
    // Metadata first: brokers that do not answer are named as such, not as a failed listing.
    auto cluster = fetch_cluster(m_consumer->client(), TopicSelection::none);
    if (!cluster) {
      return std::move(cluster).take_error();
    }
    auto listed = list_groups(m_consumer->client());
    m_group_admin = 1;
    if (!listed) {
      const ErrorKind kind = listed.error().kind;
      if (kind == ErrorKind::unsupported) {
        m_group_admin = 0;
      } else if (kind == ErrorKind::unreachable || kind == ErrorKind::interrupted) {
        m_group_admin = -1;
        return std::move(listed).take_error();
      }
      // Anything else (not authorized to list groups, ...) says nothing about the request
      // itself, whose own answer will tell.
    }
  }
  if (m_group_admin == 0) {
    return fail(ErrorKind::unsupported,
                fmt::format("the broker does not support {} (it cannot list or describe consumer "
                            "groups, as the local 'evt broker' cannot)",
                            request),
                "run this against a real Kafka cluster");
  }
  return {};
}

}  // namespace evt::kafka
