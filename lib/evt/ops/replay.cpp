// SPDX-License-Identifier: MIT
#include "evt/ops/replay.hpp"

#include <algorithm>
#include <deque>
#include <fstream>
#include <optional>

#include <fmt/format.h>

#include "evt/format/envelope.hpp"
#include "evt/io/output.hpp"
#include "evt/io/write_all.hpp"
#include "evt/kafka/delivery_sink.hpp"
#include "evt/kafka/range_snapshot.hpp"
#include "evt/ops/pace_schedule.hpp"
#include "evt/plural.hpp"
#include "evt/schema/wire.hpp"
#include "evt/time_spec.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

namespace evt::ops {

namespace {

using Clock = std::chrono::steady_clock;

constexpr char k_mark_header[] = "evt-replay-source";

// A record's input number (its delivery report gives it back) is its source position: 16 bits
// partition, 48 bits offset.
std::uint64_t pack(std::int32_t partition, std::int64_t offset) {
  return (static_cast<std::uint64_t>(partition & 0xffff) << 48) |
         (static_cast<std::uint64_t>(offset) & 0xffffffffffffULL);
}
std::pair<std::int32_t, std::int64_t> unpack(std::uint64_t packed) {
  return {static_cast<std::int32_t>(packed >> 48),
          static_cast<std::int64_t>(packed & 0xffffffffffffULL)};
}

/// Waits as --speed and --rate require (PaceSchedule says until when).
class Pacer {
 public:
  Pacer(std::optional<double> speed, std::optional<double> rate) : m_schedule(speed, rate) {}

  /// Sleeps until the record with timestamp `timestamp` is due; false when interrupted.
  /// `idle` runs before each sleep: what was emitted before shows while evt waits.
  bool wait(std::int64_t timestamp, Signals& signals, const std::function<void()>& idle) {
    const auto due = m_schedule.due(timestamp, Clock::now());
    while (Clock::now() < due) {
      idle();
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(due - Clock::now());
      pollfd fds[1] = {{signals.fd(), POLLIN, 0}};
      ::poll(fds, 1, static_cast<int>(std::clamp<long long>(left.count(), 1, 100)));
      if (signals.check() > 0) {
        return false;
      }
    }
    return true;
  }
  bool active() const { return m_schedule.active(); }

 private:
  PaceSchedule m_schedule;
};

/// A progress bar on a terminal's stderr: done of total, rate, ETA.
class Progress {
 public:
  Progress(int fd, std::uint64_t total) : m_fd(fd), m_total(total) {}
  void update(std::uint64_t done, bool force = false) {
    if (m_fd < 0) {
      return;
    }
    const auto now = Clock::now();
    if (!force && now - m_last < std::chrono::milliseconds(200)) {
      return;
    }
    m_last = now;
    const double seconds = std::chrono::duration<double>(now - m_start).count();
    const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    const double fraction = m_total ? std::min(1.0, static_cast<double>(done) / m_total) : 1.0;
    const int filled = static_cast<int>(fraction * 30);
    std::string bar(static_cast<std::size_t>(filled), '=');
    bar.resize(30, ' ');
    const double eta = rate > 0 && m_total > done ? static_cast<double>(m_total - done) / rate : 0;
    const std::string line = fmt::format("\r\x1b[2K[{}] {}/{}  {:.0f}/s  ETA {:.0f}s",
                                         bar,
                                         done,
                                         plural(static_cast<std::int64_t>(m_total), "record"),
                                         rate,
                                         eta);
    (void)io::write_all(m_fd, line);
    m_drawn = true;
  }
  void finish(std::uint64_t done) {
    if (m_drawn) {
      update(done, true);
      (void)io::write_all(m_fd, "\n");
    }
  }
  /// Ends the bar's line, so that a message written next starts on a line of its own; the next
  /// update draws the bar again below it.
  void break_line() {
    if (m_drawn) {
      (void)io::write_all(m_fd, "\n");
      m_drawn = false;
    }
  }

