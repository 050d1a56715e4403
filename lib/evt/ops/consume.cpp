// SPDX-License-Identifier: MIT
#include "evt/ops/consume.hpp"

#include <fmt/format.h>

#include "evt/kafka/consumer.hpp"
#include "evt/kafka/group_reader.hpp"
#include "evt/kafka/metadata.hpp"
#include "evt/kafka/range_reader.hpp"
#include "evt/kafka/range_resolver.hpp"
#include "evt/ops/commit_tracker.hpp"
#include "evt/plural.hpp"

namespace evt::ops {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds k_wait{100};
// Output is written in chunks of this size while records stream in.
constexpr std::size_t k_flush_bytes = 1 << 20;
// How long a group's consume waits at its end for the reader to take what is still in the
// pipe (evt-consume(1), GROUPS).
constexpr std::chrono::seconds k_reader_grace{2};

class ConsumeLoop {
 public:
  ConsumeLoop(kafka::RecordReader& reader,
              const ConsumeSettings& settings,
              Signals& signals,
              io::Output& output)
      : m_reader(reader),
        m_settings(settings),
        m_signals(signals),
        m_output(output),
        m_commits(settings.group.has_value()) {}

  Result<ConsumeSummary> run();

 private:
  bool flush();
  Unexpected stopped_by(Error error);

  kafka::RecordReader& m_reader;
  const ConsumeSettings& m_settings;
  Signals& m_signals;
  io::Output& m_output;
  CommitTracker m_commits;
  ConsumeSummary m_summary;
};

// Writes what is buffered; a group then commits the records whose bytes the reader took.
bool ConsumeLoop::flush() {
  const bool open = m_output.flush();
  if (m_commits.active()) {
    m_reader.written(m_commits.taken(m_output.bytes_taken()));
  }
  return open;
}

// A reader's error: what was written stays written; the error says how far it got and how
// to read the rest.
Unexpected ConsumeLoop::stopped_by(Error error) {
  flush();
  if (m_summary.written > 0) {
    error.message += fmt::format(" ({} written)",
                                 plural(static_cast<std::int64_t>(m_summary.written), "record"));
  }
  if (m_settings.group) {
    error.hint = "run the same command again: the group continues after what was written";
  } else if (const std::string resume = consume_resume(m_settings.resume, m_reader.remaining());
             !resume.empty()) {
    error.hint = (error.hint.empty() ? "" : error.hint + "; then ") + "resume with: " + resume;
  }
  return Unexpected{std::move(error)};
}

Result<ConsumeSummary> ConsumeLoop::run() {
  auto last_record = Clock::now();
  while (!m_settings.count || m_summary.written < *m_settings.count) {
    auto event = m_reader.next(k_wait);
    if (m_signals.check_throttled() > 0) {
      m_summary.interrupted = true;
      break;
    }
    if (!event) {
      return stopped_by(event.error());
    }
    if (event->kind == kafka::ReadEvent::Kind::end) {
      break;
    }
    if (event->kind == kafka::ReadEvent::Kind::idle) {
      // Nothing to read: let the reader see what is buffered, and notice one that left
      // (`evt consume t | head -1` on a quiet topic) without a write.
      if (!flush() || m_output.reader_left()) {
        break;
      }
      if (m_settings.idle_timeout && Clock::now() - last_record >= *m_settings.idle_timeout) {
        m_summary.idle = true;
        break;
      }
      continue;
    }
    const RecordView& record = event->record;
    if (!m_settings.filter || m_settings.filter->matches(record)) {
      m_settings.formatter->append(m_output.buffer(), record);
      ++m_summary.written;
    } else {
      ++m_summary.filtered;  // handled all the same: a group commits past it
    }
    if (m_commits.active()) {
      m_commits.note(record.topic,
                     record.partition,
                     record.offset,
                     m_output.bytes_written() + m_output.buffer().size());
    }
    // No backlog: let a reader on the other end of a pipe see the records now.
    if (!event->more_ready) {
      last_record = Clock::now();
      if (!flush()) {
        break;
      }
    } else if (m_output.buffer().size() >= k_flush_bytes && !flush()) {
      break;
    }
  }
  flush();
  if (m_commits.active() && !m_summary.interrupted) {
    // What still waits in a pipe is committed only once its reader takes it (a reader that
    // leaves never will): give it a moment before the group commits at close.
    m_output.wait_taken(k_reader_grace);
    flush();
  }
  m_summary.output_closed = m_output.reader_gone();
  EVT_TRY(m_output.result());
  return m_summary;
}

// A start past the end of a bounded range (-e, FROM:TO) can never be read: say so (exit 5)
// when that is all there is to read; otherwise name the partitions that have nothing.
Result<void> check_not_past_end(const std::vector<kafka::ResolvedRange>& ranges, const Log& log) {
  std::vector<std::string> past;
  for (const kafka::ResolvedRange& resolved : ranges) {
    const kafka::PartitionRange& range = resolved.range;
    if (range.end && range.start > resolved.watermarks.high) {
      past.push_back(fmt::format("{}/{} starts at {}, past its end {}",
                                 range.topic,
                                 range.partition,
                                 range.start,
                                 resolved.watermarks.high));
    }
  }
  if (past.empty()) {
    return {};
  }
  if (past.size() == ranges.size()) {
    std::string list;
    for (const std::string& one : past) {
      list += (list.empty() ? "" : "; ") + one;
    }
    return fail(ErrorKind::not_found,
                fmt::format("no record in the range: {}", list),
                "offsets count from 0 up to the end (evt inspect topic shows it); drop -e or "
                "the range's end to wait for records not written yet");
  }
  for (const std::string& one : past) {
    log.warning(fmt::format("nothing to read there: {}", one));
  }
  return {};
}

}  // namespace

