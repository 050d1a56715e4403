// SPDX-License-Identifier: MIT
#include "evt/config/config_file.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "evt/spellcheck.hpp"

#include <sys/stat.h>

namespace evt::config {

namespace {

constexpr std::string_view k_top_keys[] = {"current-context", "contexts"};
constexpr std::string_view k_context_keys[] = {
    "brokers", "security-protocol", "sasl", "tls", "properties", "schema-registry"};
constexpr std::string_view k_registry_keys[] = {
    "url", "username", "password", "password-env", "password-file", "tls", "decode"};
constexpr std::string_view k_registry_tls_keys[] = {"ca", "cert", "key"};
constexpr std::string_view k_sasl_keys[] = {
    "mechanism", "username", "password", "password-env", "password-file"};
constexpr std::string_view k_tls_keys[] = {
    "ca", "cert", "key", "key-password", "key-password-env", "key-password-file"};

std::string where(const std::string& path, const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.line < 0) {
    return path;
  }
  return fmt::format("{}:{}:{}", path, mark.line + 1, mark.column + 1);
}

Unexpected type_error(const std::string& path, const YAML::Node& node, std::string_view what) {
  return fail(ErrorKind::usage, fmt::format("{}: {}", where(path, node), what));
}

void warn_unknown(ConfigFile& file,
                  const YAML::Node& key_node,
                  std::string_view section,
                  std::span<const std::string_view> known) {
  const std::string key = key_node.as<std::string>();
  std::string warning =
      fmt::format("{}: unknown key \"{}\" in {}", where(file.path, key_node), key, section);
  if (auto suggestion = closest_match(key, known)) {
    warning += fmt::format(" (did you mean \"{}\"?)", *suggestion);
  }
  file.warnings.push_back(std::move(warning));
}

Result<std::string> scalar(const std::string& path, const YAML::Node& node, std::string_view key) {
  if (!node.IsScalar()) {
    return type_error(path, node, fmt::format("\"{}\" must be a single value", key));
  }
  return node.as<std::string>();
}

// brokers: "a:9092,b:9092" or a YAML list.
Result<std::string> brokers_value(const std::string& path, const YAML::Node& node) {
  if (node.IsSequence()) {
    std::string joined;
    for (const auto& item : node) {
      if (!item.IsScalar()) {
        return type_error(path, item, "each broker must be host:port");
      }
      if (!joined.empty()) {
        joined += ',';
      }
      joined += item.as<std::string>();
    }
    return joined;
  }
  return scalar(path, node, "brokers");
}

Result<void> read_section(ConfigFile& file,
                          const YAML::Node& section,
                          std::string_view name,
                          std::span<const std::string_view> known,
                          const std::map<std::string_view, std::optional<std::string>*>& targets) {
  if (!section.IsMap()) {
    return type_error(file.path, section, fmt::format("\"{}\" must be a mapping", name));
  }
  for (const auto& item : section) {
    const std::string key = item.first.as<std::string>();
    auto target = targets.find(key);
    if (target == targets.end()) {
      warn_unknown(file, item.first, name, known);
      continue;
    }
    auto value = scalar(file.path, item.second, key);
    if (!value) {
      return std::move(value).take_error();
    }
    *target->second = std::move(*value);
  }
  return {};
}

Result<void> read_schema_registry(ConfigFile& file,
                                  const YAML::Node& node,
                                  SchemaRegistryContext& registry) {
  if (!node.IsMap()) {
    return type_error(file.path, node, "\"schema-registry\" must be a mapping");
  }
  const std::map<std::string_view, std::optional<std::string>*> targets = {
      {"url", &registry.url},
      {"username", &registry.username},
      {"password", &registry.password},
      {"password-env", &registry.password_env},
      {"password-file", &registry.password_file},
      {"decode", &registry.decode}};
  for (const auto& item : node) {
    const std::string key = item.first.as<std::string>();
    if (key == "tls") {
      EVT_TRY(read_section(
          file,
          item.second,
          "schema-registry.tls",
          k_registry_tls_keys,
          {{"ca", &registry.ca_file}, {"cert", &registry.cert_file}, {"key", &registry.key_file}}));
      continue;
    }
    auto target = targets.find(key);
    if (target == targets.end()) {
      warn_unknown(file, item.first, "schema-registry", k_registry_keys);
      continue;
    }
    auto value = scalar(file.path, item.second, key);
    if (!value) {
      return std::move(value).take_error();
    }
    *target->second = std::move(*value);
  }
  if (registry.decode && *registry.decode != "value" && *registry.decode != "key" &&
      *registry.decode != "both" && *registry.decode != "none") {
    return fail(ErrorKind::usage,
                fmt::format("{}: schema-registry.decode must be value, key, both or none, not "
                            "\"{}\"",
                            where(file.path, node["decode"]),
                            *registry.decode));
  }
  return {};
}

Result<Context> read_context(ConfigFile& file, const std::string& name, const YAML::Node& node) {
  Context ctx;
  if (node.IsNull()) {
    return ctx;
  }
  if (!node.IsMap()) {
    return type_error(file.path, node, fmt::format("context \"{}\" must be a mapping", name));
  }
  std::map<std::string, YAML::Mark> seen;
  for (const auto& item : node) {
    const std::string key = item.first.as<std::string>();
    const YAML::Node& value = item.second;
    if (auto first = seen.find(key); first != seen.end()) {
      return fail(ErrorKind::usage,
                  fmt::format("{}: \"{}\" appears twice in context \"{}\" (first at line {})",
                              where(file.path, item.first),
                              key,
                              name,
                              first->second.line + 1));
    }
    seen.emplace(key, item.first.Mark());
    if (key == "brokers") {
      auto brokers = brokers_value(file.path, value);
      if (!brokers) {
        return std::move(brokers).take_error();
      }
      ctx.brokers = std::move(*brokers);
    } else if (key == "security-protocol") {
      auto protocol = scalar(file.path, value, key);
      if (!protocol) {
        return std::move(protocol).take_error();
      }
      ctx.security_protocol = std::move(*protocol);
    } else if (key == "sasl") {
      EVT_TRY(read_section(file,
                           value,
                           "sasl",
                           k_sasl_keys,
                           {{"mechanism", &ctx.sasl_mechanism},
                            {"username", &ctx.username},
                            {"password", &ctx.password},
                            {"password-env", &ctx.password_env},
                            {"password-file", &ctx.password_file}}));
    } else if (key == "tls") {
      EVT_TRY(read_section(file,
                           value,
                           "tls",
                           k_tls_keys,
                           {{"ca", &ctx.ca_file},
                            {"cert", &ctx.cert_file},
                            {"key", &ctx.key_file},
                            {"key-password", &ctx.key_password},
                            {"key-password-env", &ctx.key_password_env},
                            {"key-password-file", &ctx.key_password_file}}));
    } else if (key == "schema-registry") {
      EVT_TRY(read_schema_registry(file, value, ctx.schema_registry));
    } else if (key == "properties") {
      if (!value.IsMap()) {
        return type_error(file.path,
                          value,
                          "\"properties\" must be a mapping of librdkafka "
                          "properties");
      }
      for (const auto& property : value) {
        auto text = scalar(file.path, property.second, property.first.as<std::string>());
        if (!text) {
          return std::move(text).take_error();
        }
        ctx.properties[property.first.as<std::string>()] = std::move(*text);
      }
    } else {
      warn_unknown(file, item.first, fmt::format("context \"{}\"", name), k_context_keys);
    }
  }
  return ctx;
}

}  // namespace

