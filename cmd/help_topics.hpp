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
  std::vector<std::string> words;  ///< a page, or a command and its subcommands
};

/// The names of the `evt help TOPIC` pages.
const std::vector<std::string>& help_topic_names();

/// The one-line summary `evt --help` shows for `evt help`.
inline constexpr const char* k_help_summary = "Help pages: offsets, formats, config, exit-codes";

CLI::App* setup_help(CLI::App& app, HelpOptions& options);
/// Prints the page, or the --help of the command named (`evt help topic create`), or evt's
/// own --help when nothing is named. `root` is the parsed tree.
Result<ExitCode> run_help(const HelpOptions& options, const CLI::App& root, Context& ctx);

}  // namespace evt::cmd
