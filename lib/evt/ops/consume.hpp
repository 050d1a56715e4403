// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "evt/config/resolve.hpp"
#include "evt/error.hpp"
#include "evt/format/record_filter.hpp"
#include "evt/format/record_formatter.hpp"
#include "evt/io/output.hpp"
#include "evt/kafka/record_reader.hpp"
#include "evt/log.hpp"
#include "evt/offset_spec.hpp"
#include "evt/ops/resume.hpp"
#include "evt/signals.hpp"

namespace evt::ops {

/// Everything `evt consume` was asked to do, already validated by the command layer.
struct ConsumeSettings {
  std::vector<std::string> topics;
  std::set<std::int32_t> partitions;  ///< empty: all
  OffsetSpec offsets;
  bool exit_at_end = false;
  std::optional<std::uint64_t> count;
  std::optional<Position> until;
  std::optional<std::chrono::milliseconds> idle_timeout;
  std::optional<std::string> group;
  std::shared_ptr<format::RecordFormatter> formatter;
  std::shared_ptr<format::RecordFilter> filter;  ///< null: every record
  /// The command a run that stops early prints for finishing the job (cmd/ fills it).
  ResumeCommand resume{"evt consume", {}};
};

struct ConsumeSummary {
  std::uint64_t written = 0;   ///< records written to the output
  std::uint64_t filtered = 0;  ///< records the filter skipped
  bool interrupted = false;    ///< stopped by SIGINT/SIGTERM/SIGHUP
  bool output_closed = false;  ///< the reader went away (EPIPE)
  bool idle = false;           ///< stopped by --idle-timeout
};

/// Reads the topics as asked and writes each record through the formatter to `output_fd`.
/// With a group, offsets are committed only for records the output's reader took.
Result<ConsumeSummary> consume(const ConsumeSettings& settings,
                               const config::ResolvedConfig& config,
                               const Log& log,
                               Signals& signals,
                               int output_fd);

/// consume's loop over any reader (tests drive it with a fake one): until the reader's end,
/// `count` records, `idle_timeout`, a signal, or an output that is gone or failed. A reader's
/// error ends it with what was written and, from the reader's positions, how to resume.
Result<ConsumeSummary> consume_records(kafka::RecordReader& reader,
                                       const ConsumeSettings& settings,
                                       Signals& signals,
                                       io::Output& output);

}  // namespace evt::ops
