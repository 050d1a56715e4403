// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "evt/error.hpp"

#include "cmd/context.hpp"
#include "cmd/filters.hpp"
#include "cmd/global_options.hpp"

namespace evt::cmd {

struct ReplayOptions {
  std::optional<std::string> topic;
  std::vector<std::string> from;
  std::vector<std::string> to;
  std::vector<std::int32_t> partitions;
  std::string format = "json";
  std::optional<std::string> into;
  std::optional<std::string> into_brokers;
  std::optional<std::string> into_context;
  bool keep_partition = false;
  std::vector<std::string> headers;
  std::vector<std::string> schema_ids;  ///< --schema-id OLD=NEW
  std::optional<std::string> decode;    ///< --decode (to stdout)
  bool mark = false;
  std::optional<std::string> input;
  std::string speed = "max";
  std::optional<double> rate;
  bool json_values = false;
  FilterOptions filters;
  bool dry_run = false;
  std::optional<std::string> transactional_id;
};

/// The one-line summary `evt --help` shows for `evt replay`.
inline constexpr const char* k_replay_summary =
    "Copy a range of a topic exactly: to stdout, or into another topic or cluster";

CLI::App* setup_replay(CLI::App& app, ReplayOptions& options);
Result<ExitCode> run_replay(const ReplayOptions& options,
                            const GlobalOptions& global,
                            Context& ctx);

}  // namespace evt::cmd
