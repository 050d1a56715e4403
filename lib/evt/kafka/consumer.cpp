// SPDX-License-Identifier: MIT
#include "evt/kafka/consumer.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include "evt/kafka/errors.hpp"
#include "evt/kafka/metadata.hpp"
#include "evt/kafka/read_record.hpp"

namespace evt::kafka {

namespace {

// A numeric property of a client as librdkafka resolved it (0 if unreadable).
std::size_t conf_number(rd_kafka_t* handle, const char* name) {
  char value[64];
  std::size_t size = sizeof value;
  if (rd_kafka_conf_get(rd_kafka_conf(handle), name, value, &size) != RD_KAFKA_CONF_OK) {
    return 0;
  }
  return static_cast<std::size_t>(std::strtoull(value, nullptr, 10));
}

// fetch.max.bytes: 1 MiB, or more when the user raised fetch.message.max.bytes (librdkafka
// refuses a fetch.max.bytes below it).
std::size_t fetch_max_bytes(const config::ResolvedConfig& config) {
  std::size_t bytes = 1 << 20;
  for (const char* name : {"fetch.message.max.bytes", "max.partition.fetch.bytes"}) {
    if (auto it = config.properties.find(name); it != config.properties.end()) {
      bytes = std::max<std::size_t>(bytes, std::strtoull(it->second.value.c_str(), nullptr, 10));
    }
  }
  return bytes;
}

}  // namespace

Result<std::unique_ptr<Consumer>> Consumer::create(const config::ResolvedConfig& config,
                                                   const Log& log,
                                                   const ConsumerOptions& options) {
  std::unique_ptr<Consumer> consumer(new Consumer());
  consumer->m_options = options;
  consumer->m_log = &log;
  ClientSpec spec;
  spec.role = Role::consumer;
  spec.config = &config;
  spec.log = &log;
  // Without a deep local queue librdkafka's fetcher stalls between requests; with the default
  // fetch.wait.max.ms an idle partition (or the end of a range) costs half a second.
  spec.defaults = {
      {"socket.nagle.disable", "true"},
      // What a reader slower than the brokers (a slow pipe) makes evt hold is the queue all
      // partitions forward into plus one fetch response landing on top of it, and it is
      // counted in records more than in bytes: librdkafka keeps about 330 bytes per queued
      // record besides its key and value. Hence 50k records (or 16 MiB of values) queued and
      // 1 MiB responses, which with 24-byte values hold 33k more records. With 100k records
      // and 4 MiB responses (130k such records), peak RSS was 73 or 106 MiB at random, the
      // larger more often on a busy machine; now it is 41 MiB (tests/cli/test_memory.cpp).
      // FetchNudger keeps the queue bound from stalling the fetchers. One partition's share of
      // a response is 1 MiB by librdkafka's default already (max.partition.fetch.bytes), so
      // only reading many partitions of one broker far away pays a round trip per MiB; a
      // user can raise fetch.max.bytes with -X. librdkafka keeps a response's buffer until
      // its last record is freed (by the main thread).
      {"queued.min.messages", "50000"},
      {"queued.max.messages.kbytes", "16384"},
      {"fetch.max.bytes", std::to_string(fetch_max_bytes(config))},
      {"fetch.wait.max.ms", std::to_string(options.fetch_wait_ms)},
      {"fetch.error.backoff.ms", "100"},
      {"enable.partition.eof", "false"},
      {"isolation.level", options.read_committed ? "read_committed" : "read_uncommitted"},
      {"auto.offset.reset", options.offset_reset},
      {"session.timeout.ms", "10000"},
      // A group's commits: librdkafka's 5 s would leave 5 s of records to read again after a
      // SIGKILL; one OffsetCommit a second costs little (evt-consume(1) states it).
      {"auto.commit.interval.ms", "1000"},
      {"heartbeat.interval.ms", "1000"},
  };
  if (options.group) {
    spec.required = {
        {"group.id", *options.group},
        // Offsets are stored only after their records reach stdout, then committed.
        {"enable.auto.offset.store", "false"},
        {"enable.auto.commit", options.commit ? "true" : "false"},
    };
  } else {
    spec.required = {{"enable.auto.commit", "false"}, {"enable.auto.offset.store", "false"}};
  }
  auto client = Client::create(spec);
  if (!client) {
    return std::move(client).take_error();
  }
  consumer->m_client = std::move(*client);
  if (options.group) {
    rd_kafka_poll_set_consumer(consumer->m_client->handle());
    consumer->m_queue.reset(rd_kafka_queue_get_consumer(consumer->m_client->handle()));
  } else {
    consumer->m_queue.reset(rd_kafka_queue_new(consumer->m_client->handle()));
    consumer->m_queue_records = conf_number(consumer->m_client->handle(), "queued.min.messages");
    consumer->m_queue_bytes =
        conf_number(consumer->m_client->handle(), "queued.max.messages.kbytes") * 1024;
  }
  return consumer;
}

Result<Consumer*> Consumer::prober() {
  if (m_prober != nullptr) {
    return m_prober.get();
  }
  ConsumerOptions options;
  options.fetch_wait_ms = 5;
  auto created = Consumer::create(m_client->config(), *m_log, options);
  if (!created) {
    return std::move(created).take_error();
  }
  m_prober = std::move(*created);
  return m_prober.get();
}

Consumer::~Consumer() {
  m_nudger.reset();  // its thread uses the client
  m_prober.reset();
  for (const auto& [topic, partition] : m_started) {
    rd_kafka_consume_stop(topic, partition);
  }
  m_started.clear();
  if (m_options.group && !m_closed && m_client && m_client->handle()) {
    rd_kafka_consumer_close(m_client->handle());
  }
  m_queue.reset();
  m_topics.clear();
  if (m_client) {
    m_client->destroy();
  }
}

rd_kafka_topic_t* Consumer::topic(const std::string& name) {
  return m_topics.get(m_client->handle(), name);
}

Result<void> Consumer::start(const std::vector<PartitionRange>& ranges) {
  for (const PartitionRange& range : ranges) {
    rd_kafka_topic_t* handle = topic(range.topic);
    if (rd_kafka_consume_start_queue(handle, range.partition, range.start, m_queue.get()) != 0) {
      return kafka_failure(rd_kafka_last_error(),
                           fmt::format("cannot start reading {}/{}", range.topic, range.partition));
    }
    m_started.emplace_back(handle, range.partition);
  }
  if (!m_started.empty() && m_queue_records > 0) {
    if (!m_nudger) {
      m_nudger = std::make_unique<FetchNudger>(*m_client);
    }
    std::vector<TopicPartition> partitions;
    for (const auto& [handle, partition] : m_started) {
      partitions.push_back(TopicPartition{rd_kafka_topic_name(handle), partition});
    }
    m_nudger->set_partitions(std::move(partitions));
  }
  return {};
}

void Consumer::stop(const std::string& topic_name, std::int32_t partition) {
  rd_kafka_topic_t* handle = topic(topic_name);
  for (auto it = m_started.begin(); it != m_started.end(); ++it) {
    if (it->first == handle && it->second == partition) {
      rd_kafka_consume_stop(handle, partition);
      m_started.erase(it);
      return;
    }
  }
}

Result<void> Consumer::subscribe(const std::vector<std::string>& topics) {
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(topics.size())));
  for (const std::string& name : topics) {
    rd_kafka_topic_partition_list_add(list.get(), name.c_str(), RD_KAFKA_PARTITION_UA);
  }
  const rd_kafka_resp_err_t err = rd_kafka_subscribe(m_client->handle(), list.get());
  if (err) {
    return kafka_failure(err, "cannot subscribe");
  }
  return {};
}

