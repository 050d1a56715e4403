// SPDX-License-Identifier: MIT
#include "evt/kafka/fetch_nudger.hpp"

#include <librdkafka/rdkafka.h>

#include "evt/kafka/offsets_requests.hpp"

namespace evt::kafka {

namespace {

// A short timeout keeps a nudge that meets unreachable brokers from delaying the exit.
constexpr int k_request_timeout_ms = 500;

}  // namespace

FetchNudger::FetchNudger(Client& client)
    : m_client(client), m_thread([this](const std::stop_token& stop) { run(stop); }) {}

FetchNudger::~FetchNudger() {
  m_thread.request_stop();
  m_wanted.notify_all();
}

void FetchNudger::set_partitions(std::vector<TopicPartition> partitions) {
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
    for (PartitionListPtr& list : offsets_requests(partitions, -1)) {
      if (stop.stop_requested()) {
        break;
      }
      (void)rd_kafka_offsets_for_times(m_client.handle(), list.get(), k_request_timeout_ms);
    }
    lock.lock();
  }
}

}  // namespace evt::kafka
