// SPDX-License-Identifier: MIT
#include "evt/ops/tail.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include <fmt/format.h>

#include "evt/kafka/consumer.hpp"
#include "evt/kafka/message_view.hpp"
#include "evt/kafka/metadata.hpp"
#include "evt/ops/new_partitions.hpp"
#include "evt/ops/output.hpp"

#include <poll.h>
#include <unistd.h>

namespace evt::ops {

namespace {

using Clock = std::chrono::steady_clock;

constexpr int k_poll_ms = 100;
constexpr auto k_status_after = std::chrono::seconds(1);
constexpr auto k_metadata_every = std::chrono::seconds(5);

class TailRun {
 public:
  TailRun(const TailSettings& settings,
          const Log& log,
          Signals& signals,
          int output_fd,
          kafka::Consumer& consumer)
      : m_settings(settings),
        m_log(log),
        m_signals(signals),
        m_output(output_fd, 64 << 10),
        m_consumer(consumer) {}

  Result<TailSummary> run();

 private:
  enum class Flow { go_on, stop };

  Result<std::vector<kafka::TopicInfo>> topics();
  Result<Flow> show_last(const std::map<PartitionKey, kafka::Watermarks>& marks);
  // Reads [start, end) of each range, keeping the records the filters accept.
  Result<Flow> read_back(const std::vector<kafka::PartitionRange>& ranges,
                         std::vector<Record>& kept);
  Result<Flow> follow();
  Result<void> pick_up_new_partitions();
  // Formats one record if the filter keeps it; false when the output is gone.
  bool show(const RecordView& record);
  bool flush();
  void status(bool idle);
  bool stopping();