std::vector<TopicPartition> Consumer::assignment() {
  std::vector<TopicPartition> result;
  rd_kafka_topic_partition_list_t* raw = nullptr;
  if (rd_kafka_assignment(m_client->handle(), &raw) != RD_KAFKA_RESP_ERR_NO_ERROR || !raw) {
    return result;
  }
  PartitionListPtr list(raw);
  for (int i = 0; i < list->cnt; ++i) {
    result.push_back(TopicPartition{list->elems[i].topic, list->elems[i].partition});
  }
  return result;
}

std::map<TopicPartition, std::int64_t> Consumer::positions(
    const std::vector<TopicPartition>& partitions) {
  std::map<TopicPartition, std::int64_t> result;
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size())));
  for (const auto& [name, partition] : partitions) {
    rd_kafka_topic_partition_list_add(list.get(), name.c_str(), partition);
  }
  rd_kafka_position(m_client->handle(), list.get());
  for (int i = 0; i < list->cnt; ++i) {
    const auto& element = list->elems[i];
    result[{element.topic, element.partition}] = element.err ? -1 : element.offset;
  }
  return result;
}

void MessageBatch::clear() {
  for (rd_kafka_message_t* message : m_messages) {
    rd_kafka_message_destroy(message);
  }
  m_messages.clear();
}

