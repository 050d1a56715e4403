// SPDX-License-Identifier: MIT
// A DeliverySink that keeps what it is sent and delivers or fails it as told, so that the
// delivery loops (produce, replay) and the sink's own policies (drain, the transaction's end)
// run in-process without Kafka.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "evt/kafka/delivery_sink.hpp"

namespace evt::test {

class FakeSink final : public kafka::DeliverySink {
 public:
  /// What send() was given, copied.
  struct Sent {
    std::string topic;
    std::int32_t partition = kafka::k_any_partition;
    Bytes key;
    Bytes value;
    std::vector<Header> headers;
    std::int64_t timestamp = -1;
    std::uint64_t input = 0;
  };

  Result<void> send(const kafka::OutgoingRecord& record) override {
    const std::string value(record.value.view());
    if (refuse_values.count(value)) {
      return fail(ErrorKind::usage,
                  "record of " + std::to_string(value.size()) + " bytes is too large");
    }
    Sent sent_record;
    sent_record.topic = std::string(record.topic);
    sent_record.partition = record.partition;
    if (!record.key.is_null()) {
      sent_record.key = std::string(record.key.view());
    }
    if (!record.value.is_null()) {
      sent_record.value = value;
    }
    for (std::size_t i = 0; i < record.header_count; ++i) {
      const HeaderView& header = record.headers[i];
      Header copy{std::string(header.name), std::nullopt};
      if (!header.value.is_null()) {
        copy.value = std::string(header.value.view());
      }
      sent_record.headers.push_back(std::move(copy));
    }
    sent_record.timestamp = record.timestamp;
    sent_record.input = record.input;
    sent.push_back(std::move(sent_record));
    m_pending.push_back(sent.size() - 1);
    ++m_stats.queued;
    return {};
  }

  void poll(std::chrono::milliseconds) override { complete(); }

  bool flush(std::chrono::milliseconds) override {
    ++flushes;
    if (on_flush) {
      on_flush(flushes);
    }
    complete();
    return m_stats.outstanding() == 0;
  }

  void purge() override {
    ++purges;
    while (!m_pending.empty()) {
      report(m_pending.front(), "Local: Purged in queue");
      m_pending.pop_front();
    }
  }

  const kafka::DeliveryStats& stats() const override { return m_stats; }
  std::vector<kafka::DeliveryReport>& reports() override { return m_reports; }

  bool transactional() const override { return is_transactional; }
  Result<void> begin_transaction() override {
    ++begins;
    return {};
  }
  Result<void> commit_transaction(std::chrono::milliseconds) override {
    ++commits;
    if (commit_error) {
      return Unexpected{*commit_error};
    }
    return {};
  }
  Result<void> abort_transaction(std::chrono::milliseconds) override {
    ++aborts;
    if (abort_error) {
      return Unexpected{*abort_error};
    }
    return {};
  }

  Result<void> check_reachable(const std::string&) override { return {}; }
  Result<std::int32_t> partition_count(const std::string&) override { return partitions; }
  std::int64_t max_message_bytes() const override { return 1000000; }

  /// How it behaves.
  std::set<std::string> fail_values;    ///< delivered as failed ("Broker: fake failure")
  std::set<std::string> refuse_values;  ///< send() refuses them (a usage error)
  bool hold = false;                    ///< nothing completes while set (a silent cluster)
  bool is_transactional = false;
  std::optional<Error> commit_error;
  std::optional<Error> abort_error;
  std::int32_t partitions = 4;
  std::function<void(int flush)> on_flush;  ///< called at each flush (from 1), before it works

  /// What the loop did with it.
  std::vector<Sent> sent;
  int flushes = 0;
  int purges = 0;
  int begins = 0;
  int commits = 0;
  int aborts = 0;

 private:
  void complete() {
    while (!hold && !m_pending.empty()) {
      const std::size_t index = m_pending.front();
      m_pending.pop_front();
      const Sent& record = sent[index];
      report(index, record.value && fail_values.count(*record.value) ? "Broker: fake failure" : "");
    }
  }

  void report(std::size_t index, const std::string& error) {
    const Sent& record = sent[index];
    if (error.empty()) {
      ++m_stats.delivered;
    } else {
      ++m_stats.failed;
      ++m_stats.failures[error];
      if (m_stats.first_failed_input == 0 || record.input < m_stats.first_failed_input) {
        m_stats.first_failed_input = record.input;
      }
    }
    m_reports.push_back(kafka::DeliveryReport{
        record.input, record.topic, 0, error.empty() ? 0 : -1, record.timestamp, error, false});
  }

  kafka::DeliveryStats m_stats;
  std::vector<kafka::DeliveryReport> m_reports;
  std::deque<std::size_t> m_pending;
};

}  // namespace evt::test
