// SPDX-License-Identifier: MIT
#include "evt/ops/produce.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <map>

#include <fmt/format.h>

#include "evt/format/json_text.hpp"
#include "evt/io/output.hpp"
#include "evt/kafka/metadata.hpp"
#include "evt/kafka/producer.hpp"
#include "evt/ops/input_buffer.hpp"
#include "evt/plural.hpp"
#include "evt/time_spec.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

namespace evt::ops {

namespace {

using Clock = std::chrono::steady_clock;

// How often delivery reports are served while input streams in.
constexpr std::uint64_t k_poll_every = 1024;
// How long to wait for input before serving delivery reports anyway.
constexpr int k_idle_poll_ms = 100;

void append_report(std::string& out, const kafka::DeliveryReport& report) {
  out.append("{\"input\":");
  out.append(std::to_string(report.input));
  out.append(",\"topic\":");
  format::append_json_string(out, report.topic);
  out.append(fmt::format(",\"partition\":{}", report.partition));
  if (report.error) {
    out.append(",\"error\":");
    format::append_json_string(out, rd_kafka_err2str(report.error));
    if (report.possibly_written) {
      out.append(",\"possibly_written\":true");
    }
  } else {
    out.append(fmt::format(",\"offset\":{},\"timestamp\":{}", report.offset, report.timestamp));
  }
  out.append("}\n");
}

class ProduceRun {
 public:
  ProduceRun(const ProduceSettings& settings,
             const Log& log,
             Signals& signals,
             int input_fd,
             int output_fd,
             kafka::Producer& producer,
             std::unique_ptr<format::RecordParser> parser)
      : m_settings(settings),
        m_log(log),
        m_signals(signals),
        m_input_fd(input_fd),
        m_output(output_fd, 64 << 10),
        m_producer(producer),
        m_parser(std::move(parser)) {}

  void run(ProduceSummary& summary);
  /// Writes the delivery reports served so far (--report).
  void write_reports();
  /// The --report output's failure, if any.
  Result<void> output_result() const { return m_output.result(); }

 private:
  enum class Flow { go_on, stop };

  Flow read_source(const std::string& name, int fd, ProduceSummary& summary);
  Flow read_raw(const std::string& name, int fd, ProduceSummary& summary);
  // `unit` is the record's number in its source (0 for a raw file): only formatted into a
  // location when something goes wrong, never on the hot path.
  Flow send(format::InputRecord& record,
            const std::string& name,
            std::uint64_t unit,
            ProduceSummary& summary);
  Flow wait_for_input(int fd, ProduceSummary& summary);
  Flow skip_past(std::string_view terminator,
                 const std::string& name,
                 int fd,
                 InputBuffer& buffer,
                 bool& at_eof,
                 ProduceSummary& summary);
  bool pace(ProduceSummary& summary);
  // Serves delivery reports and writes them (--report); Flow::stop once that output failed.
  Flow serve_reports(ProduceSummary& summary);
  Result<std::int32_t> partitions_of(const std::string& topic);
  std::string location(const std::string& name, std::uint64_t unit) const;