 private:
  int m_fd;
  std::uint64_t m_total;
  Clock::time_point m_start = Clock::now();
  Clock::time_point m_last;
  bool m_drawn = false;
};

class ReplayRun {
 public:
  ReplayRun(const ReplaySettings& settings, Signals& signals, int output_fd, ReplaySummary& summary)
      : m_settings(settings),
        m_signals(signals),
        m_output(output_fd),
        m_summary(summary),
        m_pacer(settings.speed, settings.rate) {}

  void set_sink(kafka::DeliverySink* sink) { m_sink = sink; }
  void set_progress(Progress* progress) { m_progress = progress; }
  ReplaySummary& summary() { return m_summary; }
  const ReplaySettings& settings() const { return m_settings; }

  /// Handles one record in range order; false when the run must stop. The source position
  /// (partition and offset, or 0 and the line number of an input file) is what failures and
  /// resume points name.
  bool emit(const RecordView& record, std::int32_t source_partition, std::int64_t source_offset);
  /// Drains delivery reports into the summary.
  void collect_reports();
  /// Writes what is buffered; an output that failed (not one whose reader left) is an error.
  Result<void> finish_output() {
    m_output.flush();
    m_summary.output_closed = m_output.reader_gone();
    return m_output.result();
  }
  void note_read(std::int32_t partition, std::int64_t offset) {
    m_next_unread[partition] = offset + 1;
  }
  std::map<std::int32_t, std::int64_t>& next_unread() { return m_next_unread; }
  std::map<std::int32_t, std::int64_t>& first_failed() { return m_first_failed; }

