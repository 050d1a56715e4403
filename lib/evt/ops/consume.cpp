// SPDX-License-Identifier: MIT
#include "evt/ops/consume.hpp"

#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "evt/kafka/consumer.hpp"
#include "evt/kafka/errors.hpp"
#include "evt/kafka/message_view.hpp"
#include "evt/kafka/metadata.hpp"
#include "evt/kafka/range_resolver.hpp"
#include "evt/ops/output.hpp"

#include <poll.h>

namespace evt::ops {

namespace {

using Clock = std::chrono::steady_clock;
using PartitionKey = std::pair<std::string, std::int32_t>;

constexpr std::size_t k_batch_size = 4096;
constexpr int k_poll_ms = 100;

struct PartitionState {
  std::optional<std::int64_t> end;  // exclusive; nullopt: follow
  bool done = false;
};

class ConsumeRun {
 public:
  ConsumeRun(const ConsumeSettings& settings,
             const Log& log,
             Signals& signals,
             int output_fd,
             kafka::Consumer& consumer)
      : m_settings(settings),
        m_log(log),
        m_signals(signals),
        m_output_fd(output_fd),
        m_output(output_fd),
        m_consumer(consumer),
        m_needs_headers(settings.formatter->needs_headers() ||
                        (settings.filter && settings.filter->needs_headers())) {}

  Result<ConsumeSummary> run_assigned(const std::vector<kafka::ResolvedRange>& ranges);
  Result<ConsumeSummary> run_group();

 private:
  // Returns false when consumption must stop.
  Result<bool> handle(rd_kafka_message_t* message);
  // The state of a message's partition: a cached pointer per (topic handle, partition), so the
  // hot path neither copies the topic name nor searches the map.
  Result<std::pair<const PartitionKey, PartitionState>*> state_of(
      const rd_kafka_message_t* message);
  bool flush();
  bool reader_gone() const;
  bool finished() const;
  Result<void> track_assignment();
  void close_passed_partitions();
  Result<ConsumeSummary> loop();