bool holds_inline_secret(const Context& ctx) {
  if (ctx.password || ctx.key_password || ctx.schema_registry.password) {
    return true;
  }
  for (const auto& [name, value] : ctx.properties) {
    if (name.find("password") != std::string::npos || name.find("secret") != std::string::npos) {
      return true;
    }
  }
  return false;
}

Result<ConfigFile> parse_config_file(const std::string& text, const std::string& path) {
  ConfigFile file;
  file.path = path;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return fail(
        ErrorKind::usage,
        fmt::format(
            "{}:{}:{}: malformed YAML: {}", path, e.mark.line + 1, e.mark.column + 1, e.msg),
        "fix the file, or point --config / EVT_CONFIG elsewhere");
  }
  if (root.IsNull()) {
    return file;
  }
  if (!root.IsMap()) {
    return type_error(path, root, "the config file must be a YAML mapping");
  }
  try {
    for (const auto& item : root) {
      const std::string key = item.first.as<std::string>();
      if (key == "current-context") {
        auto current = scalar(path, item.second, key);
        if (!current) {
          return std::move(current).take_error();
        }
        file.current_context = std::move(*current);
      } else if (key == "contexts") {
        if (!item.second.IsMap()) {
          return type_error(
              path, item.second, "\"contexts\" must be a mapping of names to contexts");
        }
        std::map<std::string, YAML::Mark> defined;  // YAML keeps both of two equal keys
        for (const auto& context : item.second) {
          const std::string name = context.first.as<std::string>();
          if (auto first = defined.find(name); first != defined.end()) {
            return fail(ErrorKind::usage,
                        fmt::format("{}: context \"{}\" is defined twice (first at line {})",
                                    where(path, context.first),
                                    name,
                                    first->second.line + 1),
                        "rename or remove one of them");
          }
          defined.emplace(name, context.first.Mark());
          auto ctx = read_context(file, name, context.second);
          if (!ctx) {
            return std::move(ctx).take_error();
          }
          file.contexts[name] = std::move(*ctx);
        }
      } else {
        warn_unknown(file, item.first, "the top level", k_top_keys);
      }
    }
  } catch (const YAML::Exception& e) {
    return fail(ErrorKind::usage,
                fmt::format("{}:{}:{}: {}", path, e.mark.line + 1, e.mark.column + 1, e.msg));
  }
  return file;
}

