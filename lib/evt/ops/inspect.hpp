// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "evt/config/resolve.hpp"
#include "evt/error.hpp"
#include "evt/format/field_decoder.hpp"
#include "evt/format/jq.hpp"
#include "evt/format/record_filter.hpp"
#include "evt/log.hpp"
#include "evt/signals.hpp"

namespace evt::ops {

enum class InspectView { cluster, topics, topic, groups, group, offsets, message };
enum class InspectOutput { table, json, names };

struct InspectSettings {
  InspectView view = InspectView::cluster;
  std::string name;                        ///< topic (topic, offsets, message) or group
  std::optional<std::string> group_topic;  ///< group: limit to this topic
  bool internal = false;                   ///< topics: include __-topics
  InspectOutput output = InspectOutput::table;
  std::int64_t at_time = 0;    ///< offsets: epoch ms
  std::int32_t partition = 0;  ///< message
  std::int64_t offset = 0;     ///< message
  std::size_t width = 0;       ///< terminal width for tables; 0 = unlimited
  bool color = false;
  std::optional<std::chrono::milliseconds> watch;   ///< refresh in place until interrupted
  format::DecodeOptions decode;                     ///< message: schema-registry fields
  std::shared_ptr<format::RecordFilter> jq_filter;  ///< message: shown only when it matches
  std::shared_ptr<format::JqProgram> jq_output;     ///< message: printed instead of the record
};

/// Renders one view as text (a table, JSON or names) and writes it to `output_fd`. With
/// `watch`, redraws it in place every interval until a signal arrives.
Result<void> inspect(const InspectSettings& settings,
                     const config::ResolvedConfig& config,
                     const Log& log,
                     Signals& signals,
                     int output_fd);

}  // namespace evt::ops
