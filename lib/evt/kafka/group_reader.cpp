// SPDX-License-Identifier: MIT
#include "evt/kafka/group_reader.hpp"

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include "evt/kafka/metadata.hpp"

namespace evt::kafka {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t k_batch_size = 4096;

}  // namespace

GroupReader::GroupReader(Consumer& consumer,
                         const Log& log,
                         ReadPolicy policy,
                         GroupReadOptions options)
    : m_consumer(consumer),
      m_options(options),
      m_errors(consumer.client(),
               log,
               policy,
               consumer.group() ? fmt::format("group \"{}\"", *consumer.group())
                                : std::string("the consumer")) {}

Result<void> GroupReader::add(const std::vector<PartitionRange>& ranges) {
  if (ranges.empty()) {
    return {};
  }
  return fail(ErrorKind::internal, "a consumer group assigns its partitions itself");
}

void GroupReader::written(const std::map<TopicPartition, std::int64_t>& next_offsets) {
  m_consumer.store_offsets(next_offsets);
}

bool GroupReader::finished() const {
  return m_options.exit_at_end && m_open == 0 && !m_partitions.empty();
}

Result<void> GroupReader::track_assignment() {
  if (!m_options.exit_at_end) {
    return {};
  }
  for (const TopicPartition& key : m_consumer.assignment()) {
    if (m_partitions.count(key)) {
      continue;
    }
    auto marks = query_watermarks(m_consumer.client(), key.topic, key.partition);
    if (!marks) {
      return std::move(marks).take_error();
    }
    auto committed = m_consumer.committed(key.topic, {key.partition});
    if (!committed) {
      return std::move(committed).take_error();
    }
    std::int64_t position = (*committed)[key.partition];
    if (position < 0) {
      position = m_options.start_at_end ? marks->high : marks->low;
    }
    Partition partition;
    partition.end = marks->high;
    partition.done = position >= marks->high;
    if (!partition.done) {
      ++m_open;
    }
    m_partitions.emplace(key, partition);
  }
  return {};
}

// A range can end in records no message will show: a transaction's commit or abort marker, or
// an aborted transaction's records under read_committed. When nothing arrives, a partition whose
// position has reached its end is done all the same (else -e would wait forever on a real broker
// after any transactional write).
void GroupReader::close_passed_partitions() {
  if (m_open == 0) {
    return;
  }
  std::vector<TopicPartition> open;
  for (const auto& [key, partition] : m_partitions) {
    if (!partition.done && partition.end) {
      open.push_back(key);
    }
  }
  for (const auto& [key, position] : m_consumer.positions(open)) {
    const auto found = m_partitions.find(key);
    if (found == m_partitions.end()) {
      continue;
    }
    Partition& partition = found->second;
    if (position >= 0 && !partition.done && partition.end && position >= *partition.end) {
      partition.done = true;
      --m_open;
    }
  }
}

Result<GroupReader::Partition*> GroupReader::partition_of(const rd_kafka_message_t* message) {
  auto& cached = m_cache[message->rkt];
  const auto index = static_cast<std::size_t>(message->partition);
  if (index < cached.size() && cached[index]) {
    return cached[index];
  }
  TopicPartition key{m_viewer.topic_name(message->rkt), message->partition};
  auto found = m_partitions.find(key);
  if (found == m_partitions.end()) {
    // A record of a newly assigned partition can arrive before an idle poll registered the
    // assignment; learn where that partition ends (with -e) before deciding anything.
    EVT_TRY(track_assignment());
    found = m_partitions.find(key);
  }
  if (found == m_partitions.end()) {
    found = m_partitions.emplace(key, Partition{}).first;
  }
  if (index >= cached.size()) {
    cached.resize(index + 1, nullptr);
  }
  cached[index] = &found->second;
  return &found->second;
}

Result<ReadEvent> GroupReader::next(std::chrono::milliseconds wait) {
  const auto deadline = Clock::now() + wait;
  bool polled = false;
  for (;;) {
    while (m_index < m_batch.size()) {
      const rd_kafka_message_t* message = m_batch[m_index++];
      if (message->err) {
        EVT_TRY(m_errors.on_error(message));
        continue;
      }
      auto found = partition_of(message);
      if (!found) {
        return std::move(found).take_error();
      }
      Partition& partition = **found;
      if (partition.done || (partition.end && message->offset >= *partition.end)) {
        continue;  // fetched past the end of -e
      }
      m_errors.on_record();
      partition.next = message->offset + 1;
      if (partition.end && partition.next >= *partition.end) {
        partition.done = true;
        --m_open;
      }
      ReadEvent event;
      event.kind = ReadEvent::Kind::record;
      event.record = m_viewer.view(message, m_options.headers);
      event.more_ready = m_index < m_batch.size() || m_batch.size() == k_batch_size;
      return event;
    }
    if (finished()) {
      return ReadEvent{ReadEvent::Kind::end, {}, false};
    }
    if (polled && Clock::now() >= deadline) {
      EVT_TRY(m_errors.on_idle());
      return ReadEvent{ReadEvent::Kind::idle, {}, false};
    }
    m_batch.clear();
    m_index = 0;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    const std::size_t got =
        m_consumer.poll(static_cast<int>(std::max<long long>(left, 0)), m_batch, k_batch_size);
    polled = true;
    if (got == 0) {
      EVT_TRY(track_assignment());
      close_passed_partitions();
      EVT_TRY(m_errors.on_idle());
      if (finished()) {
        return ReadEvent{ReadEvent::Kind::end, {}, false};
      }
      return ReadEvent{ReadEvent::Kind::idle, {}, false};
    }
  }
}

}  // namespace evt::kafka
