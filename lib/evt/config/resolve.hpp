// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "evt/config/config_file.hpp"
#include "evt/error.hpp"

namespace evt::config {

/// Where an effective setting came from, lowest precedence first.
enum class Source { default_value, file, env, flag, property_flag, local_broker };

const char* to_string(Source source);

/// One effective librdkafka property.
struct Setting {
  std::string value;
  Source source = Source::default_value;
  bool secret = false;
};

/// The environment, injected so resolution stays a pure function.
using Env = std::map<std::string, std::string>;

/// Reads a secret file; injected for tests. Returns the first line.
using SecretFileReader = std::function<Result<std::string>(const std::string& path)>;

/// Global flags that affect the client configuration.
struct FlagSettings {
  std::optional<std::string> brokers;          ///< -b/--brokers
  std::optional<std::string> context;          ///< --context
  std::optional<std::string> timeout;          ///< --timeout
  std::vector<std::string> properties;         ///< -X key=value, in order
  std::optional<std::string> schema_registry;  ///< --schema-registry URL
};

/// The effective client configuration.
struct ResolvedConfig {
  std::optional<std::string> context;  ///< the context in use, if any
  Source context_source = Source::default_value;
  std::map<std::string, Setting> properties;  ///< librdkafka properties; bootstrap.servers included
  std::chrono::milliseconds timeout{10'000};
  bool timeout_given = false;  ///< --timeout or EVT_TIMEOUT was set explicitly
  Source timeout_source = Source::default_value;

  /// The schema registry: url, username, password (secret), tls.ca, tls.cert, tls.key, decode.
  std::map<std::string, Setting> schema_registry;

  bool has_brokers() const { return properties.count("bootstrap.servers") > 0; }
  std::string brokers() const {
    auto it = properties.find("bootstrap.servers");
    return it == properties.end() ? std::string() : it->second.value;
  }
};

/// True for librdkafka properties whose values must never be printed.
bool is_secret_property(const std::string& name);

/// A -X argument as error messages may show it: a value that may be a secret (the property's
/// name looks secret, or there is no name) is replaced by "(hidden)", whatever separator the
/// user typed instead of '='.
std::string property_argument_for_display(std::string_view argument);

/// Resolves the configuration with precedence file < env (EVT_*) < flags < -X. `file` may be null
/// when there is no config file. Pure: the environment and secret files come in as arguments.
Result<ResolvedConfig> resolve(const ConfigFile* file,
                               const Env& env,
                               const FlagSettings& flags,
                               const SecretFileReader& read_secret_file);

/// The config file path: $EVT_CONFIG, else $XDG_CONFIG_HOME/evt/config.yaml, else
/// $HOME/.config/evt/config.yaml. `explicit_path` (--config) wins over all.
std::string config_path(const Env& env, const std::optional<std::string>& explicit_path);

/// Reads the first line of a file (a secret), expanding a leading ~/. A file readable by group
/// or others adds a warning to `warnings`, if given.
Result<std::string> read_secret_file(const std::string& path,
                                     const Env& env,
                                     std::vector<std::string>* warnings = nullptr);

}  // namespace evt::config
