// SPDX-License-Identifier: MIT
#include "cmd/inspect.hpp"

#include <fmt/format.h>

#include "evt/ops/inspect.hpp"
#include "evt/time_spec.hpp"

#include "cmd/decode.hpp"
#include "cmd/session.hpp"
#include <sys/ioctl.h>
#include <unistd.h>

namespace evt::cmd {

namespace {

void add_output_options(CLI::App* sub, InspectOptions& options, bool names, bool watch) {
  std::vector<std::string> choices = {"table", "json"};
  if (names) {
    choices.push_back("names");
  }
  sub->add_option("-o,--output",
                  options.output,
                  names ? "Output: table (for people), json (for scripts) or names (one per line)"
                        : "Output: table (for people) or json (for scripts)")
      ->check(CLI::IsMember(choices))
      ->capture_default_str();
  if (watch) {
    sub->add_option(
        "--watch", options.watch, "Refresh every DURATION in place on a terminal, e.g. 2s");
  }
}

}  // namespace

CLI::App* setup_inspect(CLI::App& app, InspectOptions& options) {
  CLI::App* sub = app.add_subcommand("inspect", k_inspect_summary);
  add_output_options(sub, options, true, false);

  options.topics =
      sub->add_subcommand("topics", "One row per topic: partitions, replicas, records");
  add_output_options(options.topics, options, true, true);
  options.topics->add_flag("--internal", options.internal, "Include internal __-topics");

  options.topic = sub->add_subcommand("topic",
                                      "Partitions (leader, replicas, ISR, watermarks) and "
                                      "configs of one topic");
  options.topic->add_option("TOPIC", options.topic_name, "Topic")->required();
  add_output_options(options.topic, options, false, true);

  options.groups = sub->add_subcommand("groups", "Consumer groups with their state");
  add_output_options(options.groups, options, true, false);

  options.group = sub->add_subcommand("group", "A group's members, committed offsets and lag");
  options.group->add_option("GROUP", options.group_id, "Group id")->required();
  options.group->add_option("--topic", options.group_topic, "Only this topic");
  add_output_options(options.group, options, false, true);

  options.offsets =
      sub->add_subcommand("offsets", "Per partition, the first offset at or after a time");
  options.offsets->add_option("TOPIC", options.offsets_topic, "Topic")->required();
  options.offsets
      ->add_option(
          "--at", options.at, "TIME: epoch ms, 2026-11-23T10:00:00Z, 2026-11-23, -15m, now")
      ->required();
  add_output_options(options.offsets, options, false, false);

  options.message = sub->add_subcommand("message", "One record in full (binary as a hexdump)");
  options.message->add_option("TOPIC", options.message_topic, "Topic")->required();
  options.message->add_option("PARTITION", options.message_partition, "Partition")->required();
  options.message->add_option("OFFSET", options.message_offset, "Offset")->required();
  add_output_options(options.message, options, false, false);
  add_decode_option(*options.message, options.decode);
  add_jq_options(options.message, options.message_jq);

  sub->footer(
      R"(Exit status: 0 ok; 1 the broker failed or does not support the request; 3 unreachable;
5 topic, partition, offset or group not found. See evt-inspect(1).

Examples:
  evt inspect                                 # cluster id, controller, brokers
  evt inspect topics -o json | jq '.topics[].topic'
  evt inspect group billing --topic orders    # committed offsets and lag
  evt inspect message orders 0 42 --decode value   # an Avro/Protobuf value as JSON too)");
  return sub;
}

Result<ExitCode> run_inspect(const InspectOptions& options,
                             const GlobalOptions& global,
                             Context& ctx) {
  ops::InspectSettings settings;
  settings.output = options.output == "json"    ? ops::InspectOutput::json
                    : options.output == "names" ? ops::InspectOutput::names
                                                : ops::InspectOutput::table;
  if (*options.topics) {
    settings.view = ops::InspectView::topics;
    settings.internal = options.internal;
  } else if (*options.topic) {
    settings.view = ops::InspectView::topic;
    settings.name = options.topic_name;
  } else if (*options.groups) {
    settings.view = ops::InspectView::groups;
  } else if (*options.group) {
    settings.view = ops::InspectView::group;
    settings.name = options.group_id;
    settings.group_topic = options.group_topic;
  } else if (*options.offsets) {
    settings.view = ops::InspectView::offsets;
    settings.name = options.offsets_topic;
    auto at = parse_time(options.at, now_epoch_ms());
    if (!at) {
      return fail(ErrorKind::usage, "--at: " + at.error().message);
    }
    settings.at_time = *at;
  } else if (*options.message) {
    settings.view = ops::InspectView::message;
    settings.name = options.message_topic;
    settings.partition = options.message_partition;
    settings.offset = options.message_offset;
    if (settings.partition < 0 || settings.offset < 0) {
      return fail(ErrorKind::usage, "partition and offset must not be negative");
    }
    auto filters = make_filters(options.message_jq);
    if (!filters) {
      return std::move(filters).take_error();
    }
    if (filters->output && options.output != "table") {
      return fail(ErrorKind::usage, "--jq-output prints JSON: -o does not apply");
    }
    if (filters->output && options.decode && *options.decode != "none") {
      return fail(ErrorKind::usage, "--jq-output prints JSON: --decode does not apply");
    }
    settings.jq_filter = filters->filter;
    settings.jq_output = filters->output;
  }
  if (options.watch) {
    auto interval = parse_duration(*options.watch);
    if (!interval) {
      return fail(ErrorKind::usage, "--watch: " + interval.error().message);
    }
    if (interval->count() < 100) {
      return fail(ErrorKind::usage, "--watch must be at least 100ms");
    }
    if (!ctx.out_is_tty) {
      return fail(ErrorKind::usage,
                  "--watch needs a terminal on stdout",
                  "in scripts, run evt inspect in a loop instead");
    }
    settings.watch = *interval;
    Signals::block();  // Ctrl-C ends the refresh loop cleanly
  }
  if (ctx.out_is_tty) {
    winsize size{};
    if (::ioctl(ctx.out_fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
      settings.width = size.ws_col;
    }
  }
  settings.color = use_color(global, ctx, ctx.out_is_tty);
  const Log log = make_log(global, ctx);
  const Filters jq{settings.jq_filter, settings.jq_output};
  jq.attach(log);
  auto session = open_session(global, ctx, log);
  if (!session) {
    return std::move(session).take_error();
  }
  DecodeSetup decode;
  if (*options.message && !settings.jq_output) {
    auto setup = setup_decode(options.decode, "", session->config, log);
    if (!setup) {
      return std::move(setup).take_error();
    }
    decode = std::move(*setup);
    settings.decode = decode.options;
  }
  auto inspected = ops::inspect(settings, session->config, log, *ctx.signals, ctx.out_fd);
  report_decode(decode, log);
  jq.report(log);
  EVT_TRY(std::move(inspected));
  return ExitCode::ok;
}

}  // namespace evt::cmd