  const TailSettings& m_settings;
  const Log& m_log;
  Signals& m_signals;
  Output m_output;
  kafka::Consumer& m_consumer;
  kafka::MessageViewer m_viewer;
  std::set<PartitionKey> m_following;
  std::map<PartitionKey, std::int64_t> m_pending_commits;
  TailSummary m_summary;
  bool m_status_shown = false;
  Clock::time_point m_started = Clock::now();
};

bool TailRun::stopping() {
  return m_signals.check() > 0 || m_output.closed();
}

void TailRun::status(bool idle) {
  if (m_settings.status_fd < 0) {
    return;
  }
  std::string line;
  if (m_status_shown) {
    line = "\r\x1b[2K";  // erase the old status line
    m_status_shown = false;
  }
  if (idle) {
    const double seconds = std::chrono::duration<double>(Clock::now() - m_started).count();
    line += fmt::format("\x1b[2m-- {} shown, {:.1f}/s",
                        m_summary.shown,
                        seconds > 0 ? static_cast<double>(m_summary.shown) / seconds : 0.0);
    if (m_settings.filter) {
      line += fmt::format(", {} skipped by the filters", m_summary.filtered);
    }
    line += ", waiting (Ctrl-C to stop) --\x1b[0m";
    m_status_shown = true;
  }
  if (!line.empty()) {
    (void)!::write(m_settings.status_fd, line.data(), line.size());
  }
}

bool TailRun::flush() {
  if (m_output.buffer().empty()) {
    return !m_output.closed();
  }
  status(false);
  if (!m_output.flush()) {
    return false;
  }
  if (m_settings.commit && !m_pending_commits.empty()) {
    m_consumer.store_offsets(m_pending_commits);
    m_pending_commits.clear();
  }
  return true;
}

bool TailRun::show(const RecordView& record) {
  if (m_settings.filter && !m_settings.filter->matches(record)) {
    ++m_summary.filtered;
    return true;
  }
  m_settings.formatter->append(m_output.buffer(), record);
  ++m_summary.shown;
  if (m_output.buffer().size() >= (1 << 20)) {
    return flush();
  }
  return true;
}

Result<std::vector<kafka::TopicInfo>> TailRun::topics() {
  std::vector<kafka::TopicInfo> found;
  for (const std::string& name : m_settings.topics) {
    if (name.starts_with('^')) {
      continue;  // a group's topic regex: whatever matches, now or later
    }
    for (;;) {
      auto topic = kafka::fetch_topic(m_consumer.client(), name);
      if (topic) {
        found.push_back(std::move(*topic));
        break;
      }
      if (topic.error().kind != ErrorKind::not_found || !m_settings.wait_for_topic) {
        return std::move(topic).take_error();
      }
      m_log.info(fmt::format("waiting for topic \"{}\" to exist", name));
      pollfd fds[1] = {{m_signals.fd(), POLLIN, 0}};
      ::poll(fds, 1, 1000);
      if (m_signals.check() > 0) {
        return found;
      }
    }
  }
  return found;
}

Result<TailRun::Flow> TailRun::read_back(const std::vector<kafka::PartitionRange>& ranges,
                                         std::vector<Record>& kept) {
  std::map<PartitionKey, std::int64_t> ends;
  for (const auto& range : ranges) {
    ends[{range.topic, range.partition}] = *range.end;
  }
  if (ranges.empty()) {
    return Flow::go_on;
  }
  EVT_TRY(m_consumer.start(ranges));
  kafka::MessageBatch batch;
  std::vector<HeaderView> headers;
  while (!ends.empty()) {
    batch.clear();
    m_consumer.poll(k_poll_ms, batch, 4096);
    if (m_signals.check() > 0) {
      for (const auto& [key, end] : ends) {
        m_consumer.stop(key.first, key.second);
      }
      return Flow::stop;
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const rd_kafka_message_t* message = batch[i];
      if (message->err) {
        continue;
      }
      PartitionKey key{m_viewer.topic_name(message->rkt), message->partition};
      auto end = ends.find(key);
      if (end == ends.end() || message->offset >= end->second) {
        continue;
      }
      if (!m_settings.filter || m_settings.filter->matches(m_viewer.view(message, true))) {
        kept.push_back(kafka::to_record(message));
      } else {
        ++m_summary.filtered;
      }
      if (message->offset + 1 >= end->second) {
        m_consumer.stop(key.first, key.second);
        ends.erase(end);
      }
    }
  }
  return Flow::go_on;
}

Result<TailRun::Flow> TailRun::show_last(const std::map<PartitionKey, kafka::Watermarks>& marks) {
  // The newest N records of all partitions by timestamp. With filters, the newest N matches:
  // read further back (windows growing 4x per partition) until N matched, or the beginning,
  // or k_max_scanned records were read.
  constexpr std::int64_t k_max_scanned = 2'000'000;
  const auto wanted = static_cast<std::int64_t>(m_settings.last);
  std::map<PartitionKey, std::int64_t> cursor;  // read back down to here so far
  for (const auto& [key, mark] : marks) {
    cursor[key] = mark.high;
  }
  std::vector<Record> kept;
  std::int64_t window = wanted;
  std::int64_t scanned = 0;
  for (;;) {
    std::vector<kafka::PartitionRange> ranges;
    for (auto& [key, next] : cursor) {
      const std::int64_t start = std::max(marks.at(key).low, next - window);
      if (start < next) {
        ranges.push_back(kafka::PartitionRange{key.first, key.second, start, next});
        scanned += next - start;
        next = start;
      }
    }
    auto flow = read_back(ranges, kept);
    if (!flow) {
      return std::move(flow).take_error();
    }
    if (*flow == Flow::stop) {
      return Flow::stop;
    }
    if (ranges.empty() || !m_settings.filter || static_cast<std::int64_t>(kept.size()) >= wanted) {
      break;
    }
    if (scanned >= k_max_scanned) {
      m_log.info(
          fmt::format("found {} matching records in the newest {} records; not reading "
                      "further back",
                      kept.size(),
                      scanned));
      break;
    }
    window *= 4;
  }
  std::stable_sort(kept.begin(), kept.end(), [](const Record& a, const Record& b) {
    return std::tie(a.timestamp, a.partition, a.offset) <
           std::tie(b.timestamp, b.partition, b.offset);
  });
  const std::size_t skip = kept.size() > m_settings.last ? kept.size() - m_settings.last : 0;
  std::vector<HeaderView> headers;
  for (std::size_t i = skip; i < kept.size(); ++i) {
    // Already filtered: write directly.
    m_settings.formatter->append(m_output.buffer(), view_of(kept[i], headers));
    ++m_summary.shown;
  }
  return flush() ? Flow::go_on : Flow::stop;
}

Result<void> TailRun::pick_up_new_partitions() {
  std::vector<kafka::TopicInfo> topics;
  for (const std::string& name : m_settings.topics) {
    auto topic = kafka::fetch_topic(m_consumer.client(), name);
    if (!topic) {
      m_log.debug(topic.error().message);
      continue;
    }
    topics.push_back(std::move(*topic));
  }
  std::vector<kafka::PartitionRange> added;
  for (const auto& [topic, partition] :
       new_partitions(topics, m_settings.partitions, m_following)) {
    // From its beginning: what was written to it before this refresh is new too.
    auto marks = kafka::query_watermarks(m_consumer.client(), topic, partition);
    if (!marks) {
      m_log.debug(marks.error().message);  // a later refresh tries again
      continue;
    }
    m_log.info(fmt::format("{}/{}: new partition, following it", topic, partition));
    added.push_back(kafka::PartitionRange{topic, partition, marks->low, std::nullopt});
    m_following.insert({topic, partition});
  }
  return m_consumer.start(added);
}

Result<TailRun::Flow> TailRun::follow() {
  kafka::MessageBatch batch;
  Clock::time_point last_record = Clock::now();
  Clock::time_point last_metadata = Clock::now();
  while (!stopping()) {
    batch.clear();
    const std::size_t got = m_consumer.poll(k_poll_ms, batch, 4096);
    for (std::size_t i = 0; i < got; ++i) {
      const rd_kafka_message_t* message = batch[i];
      if (message->err) {
        if (message->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
          m_log.warning(rd_kafka_message_errstr(message));
        }
        continue;
      }
      if (!show(m_viewer.view(message,
                              m_settings.formatter->needs_headers() ||
                                  (m_settings.filter && m_settings.filter->needs_headers())))) {
        return Flow::stop;
      }
      if (m_settings.commit) {
        m_pending_commits[{m_viewer.topic_name(message->rkt), message->partition}] =
            message->offset + 1;
      }
    }
    if (got > 0) {
      last_record = Clock::now();
      if (!flush()) {
        return Flow::stop;
      }
    } else if (Clock::now() - last_record >= k_status_after) {
      status(true);
    }
    if (!m_settings.group && Clock::now() - last_metadata >= k_metadata_every) {
      last_metadata = Clock::now();
      EVT_TRY(pick_up_new_partitions());
    }
  }
  return Flow::stop;
}

Result<TailSummary> TailRun::run() {
  if (m_settings.group) {
    // As without -g: unreachable brokers exit 3 and a named topic that does not exist exits 5
    // (or is waited for), rather than joining and waiting for them forever.
    auto cluster = kafka::fetch_cluster(m_consumer.client(), kafka::TopicSelection::none);
    if (!cluster) {
      return std::move(cluster).take_error();
    }
    auto found = topics();
    if (!found) {
      return std::move(found).take_error();
    }
    if (m_signals.count() > 0) {
      return m_summary;
    }
    EVT_TRY(m_consumer.subscribe(m_settings.topics));
    auto flow = follow();
    status(false);
    flush();
    if (!flow) {
      return std::move(flow).take_error();
    }
    EVT_TRY(m_consumer.close());
    return m_summary;
  }
  auto found = topics();
  if (!found) {
    return std::move(found).take_error();
  }
  if (m_signals.count() > 0) {
    return m_summary;
  }
  std::vector<std::pair<std::string, std::int32_t>> partitions;
  for (const auto& topic : *found) {
    for (std::int32_t wanted : m_settings.partitions) {
      if (std::none_of(topic.partitions.begin(),
                       topic.partitions.end(),
                       [&](const kafka::PartitionInfo& p) { return p.id == wanted; })) {
        return fail(ErrorKind::not_found,
                    fmt::format("partition {} does not exist: topic \"{}\" has {}",
                                wanted,
                                topic.name,
                                topic.partitions.size()));
      }
    }
    for (const auto& partition : topic.partitions) {
      if (m_settings.partitions.empty() || m_settings.partitions.count(partition.id)) {
        partitions.emplace_back(topic.name, partition.id);
      }
    }
  }
  auto marks = kafka::query_all_watermarks(m_consumer.client(), partitions);
  if (!marks) {
    return std::move(marks).take_error();
  }
  if (m_settings.last > 0) {
    auto flow = show_last(*marks);
    if (!flow) {
      return std::move(flow).take_error();
    }
    if (*flow == Flow::stop) {
      return m_summary;
    }
  }
  if (!m_settings.follow) {
    return m_summary;
  }
  std::vector<kafka::PartitionRange> ranges;
  for (const auto& [key, mark] : *marks) {
    ranges.push_back(kafka::PartitionRange{key.first, key.second, mark.high, std::nullopt});
    m_following.insert(key);
  }
  EVT_TRY(m_consumer.start(ranges));
  auto flow = follow();
  status(false);
  flush();
  if (!flow) {
    return std::move(flow).take_error();
  }
  return m_summary;
}

}  // namespace

Result<TailSummary> tail(const TailSettings& settings,
                         const config::ResolvedConfig& config,
                         const Log& log,
                         Signals& signals,
                         int output_fd) {
  kafka::ConsumerOptions options;
  options.read_committed = false;  // every record, unless -X isolation.level=read_committed
  options.group = settings.group;
  options.offset_reset = "latest";
  options.commit = settings.commit;
  auto consumer = kafka::Consumer::create(config, log, options);
  if (!consumer) {
    return std::move(consumer).take_error();
  }
  TailRun run(settings, log, signals, output_fd, **consumer);
  return run.run();
}

}  // namespace evt::ops
