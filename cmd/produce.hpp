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

struct ProduceOptions {
  std::optional<std::string> topic;    ///< -t/--topic; else the first positional
  std::vector<std::string> arguments;  ///< [TOPIC] [FILE...]
  std::string format = "lines";
  std::string delimiter = "\\n";
  std::optional<std::string> key_delimiter;
  bool crlf = false;
  std::optional<std::string> key;
  std::vector<std::string> headers;
  std::optional<std::int32_t> partition;
  std::string partitioner = "murmur2_random";
  std::string compression = "none";
  std::string acks = "all";
  bool no_idempotence = false;
  std::optional<std::string> transactional_id;
  std::optional<double> rate;
  std::optional<std::uint64_t> count;
  bool null_empty = false;
  std::string on_bad_input = "fail";
  bool report = false;
  std::optional<std::string> key_schema;    ///< --key-schema
  std::optional<std::string> value_schema;  ///< --value-schema
};

/// The one-line summary `evt --help` shows for `evt produce`.
inline constexpr const char* k_produce_summary =
    "Write records read from stdin or files to a topic, losing nothing";

CLI::App* setup_produce(CLI::App& app, ProduceOptions& options);
Result<ExitCode> run_produce(const ProduceOptions& options,
                             const GlobalOptions& global,
                             Context& ctx);

}  // namespace evt::cmd
