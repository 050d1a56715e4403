// SPDX-License-Identifier: MIT
#include "evt/ops/group_admin.hpp"

#include <fmt/format.h>

#include "evt/format/json_writer.hpp"
#include "evt/format/table.hpp"
#include "evt/io/write_all.hpp"
#include "evt/kafka/admin_connection.hpp"
#include "evt/kafka/group_admin.hpp"
#include "evt/plural.hpp"

namespace evt::ops {

namespace {

using format::Table;

std::string offset_text(const std::optional<std::int64_t>& offset) {
  return offset ? std::to_string(*offset) : "-";
}

// The group must have no members for its offsets to be changed.
Result<void> refuse_members(const kafka::GroupState& state, const char* what) {
  if (state.members_hidden) {
    return fail(ErrorKind::kafka,
                fmt::format("group \"{}\" is {}: it has members, which evt cannot name (a group "
                            "of Kafka's new consumer protocol, KIP-848, that librdkafka 2.0.2 "
                            "cannot describe)",
                            state.group,
                            state.state),
                fmt::format("{} only while the group is empty: stop its consumers first", what));
  }
  if (state.members.empty()) {
    return {};
  }
  return fail(ErrorKind::kafka,
              fmt::format("group \"{}\" has {} ({}): {}",
                          state.group,
                          plural(static_cast<std::int64_t>(state.members.size()), "member"),
                          state.state,
                          fmt::join(state.members, "; ")),
              fmt::format("{} only while the group is empty: stop its consumers first", what));
}

Result<std::vector<kafka::TopicState>> topic_states(kafka::AdminConnection& admin,
                                                    const std::vector<std::string>& topics) {
  std::vector<kafka::TopicState> states;
  for (const std::string& topic : topics) {
    auto state = admin.topic_state(topic);
    if (!state) {
      return std::move(state).take_error();
    }
    states.push_back(std::move(*state));
  }
  return states;
}

}  // namespace

std::string render_reset(const std::string& group,
                         const std::vector<ResetRow>& rows,
                         bool executed,
                         AdminOutput output) {
  if (output == AdminOutput::json) {
    format::JsonWriter json;
    json.begin_object();
    json.field("group", group);
    json.flag("executed", executed);
    json.key("partitions");
    json.begin_array();
    for (const ResetRow& row : rows) {
      json.begin_object();
      json.field("topic", row.topic);
      json.field("partition", std::int64_t{row.partition});
      json.key("current");
      json.number_or_null(row.current);
      json.key("new");
      json.number_or_null(row.target);
      json.field("low", row.low);
      json.field("high", row.high);
      json.key("lag_after");
      json.number_or_null(row.lag_after());
      json.flag("clamped", row.clamped);
      json.end_object();
    }
    json.end_array();
    json.end_object();
    return json.line();
  }
  bool any_clamped = false;
  std::size_t changing = 0;
  for (const ResetRow& row : rows) {
    any_clamped = any_clamped || row.clamped;
    changing += row.changes() ? 1 : 0;
  }
  std::vector<std::string> headers = {"TOPIC", "PARTITION", "CURRENT", "NEW", "LAG AFTER"};
  if (any_clamped) {
    headers.push_back("NOTE");
  }
  Table table(headers);
  for (const ResetRow& row : rows) {
    std::vector<std::string> cells = {row.topic,
                                      std::to_string(row.partition),
                                      offset_text(row.current),
                                      offset_text(row.target),
                                      offset_text(row.lag_after())};
    if (any_clamped) {
      cells.push_back(!row.clamped            ? ""
                      : row.target == row.low ? "clamped to the first record"
                                              : "clamped to the end");
    }
    table.add_row(std::move(cells));
  }
  std::string out = table.render(0, false);
  if (changing == 0) {
    out += fmt::format("group {}: nothing to change\n", group);
  } else if (executed) {
    out += fmt::format("group {}: committed {}\n",
                       group,
                       plural(static_cast<std::int64_t>(changing), "new offset"));
  } else {
    out += fmt::format("group {}: plan only, nothing committed; add --execute to commit {}\n",
                       group,
                       plural(static_cast<std::int64_t>(changing), "new offset"));
  }
  return out;
}

Result<void> group_reset(const GroupResetSettings& settings, const AdminRun& run) {
  ResetRequest request;
  if (settings.shift_by) {
    request.shift_by = settings.shift_by;
  } else {
    auto spec = parse_positions(
        settings.to, "--to", Position{Position::Kind::stored, 0}, true, settings.now_ms);
    if (!spec) {
      return std::move(spec).take_error();
    }
    request.to = std::move(*spec);
  }
  auto connection = kafka::AdminConnection::open(*run.config, *run.log);
  if (!connection) {
    return std::move(connection).take_error();
  }
  kafka::AdminConnection& admin = **connection;
  const bool execute = settings.execute && !run.dry_run;
  // Whether the group has members: only a group without any may have its offsets moved.
  auto supported = admin.require_group_admin("DescribeGroups");
  if (!supported) {
    if (supported.error().kind != ErrorKind::unsupported) {
      return std::move(supported).take_error();
    }
    if (execute) {
      return fail(ErrorKind::unsupported,
                  fmt::format("{}, so evt cannot check that group \"{}\" has no members before "
                              "committing",
                              supported.error().message,
                              settings.group),
                  supported.error().hint);
    }
    run.log->warning(supported.error().message + ": the plan cannot check for members");
  } else {
    auto state = kafka::describe_group_state(admin, settings.group);
    if (!state) {
      return std::move(state).take_error();
    }
    EVT_TRY(refuse_members(*state, "offsets can be reset"));
  }
  auto topics = topic_states(admin, settings.topics);
  if (!topics) {
    return std::move(topics).take_error();
  }
  std::vector<kafka::TopicPartition> partitions;
  for (const kafka::TopicState& topic : *topics) {
    for (const kafka::PartitionState& p : topic.partitions) {
      partitions.push_back(kafka::TopicPartition{topic.topic, p.partition});
    }
  }
  auto committed = kafka::committed_offsets(admin, settings.group, partitions);
  if (!committed) {
    return std::move(committed).take_error();
  }
  auto rows = plan_reset(
      *topics,
      *committed,
      request,
      [&](const std::string& topic, const kafka::PartitionState& partition, std::int64_t time_ms) {
        return admin.offset_for_time(topic, partition, time_ms);
      });
  if (!rows) {
    return std::move(rows).take_error();
  }
  if (committed->empty()) {
    run.log->warning(fmt::format("group \"{}\" has no committed offsets on {}{}",
                                 settings.group,
                                 fmt::join(settings.topics, ", "),
                                 execute ? "; these are its first" : ""));
  }
  kafka::GroupOffsets changes;
  for (const ResetRow& row : *rows) {
    if (row.changes()) {
      changes[{row.topic, row.partition}] = *row.target;
    }
  }
  if (execute && !changes.empty()) {
    EVT_TRY(kafka::commit_group_offsets(admin, settings.group, changes));
  }
  return io::write_text(run.out_fd, render_reset(settings.group, *rows, execute, run.output));
}

Result<void> group_delete(const GroupDeleteSettings& settings, const AdminRun& run) {
  auto connection = kafka::AdminConnection::open(*run.config, *run.log);
  if (!connection) {
    return std::move(connection).take_error();
  }
  kafka::AdminConnection& admin = **connection;
  EVT_TRY(admin.require_group_admin("DescribeGroups and DeleteGroups"));
  std::vector<kafka::GroupState> states;
  std::vector<std::string> missing;
  for (const std::string& group : settings.groups) {
    auto state = kafka::describe_group_state(admin, group);
    if (!state) {
      return std::move(state).take_error();
    }
    if (!state->known) {
      missing.push_back(group);
    }
    states.push_back(std::move(*state));
  }
  if (!missing.empty()) {
    return fail(ErrorKind::not_found,
                fmt::format("group{} {} not found on {}: nothing was deleted",
                            missing.size() == 1 ? "" : "s",
                            fmt::join(missing, ", "),
                            admin.brokers()),
                "list groups with 'evt inspect groups'");
  }
  for (const kafka::GroupState& state : states) {
    EVT_TRY(refuse_members(state, "a group can be deleted"));
  }
  if (!run.dry_run && run.confirm &&
      !run.confirm(fmt::format("Delete group{} {} and {} committed offsets on {}?",
                               settings.groups.size() == 1 ? "" : "s",
                               fmt::join(settings.groups, ", "),
                               settings.groups.size() == 1 ? "its" : "their",
                               admin.brokers()))) {
    return declined("no group was deleted");
  }
  std::vector<std::optional<std::string>> errors(states.size());
  std::vector<Error> failures;
  if (!run.dry_run) {
    auto outcomes = kafka::delete_groups(admin, settings.groups);
    if (!outcomes) {
      return std::move(outcomes).take_error();
    }
    for (const kafka::GroupOutcome& outcome : *outcomes) {
      if (!outcome.error) {
        continue;
      }
      failures.push_back(*outcome.error);
      for (std::size_t i = 0; i < states.size(); ++i) {
        if (states[i].group == outcome.group) {
          errors[i] = outcome.error->message;
        }
      }
    }
  }
  std::string out;
  const char* done = run.dry_run ? "would delete" : "deleted";
  if (run.output == AdminOutput::json) {
    format::JsonWriter json;
    json.begin_object();
    json.flag("dry_run", run.dry_run);
    json.key("groups");
    json.begin_array();
    for (std::size_t i = 0; i < states.size(); ++i) {
      json.begin_object();
      json.field("group", states[i].group);
      json.field("state", states[i].state);
      json.field("status", errors[i] ? "failed" : done);
      if (errors[i]) {
        json.field("error", *errors[i]);
      }
      json.end_object();
    }
    json.end_array();
    json.end_object();
    out = json.line();
  } else {
    for (std::size_t i = 0; i < states.size(); ++i) {
      if (!errors[i]) {
        out += fmt::format("{}{} group {} (state {})\n",
                           run.dry_run ? "dry run: " : "",
                           done,
                           states[i].group,
                           states[i].state);
      }
    }
  }
  EVT_TRY(io::write_text(run.out_fd, out));
  if (failures.size() == 1) {
    return Unexpected{failures.front()};
  }
  if (!failures.empty()) {
    for (const Error& error : failures) {
      run.log->error(error.message);
    }
    return fail(failures.front().kind,
                fmt::format("{} groups could not be deleted", failures.size()));
  }
  return {};
}

Result<void> group_delete_offsets(const GroupDeleteOffsetsSettings& settings, const AdminRun& run) {
  auto connection = kafka::AdminConnection::open(*run.config, *run.log);
  if (!connection) {
    return std::move(connection).take_error();
  }
  kafka::AdminConnection& admin = **connection;
  EVT_TRY(admin.require_group_admin("DescribeGroups and OffsetDelete"));
  auto state = kafka::describe_group_state(admin, settings.group);
  if (!state) {
    return std::move(state).take_error();
  }
  if (!state->known) {
    return fail(ErrorKind::not_found,
                fmt::format("group \"{}\" not found on {}", settings.group, admin.brokers()),
                "list groups with 'evt inspect groups'");
  }
  std::vector<kafka::TopicPartition> partitions;
  for (const std::string& topic : settings.topics) {
    auto layout = admin.layout(topic);
    if (!layout) {
      return std::move(layout).take_error();
    }
    for (std::int32_t p = 0; p < layout->partitions; ++p) {
      partitions.push_back(kafka::TopicPartition{topic, p});
    }
  }
  auto committed = kafka::committed_offsets(admin, settings.group, partitions);
  if (!committed) {
    return std::move(committed).take_error();
  }
  std::vector<kafka::TopicPartition> doomed;
  for (const auto& [key, offset] : *committed) {
    doomed.push_back(key);
  }
  if (!run.dry_run && !doomed.empty()) {
    if (run.confirm && !run.confirm(fmt::format(
                           "Delete {} of group {} on {} ({})?",
                           plural(static_cast<std::int64_t>(doomed.size()), "committed offset"),
                           settings.group,
                           fmt::join(settings.topics, ", "),
                           admin.brokers()))) {
      return declined("no offset was deleted");
    }
    EVT_TRY(kafka::delete_group_offsets(admin, settings.group, doomed));
  }
  std::string out;
  if (run.output == AdminOutput::json) {
    format::JsonWriter json;
    json.begin_object();
    json.field("group", settings.group);
    json.flag("dry_run", run.dry_run);
    json.key("offsets");
    json.begin_array();
    for (const auto& [key, offset] : *committed) {
      json.begin_object();
      json.field("topic", key.topic);
      json.field("partition", std::int64_t{key.partition});
      json.field("offset", offset);
      json.end_object();
    }
    json.end_array();
    json.end_object();
    out = json.line();
  } else if (committed->empty()) {
    out = fmt::format("group {} has no committed offsets on {}: nothing to delete\n",
                      settings.group,
                      fmt::join(settings.topics, ", "));
  } else {
    Table table({"TOPIC", "PARTITION", "OFFSET"});
    for (const auto& [key, offset] : *committed) {
      table.add_row({key.topic, std::to_string(key.partition), std::to_string(offset)});
    }
    out = fmt::format("{}group {}: {} {}\n",
                      run.dry_run ? "dry run: " : "",
                      settings.group,
                      run.dry_run ? "would delete" : "deleted",
                      plural(static_cast<std::int64_t>(doomed.size()), "committed offset")) +
          table.render(0, false);
  }
  return io::write_text(run.out_fd, out);
}

}  // namespace evt::ops
