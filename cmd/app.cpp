// SPDX-License-Identifier: MIT
#include "cmd/app.hpp"

#include <algorithm>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "evt/config/resolve.hpp"
#include "evt/io/write_all.hpp"
#include "evt/kafka/version.hpp"

#include "cmd/parse_errors.hpp"
#include "cmd/session.hpp"
#include <unistd.h>

namespace evt::cmd {

std::string version_text() {
  return fmt::format("evt {}\nlibrdkafka {} ({})",
                     EVT_VERSION,
                     kafka::librdkafka_version(),
                     kafka::librdkafka_features());
}

namespace {

void add_global_options(CLI::App& app, GlobalOptions& global) {
  app.add_option("-b,--brokers", global.brokers, "Bootstrap brokers host:port[,host:port...]");
  app.add_option("--context", global.context, "Use this context of the config file");
  app.add_option("--config",
                 global.config_path,
                 "Config file (default $EVT_CONFIG or ~/.config/evt/config.yaml)");
  app.add_option("-X,--property",
                 global.properties,
                 "librdkafka property key=value (repeatable; overrides everything)");
  app.add_option("--timeout",
                 global.timeout,
                 "How long to wait for brokers, e.g. 500ms, 10s, 1m (default 10s)");
  app.add_option("--schema-registry",
                 global.schema_registry,
                 "Schema registry URL for --decode and --value-schema (or EVT_SCHEMA_REGISTRY)");
  app.add_flag("-v,--verbose", global.verbose, "More detail on stderr (repeatable)");
  app.add_flag("-q,--quiet", global.quiet, "Only errors on stderr");
  app.add_option("--color", global.color, "Colors: auto (on a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
}

// Help and version text; an output that cannot take it is an error like any other (a reader
// that went away is not: `evt --help | head -3`).
int print(const Context& ctx, const std::string& text, int code) {
  auto written = io::write_text(ctx.out_fd, text);
  if (!written) {
    const Log log(ctx.err_fd);
    log.error(written.error().message);
    if (!written.error().hint.empty()) {
      log.hint(written.error().hint);
    }
    return static_cast<int>(exit_code_for(written.error().kind));
  }
  return code;
}

// A -X value without '=' is refused before CLI11 sees argv: in `-X sasl.password Sup3rS3cret`
// the secret is a word of its own, which CLI11 would echo as "not expected". The message shows
// no value that may be a secret.
std::optional<std::string> malformed_property(std::span<char* const> args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--") {
      break;
    }
    std::optional<std::string_view> value;
    if ((arg == "-X" || arg == "--property") && i + 1 < args.size()) {
      value = args[++i];
    } else if (arg.starts_with("--property=")) {
      value = arg.substr(11);
    } else if (arg.starts_with("-X") && arg.size() > 2) {
      value = arg.substr(2);
    }
    const std::size_t equals = value ? value->find_first_of("=: \t") : 0;
    if (value && (equals == std::string_view::npos || equals == 0 || (*value)[equals] != '=')) {
      return fmt::format("-X {}: expected key=value, e.g. -X linger.ms=10",
                         config::property_argument_for_display(*value));
    }
  }
  return std::nullopt;
}

// Repeatable options (-H, -X, -o, -p, ...) take one value per occurrence: otherwise CLI11 lets
// `evt produce -H a=b orders` swallow the topic into the header list.
void one_value_per_flag(CLI::App& app) {
  for (CLI::Option* option : app.get_options()) {
    if (option->nonpositional()) {
      option->allow_extra_args(false);
    }
  }
  for (CLI::App* sub : app.get_subcommands(nullptr)) {
    one_value_per_flag(*sub);
  }
}

// Nested views (inspect topics, broker stop, config use, ...) show their parent's examples
// rather than the root's, which CLI11 would copy into them.
void inherit_examples(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands(nullptr)) {
    for (CLI::App* nested : sub->get_subcommands(nullptr)) {
      nested->footer(sub->get_footer());
    }
    inherit_examples(*sub);
  }
}

}  // namespace

