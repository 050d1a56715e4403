// SPDX-License-Identifier: MIT
#include "evt/ops/tail.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include <fmt/format.h>

#include "evt/io/output.hpp"
#include "evt/kafka/consumer.hpp"
#include "evt/kafka/group_reader.hpp"
#include "evt/kafka/metadata.hpp"
#include "evt/kafka/range_reader.hpp"
#include "evt/ops/commit_tracker.hpp"
#include "evt/ops/new_partitions.hpp"
#include "evt/ops/tail_status.hpp"
#include "evt/plural.hpp"

#include <poll.h>

namespace evt::ops {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds k_wait{100};
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
        m_consumer(consumer),
        m_status(settings.status_fd, settings.status_color),
        m_commits(settings.commit) {}

  /// Shows and follows; an output that failed (not one whose reader left) is an I/O error.
  Result<TailSummary> run() {
    auto shown = show_and_follow();
    if (!shown && shown.error().kind == ErrorKind::interrupted) {
      // A signal is how tail stops, also while it waits for the brokers (metadata, a topic
      // that does not exist yet): not an error.
      shown = m_summary;
    }
    m_status.clear();
    flush();
    EVT_TRY(m_output.result());
    return shown;
  }

 private:
  enum class Flow { go_on, stop };

  Result<TailSummary> show_and_follow();
  Result<std::vector<kafka::TopicInfo>> topics();
  Result<Flow> show_last(const std::map<kafka::TopicPartition, kafka::Watermarks>& marks);
  // Reads [start, end) of each range, keeping the records the filters accept.
  Result<Flow> read_back(const std::vector<kafka::PartitionRange>& ranges,
                         std::vector<Record>& kept);
  Result<Flow> follow(kafka::RecordReader& reader);
  // Partitions added to the topics since the last look (not in a group, which assigns them).
  Result<void> pick_up_new_partitions(kafka::RecordReader& reader);
  // Formats one record if the filter keeps it; false when the output is gone.
  bool show(const RecordView& record);
  bool flush();
  void idle_status();
  kafka::ReadPolicy policy() const {
    // Follows for as long as it runs: brokers that go away are waited for, said once.
    return kafka::ReadPolicy{std::nullopt, true};
  }

  const TailSettings& m_settings;
  const Log& m_log;
  Signals& m_signals;
  io::Output m_output;
  kafka::Consumer& m_consumer;
  TailStatus m_status;
  CommitTracker m_commits;
  std::set<kafka::TopicPartition> m_following;
  TailSummary m_summary;
  // For the status line's rate: records shown while following, since it began.
  std::uint64_t m_followed = 0;
  Clock::time_point m_follow_started = Clock::now();
  Clock::time_point m_last_record = Clock::now();
};

void TailRun::idle_status() {
  if (m_settings.status_fd < 0 || Clock::now() - m_last_record < k_status_after) {
    return;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - m_follow_started).count();
  m_status.show(
      TailStatus::text(m_summary.shown,
                       seconds > 0 ? static_cast<double>(m_followed) / seconds : 0.0,
                       m_settings.filter ? std::optional(m_summary.filtered) : std::nullopt));
}

bool TailRun::flush() {
  if (!m_output.buffer().empty()) {
    m_status.clear();
  }
  const bool open = m_output.flush();
  if (m_commits.active()) {
    auto taken = m_commits.taken(m_output.bytes_taken());
    if (!taken.empty()) {
      m_consumer.store_offsets(taken);
    }
  }
  return open;
}

bool TailRun::show(const RecordView& record) {
  if (m_settings.filter && !m_settings.filter->matches(record)) {
    ++m_summary.filtered;
    return true;
  }
  m_settings.formatter->append(m_output.buffer(), record);
  ++m_summary.shown;
  m_commits.note(record.topic,
                 record.partition,
                 record.offset,
                 m_output.bytes_written() + m_output.buffer().size());
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
  if (ranges.empty()) {
    return Flow::go_on;
  }
  kafka::RangeReader reader(m_consumer, m_log, policy());
  EVT_TRY(reader.add(ranges));
  for (;;) {
    auto event = reader.next(k_wait);
    if (m_signals.check_throttled() > 0) {
      return Flow::stop;
    }
    if (!event) {
      return std::move(event).take_error();
    }
    switch (event->kind) {
      case kafka::ReadEvent::Kind::end:
        return Flow::go_on;
      case kafka::ReadEvent::Kind::idle:
        if (m_output.reader_left()) {
          return Flow::stop;
        }
        continue;
      case kafka::ReadEvent::Kind::record:
        if (!m_settings.filter || m_settings.filter->matches(event->record)) {
          kept.push_back(copy_of(event->record));
        } else {
          ++m_summary.filtered;
        }
        continue;
    }
  }
}

