// SPDX-License-Identifier: MIT
#include "evt/kafka/range_reader.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include "evt/kafka/errors.hpp"
#include "evt/kafka/metadata.hpp"

namespace evt::kafka {

namespace {

using Clock = std::chrono::steady_clock;

// Records taken from the queue per poll: the whole backlog in few calls.
constexpr std::size_t k_batch_size = 4096;
// A broker that keeps saying "out of range" for an offset it holds gets this many tries.
constexpr int k_max_out_of_range = 20;

}  // namespace

RangeReader::RangeReader(Consumer& consumer, const Log& log, ReadPolicy policy, bool headers)
    : m_consumer(consumer),
      m_log(log),
      m_errors(consumer.client(), log, policy),
      m_headers(headers) {}

RangeReader::~RangeReader() {
  m_nudger.reset();  // its thread uses the client
  m_batch.clear();
  for (auto& [key, partition] : m_partitions) {
    if (partition->fetching) {
      rd_kafka_consume_stop(partition->handle, key.partition);
    }
  }
}

Result<void> RangeReader::add(const std::vector<PartitionRange>& ranges) {
  for (const PartitionRange& range : ranges) {
    TopicPartition key{range.topic, range.partition};
    auto& slot = m_partitions[key];
    if (slot && slot->fetching) {
      finish(*slot);  // read again from the new start
    }
    slot = std::make_unique<Partition>();
    Partition& partition = *slot;
    partition.key = key;
    partition.handle = m_consumer.topic(range.topic);
    partition.next = range.start;
    partition.skip_below = range.start;
    partition.end = range.end;
    auto& cached = m_cache[partition.handle];
    const auto index = static_cast<std::size_t>(range.partition);
    if (index >= cached.size()) {
      cached.resize(index + 1, nullptr);
    }
    cached[index] = &partition;
    if (range.end && *range.end <= range.start) {
      partition.done = true;  // an empty range: nothing to read
      continue;
    }
    if (rd_kafka_consume_start_queue(
            partition.handle, range.partition, range.start, m_consumer.queue()) != 0) {
      return kafka_failure(rd_kafka_last_error(),
                           fmt::format("cannot start reading {}", to_string(key)));
    }
    partition.fetching = true;
    ++(range.end ? m_open : m_following);
  }
  if (m_consumer.queue_records() > 0) {
    std::vector<TopicPartition> fetching;
    for (const auto& [key, partition] : m_partitions) {
      if (partition->fetching) {
        fetching.push_back(key);
      }
    }
    if (!fetching.empty() && !m_nudger) {
      m_nudger = std::make_unique<FetchNudger>(m_consumer.client());
    }
    if (m_nudger) {
      m_nudger->set_partitions(std::move(fetching));
    }
  }
  return {};
}

RangeReader::Partition* RangeReader::partition_of(const rd_kafka_message_t* message) {
  const auto found = m_cache.find(message->rkt);
  const auto index = static_cast<std::size_t>(message->partition);
  if (found == m_cache.end() || index >= found->second.size()) {
    return nullptr;
  }
  return found->second[index];
}

void RangeReader::finish(Partition& partition) {
  if (!partition.done) {
    partition.done = true;
    --(partition.end ? m_open : m_following);
  }
  if (partition.fetching) {
    partition.fetching = false;
    rd_kafka_consume_stop(partition.handle, partition.key.partition);
  }
}

// A range can end in records no message will show: a transaction's commit or abort marker, or
// an aborted transaction's records under read_committed. When nothing arrives, a partition whose
// position has reached the end of its range is done all the same (else -e would wait forever
// on a real broker after any transactional write).
void RangeReader::close_passed_ranges() {
  if (m_open == 0) {
    return;
  }
  std::vector<TopicPartition> open;
  for (const auto& [key, partition] : m_partitions) {
    if (!partition->done && partition->end && partition->fetching) {
      open.push_back(key);
    }
  }
  if (open.empty()) {
    return;
  }
  for (const auto& [key, position] : m_consumer.positions(open)) {
    const auto found = m_partitions.find(key);
    if (found == m_partitions.end()) {
      continue;
    }
    Partition& partition = *found->second;
    if (position >= 0 && !partition.done && partition.end && position >= *partition.end) {
      partition.next = *partition.end;
      finish(partition);
    }
  }
}

Result<void> RangeReader::restart_at(Partition& partition, std::int64_t offset) {
  // librdkafka 2.0.2 stops fetching a partition whose offset reset failed (auto.offset.reset=
  // error), and a seek does not start it again: stop it and start it at `offset`.
  if (partition.fetching) {
    partition.fetching = false;
    rd_kafka_consume_stop(partition.handle, partition.key.partition);
  }
  if (rd_kafka_consume_start_queue(
          partition.handle, partition.key.partition, offset, m_consumer.queue()) != 0) {
    return kafka_failure(
        rd_kafka_last_error(),
        fmt::format("cannot read {} from offset {}", to_string(partition.key), offset));
  }
  partition.fetching = true;
  return {};
}

Result<void> RangeReader::out_of_range(Partition& partition, const std::string& reason) {
  const std::string where = to_string(partition.key);
  const std::int64_t wanted = std::max(partition.next, partition.skip_below);
  auto marks = query_watermarks(m_consumer.client(), partition.key.topic, partition.key.partition);
  if (!marks) {
    m_errors.once(where + " out of range", fmt::format("{}: {} (retrying)", where, reason));
    return restart_at(partition, wanted);
  }
  if (wanted < marks->low) {
    // Retention deleted records before they were read: say which, and read what is left.
    const std::int64_t upto = partition.end ? std::min(*partition.end, marks->low) : marks->low;
    m_log.warning(fmt::format(
        "{}: offsets {} to {} were deleted by retention before evt read them; continuing at {}",
        where,
        wanted,
        upto - 1,
        marks->low));
    partition.next = marks->low;
    partition.skip_below = marks->low;
    if (partition.end && marks->low >= *partition.end) {
      finish(partition);
      return {};
    }
    return restart_at(partition, marks->low);
  }
  if (wanted > marks->high) {
    // Past the end: wait for the records to be written, skipping those before the start.
    m_log.info(fmt::format("{}: offset {} is past the end ({}); waiting for it to be written",
                           where,
                           wanted,
                           marks->high));
    partition.skip_below = wanted;
    return restart_at(partition, marks->high);
  }
  // The broker holds the offset after all: read it again, but not forever.
  if (++partition.out_of_range_tries > k_max_out_of_range) {
    return fail(ErrorKind::kafka,
                fmt::format("{}: the broker keeps answering \"{}\" for offset {}, which it holds "
                            "({} to {})",
                            where,
                            reason,
                            wanted,
                            marks->low,
                            marks->high - 1));
  }
  m_errors.once(where + " out of range",
                fmt::format("{}: {} (reading offset {} again)", where, reason, wanted));
  return restart_at(partition, wanted);
}

Result<void> RangeReader::on_error(const rd_kafka_message_t* message) {
  const rd_kafka_resp_err_t err = message->err;
  if (err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET || err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE) {
    Partition* partition = message->rkt ? partition_of(message) : nullptr;
    if (partition == nullptr || partition->done) {
      return {};
    }
    return out_of_range(*partition, rd_kafka_message_errstr(message));
  }
  return m_errors.on_error(message);
}

Result<ReadEvent> RangeReader::next(std::chrono::milliseconds wait) {
  const auto deadline = Clock::now() + wait;
  bool polled = false;
  for (;;) {
    while (m_index < m_batch.size()) {
      const rd_kafka_message_t* message = m_batch[m_index++];
      if (message->err) {
        EVT_TRY(on_error(message));
        continue;
      }
      Partition* partition = partition_of(message);
      if (partition == nullptr || partition->done || message->offset < partition->skip_below ||
          (partition->end && message->offset >= *partition->end)) {
        continue;  // not asked for: before a start past the end, or fetched past the end
      }
      m_errors.on_record();
      partition->out_of_range_tries = 0;
      partition->next = message->offset + 1;
      if (partition->end && partition->next >= *partition->end) {
        finish(*partition);
      }
      ReadEvent event;
      event.kind = ReadEvent::Kind::record;
      event.record = m_viewer.view(message, m_headers);
      event.more_ready = m_index < m_batch.size() || m_batch.size() == k_batch_size;
      return event;
    }
    if (m_open == 0 && m_following == 0) {
      return ReadEvent{ReadEvent::Kind::end, {}, false};
    }
    // Nothing but errors within the wait: let the caller look at its signals and output.
    if (polled && Clock::now() >= deadline) {
      close_passed_ranges();
      if (m_open == 0 && m_following == 0) {
        return ReadEvent{ReadEvent::Kind::end, {}, false};
      }
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
      close_passed_ranges();
      if (m_open == 0 && m_following == 0) {
        return ReadEvent{ReadEvent::Kind::end, {}, false};
      }
      EVT_TRY(m_errors.on_idle());
      return ReadEvent{ReadEvent::Kind::idle, {}, false};
    }
    if (m_nudger) {
      std::size_t bytes = 0;
      for (std::size_t i = 0; i < got; ++i) {
        bytes += m_batch[i]->len + m_batch[i]->key_len;
      }
      watch_queue(got, bytes);
    }
  }
}

void RangeReader::watch_queue(std::size_t taken, std::size_t taken_bytes) {
  // The fetchers park when the queue reaches either bound, and the first poll after that sees
  // it (only polls drain it). Once the reader has worked the queue down to a quarter, a nudge
  // wakes them so the next records arrive before the queue runs dry.
  const std::size_t bound_records = m_consumer.queue_records();
  const auto bound_bytes = static_cast<double>(m_consumer.queue_bytes());
  m_record_bytes = 0.9 * m_record_bytes + 0.1 * (static_cast<double>(taken_bytes) /
                                                 static_cast<double>(taken > 0 ? taken : 1));
  const auto queued = static_cast<std::size_t>(rd_kafka_queue_length(m_consumer.queue()));
  const double held_bytes = static_cast<double>(queued + taken) * m_record_bytes;
  if ((queued + taken) * 10 >= bound_records * 9 || held_bytes * 10 >= bound_bytes * 9) {
    m_queue_was_full = true;
  } else if (m_queue_was_full && queued * 4 < bound_records &&
             static_cast<double>(queued) * m_record_bytes * 4 < bound_bytes) {
    m_queue_was_full = false;
    m_nudger->nudge();
  }
}

std::vector<PartitionRange> RangeReader::remaining() const {
  std::vector<PartitionRange> left;
  for (const auto& [key, partition] : m_partitions) {
    if (!partition->done) {
      left.push_back(PartitionRange{key.topic, key.partition, partition->next, partition->end});
    }
  }
  return left;
}

}  // namespace evt::kafka
