// SPDX-License-Identifier: MIT
// How CLI11's parse errors reach the user: an unknown command named as typed, with the closest
// command; a missing argument named as the usage line names it; did-you-mean for flags and values.
#pragma once

#include <span>
#include <string>

#include <CLI/CLI.hpp>

#include "evt/log.hpp"

namespace evt::cmd {

/// The subcommand the user was in when parsing stopped, for "run 'evt X --help'".
const CLI::App* innermost_parsed(const CLI::App& app);
/// "evt inspect topic" for that subcommand.
std::string command_path(const CLI::App* app);

/// Says what is wrong with `args` (argv without the program name) on stderr, with hints; returns
/// the usage exit code.
int report_parse_error(const CLI::App& root,
                       std::span<char* const> args,
                       const CLI::ParseError& error,
                       const Log& log);

}  // namespace evt::cmd
