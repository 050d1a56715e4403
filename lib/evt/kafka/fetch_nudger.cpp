// SPDX-License-Identifier: MIT
#include "evt/kafka/fetch_nudger.hpp"

#include <algorithm>

#include "evt/kafka/handles.hpp"

namespace evt::kafka {

namespace {

// Requests of this many partitions keep librdkafka's answer matching cheap (metadata.cpp); a
// short timeout keeps a nudge that meets unreachable brokers from delaying the consumer's exit.
constexpr std::size_t k_partitions_per_request = 64;
constexpr int k_request_timeout_ms = 500;

}  // namespace

FetchNudger::FetchNudger(Client& client)
    : m_client(client), m_thread([this](const std::stop_token& stop) { run(stop); }) {}

FetchNudger::~FetchNudger() {
  m_thread.request_stop();
  m_wanted.notify_all();
}

void FetchNudger::set_partitions(std::vector<std::pair<std::string, std::int32_t>> partitions) {
  const std::lock_guard lock(m_mutex);
  m_partitions = std::move(partitions);
}

void FetchNudger::nudge() {
  {
    const std::lock_guard lock(m_mutex);
    m_pending = true;
  }
  m_wanted.notify_one();
}

void FetchNudger::run(const std::stop_token& stop) {
  std::unique_lock lock(m_mutex);
  while (m_wanted.wait(lock, stop, [this] { return m_pending; })) {
    m_pending = false;
    const auto partitions = m_partitions;
    lock.unlock();
    // The answer does not matter (a failure, e.g. while brokers are down, is fine too): the
    // request wakes the broker threads, which then fetch again.
    for (std::size_t first = 0; first < partitions.size() && !stop.stop_requested();
         first += k_partitions_per_request) {
      const std::size_t last = std::min(partitions.size(), first + k_partitions_per_request);
      PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(last - first)));
      for (std::size_t i = first; i < last; ++i) {
        rd_kafka_topic_partition_list_add(
            list.get(), partitions[i].first.c_str(), partitions[i].second)
            ->offset = -1;
      }
      (void)rd_kafka_offsets_for_times(m_client.handle(), list.get(), k_request_timeout_ms);
    }
    lock.lock();
  }
}

}  // namespace evt::kafka
