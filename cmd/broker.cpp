// SPDX-License-Identifier: MIT
#include "cmd/broker.hpp"

#include <fmt/format.h>

#include "evt/io/write_all.hpp"
#include "evt/local_broker.hpp"
#include "evt/ops/broker_control.hpp"
#include "evt/ops/broker_daemon.hpp"
#include "evt/ops/broker_server.hpp"

#include "cmd/session.hpp"
#include <unistd.h>

namespace evt::cmd {

CLI::App* setup_broker(CLI::App& app, BrokerOptions& options) {
  CLI::App* sub = app.add_subcommand("broker", k_broker_summary);
  sub->add_option("--nodes", options.nodes, "Number of brokers in the cluster")
      ->check(CLI::Range(1, 16))
      ->capture_default_str();
  sub->add_option("--topic",
                  options.topics,
                  "Create topic NAME:PARTITIONS up front (repeatable), e.g. --topic orders:8");
  sub->add_flag("--detach",
                options.detach,
                "Start in the background; print the bootstrap list once it is ready, then exit");
  sub->add_flag("--no-publish",
                options.no_publish,
                "Do not register as the local broker other evt commands use by default");
  sub->add_option("--control",
                  options.control,
                  "Unix socket for fault commands (default: next to the published address; "
                  "none with --no-publish)");
  options.stop = sub->add_subcommand("stop", "Stop the running local broker");
  options.fault = sub->add_subcommand(
      "fault",
      "Inject a fault into the running broker: down N, up N, rtt N MS, errors API COUNT "
      "ERROR, leader TOPIC P N, topic-error TOPIC ERROR, create TOPIC P");
  options.fault->add_option("COMMAND", options.fault_words, "The fault command and its arguments")
      ->required();
  options.status = sub->add_subcommand("status", "Print the running local broker's bootstrap list");
  sub->footer(
      R"(The broker serves until SIGINT or SIGTERM (or 'evt broker stop'). Its bootstrap list goes
to stdout; other evt commands with no brokers configured use it while it runs.

Limits of librdkafka 2.0.2's mock cluster:
  - listener ports are random (read the bootstrap list; it is also published)
  - each partition keeps at most 5 MiB; older batches are dropped silently
  - a topic first named by a client is created with 4 partitions: use --topic for others
  - no CreateTopics, DeleteTopics, DescribeConfigs, ListGroups, DescribeGroups, nor
    offsets-for-times (evt works around the last one)
  - a consumer group's first join takes about 3 seconds

Fault commands (evt broker fault ..., for testing scripts against failures):
  down N | up N                   take broker N down (connections refused) / back up
  rtt N MS                        add MS milliseconds of latency to broker N
  errors API COUNT ERROR          fail the next COUNT requests of API (Produce, Fetch, ...)
                                  with a Kafka error (NOT_LEADER_OR_FOLLOWER, REQUEST_TIMED_OUT)
  leader TOPIC PARTITION N        move a partition's leader to broker N (none: no leader)
  topic-error TOPIC ERROR         make Metadata report ERROR (e.g. UNKNOWN_TOPIC_OR_PART)
  create TOPIC PARTITIONS         create a topic

See evt-broker(1).

Examples:
  evt broker --topic orders:3 --detach
  printf 'a\nb\n' | evt produce orders && evt consume orders -e
  evt broker fault errors Produce 3 NOT_LEADER_OR_FOLLOWER
  evt broker stop)");
  return sub;
}

namespace {

Result<ExitCode> broker_status(const Context& ctx) {
  auto running = find_local_broker(local_broker_path(ctx.env));
  if (!running) {
    return fail(ErrorKind::unreachable,
                "no local broker is running",
                "start one with 'evt broker --detach'");
  }
  EVT_TRY(io::write_text(ctx.out_fd, running->bootstrap + "\n"));
  return ExitCode::ok;
}

Result<ExitCode> detach(const ops::BrokerSettings& settings, const Log& log, Context& ctx) {
  auto detached = ops::serve_broker_detached(settings, *ctx.signals);
  if (!detached) {
    return std::move(detached).take_error();
  }
  log.info(
      fmt::format("local broker running in the background (pid {}); stop it with 'evt broker "
                  "stop'",
                  detached->pid));
  // The broker runs on either way; a bootstrap list nobody could read is still a failure.
  EVT_TRY(io::write_text(ctx.out_fd, detached->bootstrap));
  return ExitCode::ok;
}

Result<ExitCode> send_fault(const BrokerOptions& options, Context& ctx) {
  std::string path = options.control.value_or("");
  if (path.empty()) {
    auto running = find_local_broker(local_broker_path(ctx.env));
    if (!running) {
      return fail(ErrorKind::unreachable,
                  "no local broker is running",
                  "start one with 'evt broker --detach', or name its socket with --control");
    }
    if (running->control.empty()) {
      return fail(ErrorKind::unreachable, "the running local broker has no control socket");
    }
    path = running->control;
  }
  std::string command;
  for (const std::string& word : options.fault_words) {
    command += (command.empty() ? "" : " ") + word;
  }
  auto reply = ops::send_control(path, command);
  if (!reply) {
    return std::move(reply).take_error();
  }
  EVT_TRY(io::write_text(ctx.out_fd, *reply));
  return ExitCode::ok;
}

}  // namespace

Result<ExitCode> run_broker(const BrokerOptions& options,
                            const GlobalOptions& global,
                            Context& ctx) {
  if (*options.stop) {
    EVT_TRY(ops::stop_local_broker(local_broker_path(ctx.env)));
    return ExitCode::ok;
  }
  if (*options.status) {
    return broker_status(ctx);
  }
  if (*options.fault) {
    return send_fault(options, ctx);
  }
  Signals::block();  // served until SIGINT/SIGTERM, then unpublished
  const Log log = make_log(global, ctx);
  ops::BrokerSettings settings;
  settings.nodes = options.nodes;
  for (const std::string& topic : options.topics) {
    auto parsed = ops::parse_broker_topic(topic);
    if (!parsed) {
      return fail(ErrorKind::usage, "--topic " + parsed.error().message);
    }
    settings.topics.push_back(std::move(*parsed));
  }
  if (options.control) {
    settings.control_path = *options.control;
  }
  if (!options.no_publish) {
    settings.publish_path = local_broker_path(ctx.env);
    if (!options.control) {
      settings.control_path = settings.publish_path + ".control";
    }
    if (auto running = find_local_broker(settings.publish_path);
        running && running->pid != ::getpid()) {
      return fail(
          ErrorKind::usage,
          fmt::format(
              "a local broker is already running at {} (pid {})", running->bootstrap, running->pid),
          "stop it with 'evt broker stop', or pass --no-publish to run another one");
    }
  }
  if (options.detach) {
    return detach(settings, log, ctx);
  }
  EVT_TRY(ops::serve_broker(settings, log, *ctx.signals, [&](const std::string& bootstrap) {
    // It serves on (its address is also published); the failure is said, not dropped.
    if (auto written = io::write_text(ctx.out_fd, bootstrap + "\n"); !written) {
      log.warning(written.error().message);
    }
  }));
  return ExitCode::ok;
}

}  // namespace evt::cmd