std::unique_ptr<App> build_app(std::span<char* const> args) {
  auto tree = std::make_unique<App>();
  CLI::App& app = tree->app;
  app.require_subcommand(0, 1);
  app.fallthrough(true);  // global flags after the subcommand name go to the root
  app.set_version_flag("--version", version_text());
  add_global_options(app, tree->options.global);
  app.footer(R"(Run 'evt <command> --help' for a command's options, 'man evt' for the manual.

Examples:
  evt broker --topic orders:3 --detach      # a local broker for trying things out
  printf 'a\nb\n' | evt produce orders      # lines in, one record each
  evt consume orders -e -f json             # everything so far, as JSON envelopes
  evt inspect topic orders                  # partitions, watermarks, record counts)");
  // Building every subcommand's options costs 0.3 ms, as much as a metadata round trip, and a
  // run only parses one of them. CLI11 matches subcommands by exact name only, so a subcommand
  // whose name is nowhere in argv cannot be the one parsed: it gets its name and summary (for
  // `evt --help` and "did you mean"), the others everything. No name at all builds everything.
  const bool any_named = std::ranges::any_of(args, [](const char* arg) {
    return std::ranges::find(k_command_names, std::string_view(arg)) != k_command_names.end();
  });
  const auto add = [&](const char* name, const char* summary, auto setup, auto& options) {
    const bool named = std::ranges::any_of(
        args, [name](const char* arg) { return std::string_view(arg) == name; });
    return !any_named || named ? setup(app, options) : app.add_subcommand(name, summary);
  };
  Options& options = tree->options;
  tree->produce = add("produce", k_produce_summary, setup_produce, options.produce);
  tree->consume = add("consume", k_consume_summary, setup_consume, options.consume);
  tree->tail = add("tail", k_tail_summary, setup_tail, options.tail);
  tree->replay = add("replay", k_replay_summary, setup_replay, options.replay);
  tree->inspect = add("inspect", k_inspect_summary, setup_inspect, options.inspect);
  tree->topic = add("topic", k_topic_summary, setup_topic, options.topic);
  tree->group = add("group", k_group_summary, setup_group, options.group);
  tree->broker = add("broker", k_broker_summary, setup_broker, options.broker);
  tree->config = add("config", k_config_summary, setup_config, options.config);
  tree->help = add("help", k_help_summary, setup_help, options.help);
  one_value_per_flag(app);
  inherit_examples(app);
  return tree;
}

int main(int argc, char** argv, Context& ctx) {
  // `evt --version` alone answers before the command tree (every subcommand's options) is
  // built: scripts call it to probe for evt, and it should cost no more than `kcat -V`.
  if (argc == 2 && std::string_view(argv[1]) == "--version") {
    return print(ctx, version_text() + "\n", 0);
  }
  const std::span<char* const> args(argv + 1, argc > 0 ? argc - 1 : 0);
  if (auto malformed = malformed_property(args)) {
    const Log log = make_log(GlobalOptions{}, ctx);
    log.error(*malformed);
    log.hint("run 'evt --help' for usage");
    return static_cast<int>(ExitCode::usage);
  }
  auto tree = build_app(args);
  Options& options = tree->options;
  try {
    tree->app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    std::ostringstream out, err;
    const int code = tree->app.exit(help, out, err);
    return print(ctx, out.str(), code);
  } catch (const CLI::CallForAllHelp& help) {
    std::ostringstream out, err;
    const int code = tree->app.exit(help, out, err);
    return print(ctx, out.str(), code);
  } catch (const CLI::CallForVersion& version) {
    return print(ctx, std::string(version.what()) + "\n", 0);
  } catch (const CLI::ParseError& error) {
    return report_parse_error(tree->app, args, error, make_log(options.global, ctx));
  }

  const Log log = make_log(options.global, ctx);
  Result<ExitCode> result = ExitCode::ok;
  try {
    if (*tree->produce) {
      result = run_produce(options.produce, options.global, ctx);
    } else if (*tree->consume) {
      result = run_consume(options.consume, options.global, ctx);
    } else if (*tree->tail) {
      result = run_tail(options.tail, options.global, ctx);
    } else if (*tree->replay) {
      result = run_replay(options.replay, options.global, ctx);
    } else if (*tree->inspect) {
      result = run_inspect(options.inspect, options.global, ctx);
    } else if (*tree->topic) {
      result = run_topic(options.topic, options.global, ctx);
    } else if (*tree->group) {
      result = run_group(options.group, options.global, ctx);
    } else if (*tree->config) {
      result = run_config(options.config, options.global, ctx);
    } else if (*tree->help) {
      result = run_help(options.help, tree->app, ctx);
    } else if (*tree->broker) {
      result = run_broker(options.broker, options.global, ctx);
    } else {
      return print(ctx, tree->app.help(), 0);
    }
  } catch (const std::exception& e) {
    log.error(fmt::format("internal error: {}", e.what()));
    return static_cast<int>(ExitCode::failure);
  }
  if (!result) {
    const Error& error = result.error();
    log.error(error.message);
    if (!error.hint.empty()) {
      log.hint(error.hint);
    }
    if (error.kind == ErrorKind::usage) {
      const CLI::App* where = innermost_parsed(tree->app);
      log.hint(fmt::format("run '{} --help' for usage", command_path(where)));
    }
    return static_cast<int>(exit_code_for(error.kind));
  }
  return static_cast<int>(*result);
}

}  // namespace evt::cmd