Result<TailRun::Flow> TailRun::show_last(
    const std::map<kafka::TopicPartition, kafka::Watermarks>& marks) {
  // The newest N records of all partitions by timestamp. With filters, the newest N matches:
  // read further back (windows growing 4x per partition) until N matched, or the beginning,
  // or k_max_scanned records were read.
  constexpr std::int64_t k_max_scanned = 2'000'000;
  const auto wanted = static_cast<std::int64_t>(m_settings.last);
  std::map<kafka::TopicPartition, std::int64_t> cursor;  // read back down to here so far
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
        ranges.push_back(kafka::PartitionRange{key.topic, key.partition, start, next});
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
      m_log.info(fmt::format("found {} in the newest {}; not reading further back",
                             plural(static_cast<std::int64_t>(kept.size()), "matching record"),
                             plural(static_cast<std::int64_t>(scanned), "record")));
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
    if (m_output.buffer().size() >= (1 << 20) && !flush()) {
      return Flow::stop;
    }
  }
  return flush() ? Flow::go_on : Flow::stop;
}

Result<void> TailRun::pick_up_new_partitions(kafka::RecordReader& reader) {
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
  for (const kafka::TopicPartition& key :
       new_partitions(topics, m_settings.partitions, m_following)) {
    // From its beginning: what was written to it before this refresh is new too.
    auto marks = kafka::query_watermarks(m_consumer.client(), key.topic, key.partition);
    if (!marks) {
      m_log.debug(marks.error().message);  // a later refresh tries again
      continue;
    }
    m_log.info(fmt::format("{}: new partition, following it", to_string(key)));
    added.push_back(kafka::PartitionRange{key.topic, key.partition, marks->low, std::nullopt});
    m_following.insert(key);
  }
  return reader.add(added);
}

Result<TailRun::Flow> TailRun::follow(kafka::RecordReader& reader) {
  auto last_metadata = Clock::now();
  m_follow_started = Clock::now();
  m_last_record = Clock::now();
  for (;;) {
    auto event = reader.next(k_wait);
    if (m_signals.check_throttled() > 0) {
      return Flow::stop;
    }
    if (!event) {
      return std::move(event).take_error();
    }
    if (event->kind == kafka::ReadEvent::Kind::end) {
      return Flow::stop;
    }
    if (event->kind == kafka::ReadEvent::Kind::record) {
      ++m_followed;
      if (!show(event->record)) {
        return Flow::stop;
      }
      if (event->more_ready) {
        continue;
      }
      m_last_record = Clock::now();
      if (!flush()) {
        return Flow::stop;
      }
    } else {
      // Nothing arrived: notice a reader that left (`evt tail t | head -1` on a quiet topic)
      // without waiting for a record to write.
      if (!flush() || m_output.reader_left()) {
        return Flow::stop;
      }
      idle_status();
    }
    if (!m_settings.group && Clock::now() - last_metadata >= k_metadata_every) {
      last_metadata = Clock::now();
      EVT_TRY(pick_up_new_partitions(reader));
    }
  }
}

Result<TailSummary> TailRun::show_and_follow() {
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
    kafka::GroupReadOptions options;
    options.start_at_end = true;
    options.headers = m_settings.formatter->needs_headers() ||
                      (m_settings.filter && m_settings.filter->needs_headers());
    kafka::GroupReader reader(m_consumer, m_log, policy(), options);
    auto flow = follow(reader);
    m_status.clear();
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
  std::vector<kafka::TopicPartition> partitions;
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
        partitions.push_back(kafka::TopicPartition{topic.name, partition.id});
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
    ranges.push_back(kafka::PartitionRange{key.topic, key.partition, mark.high, std::nullopt});
    m_following.insert(key);
  }
  const bool headers = m_settings.formatter->needs_headers() ||
                       (m_settings.filter && m_settings.filter->needs_headers());
  kafka::RangeReader reader(m_consumer, m_log, policy(), headers);
  EVT_TRY(reader.add(ranges));
  auto flow = follow(reader);
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
  // A group member without a commit starts at the end; partitions read directly handle an
  // offset out of range themselves (RangeReader).
  options.offset_reset = settings.group ? "latest" : "error";
  options.commit = settings.commit;
  auto consumer = kafka::Consumer::create(config, log, options);
  if (!consumer) {
    return std::move(consumer).take_error();
  }
  TailRun run(settings, log, signals, output_fd, **consumer);
  return run.run();
}

}  // namespace evt::ops