  const ProduceSettings& m_settings;
  const Log& m_log;
  Signals& m_signals;
  int m_input_fd;
  io::Output m_output;
  kafka::Producer& m_producer;
  std::unique_ptr<format::RecordParser> m_parser;
  std::vector<HeaderView> m_headers;
  std::string m_encoded_key;    // the framed key (--key-schema)
  std::string m_encoded_value;  // the framed value (--value-schema)
  std::map<std::string, std::int32_t, std::less<>> m_partition_counts;
  std::string m_topic_name;
  rd_kafka_topic_t* m_topic_handle = nullptr;
  Clock::time_point m_started = Clock::now();
  std::uint64_t m_byte_offset = 0;
};

std::string ProduceRun::location(const std::string& name, std::uint64_t unit) const {
  const char* what = m_settings.format == InputFormat::json ? "line"
                     : m_settings.format == InputFormat::lines && m_settings.lines.delimiter == "\n"
                         ? "line"
                         : "record";
  return fmt::format("{} {} {} (byte {})", name, what, unit, m_byte_offset);
}

ProduceRun::Flow ProduceRun::serve_reports(ProduceSummary& summary) {
  m_producer.poll(0);
  write_reports();
  if (m_output.failed()) {
    if (!summary.stop) {
      summary.stop = m_output.result().error();
    }
    return Flow::stop;
  }
  return Flow::go_on;
}

void ProduceRun::write_reports() {
  if (!m_settings.report) {
    return;
  }
  auto& reports = m_producer.reports();
  if (reports.empty()) {
    return;
  }
  // A reader that went away (`--report | head`) takes no more reports; the records are still
  // delivered. An output that failed stops the run (see send()).
  for (const auto& report : reports) {
    append_report(m_output.buffer(), report);
  }
  reports.clear();
  m_output.flush();
}

Result<std::int32_t> ProduceRun::partitions_of(const std::string& topic) {
  auto it = m_partition_counts.find(topic);
  if (it != m_partition_counts.end()) {
    return it->second;
  }
  auto count = m_producer.partition_count(topic);
  if (!count) {
    return count;
  }
  m_partition_counts.emplace(topic, *count);
  return *count;
}

// Waits until `fd` is readable, serving delivery reports and watching for signals.
ProduceRun::Flow ProduceRun::wait_for_input(int fd, ProduceSummary& summary) {
  if (fd < 0) {
    return Flow::go_on;  // a closed stdin: read() says so
  }
  for (;;) {
    pollfd fds[2] = {{fd, POLLIN, 0}, {m_signals.fd(), POLLIN, 0}};
    const int ready = ::poll(fds, m_signals.fd() >= 0 ? 2 : 1, k_idle_poll_ms);
    if (m_signals.check() > 0) {
      summary.interrupted = true;
      return Flow::stop;
    }
    if (serve_reports(summary) == Flow::stop) {
      return Flow::stop;
    }
    if (ready > 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) != 0) {
      return Flow::go_on;
    }
    if (ready < 0 && errno != EINTR) {
      return Flow::go_on;  // let read() report the problem
    }
  }
}

// Sleeps as --rate requires; false when interrupted.
bool ProduceRun::pace(ProduceSummary& summary) {
  if (!m_settings.rate) {
    return true;
  }
  const auto due =
      m_started + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                      static_cast<double>(summary.read) / *m_settings.rate));
  while (Clock::now() < due) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(due - Clock::now());
    pollfd fds[1] = {{m_signals.fd(), POLLIN, 0}};
    ::poll(
        fds, 1, static_cast<int>(std::min<long long>(std::max<long long>(left.count(), 1), 100)));
    if (m_signals.check() > 0) {
      summary.interrupted = true;
      return false;
    }
    if (serve_reports(summary) == Flow::stop) {
      return false;
    }
  }
  return true;
}

ProduceRun::Flow ProduceRun::send(format::InputRecord& record,
                                  const std::string& name,
                                  std::uint64_t unit,
                                  ProduceSummary& summary) {
  auto bad = [&](std::string message) {
    const std::string where = unit > 0 ? location(name, unit) : name;
    if (m_settings.on_bad_input == BadInput::skip) {
      ++summary.skipped;
      m_log.warning(fmt::format("skipped {}: {}", where, message));
      return Flow::go_on;
    }
    summary.stop = Error{ErrorKind::usage,
                         fmt::format("{}: {}", where, message),
                         "fix the input, or pass --on-bad-input skip to skip such records"};
    return Flow::stop;
  };

  std::string_view topic = m_settings.topic;
  if (topic.empty()) {
    topic = record.topic;
    if (topic.empty()) {
      return bad("the record names no topic and no TOPIC argument was given");
    }
  }
  std::int32_t partition = m_settings.partition >= 0 ? m_settings.partition : record.partition;
  if (partition >= 0 && m_settings.partition < 0) {
    auto count = partitions_of(std::string(topic));
    if (!count) {
      if (count.error().kind == ErrorKind::not_found) {
        return bad(count.error().message);
      }
      summary.stop = count.error();
      return Flow::stop;
    }
    if (partition >= *count) {
      return bad(fmt::format(
          "partition {} does not exist (topic \"{}\" has {})", partition, topic, *count));
    }
  }
  if (m_settings.key) {
    record.key = BytesView::of(*m_settings.key);
  }
  if (m_settings.null_empty && !record.value.is_null() && record.value.size == 0) {
    record.value = BytesView{};
  }
  if (m_settings.encoder) {
    // The JSON of the key or value becomes a schema-registry framed record; null stays null.
    for (const bool key : {true, false}) {
      BytesView& field = key ? record.key : record.value;
      if (!m_settings.encoder->encodes(key) || field.is_null()) {
        continue;
      }
      std::string& encoded = key ? m_encoded_key : m_encoded_value;
      encoded.clear();
      auto done = m_settings.encoder->encode(topic, key, field.view(), encoded);
      if (!done) {
        if (done.error().kind != ErrorKind::usage) {
          summary.stop = done.error();  // the registry failed: no use reading on
          return Flow::stop;
        }
        return bad(fmt::format("{}: {}", key ? "key" : "value", done.error().message));
      }
      field = BytesView::of(std::string_view(encoded));
    }
  }
  const HeaderView* headers = record.headers.data();
  std::size_t header_count = record.headers.size();
  if (!m_settings.headers.empty()) {
    m_headers.assign(record.headers.begin(), record.headers.end());
    for (const Header& header : m_settings.headers) {
      m_headers.push_back(HeaderView{header.name, BytesView::of(header.value)});
    }
    headers = m_headers.data();
    header_count = m_headers.size();
  }
  if (!pace(summary)) {
    return Flow::stop;
  }
  // One topic handle lookup per change of topic, not per record.
  if (!m_topic_handle || topic != m_topic_name) {
    m_topic_name.assign(topic);
    m_topic_handle = m_producer.topic(m_topic_name);
  }
  rd_kafka_topic_t* handle = m_topic_handle;
  auto sent = m_producer.send(handle,
                              partition < 0 ? RD_KAFKA_PARTITION_UA : partition,
                              record.key,
                              record.value,
                              headers,
                              header_count,
                              record.timestamp,
                              summary.read + 1);
  if (!sent) {
    if (sent.error().kind == ErrorKind::usage) {
      return bad(sent.error().message);
    }
    summary.stop = sent.error();
    return Flow::stop;
  }
  ++summary.read;
  if (summary.read % k_poll_every == 0 && serve_reports(summary) == Flow::stop) {
    return Flow::stop;
  }
  if (m_settings.count && summary.read >= *m_settings.count) {
    return Flow::stop;
  }
  return Flow::go_on;
}

