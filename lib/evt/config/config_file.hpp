// SPDX-License-Identifier: MIT
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "evt/error.hpp"

namespace evt::config {

/// The `schema-registry:` section of a context.
struct SchemaRegistryContext {
  std::optional<std::string> url;
  std::optional<std::string> username;
  std::optional<std::string> password;       ///< inline secret (discouraged)
  std::optional<std::string> password_env;   ///< name of the variable holding the password
  std::optional<std::string> password_file;  ///< file whose first line is the password
  std::optional<std::string> ca_file;
  std::optional<std::string> cert_file;
  std::optional<std::string> key_file;
  std::optional<std::string> decode;  ///< default for --decode: value, key or both
};

/// One named context of the config file: where a cluster is and how to talk to it.
struct Context {
  std::optional<std::string> brokers;
  std::optional<std::string> security_protocol;  ///< plaintext, ssl, sasl_plaintext, sasl_ssl
  std::optional<std::string> sasl_mechanism;     ///< PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, ...
  std::optional<std::string> username;
  std::optional<std::string> password;       ///< inline secret (discouraged)
  std::optional<std::string> password_env;   ///< name of the variable holding the password
  std::optional<std::string> password_file;  ///< file whose first line is the password
  std::optional<std::string> ca_file;
  std::optional<std::string> cert_file;
  std::optional<std::string> key_file;
  std::optional<std::string> key_password;
  std::optional<std::string> key_password_env;
  std::optional<std::string> key_password_file;
  std::map<std::string, std::string> properties;  ///< any librdkafka property
  SchemaRegistryContext schema_registry;
};

/// The parsed YAML config file.
struct ConfigFile {
  std::string path;
  std::optional<std::string> current_context;
  std::map<std::string, Context> contexts;
  std::vector<std::string> warnings;  ///< unknown keys, loose permissions
};

/// Parses YAML text. Malformed YAML or wrong types are usage errors naming the path, line and
/// column; unknown keys become warnings naming the key.
Result<ConfigFile> parse_config_file(const std::string& text, const std::string& path);

/// Reads and parses the file at `path`. Warns when the file holds a secret and is readable by
/// group or others.
Result<ConfigFile> load_config_file(const std::string& path);

/// True when `ctx` holds a secret inline (not by reference to an env var or a file).
bool holds_inline_secret(const Context& ctx);

/// Writes `file` as YAML to `path` (used by `evt config use`), keeping mode 0600.
Result<void> save_current_context(const std::string& path, const std::string& context);

/// A commented starter config file.
std::string starter_config_text();

}  // namespace evt::config