 private:
  const ReplaySettings& m_settings;
  Signals& m_signals;
  io::Output m_output;
  ReplaySummary& m_summary;
  Pacer m_pacer;
  Progress* m_progress = nullptr;
  kafka::DeliverySink* m_sink = nullptr;
  std::vector<HeaderView> m_headers;
  std::string m_mark;
  std::string m_key;    // a key with its schema id rewritten
  std::string m_value;  // a value with its schema id rewritten
  std::map<std::int32_t, std::int64_t> m_next_unread;
  std::map<std::int32_t, std::int64_t> m_first_failed;
};

void ReplayRun::collect_reports() {
  if (!m_sink) {
    return;
  }
  m_sink->poll(std::chrono::milliseconds(0));
  for (const auto& report : m_sink->reports()) {
    if (report.failed()) {
      const auto [partition, offset] = unpack(report.input);
      auto it = m_first_failed.find(partition);
      if (it == m_first_failed.end() || offset < it->second) {
        m_first_failed[partition] = offset;
      }
    }
  }
  m_sink->reports().clear();
  m_summary.written = m_sink->stats().delivered;
  if (m_progress) {
    m_progress->update(m_summary.written + m_sink->stats().failed);
  }
}

bool ReplayRun::emit(const RecordView& record,
                     std::int32_t source_partition,
                     std::int64_t source_offset) {
  if (m_settings.filter && !m_settings.filter->matches(record)) {
    ++m_summary.filtered;
    note_read(source_partition, source_offset);
    return true;
  }
  // Paced records reach stdout as they are paced, not at the end.
  const auto while_waiting = [this] {
    collect_reports();
    m_output.flush();
  };
  if (m_pacer.active() && !m_pacer.wait(record.timestamp, m_signals, while_waiting)) {
    m_summary.interrupted = true;
    return false;
  }
  if (!m_sink) {
    ++m_summary.read;
    m_settings.formatter->append(m_output.buffer(), record);
    note_read(source_partition, source_offset);
    ++m_summary.written;
    if (!m_output.open() || (m_output.buffer().size() >= (1 << 20) && !m_output.flush())) {
      m_summary.output_closed = m_output.reader_gone();
      return false;
    }
    if (m_progress) {
      m_progress->update(m_summary.written);
    }
    return true;
  }
  const HeaderView* headers = record.headers;
  std::size_t header_count = record.header_count;
  if (!m_settings.headers.empty() || m_settings.mark) {
    m_headers.assign(record.headers, record.headers + record.header_count);
    for (const Header& header : m_settings.headers) {
      m_headers.push_back(HeaderView{header.name, BytesView::of(header.value)});
    }
    if (m_settings.mark) {
      m_mark.clear();
      fmt::format_to(
          std::back_inserter(m_mark), "{}/{}/{}", record.topic, record.partition, record.offset);
      m_headers.push_back(HeaderView{k_mark_header, BytesView::of(m_mark)});
    }
    headers = m_headers.data();
    header_count = m_headers.size();
  }
  const bool keep = m_settings.keep_partition && record.partition >= 0;
  BytesView key = record.key;
  BytesView value = record.value;
  if (!m_settings.schema_ids.empty()) {
    // Only the 4 id bytes of the header change; the encoded record is copied as it is.
    key = schema::with_schema_id(key, m_settings.schema_ids, m_key);
    value = schema::with_schema_id(value, m_settings.schema_ids, m_value);
  }
  kafka::OutgoingRecord outgoing;
  outgoing.topic = *m_settings.into;
  outgoing.partition = keep ? record.partition : kafka::k_any_partition;
  outgoing.key = key;
  outgoing.value = value;
  outgoing.headers = headers;
  outgoing.header_count = header_count;
  outgoing.timestamp = record.timestamp >= 0 ? record.timestamp : -1;
  outgoing.input = pack(source_partition, source_offset);
  auto sent = m_sink->send(outgoing);
  if (!sent && sent.error().kind == ErrorKind::interrupted) {
    // A signal ended the wait for room in the queue: stop here, as between records; this
    // record is where the resume command starts, and it is not counted as read (nor in "N of
    // M records not delivered"), as produce does not count it.
    m_summary.interrupted = true;
    return false;
  }
  ++m_summary.read;
  if (!sent) {
    // Never queued (e.g. larger than the destination accepts): count it as failed.
    ++m_summary.failed;
    ++m_summary.failures[sent.error().message];
    auto it = m_first_failed.find(source_partition);
    if (it == m_first_failed.end() || source_offset < it->second) {
      m_first_failed[source_partition] = source_offset;
    }
  }
  note_read(source_partition, source_offset);
  if (m_summary.read % 1024 == 0) {
    collect_reports();
  }
  return true;
}

// Records of one partition waiting to be merged by timestamp (pacing only).
struct PartitionQueue {
  std::deque<Record> records;
  std::int64_t end = 0;
  bool done = false;
};

// How long one read waits before signals and delivery reports are looked at again.
constexpr std::chrono::milliseconds k_wait{100};

// The partitions the reader finished are done; so is one whose range ended in records no
// read shows (transaction markers), which only remaining() tells.
void mark_finished(std::map<std::int32_t, PartitionQueue>& queues,
                   const std::vector<kafka::PartitionRange>& left) {
  for (auto& [partition, queue] : queues) {
    queue.done = std::none_of(left.begin(), left.end(), [p = partition](const auto& range) {
      return range.partition == p;
    });
  }
}

// Emits the oldest buffered record while every partition still reading has one (--speed
// replays the partitions merged by timestamp); false when the run must stop.
bool emit_merged(std::map<std::int32_t, PartitionQueue>& queues,
                 ReplayRun& run,
                 std::vector<HeaderView>& headers) {
  for (;;) {
    PartitionQueue* oldest = nullptr;
    bool waiting = false;
    for (auto& [partition, queue] : queues) {
      if (queue.records.empty()) {
        waiting |= !queue.done;
        continue;
      }
      if (!oldest || queue.records.front().timestamp < oldest->records.front().timestamp) {
        oldest = &queue;
      }
    }
    if (!oldest || waiting) {
      return true;
    }
    const Record& head = oldest->records.front();
    const bool keep_going = run.emit(view_of(head, headers), head.partition, head.offset);
    oldest->records.pop_front();
    if (!keep_going) {
      return false;
    }
  }
}

// Copies what `reader` reads of `ranges`: in the reader's order, or merged by timestamp with
// --speed. The reader owns where each range ends and what its errors mean; an error that ends
// the read is the run's (summary.stop), and what was read before it is still delivered.
void copy_ranges(kafka::RecordReader& reader,
                 const std::vector<kafka::PartitionRange>& ranges,
                 ReplayRun& run,
                 const ReplaySettings& settings,
                 Signals& signals,
                 ReplaySummary& summary) {
  const bool merge = settings.speed.has_value();
  std::map<std::int32_t, PartitionQueue> queues;
  for (const kafka::PartitionRange& range : ranges) {
    run.next_unread()[range.partition] = range.start;
    if (merge && range.end && *range.end > range.start) {
      queues[range.partition].end = *range.end;
    }
  }
  std::vector<HeaderView> headers;
  for (;;) {
    auto event = reader.next(k_wait);
    if (signals.check_throttled() > 0) {
      summary.interrupted = true;
      return;
    }
    if (!event) {
      summary.stop = event.error();
      return;
    }
    if (event->kind == kafka::ReadEvent::Kind::end) {
      for (auto& [partition, queue] : queues) {
        queue.done = true;
      }
      (void)emit_merged(queues, run, headers);
      return;
    }
    if (event->kind == kafka::ReadEvent::Kind::idle) {
      run.collect_reports();
      if (merge) {
        mark_finished(queues, reader.remaining());
        if (!emit_merged(queues, run, headers)) {
          return;
        }
      }
      continue;
    }
    const RecordView& record = event->record;
    if (!merge) {
      if (!run.emit(record, record.partition, record.offset)) {
        return;
      }
      continue;
    }
    PartitionQueue& queue = queues[record.partition];
    queue.records.push_back(copy_of(record));
    queue.done = record.offset + 1 >= queue.end;
    if (!emit_merged(queues, run, headers)) {
      return;
    }
  }
}

// The end of every run: what was buffered for stdout is written, what was sent is delivered
// (or abandoned at a second signal), the transaction ends, and the resume points are set: per
// partition the first record not delivered (or not read yet).
Result<void> finish_run(ReplayRun& run,
                        kafka::DeliverySink* sink,
                        const std::vector<kafka::PartitionRange>& ranges,
                        std::chrono::milliseconds timeout,
                        const Log& log,
                        Signals& signals,
                        Progress& progress) {
  ReplaySummary& summary = run.summary();
  EVT_TRY(run.finish_output());
  if (sink) {
    // Deliver what was read. A signal that arrives once the whole range was read only bounds
    // the wait by the timeout; a further signal gives up and counts the rest as not delivered.
    kafka::DrainOptions drain;
    drain.timeout = timeout;
    drain.interrupted = summary.interrupted;
    drain.served = [&] { run.collect_reports(); };
    if (run.settings().announce_flush) {
      drain.announce = [&](std::uint64_t outstanding) {
        progress.break_line();
        log.notice(kafka::describe_draining(outstanding, timeout, signals.last_signal() == SIGINT));
      };
    }
    if (sink->drain(signals, drain).abandoned) {
      summary.interrupted = true;
    }
    const auto& stats = sink->stats();
    summary.written = stats.delivered;
    summary.failed += stats.failed;
    for (const auto& [reason, count] : stats.failures) {
      summary.failures[reason] += count;
    }
    if (sink->transactional()) {
      const kafka::TransactionEnd end = sink->end_transaction(
          !summary.interrupted && !summary.stop && summary.failed == 0, timeout, log);
      if (!end.committed) {
        summary.transaction_aborted = true;
        summary.transaction_error = end.error;
        summary.failed = summary.read;
        summary.written = 0;
        run.first_failed().clear();
        for (const kafka::PartitionRange& range : ranges) {
          run.first_failed()[range.partition] = range.start;
        }
      }
    }
  }
  progress.finish(summary.written + summary.failed);
  for (auto [partition, next] : run.next_unread()) {
    auto failed = run.first_failed().find(partition);
    summary.resume[partition] =
        failed != run.first_failed().end() ? std::min(failed->second, next) : next;
  }
  for (const kafka::PartitionRange& range : ranges) {
    auto it = summary.resume.find(range.partition);
    if (it == summary.resume.end() || !range.end) {
      continue;
    }
    if (it->second < *range.end) {
      summary.complete = false;
      summary.resume_end[range.partition] = *range.end;
    } else {
      // Copied to its end: resuming it would be an empty range (a usage error).
      summary.resume.erase(it);
      summary.resume_skips_finished = true;
    }
  }
  if (summary.failed > 0 || summary.interrupted || summary.stop) {
    summary.complete = false;
  }
  return {};
}

// Reads the envelope file line by line (blank lines skipped), calling `each(record, line)`
// until it returns false. A line that is not an envelope is a usage error naming it.
template <typename Each>
Result<void> read_envelope_file(const std::string& path, Each each) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(ErrorKind::usage, fmt::format("cannot read {}", path));
  }
  format::EnvelopeParser parser;
  Record record;
  std::string line;
  std::int64_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) {
      continue;
    }
    auto parsed = parser.parse(line, record);
    if (!parsed) {
      return fail(ErrorKind::usage,
                  fmt::format("{} line {}: {}", path, number, parsed.error().message));
    }
    // A file's timestamp becomes the record's create time (the parser ignores the type).
    record.timestamp_type =
        record.timestamp >= 0 ? TimestampType::create : TimestampType::not_available;
    if (!each(record, number)) {
      break;
    }
  }
  return {};
}

