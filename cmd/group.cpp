// SPDX-License-Identifier: MIT
#include "cmd/group.hpp"

#include "evt/ops/group_admin.hpp"
#include "evt/time_spec.hpp"

#include "cmd/admin_confirm.hpp"
#include "cmd/session.hpp"

namespace evt::cmd {

namespace {

void add_output(CLI::App* sub, GroupOptions& options) {
  sub->add_option("-o,--output", options.output, "Output: table (for people) or json (for scripts)")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
}

}  // namespace

CLI::App* setup_group(CLI::App& app, GroupOptions& options) {
  CLI::App* sub = app.add_subcommand("group", k_group_summary);
  sub->require_subcommand(1);

  options.reset = sub->add_subcommand(
      "reset", "Move a group's committed offsets (prints the plan; --execute commits it)");
  options.reset->add_option("GROUP", options.group, "Group id")->required();
  options.reset->add_option("--topic", options.topics, "Topic (repeatable)")->required();
  CLI::Option* to = options.reset->add_option(
      "--to",
      options.to,
      "Where to: beginning, end, N, -N, +N, @TIME, P=SPEC (repeatable; as consume -o)");
  CLI::Option* shift = options.reset->add_option(
      "--shift-by", options.shift_by, "Move every committed offset by N records (negative: back)");
  to->excludes(shift);
  shift->excludes(to);
  CLI::Option* execute = options.reset->add_flag(
      "--execute", options.execute, "Commit the plan (default: only print it)");
  CLI::Option* dry = options.reset->add_flag(
      "--dry-run", options.dry_run, "Only print the plan (the default without --execute)");
  execute->excludes(dry);
  dry->excludes(execute);
  add_output(options.reset, options);

  options.remove = sub->add_subcommand("delete", "Delete groups with their committed offsets");
  options.remove->add_option("GROUP", options.groups, "Group ids")->required();
  options.remove->add_flag("-y,--yes", options.yes, "Do not ask; needed when stdin is no terminal");
  options.remove->add_flag(
      "--dry-run", options.dry_run, "Check and show what would go; delete nothing");
  add_output(options.remove, options);

  options.delete_offsets =
      sub->add_subcommand("delete-offsets", "Delete a group's committed offsets of topics");
  options.delete_offsets->add_option("GROUP", options.group, "Group id")->required();
  options.delete_offsets->add_option("--topic", options.topics, "Topic (repeatable)")->required();
  options.delete_offsets->add_flag(
      "-y,--yes", options.yes, "Do not ask; needed when stdin is no terminal");
  options.delete_offsets->add_flag(
      "--dry-run", options.dry_run, "Check and show what would go; delete nothing");
  add_output(options.delete_offsets, options);

  sub->footer(
      R"(Exit status: 0 done; 1 the broker refused (its message follows), the group has members,
or the broker does not support the request; 2 usage, or a destructive verb without --yes and no
terminal; 3 unreachable; 4 not authorized; 5 group, topic or partition not found.
See evt-group(1).

Examples:
  evt group reset billing --topic orders --to beginning            # the plan only
  evt group reset billing --topic orders --to @-2h --execute
  evt group reset billing --topic orders --to 0=42 --to 1=end --execute
  evt group reset billing --topic orders --shift-by -100 --execute
  evt group delete-offsets billing --topic orders --yes
  evt group delete billing --yes)");
  return sub;
}

Result<ExitCode> run_group(const GroupOptions& options, const GlobalOptions& global, Context& ctx) {
  const Log log = make_log(global, ctx);
  ops::AdminRun run;
  run.log = &log;
  run.out_fd = ctx.out_fd;
  run.output = options.output == "json" ? ops::AdminOutput::json : ops::AdminOutput::table;
  run.dry_run = options.dry_run;
  if (*options.reset && options.to.empty() && !options.shift_by) {
    return fail(ErrorKind::usage,
                "evt group reset needs --to SPEC or --shift-by N",
                "for example --to beginning, --to @-1h or --shift-by -10");
  }
  if (*options.remove) {
    auto confirm = confirmation(options.yes, options.dry_run, "delete groups", ctx);
    if (!confirm) {
      return std::move(confirm).take_error();
    }
    run.confirm = std::move(*confirm);
  } else if (*options.delete_offsets) {
    auto confirm = confirmation(options.yes, options.dry_run, "delete committed offsets", ctx);
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
  if (*options.reset) {
    ops::GroupResetSettings settings;
    settings.group = options.group;
    settings.topics = options.topics;
    settings.to = options.to;
    settings.shift_by = options.shift_by;
    settings.execute = options.execute;
    settings.now_ms = now_epoch_ms();
    EVT_TRY(ops::group_reset(settings, run));
  } else if (*options.remove) {
    EVT_TRY(ops::group_delete(ops::GroupDeleteSettings{options.groups}, run));
  } else if (*options.delete_offsets) {
    EVT_TRY(ops::group_delete_offsets(
        ops::GroupDeleteOffsetsSettings{options.group, options.topics}, run));
  }
  return ExitCode::ok;
}

}  // namespace evt::cmd
