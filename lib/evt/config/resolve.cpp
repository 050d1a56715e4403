// SPDX-License-Identifier: MIT
#include "evt/config/resolve.hpp"

#include <cctype>
#include <fstream>

#include <fmt/format.h>

#include "evt/spellcheck.hpp"
#include "evt/time_spec.hpp"

#include <sys/stat.h>

namespace evt::config {

const char* to_string(Source source) {
  switch (source) {
    case Source::default_value:
      return "default";
    case Source::file:
      return "file";
    case Source::env:
      return "env";
    case Source::flag:
      return "flag";
    case Source::property_flag:
      return "-X";
    case Source::local_broker:
      return "local broker";
  }
  return "?";
}

bool is_secret_property(const std::string& name) {
  std::string lowered;
  for (char c : name) {
    lowered.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  for (const char* word : {"password", "secret", "credential", "jaas"}) {
    if (lowered.find(word) != std::string::npos) {
      return true;
    }
  }
  // Whole values that carry credentials: the OAUTHBEARER settings (the unsecured JWT config,
  // and extensions, which hold tokens for e.g. Confluent Cloud's identity pools) and PEM keys.
  return lowered == "sasl.oauthbearer.config" || lowered == "sasl.oauthbearer.extensions" ||
         lowered == "ssl.key.pem" || lowered == "ssl_key";
}

std::string property_argument_for_display(std::string_view argument) {
  // The name is what precedes the first separator a user might have typed instead of '='.
  const std::size_t end = argument.find_first_of("=: \t");
  const std::string name(argument.substr(0, end));
  if (end == std::string_view::npos) {
    return name;
  }
  if (name.empty() || is_secret_property(name)) {
    // No name, or a secret's: whatever follows may be the secret.
    return name + argument[end] + "(hidden)";
  }
  return std::string(argument);
}

namespace {

std::optional<std::string> env_value(const Env& env, const std::string& name) {
  auto it = env.find(name);
  if (it == env.end() || it->second.empty()) {
    return std::nullopt;
  }
  return it->second;
}

// "~/x" -> "$HOME/x", as a shell would, for paths in the config file.
std::string expand_home(const std::string& path, const Env& env) {
  if (path.rfind("~/", 0) == 0) {
    return env_value(env, "HOME").value_or("") + path.substr(1);
  }
  return path;
}

void set(ResolvedConfig& config, const std::string& name, std::string value, Source source) {
  config.properties[name] = Setting{std::move(value), source, is_secret_property(name)};
}

Result<std::optional<std::string>> secret_from(const std::optional<std::string>& inline_value,
                                               const std::optional<std::string>& env_name,
                                               const std::optional<std::string>& file_path,
                                               const Env& env,
                                               const SecretFileReader& read_file,
                                               std::string_view what) {
  if (env_name) {
    auto value = env_value(env, *env_name);
    if (!value) {
      return fail(
          ErrorKind::usage,
          fmt::format(
              "the {} comes from environment variable {}, which is not set", what, *env_name),
          fmt::format("export {}=... before running evt", *env_name));
    }
    return std::optional<std::string>(*value);
  }
  if (file_path) {
    auto value = read_file(*file_path);
    if (!value) {
      return fail(
          ErrorKind::usage,
          fmt::format("cannot read the {} from {}: {}", what, *file_path, value.error().message));
    }
    return std::optional<std::string>(*value);
  }
  return inline_value;
}

std::string lower(std::string text) {
  for (char& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

Result<void> apply_context(ResolvedConfig& config,
                           const Context& ctx,
                           const Env& env,
                           const SecretFileReader& read_file) {
  for (const auto& [name, value] : ctx.properties) {
    set(config, name, value, Source::file);
  }
  if (ctx.brokers) {
    set(config, "bootstrap.servers", *ctx.brokers, Source::file);
  }
  if (ctx.security_protocol) {
    set(config, "security.protocol", lower(*ctx.security_protocol), Source::file);
  }
  if (ctx.sasl_mechanism) {
    set(config, "sasl.mechanisms", *ctx.sasl_mechanism, Source::file);
  }
  if (ctx.username) {
    set(config, "sasl.username", *ctx.username, Source::file);
  }
  auto password = secret_from(
      ctx.password, ctx.password_env, ctx.password_file, env, read_file, "SASL password");
  if (!password) {
    return std::move(password).take_error();
  }
  // A secret named by an environment variable comes from the environment; inline or from a
  // file, it comes from the config file.
  if (*password) {
    set(config, "sasl.password", **password, ctx.password_env ? Source::env : Source::file);
  }
  if (ctx.ca_file) {
    set(config, "ssl.ca.location", expand_home(*ctx.ca_file, env), Source::file);
  }
  if (ctx.cert_file) {
    set(config, "ssl.certificate.location", expand_home(*ctx.cert_file, env), Source::file);
  }
  if (ctx.key_file) {
    set(config, "ssl.key.location", expand_home(*ctx.key_file, env), Source::file);
  }
  auto key_password = secret_from(ctx.key_password,
                                  ctx.key_password_env,
                                  ctx.key_password_file,
                                  env,
                                  read_file,
                                  "TLS key password");
  if (!key_password) {
    return std::move(key_password).take_error();
  }
  if (*key_password) {
    set(config,
        "ssl.key.password",
        **key_password,
        ctx.key_password_env ? Source::env : Source::file);
  }
  const SchemaRegistryContext& registry = ctx.schema_registry;
  auto registry_password = secret_from(registry.password,
                                       registry.password_env,
                                       registry.password_file,
                                       env,
                                       read_file,
                                       "schema registry password");
  if (!registry_password) {
    return std::move(registry_password).take_error();
  }
  auto& out = config.schema_registry;
  const auto put = [&](const char* name, const std::optional<std::string>& value, bool path) {
    if (value) {
      out[name] = Setting{path ? expand_home(*value, env) : *value, Source::file, false};
    }
  };
  put("url", registry.url, false);
  put("username", registry.username, false);
  put("tls.ca", registry.ca_file, true);
  put("tls.cert", registry.cert_file, true);
  put("tls.key", registry.key_file, true);
  put("decode", registry.decode, false);
  if (*registry_password) {
    out["password"] =
        Setting{**registry_password, registry.password_env ? Source::env : Source::file, true};
  }
  return {};
}

}  // namespace

Result<ResolvedConfig> resolve(const ConfigFile* file,
                               const Env& env,
                               const FlagSettings& flags,
                               const SecretFileReader& read_file) {
  ResolvedConfig config;

  // Which context: --context > EVT_CONTEXT > current-context of the file.
  std::optional<std::string> context_name;
  if (flags.context) {
    context_name = flags.context;
    config.context_source = Source::flag;
  } else if (auto from_env = env_value(env, "EVT_CONTEXT")) {
    context_name = from_env;
    config.context_source = Source::env;
  } else if (file && file->current_context) {
    context_name = file->current_context;
    config.context_source = Source::file;
  }
  if (context_name) {
    const Context* ctx = nullptr;
    if (file) {
      auto it = file->contexts.find(*context_name);
      if (it != file->contexts.end()) {
        ctx = &it->second;
      }
    }
    if (!ctx) {
      std::vector<std::string> names;
      if (file) {
        for (const auto& [name, unused] : file->contexts) {
          names.push_back(name);
        }
      }
      std::string hint =
          file ? fmt::format("contexts in {}: {}",
                             file->path,
                             names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", ")))
               : "no config file found; create one with 'evt config init'";
      if (auto suggestion = closest_match(*context_name, names)) {
        hint = fmt::format("did you mean \"{}\"?", *suggestion);
      }
      return fail(ErrorKind::usage,
                  fmt::format("context \"{}\" (from {}) is not in the config file",
                              *context_name,
                              to_string(config.context_source)),
                  std::move(hint));
    }
    config.context = context_name;
    EVT_TRY(apply_context(config, *ctx, env, read_file));
  }

  // Environment.
  if (auto brokers = env_value(env, "EVT_BROKERS")) {
    set(config, "bootstrap.servers", *brokers, Source::env);
  }
  if (auto protocol = env_value(env, "EVT_SECURITY_PROTOCOL")) {
    set(config, "security.protocol", lower(*protocol), Source::env);
  }
  if (auto mechanism = env_value(env, "EVT_SASL_MECHANISM")) {
    set(config, "sasl.mechanisms", *mechanism, Source::env);
  }
  if (auto username = env_value(env, "EVT_SASL_USERNAME")) {
    set(config, "sasl.username", *username, Source::env);
  }
  if (auto password = env_value(env, "EVT_SASL_PASSWORD")) {
    set(config, "sasl.password", *password, Source::env);
  }
  if (auto registry = env_value(env, "EVT_SCHEMA_REGISTRY")) {
    config.schema_registry["url"] = Setting{*registry, Source::env, false};
  }
  std::optional<std::string> timeout_text;
  if (auto timeout = env_value(env, "EVT_TIMEOUT")) {
    timeout_text = timeout;
    config.timeout_source = Source::env;
  }

  // Flags.
  if (flags.brokers) {
    set(config, "bootstrap.servers", *flags.brokers, Source::flag);
  }
  if (flags.schema_registry) {
    config.schema_registry["url"] = Setting{*flags.schema_registry, Source::flag, false};
  }
  if (flags.timeout) {
    timeout_text = flags.timeout;
    config.timeout_source = Source::flag;
  }
  if (timeout_text) {
    const char* origin = config.timeout_source == Source::env ? "EVT_TIMEOUT" : "--timeout";
    auto timeout = parse_duration(*timeout_text);
    if (!timeout) {
      return fail(ErrorKind::usage, fmt::format("{}: {}", origin, timeout.error().message));
    }
    if (timeout->count() <= 0) {
      return fail(ErrorKind::usage, fmt::format("{} must be greater than zero", origin));
    }
    // librdkafka takes its timeouts (message.timeout.ms, the calls' timeout_ms) as int.
    constexpr std::int64_t k_max_timeout_ms = 2'147'483'647;
    if (timeout->count() > k_max_timeout_ms) {
      return fail(ErrorKind::usage,
                  fmt::format("{} {}: too long; the most is {}ms (about 24.8 days, librdkafka's "
                              "limit)",
                              origin,
                              *timeout_text,
                              k_max_timeout_ms));
    }
    config.timeout = *timeout;
    config.timeout_given = true;
  }

  // -X key=value, highest precedence.
  for (const std::string& property : flags.properties) {
    // No property name holds ':' or blanks: one before the '=' is a slip for it (and what
    // follows may be a secret, hidden in the message).
    const std::size_t equals = property.find_first_of("=: \t");
    if (equals == std::string::npos || equals == 0 || property[equals] != '=') {
      return fail(ErrorKind::usage,
                  fmt::format("-X {}: expected key=value, e.g. -X linger.ms=10",
                              property_argument_for_display(property)));
    }
    set(config, property.substr(0, equals), property.substr(equals + 1), Source::property_flag);
  }
  return config;
}

std::string config_path(const Env& env, const std::optional<std::string>& explicit_path) {
  if (explicit_path) {
    return *explicit_path;
  }
  if (auto path = env_value(env, "EVT_CONFIG")) {
    return *path;
  }
  if (auto xdg = env_value(env, "XDG_CONFIG_HOME")) {
    return *xdg + "/evt/config.yaml";
  }
  return env_value(env, "HOME").value_or("") + "/.config/evt/config.yaml";
}

Result<std::string> read_secret_file(const std::string& path,
                                     const Env& env,
                                     std::vector<std::string>* warnings) {
  const std::string expanded = expand_home(path, env);
  std::ifstream in(expanded, std::ios::binary);
  if (!in) {
    return fail(ErrorKind::usage, "no such file or not readable");
  }
  struct stat info {};
  if (warnings && ::stat(expanded.c_str(), &info) == 0 && (info.st_mode & (S_IRWXG | S_IRWXO))) {
    warnings->push_back(fmt::format(
        "{} holds a secret but is readable by others; run: chmod 600 {}", expanded, expanded));
  }
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') {
    line.pop_back();
  }
  return line;
}

}  // namespace evt::config