ProduceRun::Flow ProduceRun::read_raw(const std::string& name, int fd, ProduceSummary& summary) {
  const std::size_t limit = static_cast<std::size_t>(m_producer.max_message_bytes());
  InputBuffer buffer(std::min<std::size_t>(limit, 1 << 20), limit);
  for (;;) {
    if (wait_for_input(fd, summary) == Flow::stop) {
      return Flow::stop;
    }
    const auto result = buffer.read_from(fd);
    if (result == InputBuffer::ReadResult::eof) {
      break;
    }
    if (result == InputBuffer::ReadResult::error) {
      if (errno == ENOBUFS) {
        format::InputRecord ignored;
        m_byte_offset = 0;
        summary.stop =
            Error{ErrorKind::usage,
                  fmt::format("{}: larger than message.max.bytes ({} bytes)", name, limit),
                  "raise it with -X message.max.bytes=N (the broker must accept it too)"};
        return Flow::stop;
      }
      summary.stop =
          Error{ErrorKind::io, fmt::format("cannot read {}: {}", name, std::strerror(errno)), {}};
      return Flow::stop;
    }
  }
  format::InputRecord record;
  record.value = BytesView::of(buffer.data());
  return send(record, name, 0, summary);
}

// Discards input up to and including the next `terminator` (the rest of a record too long to
// buffer), reading as much as it takes; at EOF the record simply ends.
ProduceRun::Flow ProduceRun::skip_past(std::string_view terminator,
                                       const std::string& name,
                                       int fd,
                                       InputBuffer& buffer,
                                       bool& at_eof,
                                       ProduceSummary& summary) {
  for (;;) {
    const std::string_view data = buffer.data();
    const std::size_t end = data.find(terminator);
    if (end != std::string_view::npos) {
      buffer.consume(end + terminator.size());
      m_byte_offset += end + terminator.size();
      return Flow::go_on;
    }
    // Keep a tail that may hold the start of a terminator split across reads.
    const std::size_t keep = std::min(data.size(), terminator.size() - 1);
    buffer.consume(data.size() - keep);
    m_byte_offset += data.size() - keep;
    if (at_eof) {
      m_byte_offset += buffer.size();
      buffer.clear();
      return Flow::go_on;
    }
    if (wait_for_input(fd, summary) == Flow::stop) {
      return Flow::stop;
    }
    const auto result = buffer.read_from(fd);
    if (result == InputBuffer::ReadResult::eof) {
      at_eof = true;
    } else if (result == InputBuffer::ReadResult::error) {
      summary.stop =
          Error{ErrorKind::io, fmt::format("cannot read {}: {}", name, std::strerror(errno)), {}};
      return Flow::stop;
    }
  }
}

