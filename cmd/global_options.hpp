// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace evt::cmd {

/// Flags accepted by every subcommand, before or after its name.
struct GlobalOptions {
  std::optional<std::string> brokers;          ///< -b/--brokers
  std::optional<std::string> context;          ///< --context
  std::optional<std::string> config_path;      ///< --config
  std::vector<std::string> properties;         ///< -X/--property key=value
  std::optional<std::string> timeout;          ///< --timeout
  std::optional<std::string> schema_registry;  ///< --schema-registry URL
  int verbose = 0;                             ///< -v, repeatable
  bool quiet = false;                          ///< -q
  std::string color = "auto";                  ///< --color auto|always|never
};

}  // namespace evt::cmd
