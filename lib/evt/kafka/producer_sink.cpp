// SPDX-License-Identifier: MIT
// The DeliverySink of a real producer: topic handles and librdkafka's partition "any" stay here.
#include <string>

#include <librdkafka/rdkafka.h>

#include "evt/kafka/delivery_sink.hpp"
#include "evt/kafka/producer.hpp"

namespace evt::kafka {

namespace {

class ProducerSink final : public DeliverySink {
 public:
  explicit ProducerSink(std::unique_ptr<Producer> producer) : m_producer(std::move(producer)) {}

  Result<void> send(const OutgoingRecord& record) override {
    // One topic handle lookup per change of topic, not per record.
    if (m_topic == nullptr || record.topic != m_topic_name) {
      m_topic_name.assign(record.topic);
      m_topic = m_producer->topic(m_topic_name);
    }
    return m_producer->send(m_topic,
                            record.partition < 0 ? RD_KAFKA_PARTITION_UA : record.partition,
                            record.key,
                            record.value,
                            record.headers,
                            record.header_count,
                            record.timestamp,
                            record.input);
  }
  void poll(std::chrono::milliseconds wait) override {
    m_producer->poll(static_cast<int>(wait.count()));
  }
  bool flush(std::chrono::milliseconds timeout) override { return m_producer->flush(timeout); }
  void purge() override { m_producer->purge(); }
  const DeliveryStats& stats() const override { return m_producer->stats(); }
  std::vector<DeliveryReport>& reports() override { return m_producer->reports(); }
  bool transactional() const override { return m_producer->transactional(); }
  Result<void> begin_transaction() override { return m_producer->begin_transaction(); }
  Result<void> commit_transaction(std::chrono::milliseconds timeout) override {
    return m_producer->commit_transaction(timeout);
  }
  Result<void> abort_transaction(std::chrono::milliseconds timeout) override {
    return m_producer->abort_transaction(timeout);
  }
  Result<void> check_reachable(const std::string& topic) override {
    return m_producer->check_reachable(topic);
  }
  Result<std::int32_t> partition_count(const std::string& topic) override {
    return m_producer->partition_count(topic);
  }
  std::int64_t max_message_bytes() const override { return m_producer->max_message_bytes(); }

 private:
  std::unique_ptr<Producer> m_producer;
  std::string m_topic_name;
  rd_kafka_topic_t* m_topic = nullptr;
};

}  // namespace

Result<std::unique_ptr<DeliverySink>> open_delivery_sink(const config::ResolvedConfig& config,
                                                         const Log& log,
                                                         const ProducerOptions& options) {
  auto producer = Producer::create(config, log, options);
  if (!producer) {
    return std::move(producer).take_error();
  }
  return std::unique_ptr<DeliverySink>(new ProducerSink(std::move(*producer)));
}

}  // namespace evt::kafka
