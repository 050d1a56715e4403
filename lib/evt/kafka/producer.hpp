// SPDX-License-Identifier: MIT
// Internal to lib/evt/kafka: includes librdkafka, so no code outside lib/evt/kafka includes it
// (tests/unit/librdkafka_boundary_test.cpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <librdkafka/rdkafka.h>

#include "evt/error.hpp"
#include "evt/kafka/client.hpp"
#include "evt/kafka/producer_types.hpp"
#include "evt/kafka/topic_handles.hpp"
#include "evt/record.hpp"

namespace evt::kafka {

/// A librdkafka producer that never loses count: every queued record ends as delivered or
/// failed in `stats()`, via delivery reports served by poll() and flush().
class Producer {
 public:
  static Result<std::unique_ptr<Producer>> create(const config::ResolvedConfig& config,
                                                  const Log& log,
                                                  const ProducerOptions& options);
  ~Producer();
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  /// A topic handle, created once per name.
  rd_kafka_topic_t* topic(std::string_view name);

  /// Queues one record. Blocks (serving delivery reports) while librdkafka's queue is full.
  /// Fails only when the record can never be queued (too large, unknown partition, fatal error).
  Result<void> send(rd_kafka_topic_t* topic,
                    std::int32_t partition,
                    BytesView key,
                    BytesView value,
                    const HeaderView* headers,
                    std::size_t header_count,
                    std::int64_t timestamp,
                    std::uint64_t input);

  /// Serves delivery reports for up to `timeout_ms`.
  void poll(int timeout_ms);

  /// Waits until nothing is outstanding or `timeout` passes; returns true when all completed.
  bool flush(std::chrono::milliseconds timeout);

  /// Drops everything not yet delivered; each dropped record is reported as failed.
  void purge();

  /// Starts the transaction (transactional producers only).
  Result<void> begin_transaction();
  Result<void> commit_transaction(std::chrono::milliseconds timeout);
  Result<void> abort_transaction(std::chrono::milliseconds timeout);
  bool transactional() const { return m_options.transactional_id.has_value(); }

  /// Fails with the right exit kind when no broker can be reached within the client timeout.
  Result<void> check_reachable(const std::string& topic_name);

  /// Number of partitions of `topic_name`, from metadata.
  Result<std::int32_t> partition_count(const std::string& topic_name);

  /// False when the linked librdkafka cannot be made to send timestamp 0 (records stamped 0 are
  /// then refused rather than stored with the current time).
  static bool can_send_timestamp_zero();

  const DeliveryStats& stats() const { return m_stats; }
  std::vector<DeliveryReport>& reports() { return m_reports; }
  Client& client() { return *m_client; }
  std::int64_t max_message_bytes() const { return m_max_message_bytes; }

 private:
  Producer() = default;
  static void on_delivery(rd_kafka_t* rk, const rd_kafka_message_t* message, void* opaque);
  static rd_kafka_resp_err_t on_new(rd_kafka_t* rk,
                                    const rd_kafka_conf_t* conf,
                                    void* opaque,
                                    char* errstr,
                                    std::size_t errstr_size);
  static rd_kafka_resp_err_t on_send(rd_kafka_t* rk, rd_kafka_message_t* message, void* opaque);

  /// librdkafka reads a timestamp of 0 as "now"; the on_send interceptor sets it back to 0 on
  /// the record being queued while `wanted` is set (see producer.cpp).
  struct ZeroTimestamp {
    bool wanted = false;   ///< the record being queued has timestamp 0
    bool applied = false;  ///< the interceptor set it, and librdkafka reads 0 back
  };

  ProducerOptions m_options;
  DeliveryStats m_stats;
  std::vector<DeliveryReport> m_reports;
  std::int64_t m_max_message_bytes = 1000000;
  ZeroTimestamp m_zero_timestamp;
  std::unique_ptr<Client> m_client;
  // Declared after the client so they are destroyed first, as librdkafka requires.
  TopicHandles m_topics;
};

}  // namespace evt::kafka
