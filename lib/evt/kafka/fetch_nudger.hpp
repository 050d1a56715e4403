// SPDX-License-Identifier: MIT
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "evt/kafka/client.hpp"
#include "evt/kafka/topic_partition.hpp"

namespace evt::kafka {

/// Restarts fetchers that librdkafka 2.0.2 parked on a full local queue.
///
/// When the queue a consumer reads from holds queued.min.messages records (or
/// queued.max.messages.kbytes of them), the broker thread stops fetching and only looks again
/// on its next event, up to a second later; fetch.queue.backoff.ms, which shortens that, arrived
/// in librdkafka 2.2. A reader slower than the brokers therefore stalls once per queueful. A
/// small request to each leader is such an event: nudge() sends ListOffsets (latest) for the
/// partitions being read from a thread of its own, so the caller never waits for it.
class FetchNudger {
 public:
  explicit FetchNudger(Client& client);
  ~FetchNudger();
  FetchNudger(const FetchNudger&) = delete;
  FetchNudger& operator=(const FetchNudger&) = delete;

  /// The partitions whose leaders a nudge reaches.
  void set_partitions(std::vector<TopicPartition> partitions);
  /// Asks for one nudge soon (several requests while one runs make one more).
  void nudge();

 private:
  void run(const std::stop_token& stop);

  Client& m_client;
  std::mutex m_mutex;
  std::condition_variable_any m_wanted;
  std::vector<TopicPartition> m_partitions;
  bool m_pending = false;
  std::jthread m_thread;  // last: started after every member it uses
};

}  // namespace evt::kafka