  const ConsumeSettings& m_settings;
  const Log& m_log;
  Signals& m_signals;
  int m_output_fd;
  Output m_output;
  kafka::Consumer& m_consumer;
  const bool m_needs_headers;
  kafka::MessageViewer m_viewer;
  std::map<PartitionKey, PartitionState> m_partitions;  // nodes are stable: cached below
  std::unordered_map<const rd_kafka_topic_t*,
                     std::vector<std::pair<const PartitionKey, PartitionState>*>>
      m_state_cache;
  std::map<PartitionKey, std::int64_t> m_pending_commits;
  std::size_t m_open = 0;  // bounded partitions not yet done
  bool m_unbounded = false;
  ConsumeSummary m_summary;
};

bool ConsumeRun::flush() {
  if (!m_output.flush()) {
    m_summary.output_closed = m_output.closed();
    return false;
  }
  if (!m_pending_commits.empty()) {
    m_consumer.store_offsets(m_pending_commits);
    m_pending_commits.clear();
  }
  return true;
}

// True when stdout is a pipe whose reader went away (`evt consume t | head -1` on a quiet topic):
// without this check evt would only notice at the next record, which may never come.
bool ConsumeRun::reader_gone() const {
  pollfd fds[1] = {{m_output_fd, 0, 0}};
  return ::poll(fds, 1, 0) > 0 && (fds[0].revents & (POLLERR | POLLHUP)) != 0;
}

bool ConsumeRun::finished() const {
  if (m_settings.count && m_summary.written >= *m_settings.count) {
    return true;
  }
  return !m_unbounded && m_open == 0 && !m_partitions.empty();
}

Result<std::pair<const PartitionKey, PartitionState>*> ConsumeRun::state_of(
    const rd_kafka_message_t* message) {
  auto& cached = m_state_cache[message->rkt];
  const auto index = static_cast<std::size_t>(message->partition);
  if (index < cached.size() && cached[index]) {
    return cached[index];
  }
  PartitionKey key{m_viewer.topic_name(message->rkt), message->partition};
  auto it = m_partitions.find(key);
  if (it == m_partitions.end() && m_consumer.in_group()) {
    // A record of a newly assigned partition can arrive before an idle poll registered the
    // assignment; learn where that partition ends (with -e) before deciding anything.
    EVT_TRY(track_assignment());
    it = m_partitions.find(key);
  }
  if (it == m_partitions.end()) {
    it = m_partitions.emplace(key, PartitionState{}).first;
    m_unbounded = true;
  }
  if (index >= cached.size()) {
    cached.resize(index + 1, nullptr);
  }
  cached[index] = &*it;
  return &*it;
}

Result<bool> ConsumeRun::handle(rd_kafka_message_t* message) {
  if (message->err) {
    const rd_kafka_resp_err_t err = message->err;
    if (err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      return true;
    }
    const std::string where =
        message->rkt ? fmt::format("{}/{}", rd_kafka_topic_name(message->rkt), message->partition)
        : m_settings.group ? fmt::format("group \"{}\"", *m_settings.group)
                           : std::string("consumer");
    if (err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE) {
      m_log.warning(
          fmt::format("{}: records were deleted by retention while reading; continuing "
                      "at the new beginning",
                      where));
      return true;
    }
    const ErrorKind kind = kafka::kind_for(err);
    if (kind == ErrorKind::not_found || kind == ErrorKind::auth) {
      return fail(kind, fmt::format("{}: {}", where, rd_kafka_message_errstr(message)));
    }
    m_log.warning(fmt::format("{}: {}", where, rd_kafka_message_errstr(message)));
    return true;
  }
  auto found = state_of(message);
  if (!found) {
    return std::move(found).take_error();
  }
  auto& [key, state] = **found;
  if (state.done || (state.end && message->offset >= *state.end)) {
    return true;  // fetched past the end of the range
  }
  const RecordView record = m_viewer.view(message, m_needs_headers);
  if (!m_settings.filter || m_settings.filter->matches(record)) {
    m_settings.formatter->append(m_output.buffer(), record);
    ++m_summary.written;
  } else {
    ++m_summary.filtered;  // handled all the same: a group commits past it
  }
  if (m_consumer.in_group()) {
    m_pending_commits[key] = message->offset + 1;
  }
  if (state.end && message->offset + 1 >= *state.end) {
    state.done = true;
    --m_open;
    if (!m_consumer.in_group()) {
      m_consumer.stop(key.first, key.second);
    }
  }
  if (m_output.buffer().size() >= (1 << 20) && !flush()) {
    return false;
  }
  return true;
}

// A range can end in records no message will show: a transaction's commit or abort marker, or
// an aborted transaction's records under read_committed. When nothing arrives, a partition whose
// position has reached the end of its range is done all the same (else -e would wait forever
// on a real broker after any transactional write).
void ConsumeRun::close_passed_partitions() {
  if (m_open == 0) {
    return;
  }
  std::vector<PartitionKey> open;
  for (const auto& [key, state] : m_partitions) {
    if (!state.done && state.end) {
      open.push_back(key);
    }
  }
  for (const auto& [key, position] : m_consumer.positions(open)) {
    PartitionState& state = m_partitions.at(key);
    if (position >= 0 && state.end && position >= *state.end && !state.done) {
      state.done = true;
      --m_open;
      if (!m_consumer.in_group()) {
        m_consumer.stop(key.first, key.second);
      }
    }
  }
}

// Group mode with -e: learn the end of each newly assigned partition.
Result<void> ConsumeRun::track_assignment() {
  if (!m_settings.exit_at_end) {
    return {};
  }
  for (const auto& key : m_consumer.assignment()) {
    if (m_partitions.count(key)) {
      continue;
    }
    auto marks = kafka::query_watermarks(m_consumer.client(), key.first, key.second);
    if (!marks) {
      return std::move(marks).take_error();
    }
    auto committed = m_consumer.committed(key.first, {key.second});
    if (!committed) {
      return std::move(committed).take_error();
    }
    std::int64_t position = (*committed)[key.second];
    if (position < 0) {
      position = m_settings.offsets.all.from.kind == Position::Kind::end ? marks->high : marks->low;
    }
    PartitionState state;
    state.end = marks->high;
    state.done = position >= marks->high;
    if (!state.done) {
      ++m_open;
    }
    m_partitions.emplace(key, state);
  }
  return {};
}

Result<ConsumeSummary> ConsumeRun::loop() {
  kafka::MessageBatch batch;
  Clock::time_point last_record = Clock::now();
  while (!finished()) {
    batch.clear();
    const std::size_t got = m_consumer.poll(k_poll_ms, batch, k_batch_size);
    if (m_signals.check() > 0) {
      m_summary.interrupted = true;
      break;
    }
    if (got == 0) {
      if (!flush()) {
        break;
      }
      if (reader_gone()) {
        m_summary.output_closed = true;
        break;
      }
      if (m_consumer.in_group()) {
        EVT_TRY(track_assignment());
      }
      close_passed_partitions();
      if (m_settings.idle_timeout && Clock::now() - last_record >= *m_settings.idle_timeout) {
        m_summary.idle = true;
        break;
      }
      continue;
    }
    last_record = Clock::now();
    bool keep_going = true;
    for (std::size_t i = 0; i < batch.size() && keep_going; ++i) {
      auto handled = handle(batch[i]);
      if (!handled) {
        flush();
        return std::move(handled).take_error();
      }
      keep_going = *handled && !finished();
    }
    if (!keep_going && m_summary.output_closed) {
      break;
    }
    // No backlog: let a reader on the other end of a pipe see the records now.
    if (got < k_batch_size && !flush()) {
      break;
    }
  }
  flush();
  m_summary.output_closed = m_summary.output_closed || m_output.closed();
  EVT_TRY(m_consumer.close());
  return m_summary;
}

Result<ConsumeSummary> ConsumeRun::run_assigned(const std::vector<kafka::ResolvedRange>& ranges) {
  std::vector<kafka::PartitionRange> to_start;
  for (const kafka::ResolvedRange& resolved : ranges) {
    const kafka::PartitionRange& range = resolved.range;
    if (resolved.missing > 0) {
      m_log.warning(
          fmt::format("{}/{}: {} requested records were already deleted by retention; "
                      "starting at offset {}",
                      range.topic,
                      range.partition,
                      resolved.missing,
                      range.start));
    }
    PartitionState state;
    state.end = range.end;
    if (range.end && *range.end <= range.start) {
      state.done = true;  // an empty range: nothing to read
    } else {
      if (range.end) {
        ++m_open;
      } else {
        m_unbounded = true;
      }
      to_start.push_back(range);
    }
    m_partitions.emplace(PartitionKey{range.topic, range.partition}, state);
    m_log.debug(fmt::format("{}/{}: reading [{}, {})",
                            range.topic,
                            range.partition,
                            range.start,
                            range.end ? std::to_string(*range.end) : "follow"));
  }
  if (to_start.empty() && !m_unbounded) {
    return m_summary;
  }
  EVT_TRY(m_consumer.start(to_start));
  return loop();
}

Result<ConsumeSummary> ConsumeRun::run_group() {
  if (!m_settings.exit_at_end) {
    m_unbounded = true;
  }
  EVT_TRY(m_consumer.subscribe(m_settings.topics));
  return loop();
}

}  // namespace

Result<ConsumeSummary> consume(const ConsumeSettings& settings,
                               const config::ResolvedConfig& config,
                               const Log& log,
                               Signals& signals,
                               int output_fd) {
  kafka::ConsumerOptions options;
  options.read_committed = false;  // every record, unless -X isolation.level=read_committed
  options.group = settings.group;
  if (settings.group) {
    options.offset_reset =
        settings.offsets.all.from.kind == Position::Kind::end ? "latest" : "earliest";
  }
  auto consumer = kafka::Consumer::create(config, log, options);
  if (!consumer) {
    return std::move(consumer).take_error();
  }
  ConsumeRun run(settings, log, signals, output_fd, **consumer);
  if (settings.group) {
    // Fail fast on an unreachable cluster before joining (which would wait forever).
    auto cluster = kafka::fetch_cluster((*consumer)->client(), kafka::TopicSelection::none);
    if (!cluster) {
      return std::move(cluster).take_error();
    }
    // A named topic that does not exist exits 5 instead of an endless wait for it.
    for (const std::string& name : settings.topics) {
      if (name.starts_with('^')) {
        continue;  // a regex: whatever matches, now or later
      }
      auto topic = kafka::fetch_topic((*consumer)->client(), name);
      if (!topic) {
        return std::move(topic).take_error();
      }
    }
    return run.run_group();
  }
  std::vector<kafka::TopicInfo> topics;
  for (const std::string& name : settings.topics) {
    auto topic = kafka::fetch_topic((*consumer)->client(), name);
    if (!topic) {
      return std::move(topic).take_error();
    }
    topics.push_back(std::move(*topic));
  }
  kafka::RangeOptions range_options;
  range_options.exit_at_end = settings.exit_at_end;
  range_options.until = settings.until;
  auto ranges = kafka::resolve_ranges(
      **consumer, topics, settings.partitions, settings.offsets, range_options);
  if (!ranges) {
    return std::move(ranges).take_error();
  }
  return run.run_assigned(*ranges);
}

}  // namespace evt::ops
