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

struct ConsumeOptions {
  std::vector<std::string> topics;
  std::vector<std::string> offsets;
  std::vector<std::int32_t> partitions;
  bool exit_at_end = false;
  std::optional<std::uint64_t> count;
  std::optional<std::string> until;
  std::optional<std::string> idle_timeout;
  std::string format = "value";
  std::string delimiter = "\\n";
  std::optional<std::string> key_delimiter;
  bool json_values = false;
  std::optional<std::string> group;
  std::optional<std::string> decode;  ///< --decode value|key|both|none
  FilterOptions filters;
};

/// The one-line summary `evt --help` shows for `evt consume`.
inline constexpr const char* k_consume_summary =
    "Read topics to stdout: exact ranges, lossless "
    "output, consumer groups";

CLI::App* setup_consume(CLI::App& app, ConsumeOptions& options);
Result<ExitCode> run_consume(const ConsumeOptions& options,
                             const GlobalOptions& global,
                             Context& ctx);

}  // namespace evt::cmd
