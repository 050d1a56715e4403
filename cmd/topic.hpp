// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "evt/error.hpp"

#include "cmd/context.hpp"
#include "cmd/global_options.hpp"

namespace evt::cmd {

struct TopicOptions {
  std::string output = "table";
  bool dry_run = false;
  bool yes = false;
  std::vector<std::string> names;
  std::string name;
  std::int32_t partitions = -1;
  std::int32_t replicas = -1;
  std::vector<std::string> configs;
  std::vector<std::string> unset;
  bool if_not_exists = false;
  bool if_exists = false;
  std::int32_t to = 0;
  std::vector<std::string> before;
  CLI::App* create = nullptr;
  CLI::App* remove = nullptr;
  CLI::App* alter = nullptr;
  CLI::App* add_partitions = nullptr;
  CLI::App* trim = nullptr;
};

/// The one-line summary `evt --help` shows for `evt topic`.
inline constexpr const char* k_topic_summary =
    "Create, delete and change topics: configs, partitions, old records";

CLI::App* setup_topic(CLI::App& app, TopicOptions& options);
Result<ExitCode> run_topic(const TopicOptions& options, const GlobalOptions& global, Context& ctx);

}  // namespace evt::cmd