Result<ConfigFile> load_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(ErrorKind::usage, fmt::format("cannot read config file {}", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  auto file = parse_config_file(text.str(), path);
  if (!file) {
    return file;
  }
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && (info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    for (const auto& [name, ctx] : file->contexts) {
      if (holds_inline_secret(ctx)) {
        file->warnings.push_back(fmt::format(
            "{} holds a secret (context \"{}\") but is readable by others; run: chmod 600 {}",
            path,
            name,
            path));
        break;
      }
    }
  }
  return file;
}

Result<void> save_current_context(const std::string& link_path, const std::string& context) {
  // Through a symlink (a dotfiles repository, say), the file it points to is what changes:
  // renaming over the link would replace it with a regular file.
  std::string path = link_path;
  if (char* real = ::realpath(link_path.c_str(), nullptr)) {
    path = real;
    std::free(real);
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  if (in) {
    text << in.rdbuf();
  }
  // Edit the one line rather than re-emitting the YAML, so the user's comments survive.
  std::string original = text.str();
  std::string updated;
  bool replaced = false;
  std::istringstream lines(original);
  std::string line;
  while (std::getline(lines, line)) {
    if (!replaced && line.rfind("current-context:", 0) == 0) {
      line = "current-context: " + context;
      replaced = true;
    }
    updated += line + "\n";
  }
  if (!replaced) {
    updated = "current-context: " + context + "\n" + updated;
  }
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out || !(out << updated)) {
      return fail(ErrorKind::io, fmt::format("cannot write {}", temporary));
    }
  }
  struct stat info {};
  const mode_t mode = ::stat(path.c_str(), &info) == 0 ? (info.st_mode & 07777) : 0600;
  ::chmod(temporary.c_str(), mode);
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return fail(ErrorKind::io, fmt::format("cannot replace {}", path));
  }
  return {};
}

std::string starter_config_text() {
  return R"(# evt configuration (see evt-config(5)).
# Precedence, lowest first: this file < EVT_* environment variables < flags < -X key=value.

# The context used when neither --context nor EVT_CONTEXT names one. While no context is
# current, evt uses the local broker that 'evt broker' runs. Pick one with 'evt config use NAME'.
# current-context: local

contexts:
  # A plaintext cluster on this machine.
  local:
    brokers: localhost:9092

  # A SASL_SSL cluster. Secrets come from an environment variable or a file, never from argv.
  # production:
  #   brokers: [kafka-1.example.com:9093, kafka-2.example.com:9093]
  #   security-protocol: sasl_ssl
  #   sasl:
  #     mechanism: SCRAM-SHA-512
  #     username: alice
  #     password-env: PROD_KAFKA_PASSWORD     # or: password-file: ~/.config/evt/prod.secret
  #   tls:
  #     ca: /etc/ssl/certs/ca-certificates.crt
  #   properties:                             # any librdkafka property
  #     client.id: evt-alice
  #   schema-registry:                        # for --decode and produce --value-schema
  #     url: https://registry.example.com:8081
  #     username: alice
  #     password-env: PROD_REGISTRY_PASSWORD  # or: password-file: ~/.config/evt/registry.secret
  #     decode: value                         # decode values without --decode (key, both, none)
)";
}

}  // namespace evt::config