ProduceRun::Flow ProduceRun::read_source(const std::string& name, int fd, ProduceSummary& summary) {
  if (m_settings.format == InputFormat::raw) {
    return read_raw(name, fd, summary);
  }
  // Room for the largest record the broker accepts, in its input encoding (base64 in JSON).
  const std::size_t limit =
      static_cast<std::size_t>(m_producer.max_message_bytes()) * 2 + (1 << 20);
  InputBuffer buffer(1 << 20, limit);
  format::InputRecord record;
  std::string error;
  std::uint64_t unit = 0;
  bool at_eof = false;
  m_byte_offset = 0;
  for (;;) {
    std::size_t consumed = 0;
    const format::ParseStatus status =
        m_parser->parse(buffer.data(), at_eof, record, consumed, error);
    switch (status) {
      case format::ParseStatus::record: {
        ++unit;
        const Flow flow = send(record, name, unit, summary);
        buffer.consume(consumed);
        m_byte_offset += consumed;
        if (flow == Flow::stop) {
          return Flow::stop;
        }
        continue;
      }
      case format::ParseStatus::skip:
        ++unit;
        buffer.consume(consumed);
        m_byte_offset += consumed;
        continue;
      case format::ParseStatus::bad: {
        ++unit;
        const std::string where = location(name, unit);
        buffer.consume(consumed);
        m_byte_offset += consumed;
        if (m_settings.on_bad_input == BadInput::skip) {
          ++summary.skipped;
          m_log.warning(fmt::format("skipped {}: {}", where, error));
          continue;
        }
        summary.stop = Error{ErrorKind::usage,
                             fmt::format("{}: {}", where, error),
                             "fix the input, or pass --on-bad-input skip to skip such records"};
        return Flow::stop;
      }
      case format::ParseStatus::end:
        return Flow::go_on;
      case format::ParseStatus::need_more:
        break;
    }
    if (at_eof) {
      return Flow::go_on;
    }
    if (buffer.full()) {
      // No record end within `limit` bytes: far more than the broker takes.
      ++unit;
      const std::string problem =
          fmt::format("{}: record longer than {} bytes, far above message.max.bytes ({})",
                      location(name, unit),
                      limit,
                      m_producer.max_message_bytes());
      const std::string_view terminator = m_parser->terminator();
      if (m_settings.on_bad_input == BadInput::skip && !terminator.empty()) {
        ++summary.skipped;
        m_log.warning("skipped " + problem);
        if (skip_past(terminator, name, fd, buffer, at_eof, summary) == Flow::stop) {
          return Flow::stop;
        }
        continue;
      }
      summary.stop =
          Error{ErrorKind::usage,
                problem,
                terminator.empty() ? "raise -X message.max.bytes"
                                   : "check -D/--delim, raise -X message.max.bytes, or pass "
                                     "--on-bad-input skip to skip such records"};
      return Flow::stop;
    }
    if (wait_for_input(fd, summary) == Flow::stop) {
      return Flow::stop;
    }
    const auto result = buffer.read_from(fd);
    if (result == InputBuffer::ReadResult::eof) {
      at_eof = true;
    } else if (result == InputBuffer::ReadResult::error) {
      summary.stop =
          Error{ErrorKind::io, fmt::format("cannot read {}: {}", name, std::strerror(errno)), {}};
      return Flow::stop;
    }
  }
}

void ProduceRun::run(ProduceSummary& summary) {
  std::vector<std::string> files = m_settings.files;
  if (files.empty()) {
    files.push_back("-");
  }
  for (const std::string& file : files) {
    int fd = m_input_fd;
    std::string name = "stdin";
    if (file != "-") {
      fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
      name = file;
      if (fd < 0) {
        summary.stop =
            Error{ErrorKind::io, fmt::format("cannot open {}: {}", file, std::strerror(errno)), {}};
        break;
      }
    }
    const Flow flow = read_source(name, fd, summary);
    if (fd != m_input_fd) {
      ::close(fd);
    }
    if (flow == Flow::stop) {
      break;
    }
  }
  (void)serve_reports(summary);
}

}  // namespace

