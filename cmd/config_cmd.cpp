// SPDX-License-Identifier: MIT
#include "cmd/config_cmd.hpp"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "evt/config/config_file.hpp"
#include "evt/format/table.hpp"
#include "evt/io/write_all.hpp"
#include "evt/spellcheck.hpp"

#include "cmd/session.hpp"
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace evt::cmd {

CLI::App* setup_config(CLI::App& app, ConfigOptions& options) {
  CLI::App* sub = app.add_subcommand("config", k_config_summary);
  sub->require_subcommand(1);
  options.contexts = sub->add_subcommand("contexts", "List the contexts of the config file");
  options.use = sub->add_subcommand("use", "Make a context the current one");
  options.use->add_option("NAME", options.use_name, "Context name")->required();
  options.show = sub->add_subcommand(
      "show", "Effective settings and where each comes from (file, env, flag); secrets masked");
  options.init = sub->add_subcommand("init", "Write a commented starter config file (mode 0600)");
  options.init->add_flag("--force", options.force, "Overwrite an existing file");
  sub->footer(R"(Precedence, lowest first: file < EVT_* environment < flags < -X key=value.

Examples:
  evt config init && $EDITOR ~/.config/evt/config.yaml
  evt config contexts
  evt config use production
  evt --context staging config show)");
  return sub;
}

namespace {

Result<ExitCode> init_file(const std::string& path, bool force, Context& ctx) {
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && !force) {
    return fail(
        ErrorKind::usage, fmt::format("{} already exists", path), "pass --force to overwrite it");
  }
  // Create the directory (0700) and the file (0600): it may come to hold secrets.
  for (std::size_t slash = path.find('/', 1); slash != std::string::npos;
       slash = path.find('/', slash + 1)) {
    ::mkdir(path.substr(0, slash).c_str(), 0700);
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return fail(ErrorKind::io, fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  }
  ::fchmod(fd, 0600);
  const std::string text = config::starter_config_text();
  const int error = io::write_all(fd, text);
  const bool closed = ::close(fd) == 0;
  if (error != 0 || !closed) {
    return io::write_failure(path, error != 0 ? error : errno);
  }
  EVT_TRY(io::write_text(ctx.out_fd, path + "\n"));
  return ExitCode::ok;
}

}  // namespace

Result<ExitCode> run_config(const ConfigOptions& options,
                            const GlobalOptions& global,
                            Context& ctx) {
  const Log log = make_log(global, ctx);
  const std::string path = config::config_path(ctx.env, global.config_path);
  if (*options.init) {
    return init_file(path, options.force, ctx);
  }
  if (*options.contexts || *options.use) {
    auto file = config::load_config_file(path);
    if (!file) {
      struct stat info {};
      if (::stat(path.c_str(), &info) != 0) {
        return fail(ErrorKind::usage,
                    fmt::format("no config file at {}", path),
                    "create one with 'evt config init'");
      }
      return std::move(file).take_error();
    }
    for (const auto& warning : file->warnings) {
      log.warning(warning);
    }
    if (*options.contexts) {
      std::string out;
      for (const auto& [name, context] : file->contexts) {
        const bool current = file->current_context && *file->current_context == name;
        out += fmt::format(
            "{} {}{}\n", current ? "*" : " ", name, context.brokers ? "  " + *context.brokers : "");
      }
      EVT_TRY(io::write_text(ctx.out_fd, out));
      return ExitCode::ok;
    }
    if (!file->contexts.count(options.use_name)) {
      std::vector<std::string> names;
      for (const auto& [name, unused] : file->contexts) {
        names.push_back(name);
      }
      std::string hint = "list them with 'evt config contexts'";
      if (auto suggestion = closest_match(options.use_name, names)) {
        hint = fmt::format("did you mean \"{}\"?", *suggestion);
      }
      return fail(ErrorKind::usage,
                  fmt::format("context \"{}\" is not in {}", options.use_name, path),
                  std::move(hint));
    }
    EVT_TRY(config::save_current_context(path, options.use_name));
    log.info(fmt::format("current context: {}", options.use_name));
    return ExitCode::ok;
  }
  // show
  auto session = open_session(global, ctx, log, /*need_brokers=*/false);
  if (!session) {
    return std::move(session).take_error();
  }
  const config::ResolvedConfig& resolved = session->config;
  std::string out =
      fmt::format("config file  {}{}\n", session->config_path, session->file ? "" : " (none)");
  out += fmt::format("context      {}{}\n",
                     resolved.context.value_or("(none)"),
                     resolved.context
                         ? fmt::format(" (from {})", config::to_string(resolved.context_source))
                         : "");
  out += fmt::format("timeout      {}ms (from {})\n\n",
                     resolved.timeout.count(),
                     config::to_string(resolved.timeout_source));
  format::Table table({"PROPERTY", "VALUE", "SOURCE"});
  table.align(1, format::Table::Align::left);
  bool any_brokers = resolved.has_brokers();
  for (const auto& [name, setting] : resolved.properties) {
    table.add_row(
        {name, setting.secret ? "********" : setting.value, config::to_string(setting.source)});
  }
  for (const auto& [name, setting] : resolved.schema_registry) {
    table.add_row({"schema-registry." + name,
                   setting.secret ? "********" : setting.value,
                   config::to_string(setting.source)});
  }
  if (!any_brokers) {
    auto local = open_session(global, ctx, log, /*need_brokers=*/true);
    table.add_row(
        {"bootstrap.servers",
         local ? local->config.brokers() : std::string("(none: pass -b or start evt broker)"),
         local ? "local broker" : "-"});
  }
  out += table.render(0, false);
  EVT_TRY(io::write_text(ctx.out_fd, out));
  return ExitCode::ok;
}

}  // namespace evt::cmd
