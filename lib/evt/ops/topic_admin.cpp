// SPDX-License-Identifier: MIT
#include "evt/ops/topic_admin.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "evt/format/json_writer.hpp"
#include "evt/format/table.hpp"
#include "evt/io/write_all.hpp"
#include "evt/kafka/admin_connection.hpp"
#include "evt/kafka/topic_admin.hpp"
#include "evt/plural.hpp"

namespace evt::ops {

namespace {

using format::Table;

Result<std::unique_ptr<kafka::AdminConnection>> connect(const AdminRun& run) {
  return kafka::AdminConnection::open(*run.config, *run.log);
}

// Of several refusals, one error for the exit code: a single one as it is, several logged
// one by one and summed up with the first one's kind.
Unexpected first_of(const std::vector<Error>& errors, const Log& log, const char* summary) {
  if (errors.size() == 1) {
    return Unexpected{errors.front()};
  }
  for (const Error& error : errors) {
    log.error(error.message);
  }
  return fail(errors.front().kind, fmt::format("{} {}", errors.size(), summary));
}

std::string value_text(const std::optional<std::string>& value, bool set_on_topic, bool sensitive) {
  std::string text = value ? *value : sensitive ? "(sensitive)" : "";
  if (!set_on_topic) {
    text += text.empty() ? "(inherited)" : " (inherited)";
  }
  return text;
}

// Kafka 4.4 deletes even __consumer_offsets when asked (measured), and more partitions or
// deleted records there lose or move every group's offsets: evt leaves __-topics alone.
Result<void> refuse_internal(const std::string& topic, const char* act) {
  if (!topic.starts_with("__")) {
    return {};
  }
  return fail(
      ErrorKind::usage,
      fmt::format("{} is one of Kafka's internal topics (its name starts with __): evt does "
                  "not {} it",
                  topic,
                  act),
      "Kafka's own kafka-topics.sh and kafka-delete-records.sh can, if you really mean to");
}

}  // namespace

Result<void> topic_create(const TopicCreateSettings& settings, const AdminRun& run) {
  auto configs = parse_config_pairs(settings.configs, "-c");
  if (!configs) {
    return std::move(configs).take_error();
  }
  std::vector<kafka::NewTopicSpec> specs;
  for (const std::string& name : settings.names) {
    specs.push_back(kafka::NewTopicSpec{name, settings.partitions, settings.replicas, *configs});
  }
  auto connection = connect(run);
  if (!connection) {
    return std::move(connection).take_error();
  }
  kafka::AdminConnection& admin = **connection;
  EVT_TRY(admin.require_controller("CreateTopics"));
  auto outcomes = kafka::create_topics(admin, specs, run.dry_run);
  if (!outcomes) {
    return std::move(outcomes).take_error();
  }
  struct Row {
    std::string topic;
    std::string status;  // created, exists, valid, failed
    std::int32_t partitions = -1;
    std::int32_t replicas = -1;
    std::optional<std::string> error;
  };
  std::vector<Row> rows;
  std::vector<Error> errors;
  for (const kafka::TopicOutcome& outcome : *outcomes) {
    Row row{outcome.topic,
            run.dry_run ? "valid" : "created",
            settings.partitions,
            settings.replicas,
            std::nullopt};
    if (outcome.error && outcome.already_exists && settings.if_not_exists) {
      row.status = "exists";
    } else if (outcome.error) {
      row.status = "failed";
      row.error = outcome.error->message;
      errors.push_back(*outcome.error);
    }
    // Counts left to the broker, or of a topic that was there: ask its metadata.
    if ((row.status == "created" && (row.partitions < 0 || row.replicas < 0)) ||
        row.status == "exists") {
      if (auto layout = admin.layout(row.topic)) {
        row.partitions = layout->partitions;
        row.replicas = layout->replicas;
      }
    }
    rows.push_back(std::move(row));
  }
  std::string out;
  if (run.output == AdminOutput::json) {
    format::JsonWriter json;
    json.begin_object();
    json.flag("dry_run", run.dry_run);
    json.key("topics");
    json.begin_array();
    for (const Row& row : rows) {
      json.begin_object();
      json.field("topic", row.topic);
      json.field("status", row.status);
      json.key("partitions");
      json.number_or_null(row.partitions < 0 ? std::nullopt
                                             : std::optional<std::int64_t>(row.partitions));
      json.key("replicas");
      json.number_or_null(row.replicas < 0 ? std::nullopt
                                           : std::optional<std::int64_t>(row.replicas));
      json.key("configs");
      json.begin_object();
      for (const auto& [key, value] : *configs) {
        json.field(key, value);
      }
      json.end_object();
      if (row.error) {
        json.field("error", *row.error);
      }
      json.end_object();
    }
    json.end_array();
    json.end_object();
    out = json.line();
  } else {
    for (const Row& row : rows) {
      const std::string shape = fmt::format(
          "{}, replication factor {}",
          row.partitions < 0 ? std::string("the broker's default partition count")
                             : plural(row.partitions, "partition"),
          row.replicas < 0 ? std::string("the broker's default") : std::to_string(row.replicas));
      if (row.status == "created") {
        out += fmt::format("created topic {}: {}\n", row.topic, shape);
      } else if (row.status == "valid") {
        out += fmt::format(
            "dry run: topic {} can be created: {} (nothing created)\n", row.topic, shape);
      } else if (row.status == "exists") {
        out += fmt::format("topic {} exists: {}\n", row.topic, shape);
      }
    }
  }
  EVT_TRY(io::write_text(run.out_fd, out));
  if (!errors.empty()) {
    return first_of(errors, *run.log, "topics could not be created");
  }
  return {};
}

Result<void> topic_delete(const TopicDeleteSettings& settings, const AdminRun& run) {
  for (const std::string& name : settings.names) {
    EVT_TRY(refuse_internal(name, "delete"));
  }
  auto connection = connect(run);
  if (!connection) {
    return std::move(connection).take_error();
  }
  kafka::AdminConnection& admin = **connection;
  EVT_TRY(admin.require_controller("DeleteTopics"));
  // Every topic is looked at first: a missing one stops the command before anything is
  // deleted (unless --if-exists), and the question says what would go.
  struct Row {
    std::string topic;
    bool exists = false;
    std::int32_t partitions = 0;
    std::int64_t records = 0;
    std::optional<std::string> error;
  };
  std::vector<Row> rows;
  std::vector<std::string> missing;
  for (const std::string& name : settings.names) {
    Row row;
    row.topic = name;
    auto state = admin.topic_state(name);
    if (state) {
      row.exists = true;
      row.partitions = static_cast<std::int32_t>(state->partitions.size());
      for (const kafka::PartitionState& p : state->partitions) {
        row.records += p.high - p.low;
      }
    } else if (state.error().kind == ErrorKind::not_found) {
      missing.push_back(name);
    } else {
      return std::move(state).take_error();
    }
    rows.push_back(std::move(row));
  }
  if (!missing.empty() && !settings.if_exists) {
    return fail(ErrorKind::not_found,
                fmt::format("topic{} {} not found on {}: nothing was deleted",
                            missing.size() == 1 ? "" : "s",
                            fmt::join(missing, ", "),
                            admin.brokers()),
                "--if-exists deletes the topics that exist and passes over the others");
  }
  std::vector<std::string> doomed;
  std::int64_t records = 0;
  for (const Row& row : rows) {
    if (row.exists) {
      doomed.push_back(row.topic);
      records += row.records;
    }
  }
  if (!run.dry_run && !doomed.empty() && run.confirm &&
      !run.confirm(fmt::format("Delete topic{} {} ({}) on {}?",
                               doomed.size() == 1 ? "" : "s",
                               fmt::join(doomed, ", "),
                               plural(records, "record"),
                               admin.brokers()))) {
    return declined("no topic was deleted");
  }
  std::vector<Error> errors;
  if (!run.dry_run && !doomed.empty()) {
    auto outcomes = kafka::delete_topics(admin, doomed);
    if (!outcomes) {
      return std::move(outcomes).take_error();
    }
    for (const kafka::TopicOutcome& outcome : *outcomes) {
      if (outcome.error) {
        errors.push_back(*outcome.error);
        for (Row& row : rows) {
          if (row.topic == outcome.topic) {
            row.error = outcome.error->message;
          }
        }
      }
    }
  }
  auto status = [&](const Row& row) -> std::string {
    if (!row.exists) {
      return "missing";
    }
    if (row.error) {
      return "failed";
    }
    return run.dry_run ? "would delete" : "deleted";
  };
  std::string out;
  if (run.output == AdminOutput::json) {
    format::JsonWriter json;
    json.begin_object();
    json.flag("dry_run", run.dry_run);
    json.key("topics");
    json.begin_array();
    for (const Row& row : rows) {
      json.begin_object();
      json.field("topic", row.topic);
      json.field("status", status(row));
      if (row.exists) {
        json.field("partitions", std::int64_t{row.partitions});
        json.field("records", row.records);
      }
      if (row.error) {
        json.field("error", *row.error);
      }
      json.end_object();
    }
    json.end_array();
    json.end_object();
    out = json.line();
  } else {
    for (const Row& row : rows) {
      const std::string s = status(row);
      if (s == "missing") {
        out += fmt::format("topic {} does not exist (--if-exists)\n", row.topic);
      } else if (s != "failed") {
        out += fmt::format("{}{} topic {} ({}, {})\n",
                           run.dry_run ? "dry run: " : "",
                           s,
                           row.topic,
                           plural(row.partitions, "partition"),
                           plural(row.records, "record"));
      }
    }
  }
  EVT_TRY(io::write_text(run.out_fd, out));
  if (!errors.empty()) {
    return first_of(errors, *run.log, "topics could not be deleted");
  }
  return {};
}

std::string render_alter(const std::string& topic,
                         const std::vector<ConfigChange>& changes,
                         bool dry_run,
                         AdminOutput output) {
  if (output == AdminOutput::json) {
    format::JsonWriter json;
    json.begin_object();
    json.field("topic", topic);
    json.flag("dry_run", dry_run);
    json.key("changes");
    json.begin_array();
    for (const ConfigChange& change : changes) {
      json.begin_object();
      json.field("config", change.name);
      json.key("old");
      json.string_or_null(change.old_value);
      json.field("old_source", change.old_set ? "topic" : "inherited");
      json.key("new");
      json.string_or_null(change.new_value);
      json.field("new_source", change.new_set ? "topic" : "inherited");
      json.end_object();
    }
    json.end_array();
    json.end_object();
    return json.line();
  }
  if (changes.empty()) {
    return fmt::format("topic {}: nothing to change\n", topic);
  }
  Table table({"CONFIG", "OLD", "", "NEW"});
  for (const ConfigChange& change : changes) {
    table.add_row({change.name,
                   value_text(change.old_value, change.old_set, false),
                   "->",
                   value_text(change.new_value, change.new_set, false)});
  }
  return fmt::format("{}topic {}: {}\n",
                     dry_run ? "dry run: " : "",
                     topic,
                     dry_run ? "would change (nothing changed)" : "changed") +
         table.render(0, false);
}

Result<void> topic_alter(const TopicAlterSettings& settings, const AdminRun& run) {
  auto set = parse_config_pairs(settings.set, "-c");
  if (!set) {
    return std::move(set).take_error();
  }
  auto connection = connect(run);
  if (!connection) {
    return std::move(connection).take_error();
  }
  kafka::AdminConnection& admin = **connection;
  EVT_TRY(admin.require_controller("DescribeConfigs and AlterConfigs"));
  auto current = kafka::describe_topic_config(admin, settings.name);
  if (!current) {
    return std::move(current).take_error();
  }
  auto plan = plan_alter(*current, *set, settings.unset);
  if (!plan) {
    return std::move(plan).take_error();
  }
  if (!plan->changes.empty()) {
    EVT_TRY(kafka::replace_topic_config(admin, settings.name, plan->overrides, run.dry_run));
    if (!run.dry_run) {
      // Say what the broker has now: for an unset entry, the value it inherits.
      auto after = kafka::describe_topic_config(admin, settings.name);
      if (after) {
        for (ConfigChange& change : plan->changes) {
          for (const kafka::TopicConfigEntry& entry : *after) {
            if (entry.name == change.name) {
              change.new_value = entry.value;
              change.new_set = entry.set_on_topic;
            }
          }
        }
      } else {
        run.log->warning(fmt::format("the configs were changed, but reading them back failed: {}",
                                     after.error().message));
      }
    }
  }
  return io::write_text(run.out_fd,
                        render_alter(settings.name, plan->changes, run.dry_run, run.output));
}

Result<void> topic_add_partitions(const TopicAddPartitionsSettings& settings, const AdminRun& run) {
  EVT_TRY(refuse_internal(settings.name, "add partitions to"));
  auto connection = connect(run);
  if (!connection) {
    return std::move(connection).take_error();
  }
  kafka::AdminConnection& admin = **connection;
  EVT_TRY(admin.require_controller("CreatePartitions"));
  auto layout = admin.layout(settings.name);
  if (!layout) {
    return std::move(layout).take_error();
  }
  const std::int32_t old_count = layout->partitions;
  if (settings.to < old_count) {
    return fail(ErrorKind::usage,
                fmt::format("--to {}: topic {} has {}; Kafka cannot remove partitions",
                            settings.to,
                            settings.name,
                            plural(old_count, "partition")));
  }
  const bool changes = settings.to > old_count;
  if (changes) {
    EVT_TRY(kafka::create_partitions(admin, settings.name, settings.to, run.dry_run));
  }
  std::string out;
  if (run.output == AdminOutput::json) {
    format::JsonWriter json;
    json.begin_object();
    json.field("topic", settings.name);
    json.flag("dry_run", run.dry_run);
    json.field("old", std::int64_t{old_count});
    json.field("new", std::int64_t{settings.to});
    json.flag("changed", changes && !run.dry_run);
    json.end_object();
    out = json.line();
  } else if (!changes) {
    out = fmt::format("topic {} already has {}: nothing to change\n",
                      settings.name,
                      plural(old_count, "partition"));
  } else {
    out = fmt::format("{}topic {}: {} -> {} partitions{}\n",
                      run.dry_run ? "dry run: " : "",
                      settings.name,
                      old_count,
                      settings.to,
                      run.dry_run ? " (nothing changed)" : "");
  }
  return io::write_text(run.out_fd, out);
}

std::string render_trim(const std::string& topic,
                        const std::vector<TrimRow>& rows,
                        bool dry_run,
                        AdminOutput output) {
  std::int64_t deleted = 0;
  for (const TrimRow& row : rows) {
    deleted += row.deleted();
  }
  if (output == AdminOutput::json) {
    format::JsonWriter json;
    json.begin_object();
    json.field("topic", topic);
    json.flag("dry_run", dry_run);
    json.field("deleted", deleted);
    json.key("partitions");
    json.begin_array();
    for (const TrimRow& row : rows) {
      json.begin_object();
      json.field("partition", std::int64_t{row.partition});
      json.field("old_low", row.low);
      json.field("new_low", row.new_low.value_or(row.before));
      json.field("high", row.high);
      json.field("deleted", row.deleted());
      json.end_object();
    }
    json.end_array();
    json.end_object();
    return json.line();
  }
  Table table({"PARTITION", "OLD LOW", "NEW LOW", "HIGH", "DELETED"});
  for (const TrimRow& row : rows) {
    table.add_row({std::to_string(row.partition),
                   std::to_string(row.low),
                   std::to_string(row.new_low.value_or(row.before)),
                   std::to_string(row.high),
                   std::to_string(row.deleted())});
  }
  std::string head;
  if (deleted == 0) {
    head = fmt::format("topic {}: nothing to delete\n", topic);
  } else if (dry_run) {
    head = fmt::format(
        "dry run: topic {}: would delete {} (nothing deleted)\n", topic, plural(deleted, "record"));
  } else {
    head = fmt::format("topic {}: deleted {}\n", topic, plural(deleted, "record"));
  }
  return head + table.render(0, false);
}

Result<void> topic_trim(const TopicTrimSettings& settings, const AdminRun& run) {
  EVT_TRY(refuse_internal(settings.name, "delete records of"));
  auto spec = parse_positions(
      settings.before, "--before", Position{Position::Kind::beginning, 0}, false, settings.now_ms);
  if (!spec) {
    return std::move(spec).take_error();
  }
  auto connection = connect(run);
  if (!connection) {
    return std::move(connection).take_error();
  }
  kafka::AdminConnection& admin = **connection;
  EVT_TRY(admin.require_controller("DeleteRecords"));
  auto state = admin.topic_state(settings.name);
  if (!state) {
    return std::move(state).take_error();
  }
  auto rows = plan_trim(
      *state,
      *spec,
      [&](const std::string& topic, const kafka::PartitionState& partition, std::int64_t time_ms) {
        return admin.offset_for_time(topic, partition, time_ms);
      });
  if (!rows) {
    return std::move(rows).take_error();
  }
  std::map<std::int32_t, std::int64_t> before;
  std::int64_t deleted = 0;
  for (const TrimRow& row : *rows) {
    if (row.deleted() > 0) {
      before[row.partition] = row.before;
      deleted += row.deleted();
    }
  }
  if (!run.dry_run && !before.empty()) {
    if (run.confirm && !run.confirm(fmt::format("Delete {} of topic {} on {}?",
                                                plural(deleted, "record"),
                                                settings.name,
                                                admin.brokers()))) {
      return declined("no record was deleted");
    }
    auto lows = kafka::delete_records(admin, settings.name, before);
    if (!lows) {
      return std::move(lows).take_error();
    }
    for (TrimRow& row : *rows) {
      if (auto found = lows->find(row.partition); found != lows->end()) {
        row.new_low = found->second;
      }
    }
  }
  return io::write_text(run.out_fd, render_trim(settings.name, *rows, run.dry_run, run.output));
}

}  // namespace evt::ops