Result<ConsumeSummary> consume_records(kafka::RecordReader& reader,
                                       const ConsumeSettings& settings,
                                       Signals& signals,
                                       io::Output& output) {
  ConsumeLoop loop(reader, settings, signals, output);
  return loop.run();
}

namespace {

Result<ConsumeSummary> open_and_consume(const ConsumeSettings& settings,
                                        const config::ResolvedConfig& config,
                                        const Log& log,
                                        Signals& signals,
                                        int output_fd) {
  kafka::ConsumerOptions options;
  options.read_committed = false;  // every record, unless -X isolation.level=read_committed
  options.group = settings.group;
  options.offset_reset = "error";  // the RangeReader handles it
  if (settings.group) {
    options.offset_reset =
        settings.offsets.all.from.kind == Position::Kind::end ? "latest" : "earliest";
  }
  auto consumer = kafka::Consumer::create(config, log, options);
  if (!consumer) {
    return std::move(consumer).take_error();
  }
  // A bounded run (-e, a range) must end: after --timeout without any broker it exits 3.
  kafka::ReadPolicy policy;
  if (settings.exit_at_end || settings.until || settings.offsets.all.to ||
      !settings.offsets.per_partition.empty()) {
    policy.unreachable_after = config.timeout;
  }
  const bool headers =
      settings.formatter->needs_headers() || (settings.filter && settings.filter->needs_headers());
  io::Output output(output_fd);
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
    EVT_TRY((*consumer)->subscribe(settings.topics));
    kafka::GroupReadOptions group;
    group.exit_at_end = settings.exit_at_end;
    group.start_at_end = settings.offsets.all.from.kind == Position::Kind::end;
    group.headers = headers;
    kafka::GroupReader reader(**consumer, log, policy, group);
    auto summary = consume_records(reader, settings, signals, output);
    // Leave the group (committing what was written) whatever happened; then say what did.
    auto closed = (*consumer)->close();
    if (!summary) {
      return summary;
    }
    EVT_TRY(closed);
    return summary;
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
  EVT_TRY(check_not_past_end(*ranges, log));
  std::vector<kafka::PartitionRange> to_read;
  for (const kafka::ResolvedRange& resolved : *ranges) {
    const kafka::PartitionRange& range = resolved.range;
    if (resolved.missing > 0) {
      log.warning(fmt::format("{}/{}: {} {} already deleted by retention; starting at offset {}",
                              range.topic,
                              range.partition,
                              plural(resolved.missing, "requested record"),
                              resolved.missing == 1 ? "was" : "were",
                              range.start));
    }
    log.debug(fmt::format("{}/{}: reading [{}, {})",
                          range.topic,
                          range.partition,
                          range.start,
                          range.end ? std::to_string(*range.end) : "follow"));
    to_read.push_back(range);
  }
  kafka::RangeReader reader(**consumer, log, policy, headers);
  EVT_TRY(reader.add(to_read));
  return consume_records(reader, settings, signals, output);
}

}  // namespace

Result<ConsumeSummary> consume(const ConsumeSettings& settings,
                               const config::ResolvedConfig& config,
                               const Log& log,
                               Signals& signals,
                               int output_fd) {
  auto summary = open_and_consume(settings, config, log, signals, output_fd);
  if (!summary && summary.error().kind == ErrorKind::interrupted) {
    // A signal is how consume stops, also while it waits for the brokers before reading
    // (the loop itself counts a signal as a stop, not an error): nothing was written yet.
    ConsumeSummary stopped;
    stopped.interrupted = true;
    return stopped;
  }
  return summary;
}

}  // namespace evt::ops