Result<ProduceSummary> produce(const ProduceSettings& settings,
                               const config::ResolvedConfig& config,
                               const Log& log,
                               Signals& signals,
                               int input_fd,
                               int output_fd) {
  kafka::ProducerOptions options = settings.producer;
  options.keep_reports = settings.report;
  std::unique_ptr<format::RecordParser> parser;
  switch (settings.format) {
    case InputFormat::lines:
      parser = format::make_line_parser(settings.lines);
      break;
    case InputFormat::json:
      parser = format::make_envelope_parser();
      break;
    case InputFormat::layout: {
      auto layout = format::make_layout_parser(settings.layout);
      if (!layout) {
        return std::move(layout).take_error();
      }
      parser = std::move(*layout);
      break;
    }
    case InputFormat::raw:
      break;
  }

  auto created = kafka::Producer::create(config, log, options);
  if (!created) {
    return std::move(created).take_error();
  }
  kafka::Producer& producer = **created;
  // Fail fast, before reading any input, when the cluster or the topic is not there.
  EVT_TRY(producer.check_reachable(settings.topic));
  if (settings.partition >= 0) {
    auto count = producer.partition_count(settings.topic);
    if (!count) {
      return std::move(count).take_error();
    }
    if (settings.partition >= *count) {
      return fail(ErrorKind::not_found,
                  fmt::format("partition {} does not exist: topic \"{}\" has {} partition{}",
                              settings.partition,
                              settings.topic,
                              *count,
                              *count == 1 ? "" : "s"));
    }
  }
  if (producer.transactional()) {
    EVT_TRY(producer.begin_transaction());
  }

  ProduceSummary summary;
  ProduceRun run(settings, log, signals, input_fd, output_fd, producer, std::move(parser));
  run.run(summary);

  // Deliver what was read. A first signal stops reading; when it arrives after the input
  // ended (there is nothing left to stop) it only bounds the wait by --timeout. A further
  // signal gives up waiting and drops what is left (reported as not delivered).
  int signals_allowed = signals.count();
  const auto flush_limit = summary.interrupted ? config.timeout : std::chrono::hours(24);
  auto flush_deadline = Clock::now() + flush_limit;
  const auto announce = [&] {
    const auto queued = static_cast<std::int64_t>(producer.stats().outstanding());
    if (settings.announce_flush && queued > 0) {
      log.notice(
          fmt::format("interrupted: delivering {} queued {} for up to {} ({} again to "
                      "abandon {})",
                      queued,
                      noun_for(queued, "record"),
                      format_duration(config.timeout),
                      signals.last_signal() == SIGINT ? "Ctrl-C" : "signal",
                      queued == 1 ? "it" : "them"));
    }
  };
  if (summary.interrupted) {
    announce();
  }
  while (producer.stats().outstanding() > 0) {
    producer.flush(std::chrono::milliseconds(100));
    const int received = signals.check();
    if (received > signals_allowed && signals_allowed == 0) {
      signals_allowed = 1;
      flush_deadline = std::min(flush_deadline, Clock::now() + config.timeout);
      announce();
    }
    if (received > signals_allowed || Clock::now() > flush_deadline) {
      summary.interrupted = true;
      producer.purge();
      break;
    }
    run.write_reports();
  }
  producer.poll(0);
  run.write_reports();
  if (auto reported = run.output_result(); !reported && !summary.stop) {
    summary.stop = reported.error();
  }

  if (producer.transactional()) {
    const bool clean = !summary.stop && !summary.interrupted && producer.stats().failed == 0;
    if (clean) {
      auto committed = producer.commit_transaction(config.timeout);
      if (!committed) {
        summary.stop = committed.error();
        summary.transaction_aborted = true;
        (void)producer.abort_transaction(config.timeout);
      }
    } else {
      summary.transaction_aborted = true;
      auto aborted = producer.abort_transaction(config.timeout);
      if (!aborted) {
        log.warning(aborted.error().message);
      }
    }
  }
  summary.delivery = producer.stats();
  return summary;
}

std::string describe_failures(const ProduceSummary& summary) {
  const auto& delivery = summary.delivery;
  std::string reasons;
  for (const auto& [error, count] : delivery.failures) {
    reasons += fmt::format("{}{}: {}", reasons.empty() ? "" : "; ", error, count);
  }
  std::string text = fmt::format("{} of {} not delivered",
                                 delivery.failed + delivery.outstanding(),
                                 plural(static_cast<std::int64_t>(summary.read), "record"));
  if (!reasons.empty()) {
    text += fmt::format(" ({})", reasons);
  }
  if (delivery.first_failed_input > 0) {
    text += fmt::format("; first failed input record: {}", delivery.first_failed_input);
  }
  return text;
}

}  // namespace evt::ops
