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

struct TailOptions {
  std::vector<std::string> topics;
  std::size_t last = 10;
  bool no_follow = false;
  std::vector<std::int32_t> partitions;
  std::optional<std::string> group;
  bool commit = false;
  std::optional<std::string> format;
  std::optional<std::string> decode;  ///< --decode value|key|both|none
  bool json_values = false;
  bool compact = false;
  bool no_truncate = false;
  FilterOptions filters;
  bool wait = false;
};

/// The one-line summary `evt --help` shows for `evt tail`.
inline constexpr const char* k_tail_summary =
    "Watch topics live in a terminal: the last records, then everything that arrives";

CLI::App* setup_tail(CLI::App& app, TailOptions& options);
Result<ExitCode> run_tail(const TailOptions& options, const GlobalOptions& global, Context& ctx);

}  // namespace evt::cmd
