// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "evt/error.hpp"

#include "cmd/context.hpp"
#include "cmd/filters.hpp"
#include "cmd/global_options.hpp"

namespace evt::cmd {

struct InspectOptions {
  std::string output = "table";
  std::optional<std::string> watch;
  bool internal = false;
  std::string topic_name;
  std::string group_id;
  std::optional<std::string> group_topic;
  std::string offsets_topic;
  std::string at;
  std::string message_topic;
  std::int32_t message_partition = 0;
  std::int64_t message_offset = 0;
  std::optional<std::string> decode;  ///< message: --decode
  FilterOptions message_jq;           ///< --jq, --jq-output of inspect message
  CLI::App* topics = nullptr;
  CLI::App* topic = nullptr;
  CLI::App* groups = nullptr;
  CLI::App* group = nullptr;
  CLI::App* offsets = nullptr;
  CLI::App* message = nullptr;
};

/// The one-line summary `evt --help` shows for `evt inspect`.
inline constexpr const char* k_inspect_summary =
    "Show what is on the cluster: brokers, topics, "
    "partitions, groups, lag, offsets, one message";

CLI::App* setup_inspect(CLI::App& app, InspectOptions& options);
Result<ExitCode> run_inspect(const InspectOptions& options,
                             const GlobalOptions& global,
                             Context& ctx);

}  // namespace evt::cmd