Result<void> replay_file(const ReplaySettings& settings,
                         ReplayRun& run,
                         ReplaySummary& summary,
                         Signals& signals) {
  std::vector<HeaderView> headers;
  return read_envelope_file(*settings.input_file, [&](const Record& record, std::int64_t line) {
    // From a file, the "offset" is the line number: failures and resume points name lines.
    if (!run.emit(view_of(record, headers), 0, line)) {
      return false;
    }
    if (signals.check_throttled() > 0) {
      summary.interrupted = true;
      return false;
    }
    return true;
  });
}

// --dry-run --input: every line checked, and what a run would copy.
Result<std::string> file_plan(const std::string& path) {
  std::uint64_t records = 0;
  std::int64_t first_line = 0, last_line = 0;
  std::optional<std::int64_t> oldest, newest;
  EVT_TRY(read_envelope_file(path, [&](const Record& record, std::int64_t line) {
    ++records;
    first_line = first_line ? first_line : line;
    last_line = line;
    if (record.timestamp >= 0) {
      oldest = std::min(oldest.value_or(record.timestamp), record.timestamp);
      newest = std::max(newest.value_or(record.timestamp), record.timestamp);
    }
    return true;
  }));
  std::string plan =
      fmt::format("replay of {}: {}", path, plural(static_cast<std::int64_t>(records), "record"));
  if (records > 0) {
    plan += fmt::format(" (lines {} to {})", first_line, last_line);
  }
  if (oldest) {
    plan += fmt::format(", timestamps {} to {}", format_iso_utc(*oldest), format_iso_utc(*newest));
  }
  return plan + "\n";
}

}  // namespace

