// SPDX-License-Identifier: MIT
#include "cmd/topic.hpp"

#include "evt/ops/topic_admin.hpp"
#include "evt/time_spec.hpp"

#include "cmd/admin_confirm.hpp"
#include "cmd/session.hpp"

namespace evt::cmd {

namespace {

void add_common(CLI::App* sub, TopicOptions& options) {
  sub->add_flag("--dry-run",
                options.dry_run,
                "Check and show what would happen; change nothing (validate-only where Kafka has "
                "it)");
  sub->add_option("-o,--output", options.output, "Output: table (for people) or json (for scripts)")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
}

}  // namespace

CLI::App* setup_topic(CLI::App& app, TopicOptions& options) {
  CLI::App* sub = app.add_subcommand("topic", k_topic_summary);
  sub->require_subcommand(1);

  options.create = sub->add_subcommand("create", "Create topics");
  options.create->add_option("TOPIC", options.names, "Topic names")->required();
  options.create->add_option(
      "-p,--partitions", options.partitions, "Partitions (default: the broker's num.partitions)");
  options.create->add_option(
      "-r,--replicas",
      options.replicas,
      "Replication factor (default: the broker's default.replication.factor)");
  options.create->add_option(
      "-c,--topic-config", options.configs, "Topic config key=value (repeatable)");
  options.create->add_flag(
      "--if-not-exists", options.if_not_exists, "A topic that exists already is no error");
  add_common(options.create, options);

  options.remove = sub->add_subcommand("delete", "Delete topics and all their records");
  options.remove->add_option("TOPIC", options.names, "Topic names")->required();
  options.remove->add_flag("-y,--yes", options.yes, "Do not ask; needed when stdin is no terminal");
  options.remove->add_flag(
      "--if-exists", options.if_exists, "Pass over topics that do not exist (no error)");
  add_common(options.remove, options);

  options.alter = sub->add_subcommand("alter", "Set or unset topic configs, showing old -> new");
  options.alter->add_option("TOPIC", options.name, "Topic")->required();
  options.alter->add_option(
      "-c,--topic-config", options.configs, "Set a topic config key=value (repeatable)");
  options.alter->add_option(
      "--unset", options.unset, "Remove a topic's own setting: it inherits again (repeatable)");
  add_common(options.alter, options);

  options.add_partitions = sub->add_subcommand("add-partitions", "Grow a topic to more partitions");
  options.add_partitions->add_option("TOPIC", options.name, "Topic")->required();
  options.add_partitions->add_option("--to", options.to, "The new partition count")->required();
  add_common(options.add_partitions, options);

  options.trim = sub->add_subcommand("trim", "Delete the records before an offset or a time");
  options.trim->add_option("TOPIC", options.name, "Topic")->required();
  options.trim
      ->add_option("--before",
                   options.before,
                   "Where records are kept from: N, -N, +N, end, @TIME, P=SPEC (repeatable)")
      ->required();
  options.trim->add_flag("-y,--yes", options.yes, "Do not ask; needed when stdin is no terminal");
  add_common(options.trim, options);

  sub->footer(
      R"(Exit status: 0 done; 1 the broker refused (its message follows) or does not support the
request; 2 usage, or a destructive verb without --yes and no terminal; 3 unreachable; 4 not
authorized; 5 topic or partition not found. See evt-topic(1).

Examples:
  evt topic create orders -p 6 -r 3 -c retention.ms=604800000
  evt topic create orders -p 6 --if-not-exists --dry-run
  evt topic alter orders -c retention.ms=3600000 --unset cleanup.policy
  evt topic add-partitions orders --to 12
  evt topic trim orders --before @-7d --yes      # delete records older than a week
  evt topic trim orders --before 0=1500 --dry-run
  evt topic delete orders --yes -o json)");
  return sub;
}

Result<ExitCode> run_topic(const TopicOptions& options, const GlobalOptions& global, Context& ctx) {
  const Log log = make_log(global, ctx);
  ops::AdminRun run;
  run.log = &log;
  run.out_fd = ctx.out_fd;
  run.output = options.output == "json" ? ops::AdminOutput::json : ops::AdminOutput::table;
  run.dry_run = options.dry_run;
  if (*options.alter && options.configs.empty() && options.unset.empty()) {
    return fail(ErrorKind::usage,
                "evt topic alter needs something to change",
                "give -c key=value or --unset key");
  }
  if (*options.create && (options.partitions == 0 || options.partitions < -1)) {
    return fail(ErrorKind::usage, "--partitions must be at least 1");
  }
  if (*options.create && (options.replicas == 0 || options.replicas < -1)) {
    return fail(ErrorKind::usage, "--replicas must be at least 1");
  }
  if (*options.add_partitions && options.to < 1) {
    return fail(ErrorKind::usage, "--to must be at least 1");
  }
  if (*options.remove) {
    auto confirm = confirmation(options.yes, options.dry_run, "delete topics", ctx);
    if (!confirm) {
      return std::move(confirm).take_error();
    }
    run.confirm = std::move(*confirm);
  } else if (*options.trim) {
    auto confirm = confirmation(options.yes, options.dry_run, "delete records", ctx);
    if (!confirm) {
      return std::move(confirm).take_error();
    }
    run.confirm = std::move(*confirm);
  }
  auto session = open_session(global, ctx, log);
  if (!session) {
    return std::move(session).take_error();
  }
  run.config = &session->config;
  if (*options.create) {
    ops::TopicCreateSettings settings;
    settings.names = options.names;
    settings.partitions = options.partitions;
    settings.replicas = options.replicas;
    settings.configs = options.configs;
    settings.if_not_exists = options.if_not_exists;
    EVT_TRY(ops::topic_create(settings, run));
  } else if (*options.remove) {
    EVT_TRY(ops::topic_delete(ops::TopicDeleteSettings{options.names, options.if_exists}, run));
  } else if (*options.alter) {
    EVT_TRY(ops::topic_alter(ops::TopicAlterSettings{options.name, options.configs, options.unset},
                             run));
  } else if (*options.add_partitions) {
    EVT_TRY(
        ops::topic_add_partitions(ops::TopicAddPartitionsSettings{options.name, options.to}, run));
  } else if (*options.trim) {
    EVT_TRY(
        ops::topic_trim(ops::TopicTrimSettings{options.name, options.before, now_epoch_ms()}, run));
  }
  return ExitCode::ok;
}

}  // namespace evt::cmd
