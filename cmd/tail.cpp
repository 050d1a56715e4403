// SPDX-License-Identifier: MIT
#include "cmd/tail.hpp"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

#include "evt/format/human.hpp"
#include "evt/ops/tail.hpp"
#include "evt/plural.hpp"

#include "cmd/checks.hpp"
#include "cmd/decode.hpp"
#include "cmd/output_format.hpp"
#include "cmd/session.hpp"
#include <sys/ioctl.h>

namespace evt::cmd {

CLI::App* setup_tail(CLI::App& app, TailOptions& options) {
  CLI::App* sub = app.add_subcommand("tail", k_tail_summary);
  sub->add_option("TOPIC", options.topics, "Topics to watch")->required();
  sub->add_option("-n,--lines",
                  options.last,
                  "Show the last N records of all partitions together, ordered by timestamp "
                  "(with filters, the last N that match; 0: only follow)")
      ->check(non_negative_integer())
      ->capture_default_str();
  sub->add_flag("--no-follow", options.no_follow, "Print the last N records and exit");
  sub->add_option("-p,--partition", options.partitions, "Only these partitions (repeatable)")
      ->check(non_negative_integer());
  sub->add_option("-g,--group",
                  options.group,
                  "Follow as a member of this consumer group (commits nothing without --commit)");
  sub->add_flag("--commit", options.commit, "With -g, commit the offsets of records shown");
  sub->add_option("-f,--format",
                  options.format,
                  "Instead of the human format: value, json or a layout (as in evt consume)");
  add_json_values_option(sub, options.json_values);
  sub->add_flag("--compact", options.compact, "Keep JSON values on one line");
  sub->add_flag("--no-truncate",
                options.no_truncate,
                "On a terminal, show long values whole (by default each line of a value is cut "
                "to the terminal's width, ending with its full length)");
  add_filter_options(sub, options.filters, "--grep");
  sub->add_flag("--wait", options.wait, "Wait for a topic that does not exist yet");
  add_decode_option(*sub, options.decode);
  sub->footer(
      R"(Ctrl-C exits 0. Exit status: 2 usage; 3 unreachable; 5 topic not found (unless --wait).
See evt-tail(1).

Examples:
  evt tail orders                         # the last 10 records, then follow
  evt tail orders -n 50 --grep 'error|fail'
  evt tail orders --jq '.value_json.status == "failed"' --jq-output '.value_json.id'
  evt tail orders --decode value          # Avro/Protobuf/JSON Schema values, pretty-printed)");
  return sub;
}

Result<ExitCode> run_tail(const TailOptions& options, const GlobalOptions& global, Context& ctx) {
  ops::TailSettings settings;
  settings.topics = options.topics;
  settings.partitions.insert(options.partitions.begin(), options.partitions.end());
  settings.last = options.last;
  settings.follow = !options.no_follow;
  settings.group = options.group;
  settings.commit = options.commit;
  settings.wait_for_topic = options.wait;
  if (options.commit && !options.group) {
    return fail(ErrorKind::usage, "--commit needs a consumer group (-g)");
  }
  if (options.group && !options.partitions.empty()) {
    return fail(ErrorKind::usage, "with -g the group assigns partitions; -p cannot be used");
  }
  if (options.group && options.no_follow) {
    return fail(ErrorKind::usage, "--no-follow cannot be used with -g");
  }
  if (options.group) {
    settings.last = 0;  // a member starts where the group is
  }
  auto filters = make_filters(options.filters);
  if (!filters) {
    return std::move(filters).take_error();
  }
  settings.filter = filters->filter;
  if (filters->output &&
      (options.format || options.compact || options.json_values || options.no_truncate)) {
    return fail(ErrorKind::usage,
                "--jq-output prints JSON: -f, --compact, --json-values and --no-truncate do "
                "not apply");
  }
  if (filters->output && options.decode && *options.decode != "none") {
    return fail(ErrorKind::usage, "--jq-output prints JSON: --decode does not apply");
  }
  const auto make_formatter =
      [&](const format::DecodeOptions& decode) -> Result<std::shared_ptr<format::RecordFormatter>> {
    if (filters->output) {
      return std::shared_ptr<format::RecordFormatter>(format::make_jq_formatter(filters->output));
    }
    if (options.format) {
      if (options.compact || options.no_truncate) {
        return fail(ErrorKind::usage,
                    fmt::format("{} applies to the human format only (no -f)",
                                options.compact ? "--compact" : "--no-truncate"));
      }
      auto formatter =
          make_output_formatter(*options.format, "\\n", std::nullopt, options.json_values, decode);
      if (!formatter) {
        return std::move(formatter).take_error();
      }
      return std::shared_ptr<format::RecordFormatter>(std::move(*formatter));
    }
    if (options.json_values) {
      return fail(ErrorKind::usage, "--json-values applies to -f json only", "add -f json");
    }
    format::HumanOptions human;
    human.color = use_color(global, ctx, ctx.out_is_tty);
    human.compact = options.compact;
    if (ctx.out_is_tty && !options.no_truncate) {
      // A 5,000-character value would fill 40 lines: cut to the width, or $COLUMNS, or 80.
      winsize size{};
      human.max_width = 80;
      if (::ioctl(ctx.out_fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
        human.max_width = size.ws_col;
      } else if (auto columns = ctx.env.find("COLUMNS"); columns != ctx.env.end()) {
        human.max_width =
            std::max<std::size_t>(std::strtoul(columns->second.c_str(), nullptr, 10), 20);
      }
    }
    auto formatter = format::make_human_formatter(human);
    if (decode.decoder && (decode.key || decode.value)) {
      // Decoded records are JSON, which the human format pretty-prints.
      return std::shared_ptr<format::RecordFormatter>(
          format::make_substituting_formatter(std::move(formatter), decode));
    }
    return std::shared_ptr<format::RecordFormatter>(std::move(formatter));
  };
  const std::string layout = filters->output ? std::string() : options.format.value_or("");
  if (!format::layout_wants_decoding(layout)) {
    // Checked now, before any connection; built again with the decoder once the registry is open.
    auto formatter = make_formatter({});
    if (!formatter) {
      return std::move(formatter).take_error();
    }
    settings.formatter = std::move(*formatter);
  }
  // A person is watching only when the records go to a terminal too: `evt tail t | grep x`
  // in a terminal gets no status line mixed into its output.
  if (ctx.out_is_tty && ctx.err_is_tty && !global.quiet) {
    settings.status_fd = ctx.err_fd;
    settings.status_color = use_color(global, ctx, ctx.err_is_tty);
  }
  Signals::block();  // Ctrl-C ends the follow loop cleanly
  const Log log = make_log(global, ctx);
  filters->attach(log);
  EVT_TRY(use_streaming_allocator(ctx, log));
  auto session = open_session(global, ctx, log);
  if (!session) {
    return std::move(session).take_error();
  }
  DecodeSetup decode;
  if (!filters->output) {
    auto setup = setup_decode(options.decode, layout, session->config, log);
    if (!setup) {
      return std::move(setup).take_error();
    }
    decode = std::move(*setup);
  }
  if (decode.decoder) {
    auto formatter = make_formatter(decode.options);
    if (!formatter) {
      return std::move(formatter).take_error();
    }
    settings.formatter = std::move(*formatter);
  }
  auto summary = ops::tail(settings, session->config, log, *ctx.signals, ctx.out_fd);
  report_decode(decode, log);
  filters->report(log);
  if (!summary) {
    return std::move(summary).take_error();
  }
  log.info(fmt::format(
      "{} shown{}",
      plural(static_cast<std::int64_t>(summary->shown), "record"),
      settings.filter ? fmt::format(", {} skipped by the filters", summary->filtered) : ""));
  return ExitCode::ok;
}

}  // namespace evt::cmd