Result<ReplaySummary> replay_records(kafka::RecordReader& reader,
                                     const std::vector<kafka::PartitionRange>& ranges,
                                     kafka::DeliverySink* sink,
                                     const ReplaySettings& settings,
                                     std::chrono::milliseconds timeout,
                                     const Log& log,
                                     Signals& signals,
                                     int output_fd,
                                     ReplaySummary summary) {
  ReplayRun run(settings, signals, output_fd, summary);
  run.set_sink(sink);
  Progress progress(settings.progress_fd, summary.total);
  run.set_progress(&progress);
  copy_ranges(reader, ranges, run, settings, signals, summary);
  EVT_TRY(finish_run(run, sink, ranges, timeout, log, signals, progress));
  return summary;
}

Result<ReplaySummary> replay(const ReplaySettings& settings,
                             const config::ResolvedConfig& source,
                             const config::ResolvedConfig* destination,
                             const Log& log,
                             Signals& signals,
                             int output_fd) {
  ReplaySummary summary;
  std::unique_ptr<kafka::RangeSnapshot> snapshot;
  std::vector<kafka::SnapshotRange> ranges;
  if (!settings.input_file) {
    // The range is a snapshot: new writes do not extend it.
    auto opened = kafka::RangeSnapshot::open(
        source, log, settings.topic, settings.partitions, settings.range);
    if (!opened) {
      return std::move(opened).take_error();
    }
    snapshot = std::move(*opened);
    ranges = snapshot->ranges();
    std::string plan =
        fmt::format("{:>9}  {:>12}  {:>12}  {:>10}\n", "PARTITION", "FROM", "TO", "RECORDS");
    for (const auto& r : ranges) {
      const std::int64_t count = std::max<std::int64_t>(0, *r.range.end - r.range.start);
      summary.total += static_cast<std::uint64_t>(count);
      summary.missing += r.missing;
      plan += fmt::format(
          "{:>9}  {:>12}  {:>12}  {:>10}\n", r.range.partition, r.range.start, *r.range.end, count);
      if (r.missing > 0) {
        log.warning(
            fmt::format("{}/{}: {} of the range {} already deleted by retention; copying "
                        "from {}",
                        settings.topic,
                        r.range.partition,
                        plural(r.missing, "record"),
                        r.missing == 1 ? "was" : "were",
                        r.range.start));
      }
    }
    summary.plan =
        plan + fmt::format("{:>9}  {:>12}  {:>12}  {:>10}\n", "total", "", "", summary.total);
  } else if (settings.dry_run) {
    auto plan = file_plan(*settings.input_file);
    if (!plan) {
      return std::move(plan).take_error();
    }
    summary.plan = std::move(*plan);
  }
  if (settings.dry_run) {
    return summary;
  }

  std::unique_ptr<kafka::DeliverySink> sink;
  if (settings.into) {
    kafka::ProducerOptions options = settings.producer;
    options.interrupt = &signals;
    options.reports = kafka::ProducerOptions::Reports::failures;  // their source positions
    auto created = kafka::open_delivery_sink(*destination, log, options);
    if (!created) {
      return std::move(created).take_error();
    }
    sink = std::move(*created);
    auto count = sink->partition_count(*settings.into);
    if (!count) {
      return std::move(count).take_error();
    }
    if (settings.keep_partition && !ranges.empty()) {
      const std::int32_t needed = std::max_element(ranges.begin(),
                                                   ranges.end(),
                                                   [](const auto& a, const auto& b) {
                                                     return a.range.partition < b.range.partition;
                                                   })
                                      ->range.partition +
                                  1;
      if (*count < needed) {
        return fail(ErrorKind::usage,
                    fmt::format("--keep-partition: topic \"{}\" has {}, the range needs {}",
                                *settings.into,
                                plural(*count, "partition"),
                                needed),
                    "drop --keep-partition to let the partitioner place records by key");
      }
    }
    if (sink->transactional()) {
      EVT_TRY(sink->begin_transaction());
    }
  }

  const std::chrono::milliseconds destination_timeout =
      destination ? destination->timeout : source.timeout;
  if (!settings.input_file) {
    // Read as consume reads a range: a bounded read, which ends (exit 3) once every broker has
    // been gone for --timeout.
    kafka::ReadPolicy policy;
    policy.unreachable_after = source.timeout;
    auto reader = snapshot->read(policy);
    if (!reader) {
      return std::move(reader).take_error();
    }
    std::vector<kafka::PartitionRange> to_read;
    for (const kafka::SnapshotRange& range : ranges) {
      to_read.push_back(range.range);
    }
    return replay_records(**reader,
                          to_read,
                          sink.get(),
                          settings,
                          destination_timeout,
                          log,
                          signals,
                          output_fd,
                          std::move(summary));
  }
  ReplayRun run(settings, signals, output_fd, summary);
  run.set_sink(sink.get());
  Progress progress(settings.progress_fd, summary.total);
  run.set_progress(&progress);
  {
    auto read = replay_file(settings, run, summary, signals);
    if (!read) {
      // A bad line stops the replay. As in produce, the records before it are delivered (not
      // left to chance when the producer goes away), or none in a transaction; say which.
      Unexpected failure = std::move(read).take_error();
      (void)run.finish_output();  // the bad line is the error to report
      if (sink && sink->transactional()) {
        (void)sink->end_transaction(false, destination->timeout, log);
        failure.error.message += " (the transaction was aborted)";
      } else if (sink) {
        sink->flush(destination->timeout);
        run.collect_reports();
        failure.error.message +=
            fmt::format(" ({} of the {} before it were delivered)",
                        sink->stats().delivered,
                        plural(static_cast<std::int64_t>(summary.read), "record"));
      }
      return failure;
    }
  }
  EVT_TRY(finish_run(run, sink.get(), {}, destination_timeout, log, signals, progress));
  return summary;
}

