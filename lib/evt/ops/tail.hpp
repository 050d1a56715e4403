// SPDX-License-Identifier: MIT
#pragma once

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
#include "evt/log.hpp"
#include "evt/signals.hpp"

namespace evt::ops {

struct TailSettings {
  std::vector<std::string> topics;
  std::set<std::int32_t> partitions;  ///< empty: all
  std::size_t last = 10;              ///< -n: records shown before following, topic-wide
  bool follow = true;
  std::optional<std::string> group;
  bool commit = false;  ///< with a group: commit what was shown
  bool wait_for_topic = false;
  std::shared_ptr<format::RecordFormatter> formatter;
  std::shared_ptr<format::RecordFilter> filter;  ///< null: show everything
  int status_fd = -1;                            ///< a terminal for the idle status line, or -1
  bool status_color = false;                     ///< the status line may use escape sequences
};

struct TailSummary {
  std::uint64_t shown = 0;
  std::uint64_t filtered = 0;  ///< records the filters skipped
};

/// Shows the last N records of the topics merged by timestamp, then follows every partition
/// (including partitions added later) until a signal or a closed output.
Result<TailSummary> tail(const TailSettings& settings,
                         const config::ResolvedConfig& config,
                         const Log& log,
                         Signals& signals,
                         int output_fd);

}  // namespace evt::ops
