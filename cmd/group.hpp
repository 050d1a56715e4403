// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "evt/error.hpp"

#include "cmd/context.hpp"
#include "cmd/global_options.hpp"

namespace evt::cmd {

struct GroupOptions {
  std::string output = "table";
  bool dry_run = false;
  bool yes = false;
  bool execute = false;
  std::string group;
  std::vector<std::string> groups;
  std::vector<std::string> topics;
  std::vector<std::string> to;
  std::optional<std::int64_t> shift_by;
  CLI::App* reset = nullptr;
  CLI::App* remove = nullptr;
  CLI::App* delete_offsets = nullptr;
};

/// The one-line summary `evt --help` shows for `evt group`.
inline constexpr const char* k_group_summary =
    "Reset a consumer group's offsets, delete groups or their offsets";

CLI::App* setup_group(CLI::App& app, GroupOptions& options);
Result<ExitCode> run_group(const GroupOptions& options, const GlobalOptions& global, Context& ctx);

}  // namespace evt::cmd