std::size_t Consumer::poll(int timeout_ms, MessageBatch& out, std::size_t max) {
  auto& messages = out.messages();
  const std::size_t before = messages.size();
  rd_kafka_message_t* first = rd_kafka_consume_queue(m_queue.get(), timeout_ms);
  if (!first) {
    // The client's error and statistics callbacks (ClientEvents: every broker down, fatal
    // errors) run only when its main queue is served, which reading partitions directly does
    // not do.
    rd_kafka_poll(m_client->handle(), 0);
    return 0;
  }
  messages.push_back(first);
  // rd_kafka_consume_batch_queue blocks until `max` arrive or the timeout passes; with a zero
  // timeout it returns what is ready without waiting.
  const std::size_t room = max > 1 ? max - 1 : 0;
  if (room > 0) {
    messages.resize(before + 1 + room);
    const ssize_t got =
        rd_kafka_consume_batch_queue(m_queue.get(), 0, messages.data() + before + 1, room);
    messages.resize(before + 1 + static_cast<std::size_t>(got > 0 ? got : 0));
  }
  if (m_nudger) {
    std::size_t bytes = 0;
    for (std::size_t i = before; i < messages.size(); ++i) {
      bytes += messages[i]->len + messages[i]->key_len;
    }
    watch_queue(messages.size() - before, bytes);
  }
  return messages.size() - before;
}

void Consumer::watch_queue(std::size_t taken, std::size_t taken_bytes) {
  // The fetchers park when the queue reaches either bound, and the first poll after that sees
  // it (only polls drain it). Once the reader has worked the queue down to a quarter, a nudge
  // wakes them so the next records arrive before the queue runs dry.
  m_record_bytes = 0.9 * m_record_bytes + 0.1 * (static_cast<double>(taken_bytes) /
                                                 static_cast<double>(taken > 0 ? taken : 1));
  const auto queued = static_cast<std::size_t>(rd_kafka_queue_length(m_queue.get()));
  const double held_bytes = static_cast<double>(queued + taken) * m_record_bytes;
  if ((queued + taken) * 10 >= m_queue_records * 9 ||
      held_bytes * 10 >= static_cast<double>(m_queue_bytes) * 9) {
    m_queue_was_full = true;
  } else if (m_queue_was_full && queued * 4 < m_queue_records &&
             static_cast<double>(queued) * m_record_bytes * 4 <
                 static_cast<double>(m_queue_bytes)) {
    m_queue_was_full = false;
    m_nudger->nudge();
  }
}

void Consumer::wake() {
  rd_kafka_queue_yield(m_queue.get());
}

