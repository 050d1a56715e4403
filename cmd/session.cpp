// SPDX-License-Identifier: MIT
#include "cmd/session.hpp"

#include <fmt/format.h>

#include "evt/local_broker.hpp"
#include "evt/ops/resume.hpp"

#include <sys/stat.h>

namespace evt::cmd {

bool use_color(const GlobalOptions& global, const Context& ctx, bool is_tty) {
  if (global.color == "always") {
    return true;
  }
  if (global.color == "never") {
    return false;
  }
  if (ctx.env.count("NO_COLOR") && !ctx.env.at("NO_COLOR").empty()) {
    return false;
  }
  auto term = ctx.env.find("TERM");
  if (term != ctx.env.end() && term->second == "dumb") {
    return false;
  }
  return is_tty;
}

Log make_log(const GlobalOptions& global, const Context& ctx) {
  const int verbosity = global.quiet ? -1 : global.verbose;
  return Log(ctx.err_fd, verbosity, use_color(global, ctx, ctx.err_is_tty));
}

bool announces_flush(const GlobalOptions& global, const Context& ctx) {
  return !global.quiet && (ctx.err_is_tty || global.verbose > 0);
}

Result<Session> open_session(const GlobalOptions& global,
                             const Context& ctx,
                             const Log& log,
                             bool need_brokers) {
  Session session;
  session.config_path = config::config_path(ctx.env, global.config_path);
  struct stat info {};
  const bool exists = ::stat(session.config_path.c_str(), &info) == 0;
  if (exists) {
    auto file = config::load_config_file(session.config_path);
    if (!file) {
      return std::move(file).take_error();
    }
    for (const auto& warning : file->warnings) {
      log.warning(warning);
    }
    session.file = std::move(*file);
  } else if (global.config_path) {
    return fail(ErrorKind::usage,
                fmt::format("config file {} does not exist", *global.config_path),
                "create one with 'evt config init'");
  }
  config::FlagSettings flags;
  flags.brokers = global.brokers;
  flags.context = global.context;
  flags.timeout = global.timeout;
  flags.properties = global.properties;
  flags.schema_registry = global.schema_registry;
  std::vector<std::string> secret_warnings;
  auto resolved = config::resolve(
      session.file ? &*session.file : nullptr, ctx.env, flags, [&](const std::string& path) {
        return config::read_secret_file(path, ctx.env, &secret_warnings);
      });
  for (const auto& warning : secret_warnings) {
    log.warning(warning);
  }
  if (!resolved) {
    return std::move(resolved).take_error();
  }
  session.config = std::move(*resolved);
  if (!session.config.has_brokers() && need_brokers && session.config.context) {
    // A context was chosen, so the user meant a cluster: never fall back to the local broker
    // (a typo such as "broker:" would otherwise send production's records to it).
    return fail(ErrorKind::usage,
                fmt::format("context \"{}\" (from {}) names no brokers",
                            *session.config.context,
                            config::to_string(session.config.context_source)),
                fmt::format("add \"brokers: host:port\" to it in {}, or pass -b host:port",
                            session.config_path));
  }
  if (!session.config.has_brokers() && need_brokers) {
    auto local = find_local_broker(local_broker_path(ctx.env));
    if (!local) {
      return fail(ErrorKind::usage,
                  "no brokers configured",
                  "pass -b host:port, set EVT_BROKERS, add a context (evt config init), or start "
                  "a local broker with 'evt broker --detach'");
    }
    session.config.properties["bootstrap.servers"] =
        config::Setting{local->bootstrap, config::Source::local_broker, false};
    log.debug(fmt::format("using the local broker at {}", local->bootstrap));
  }
  return session;
}

std::vector<std::string> resume_words(const GlobalOptions& global) {
  std::vector<std::string> words;
  auto add = [&](const char* flag, const std::string& value) {
    words.push_back(flag);
    words.push_back(ops::shell_word(value));
  };
  if (global.brokers) {
    add("-b", *global.brokers);
  }
  if (global.context) {
    add("--context", *global.context);
  }
  if (global.config_path) {
    add("--config", *global.config_path);
  }
  if (global.timeout) {
    add("--timeout", *global.timeout);
  }
  // A registry URL with credentials in it is left out, as secret -X properties are.
  if (global.schema_registry && global.schema_registry->find('@') == std::string::npos) {
    add("--schema-registry", *global.schema_registry);
  }
  for (const std::string& property : global.properties) {
    const std::size_t equals = property.find('=');
    if (!config::is_secret_property(property.substr(0, equals))) {
      add("-X", property);
    }
  }
  return words;
}

Result<void> use_streaming_allocator(const Context& ctx, const Log& log) {
  std::string wanted = "mimalloc";
  auto setting = ctx.env.find("EVT_ALLOCATOR");
  if (setting != ctx.env.end() && !setting->second.empty()) {
    wanted = setting->second;
  }
  if (wanted != "mimalloc" && wanted != "glibc") {
    return fail(
        ErrorKind::usage,
        fmt::format("EVT_ALLOCATOR={}: evt knows the allocators mimalloc and glibc", wanted),
        "unset EVT_ALLOCATOR for the default, mimalloc");
  }
  if (wanted == "glibc") {
    log.debug("allocator: glibc (EVT_ALLOCATOR=glibc)");
    return {};
  }
  if (ctx.switch_to_mimalloc == nullptr) {
    log.debug("allocator: glibc (this build of evt does not define malloc)");
    return {};
  }
  const memory::AllocatorSwitch outcome = ctx.switch_to_mimalloc();
  log.debug(outcome.to_mimalloc ? "allocator: " + outcome.detail
                                : "allocator: glibc (" + outcome.detail + ")");
  return {};
}

}  // namespace evt::cmd
