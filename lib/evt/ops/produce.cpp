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
#include "evt/kafka/delivery_sink.hpp"
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
  if (report.failed()) {
    out.append(",\"error\":");
    format::append_json_string(out, report.error);
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
             kafka::DeliverySink& sink,
             std::unique_ptr<format::RecordParser> parser)
      : m_settings(settings),
        m_log(log),
        m_signals(signals),
        m_input_fd(input_fd),
        m_output(output_fd, 64 << 10),
        m_sink(sink),
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
  kafka::DeliverySink& m_sink;
  std::unique_ptr<format::RecordParser> m_parser;
  std::vector<HeaderView> m_headers;
  std::string m_encoded_key;    // the framed key (--key-schema)
  std::string m_encoded_value;  // the framed value (--value-schema)
  std::map<std::string, std::int32_t, std::less<>> m_partition_counts;
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
  m_sink.poll(std::chrono::milliseconds(0));
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
  auto& reports = m_sink.reports();
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
  auto count = m_sink.partition_count(topic);
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
  kafka::OutgoingRecord outgoing;
  outgoing.topic = topic;
  outgoing.partition = partition < 0 ? kafka::k_any_partition : partition;
  outgoing.key = record.key;
  outgoing.value = record.value;
  outgoing.headers = headers;
  outgoing.header_count = header_count;
  outgoing.timestamp = record.timestamp;
  outgoing.input = summary.read + 1;
  auto sent = m_sink.send(outgoing);
  if (!sent) {
    if (sent.error().kind == ErrorKind::interrupted) {
      // A signal ended the wait for room in the queue: the same stop as a signal between
      // records (this one is not sent; what was sent is drained within --timeout).
      summary.interrupted = true;
      return Flow::stop;
    }
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
  const std::size_t limit = static_cast<std::size_t>(m_sink.max_message_bytes());
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
  const std::size_t limit = static_cast<std::size_t>(m_sink.max_message_bytes()) * 2 + (1 << 20);
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
                      m_sink.max_message_bytes());
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
  options.interrupt = &signals;
  options.reports = settings.report ? kafka::ProducerOptions::Reports::all
                                    : kafka::ProducerOptions::Reports::none;
  auto sink = kafka::open_delivery_sink(config, log, options);
  if (!sink) {
    return std::move(sink).take_error();
  }
  return produce_into(**sink, settings, config.timeout, log, signals, input_fd, output_fd);
}

Result<ProduceSummary> produce_into(kafka::DeliverySink& sink,
                                    const ProduceSettings& settings,
                                    std::chrono::milliseconds timeout,
                                    const Log& log,
                                    Signals& signals,
                                    int input_fd,
                                    int output_fd) {
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

  // Fail fast, before reading any input, when the cluster or the topic is not there.
  EVT_TRY(sink.check_reachable(settings.topic));
  if (settings.partition >= 0) {
    auto count = sink.partition_count(settings.topic);
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
  if (sink.transactional()) {
    EVT_TRY(sink.begin_transaction());
  }

  ProduceSummary summary;
  ProduceRun run(settings, log, signals, input_fd, output_fd, sink, std::move(parser));
  run.run(summary);

  // Deliver what was read. A first signal stops reading; when it arrives after the input
  // ended (there is nothing left to stop) it only bounds the wait by --timeout. A further
  // signal gives up waiting and drops what is left (reported as not delivered).
  kafka::DrainOptions drain;
  drain.timeout = timeout;
  drain.interrupted = summary.interrupted;
  if (settings.announce_flush) {
    drain.announce = [&](std::uint64_t outstanding) {
      log.notice(kafka::describe_draining(outstanding, timeout, signals.last_signal() == SIGINT));
    };
  }
  drain.served = [&] { run.write_reports(); };
  const kafka::DrainOutcome drained = sink.drain(signals, drain);
  summary.interrupted = summary.interrupted || drained.abandoned;
  if (auto reported = run.output_result(); !reported && !summary.stop) {
    summary.stop = reported.error();
  }

  if (sink.transactional()) {
    const bool clean = !summary.stop && !summary.interrupted && sink.stats().failed == 0;
    const kafka::TransactionEnd end = sink.end_transaction(clean, timeout, log);
    summary.transaction_aborted = !end.committed;
    if (end.error) {
      summary.stop = end.error;
    }
  }
  summary.delivery = sink.stats();
  return summary;
}

std::uint64_t undelivered(const ProduceSummary& summary) {
  return summary.transaction_aborted ? summary.read
                                     : summary.delivery.failed + summary.delivery.outstanding();
}

Result<void> produce_outcome(const ProduceSummary& summary) {
  if (summary.stop) {
    return Unexpected{*summary.stop};
  }
  const std::uint64_t lost = undelivered(summary);
  if (lost == 0) {
    return {};
  }
  if (summary.interrupted) {
    return fail(
        ErrorKind::interrupted,
        fmt::format("interrupted: {}",
                    summary.transaction_aborted
                        ? fmt::format("transaction aborted, {} not committed",
                                      plural(static_cast<std::int64_t>(summary.read), "record"))
                        : describe_failures(summary)));
  }
  return fail(ErrorKind::delivery, describe_failures(summary));
}

std::string describe_failures(const ProduceSummary& summary) {
  const auto& delivery = summary.delivery;
  std::string text = kafka::describe_undelivered(
      delivery.failed + delivery.outstanding(), summary.read, delivery.failures);
  if (delivery.first_failed_input > 0) {
    text += fmt::format("; first failed input record: {}", delivery.first_failed_input);
  }
  return text;
}

}  // namespace evt::ops
