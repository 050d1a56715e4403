// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "evt/error.hpp"

#include "cmd/context.hpp"

namespace evt::cmd {

struct HelpOptions {
  std::optional<std::string> topic;
};

/// The names of the `evt help TOPIC` pages.
const std::vector<std::string>& help_topic_names();

/// The one-line summary `evt --help` shows for `evt help`.
inline constexpr const char* k_help_summary = "Help pages: offsets, formats, config, exit-codes";

CLI::App* setup_help(CLI::App& app, HelpOptions& options);
/// Prints the page, or the main help when no topic is given.
Result<ExitCode> run_help(const HelpOptions& options, const std::string& main_help, Context& ctx);

}  // namespace evt::cmd