std::string describe_failures(const ReplaySummary& summary) {
  std::string text = kafka::describe_undelivered(summary.failed, summary.read, summary.failures);
  if (summary.transaction_aborted) {
    text += "; the transaction was aborted";
    if (summary.transaction_error) {
      text += fmt::format(" ({})", summary.transaction_error->message);
    }
  }
  return text;
}

Result<void> replay_outcome(const ReplaySummary& summary,
                            bool from_file,
                            const std::string& resume) {
  if (summary.output_closed) {
    return {};  // the reader left: how a pipe into `head` ends, not a failure
  }
  if (summary.stop) {
    // The source failed: what was read before is delivered; the hint says how to go on.
    Error error = *summary.stop;
    error.message +=
        fmt::format(" ({} written)", plural(static_cast<std::int64_t>(summary.written), "record"));
    error.hint = error.hint.empty() ? resume : error.hint + "; then " + resume;
    return Unexpected{std::move(error)};
  }
  if (summary.interrupted && !summary.complete) {
    // As in produce: a signal decides the exit status (130), and the records it left
    // undelivered (abandoned by a second signal, or not delivered within --timeout after the
    // first) are counted in the message.
    std::string message =
        from_file ? fmt::format("interrupted after {}",
                                plural(static_cast<std::int64_t>(summary.written), "record"))
                  : fmt::format("interrupted after {} of {}",
                                summary.written,
                                plural(static_cast<std::int64_t>(summary.total), "record"));
    if (summary.failed > 0) {
      message += "; " + describe_failures(summary);
    }
    return fail(ErrorKind::interrupted, message, resume);
  }
  if (summary.failed > 0) {
    return fail(ErrorKind::delivery, describe_failures(summary), resume);
  }
  return {};
}

std::string resume_arguments(const ReplaySummary& summary) {
  std::string text;
  for (const auto& [partition, offset] : summary.resume) {
    text += fmt::format("{}--from {}={}", text.empty() ? "" : " ", partition, offset);
  }
  return text;
}

}  // namespace evt::ops
