// SPDX-License-Identifier: MIT
#include "evt/kafka/read_record.hpp"

#include <chrono>

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include "evt/kafka/errors.hpp"
#include "evt/kafka/message_view.hpp"

namespace evt::kafka {

Result<std::optional<Record>> read_record(Client& client,
                                          const std::string& topic,
                                          std::int32_t partition,
                                          std::int64_t offset) {
  TopicPtr handle(rd_kafka_topic_new(client.handle(), topic.c_str(), nullptr));
  QueuePtr queue(rd_kafka_queue_new(client.handle()));
  if (rd_kafka_consume_start_queue(handle.get(), partition, offset, queue.get()) != 0) {
    return kafka_failure(rd_kafka_last_error(), fmt::format("cannot read {}/{}", topic, partition));
  }
  std::optional<Record> found;
  std::optional<Error> failure;
  const auto deadline = std::chrono::steady_clock::now() + client.timeout();
  while (std::chrono::steady_clock::now() < deadline) {
    rd_kafka_message_t* raw = rd_kafka_consume_queue(queue.get(), 100);
    if (!raw) {
      continue;
    }
    MessagePtr message(raw);
    if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      continue;
    }
    if (message->err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE) {
      break;
    }
    if (message->err) {
      failure = Error{kind_for(message->err),
                      fmt::format("cannot read {}/{} at {}: {}",
                                  topic,
                                  partition,
                                  offset,
                                  rd_kafka_message_errstr(message.get())),
                      {}};
      break;
    }
    found = to_record(message.get());
    break;
  }
  rd_kafka_consume_stop(handle.get(), partition);
  while (rd_kafka_message_t* rest = rd_kafka_consume_queue(queue.get(), 0)) {
    rd_kafka_message_destroy(rest);
  }
  if (failure) {
    return Unexpected{*failure};
  }
  return found;
}

Result<std::int64_t> scan_for_time(Client& client,
                                   const std::string& topic,
                                   std::int32_t partition,
                                   std::int64_t from,
                                   std::int64_t to,
                                   std::int64_t time_ms,
                                   std::int64_t& scanned) {
  if (from >= to) {
    return to;
  }
  TopicPtr handle(rd_kafka_topic_new(client.handle(), topic.c_str(), nullptr));
  QueuePtr queue(rd_kafka_queue_new(client.handle()));
  if (rd_kafka_consume_start_queue(handle.get(), partition, from, queue.get()) != 0) {
    return kafka_failure(rd_kafka_last_error(), fmt::format("cannot read {}/{}", topic, partition));
  }
  std::int64_t found = to;
  std::optional<Error> failure;
  // The deadline is for the next record, not the whole scan: a long range is fine while it flows.
  auto deadline = std::chrono::steady_clock::now() + client.timeout();
  for (;;) {
    if (std::chrono::steady_clock::now() >= deadline) {
      failure = Error{ErrorKind::unreachable,
                      fmt::format("timed out reading {}/{} at offset {}", topic, partition, from),
                      {}};
      break;
    }
    rd_kafka_message_t* raw = rd_kafka_consume_queue(queue.get(), 100);
    if (!raw) {
      continue;
    }
    MessagePtr message(raw);
    if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF ||
        message->err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE) {
      break;  // nothing more to read: no record in the range is that late
    }
    if (message->err) {
      failure = Error{
          kind_for(message->err),
          fmt::format(
              "cannot read {}/{}: {}", topic, partition, rd_kafka_message_errstr(message.get())),
          {}};
      break;
    }
    if (message->offset >= to) {
      break;
    }
    ++scanned;
    if (rd_kafka_message_timestamp(message.get(), nullptr) >= time_ms) {
      found = message->offset;
      break;
    }
    deadline = std::chrono::steady_clock::now() + client.timeout();
  }
  rd_kafka_consume_stop(handle.get(), partition);
  while (rd_kafka_message_t* rest = rd_kafka_consume_queue(queue.get(), 0)) {
    rd_kafka_message_destroy(rest);
  }
  if (failure) {
    return Unexpected{*failure};
  }
  return found;
}

}  // namespace evt::kafka