void Consumer::store_offsets(const std::map<TopicPartition, std::int64_t>& next) {
  if (!m_options.group || next.empty()) {
    return;
  }
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(next.size())));
  for (const auto& [key, offset] : next) {
    rd_kafka_topic_partition_list_add(list.get(), key.topic.c_str(), key.partition)->offset =
        offset;
  }
  const rd_kafka_resp_err_t err = rd_kafka_offsets_store(m_client->handle(), list.get());
  if (err && err != RD_KAFKA_RESP_ERR__STATE) {
    m_client->log().debug(fmt::format("offsets_store: {}", rd_kafka_err2str(err)));
  }
}

Result<void> Consumer::close() {
  if (!m_options.group || m_closed) {
    return {};
  }
  m_closed = true;
  const rd_kafka_resp_err_t err = rd_kafka_consumer_close(m_client->handle());
  if (err) {
    return kafka_failure(err, "cannot leave the consumer group cleanly");
  }
  return {};
}

Result<std::optional<std::pair<std::int64_t, std::int64_t>>> Consumer::record_at(
    const std::string& topic_name, std::int32_t partition, std::int64_t offset) {
  auto probe = prober();
  if (!probe) {
    return std::move(probe).take_error();
  }
  auto record = read_record((*probe)->client(), topic_name, partition, offset);
  if (!record) {
    return std::move(record).take_error();
  }
  if (!*record) {
    return std::optional<std::pair<std::int64_t, std::int64_t>>();
  }
  return std::optional(std::make_pair((*record)->offset, (*record)->timestamp));
}

Result<std::int64_t> Consumer::first_at_or_after(const std::string& topic_name,
                                                 std::int32_t partition,
                                                 std::int64_t from,
                                                 std::int64_t to,
                                                 std::int64_t time_ms,
                                                 std::int64_t& scanned) {
  auto probe = prober();
  if (!probe) {
    return std::move(probe).take_error();
  }
  return scan_for_time((*probe)->client(), topic_name, partition, from, to, time_ms, scanned);
}

Result<std::map<std::int32_t, std::int64_t>> Consumer::committed(
    const std::string& topic_name, const std::vector<std::int32_t>& partitions) {
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size())));
  for (std::int32_t partition : partitions) {
    rd_kafka_topic_partition_list_add(list.get(), topic_name.c_str(), partition);
  }
  const rd_kafka_resp_err_t err = rd_kafka_committed(
      m_client->handle(), list.get(), static_cast<int>(m_client->timeout().count()));
  if (err) {
    return kafka_failure(err, fmt::format("cannot read committed offsets of {}", topic_name));
  }
  std::map<std::int32_t, std::int64_t> result;
  for (int i = 0; i < list->cnt; ++i) {
    result[list->elems[i].partition] = list->elems[i].offset;
  }
  return result;
}

Result<std::map<std::int32_t, std::int64_t>> Consumer::offsets_for_time(
    const std::string& topic_name,
    const std::vector<std::int32_t>& partitions,
    std::int64_t time_ms) {
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size())));
  for (std::int32_t partition : partitions) {
    rd_kafka_topic_partition_list_add(list.get(), topic_name.c_str(), partition)->offset = time_ms;
  }
  const rd_kafka_resp_err_t err = rd_kafka_offsets_for_times(
      m_client->handle(), list.get(), static_cast<int>(m_client->timeout().count()));
  std::map<std::int32_t, std::int64_t> result;
  if (err) {
    // Callers fall back to searching record timestamps.
    m_client->log().debug(fmt::format("offsets_for_times: {}", rd_kafka_err2str(err)));
    for (std::int32_t partition : partitions) {
      result[partition] = -1;
    }
    return result;
  }
  for (int i = 0; i < list->cnt; ++i) {
    result[list->elems[i].partition] = list->elems[i].err ? -1 : list->elems[i].offset;
  }
  return result;
}

}  // namespace evt::kafka
