// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "evt/error.hpp"

#include "cmd/context.hpp"
#include "cmd/global_options.hpp"

namespace evt::cmd {

struct ConfigOptions {
  std::string use_name;
  bool force = false;
  CLI::App* contexts = nullptr;
  CLI::App* use = nullptr;
  CLI::App* show = nullptr;
  CLI::App* init = nullptr;
};

/// The one-line summary `evt --help` shows for `evt config`.
inline constexpr const char* k_config_summary =
    "Contexts and effective settings (see evt-config(5))";

CLI::App* setup_config(CLI::App& app, ConfigOptions& options);
Result<ExitCode> run_config(const ConfigOptions& options,
                            const GlobalOptions& global,
                            Context& ctx);

}  // namespace evt::cmd
