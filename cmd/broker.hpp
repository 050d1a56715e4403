// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "evt/error.hpp"

#include "cmd/context.hpp"
#include "cmd/global_options.hpp"

namespace evt::cmd {

struct BrokerOptions {
  int nodes = 1;
  std::vector<std::string> topics;  ///< name:partitions
  bool detach = false;
  bool no_publish = false;
  std::optional<std::string> control;
  std::vector<std::string> fault_words;
  CLI::App* fault = nullptr;
  CLI::App* stop = nullptr;
  CLI::App* status = nullptr;
};

/// The one-line summary `evt --help` shows for `evt broker`.
inline constexpr const char* k_broker_summary =
    "Run a local Kafka-compatible broker (librdkafka's mock cluster) for trying evt "
    "and testing scripts offline";

CLI::App* setup_broker(CLI::App& app, BrokerOptions& options);
Result<ExitCode> run_broker(const BrokerOptions& options,
                            const GlobalOptions& global,
                            Context& ctx);

}  // namespace evt::cmd
