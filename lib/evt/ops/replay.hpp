// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "evt/config/resolve.hpp"
#include "evt/error.hpp"
#include "evt/format/record_filter.hpp"
#include "evt/format/record_formatter.hpp"
#include "evt/kafka/producer_types.hpp"
#include "evt/log.hpp"
#include "evt/offset_spec.hpp"
#include "evt/record.hpp"
#include "evt/signals.hpp"

namespace evt::kafka {
class DeliverySink;
class RecordReader;
struct PartitionRange;
}  // namespace evt::kafka

namespace evt::ops {

struct ReplaySettings {
  std::string topic;                      ///< source topic (empty with `input_file`)
  std::optional<std::string> input_file;  ///< an envelope file instead of a topic
  std::set<std::int32_t> partitions;      ///< empty: all
  OffsetSpec range;                       ///< --from/--to; open ends stop at the end at start
  std::optional<std::string> into;        ///< destination topic; none: stdout
  bool keep_partition = false;
  std::vector<Header> headers;                      ///< added to every record
  bool mark = false;                                ///< add the evt-replay-source provenance header
  std::map<std::int32_t, std::int32_t> schema_ids;  ///< framed ids to rewrite (--schema-id)
  std::optional<double> speed;                      ///< none: as fast as possible
  std::optional<double> rate;                       ///< records per second at most
  std::shared_ptr<format::RecordFilter> filter;
  std::shared_ptr<format::RecordFormatter> formatter;  ///< for stdout
  bool dry_run = false;
  int progress_fd = -1;  ///< a terminal for the progress bar, or -1
  /// The signal that bounds the delivery of what was sent is answered on stderr with what is
  /// still being delivered (stderr a terminal, or -v), as produce does.
  bool announce_flush = false;
  kafka::ProducerOptions producer;
};

struct ReplaySummary {
  std::uint64_t total = 0;  ///< records in the range
  std::uint64_t read = 0;   ///< records read (matching the filter)
  std::uint64_t filtered = 0;
  std::uint64_t written = 0;                      ///< to stdout, or delivered to the destination
  std::uint64_t failed = 0;                       ///< not delivered (failed or abandoned)
  std::int64_t missing = 0;                       ///< in the range but already deleted by retention
  std::map<std::string, std::uint64_t> failures;  ///< reason -> count
  std::map<std::int32_t, std::int64_t> resume;    ///< partition -> next offset to copy
  /// Some partitions of the range were copied to their end and are not in `resume`: a resume
  /// command must name the others with -p (an unnamed partition would start over).
  bool resume_skips_finished = false;
  std::map<std::int32_t, std::int64_t> resume_end;  ///< partition -> the range's (snapshot) end
  bool complete = true;                             ///< every record of the range was handled
  bool interrupted = false;
  bool output_closed = false;
  bool transaction_aborted = false;
  std::optional<Error> transaction_error;  ///< why the commit failed, when it did
  /// The source's error that ended the read (not found, auth, brokers gone, fatal): the run's
  /// error; what was read before it was delivered, and the resume points say where it stopped.
  std::optional<Error> stop;
  std::string plan;  ///< --dry-run: the plan, as text
};

/// Copies a range exactly: to stdout, or into a topic (possibly on another cluster, described
/// by `destination`), keeping keys, values, headers and timestamps (and partitions on request).
Result<ReplaySummary> replay(const ReplaySettings& settings,
                             const config::ResolvedConfig& source,
                             const config::ResolvedConfig* destination,
                             const Log& log,
                             Signals& signals,
                             int output_fd);

/// replay()'s copy once its source is open: emits what `reader` reads of `ranges` (filter,
/// pacing, headers, the mark) into `sink`, or through the formatter to `output_fd` when `sink`
/// is null; then delivers what was sent, ends the transaction and sets the counts and resume
/// points. `summary` comes with the range's totals. `timeout` bounds the delivery after a
/// signal and the transaction's end. A reader's error is the summary's `stop`.
Result<ReplaySummary> replay_records(kafka::RecordReader& reader,
                                     const std::vector<kafka::PartitionRange>& ranges,
                                     kafka::DeliverySink* sink,
                                     const ReplaySettings& settings,
                                     std::chrono::milliseconds timeout,
                                     const Log& log,
                                     Signals& signals,
                                     int output_fd,
                                     ReplaySummary summary);

/// "3 of 1000 records not delivered (reason: count); the transaction was aborted (why)".
std::string describe_failures(const ReplaySummary& summary);

/// "--from 0=123 --from 1=456" for the resume point.
std::string resume_arguments(const ReplaySummary& summary);

/// What a copy amounts to: replay's one decision of its exit status. Success when the reader
/// of stdout left (`| head`) or every record of the range was written; the source's error that
/// ended the read, saying how many records were written; interrupted (130) when a signal left
/// the range incomplete, counting what was not delivered, as produce does; not delivered (1)
/// when any record was not. Each failure carries `resume` (the command that copies the rest,
/// or for --input the first line not written) as its hint.
Result<void> replay_outcome(const ReplaySummary& summary,
                            bool from_file,
                            const std::string& resume);

}  // namespace evt::ops
