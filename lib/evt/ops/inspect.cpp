// SPDX-License-Identifier: MIT
#include "evt/ops/inspect.hpp"

#include <algorithm>
#include <cerrno>
#include <map>

#include <fmt/format.h>

#include "evt/format/envelope.hpp"
#include "evt/format/escapes.hpp"
#include "evt/format/human.hpp"
#include "evt/format/json_text.hpp"
#include "evt/format/table.hpp"
#include "evt/io/write_all.hpp"
#include "evt/kafka/admin.hpp"
#include "evt/kafka/consumer.hpp"
#include "evt/kafka/metadata.hpp"
#include "evt/kafka/range_resolver.hpp"
#include "evt/kafka/read_record.hpp"
#include "evt/ops/group_list_view.hpp"
#include "evt/plural.hpp"
#include "evt/time_spec.hpp"

#include <poll.h>
#include <unistd.h>

namespace evt::ops {

namespace {

using format::Table;

std::string join_ids(const std::vector<std::int32_t>& ids) {
  return fmt::format("{}", fmt::join(ids, ","));
}

std::string json_ids(const std::vector<std::int32_t>& ids) {
  return fmt::format("[{}]", fmt::join(ids, ","));
}

std::string quoted(std::string_view text) {
  std::string out;
  format::append_json_string(out, text);
  return out;
}

bool under_replicated(const kafka::PartitionInfo& p) {
  return p.isrs.size() < p.replicas.size();
}
bool leaderless(const kafka::PartitionInfo& p) {
  return p.leader < 0;
}

/// Renders views; keeps state between refreshes for --watch (lag trends).
class Inspector {
 public:
  Inspector(const InspectSettings& settings, kafka::Consumer& consumer)
      : m_settings(settings), m_consumer(consumer), m_client(consumer.client()) {}

  Result<std::string> render() {
    switch (m_settings.view) {
      case InspectView::cluster:
        return cluster();
      case InspectView::topics:
        return topics();
      case InspectView::topic:
        return topic();
      case InspectView::groups:
        return groups();
      case InspectView::group:
        return group();
      case InspectView::offsets:
        return offsets();
      case InspectView::message:
        return message();
    }
    return std::string();
  }

 private:
  bool json() const { return m_settings.output == InspectOutput::json; }
  std::string table(const Table& table) const {
    return table.render(m_settings.width, m_settings.color);
  }

  Result<std::string> cluster() {
    auto info = kafka::fetch_cluster(m_client, kafka::TopicSelection::all);
    if (!info) {
      return std::move(info).take_error();
    }
    std::size_t topic_count = 0, partition_count = 0;
    for (const auto& t : info->topics) {
      if (!t.name.starts_with("__")) {
        ++topic_count;
        partition_count += t.partitions.size();
      }
    }
    // A controller id that no broker has (librdkafka's mock reports 0) is no controller.
    const bool known_controller =
        std::any_of(info->brokers.begin(), info->brokers.end(), [&](const kafka::BrokerInfo& b) {
          return b.id == info->controller;
        });
    // Racks are not in librdkafka 2.0.2's metadata, but each broker's broker.rack config is.
    Result<std::map<std::int32_t, std::string>> racks = std::map<std::int32_t, std::string>{};
    if (m_settings.output != InspectOutput::names) {
      std::vector<std::int32_t> ids;
      for (const auto& b : info->brokers) {
        ids.push_back(b.id);
      }
      racks = kafka::describe_broker_racks(m_client, ids);
      if (!racks && racks.error().kind != ErrorKind::unsupported) {
        return std::move(racks).take_error();
      }
    }
    auto rack_of = [&](std::int32_t id) -> std::string {
      if (!racks) {
        return "";
      }
      const auto found = racks->find(id);
      return found == racks->end() ? "" : found->second;
    };
    if (json()) {
      std::string out = fmt::format("{{\"cluster_id\":{},\"controller\":{},\"brokers\":[",
                                    info->cluster_id.empty() ? "null" : quoted(info->cluster_id),
                                    known_controller ? std::to_string(info->controller) : "null");
      for (std::size_t i = 0; i < info->brokers.size(); ++i) {
        const auto& b = info->brokers[i];
        const std::string rack = rack_of(b.id);
        out += fmt::format("{}{{\"id\":{},\"host\":{},\"port\":{},\"rack\":{}}}",
                           i ? "," : "",
                           b.id,
                           quoted(b.host),
                           b.port,
                           rack.empty() ? "null" : quoted(rack));
      }
      out += fmt::format("],\"topics\":{},\"partitions\":{}", topic_count, partition_count);
      if (!racks) {
        out += fmt::format(",\"racks_error\":{}", quoted(racks.error().message));
      }
      return out + "}\n";
    }
    if (m_settings.output == InspectOutput::names) {
      std::string out;
      for (const auto& b : info->brokers) {
        out += fmt::format("{}:{}\n", b.host, b.port);
      }
      return out;
    }
    std::string out = fmt::format("cluster     {}\ncontroller  {}\ntopics      {} ({})\n\n",
                                  info->cluster_id.empty() ? "-" : info->cluster_id,
                                  known_controller ? std::to_string(info->controller) : "unknown",
                                  topic_count,
                                  plural(static_cast<std::int64_t>(partition_count), "partition"));
    Table brokers({"BROKER", "HOST", "PORT", "RACK"});
    for (const auto& b : info->brokers) {
      const std::string rack = rack_of(b.id);
      brokers.add_row(
          {std::to_string(b.id), b.host, std::to_string(b.port), rack.empty() ? "-" : rack});
    }
    brokers.align(3, Table::Align::left);
    out += table(brokers);
    if (!racks) {
      out += fmt::format("\nracks: {}\n", racks.error().message);
    }
    return out;
  }

  // Record counts of many topics with batched watermark requests.
  Result<std::map<std::string, std::int64_t>> record_counts(
      const std::vector<const kafka::TopicInfo*>& topics) {
    std::vector<kafka::TopicPartition> partitions;
    for (const auto* t : topics) {
      for (const auto& p : t->partitions) {
        if (!leaderless(p)) {  // cannot answer; the topic's status says LEADERLESS
          partitions.push_back(kafka::TopicPartition{t->name, p.id});
        }
      }
    }
    auto marks = kafka::query_all_watermarks(m_client, partitions);
    if (!marks) {
      return std::move(marks).take_error();
    }
    std::map<std::string, std::int64_t> counts;
    for (const auto* t : topics) {
      counts[t->name] = 0;
    }
    for (const auto& [key, value] : *marks) {
      counts[key.topic] += value.count();
    }
    return counts;
  }

  Result<std::string> topics() {
    auto info = kafka::fetch_cluster(m_client, kafka::TopicSelection::all);
    if (!info) {
      return std::move(info).take_error();
    }
    std::vector<const kafka::TopicInfo*> shown;
    for (const auto& t : info->topics) {
      if (m_settings.internal || !t.name.starts_with("__")) {
        shown.push_back(&t);
      }
    }
    if (m_settings.output == InspectOutput::names) {
      // One name per line, so a name is escaped like a table cell (a "\n" in it would split).
      std::string out;
      for (const auto* t : shown) {
        format::append_safe_text(out, t->name, false);
        out += "\n";
      }
      return out;
    }
    Table rows({"TOPIC", "PARTITIONS", "REPLICAS", "RECORDS", "STATUS"});
    std::string out = "{\"topics\":[";
    bool first = true;
    auto counts = record_counts(shown);
    if (!counts) {
      return std::move(counts).take_error();
    }
    for (const auto* t : shown) {
      const std::int64_t* count = &(*counts)[t->name];
      const std::size_t replication = t->partitions.empty() ? 0 : t->partitions[0].replicas.size();
      const bool any_under =
          std::any_of(t->partitions.begin(), t->partitions.end(), under_replicated);
      const bool any_leaderless =
          std::any_of(t->partitions.begin(), t->partitions.end(), leaderless);
      std::string status = any_leaderless ? "LEADERLESS" : any_under ? "UNDER-REPLICATED" : "ok";
      if (t->error) {
        status = t->error.name;
      }
      rows.add_row({t->name,
                    std::to_string(t->partitions.size()),
                    std::to_string(replication),
                    std::to_string(*count),
                    status});
      out += fmt::format(
          "{}{{\"topic\":{},\"partitions\":{},\"replication_factor\":{},\"records\":{},"
          "\"under_replicated\":{},\"leaderless\":{}}}",
          first ? "" : ",",
          quoted(t->name),
          t->partitions.size(),
          replication,
          *count,
          any_under,
          any_leaderless);
      first = false;
    }
    if (json()) {
      return out + "]}\n";
    }
    return table(rows);
  }

  Result<std::string> topic() {
    auto t = kafka::fetch_topic(m_client, m_settings.name);
    if (!t) {
      return std::move(t).take_error();
    }
    Table rows({"PARTITION", "LEADER", "REPLICAS", "ISR", "LOW", "HIGH", "RECORDS"});
    rows.align(1, Table::Align::right);  // a broker id, or "none"
    rows.align(2, Table::Align::left);
    rows.align(3, Table::Align::left);
    // A partition without a leader cannot say its watermarks: it shows "-" (null in JSON) and
    // the others are still shown, which is when this view is needed most.
    std::vector<kafka::TopicPartition> led;
    for (const auto& p : t->partitions) {
      if (!leaderless(p)) {
        led.push_back(kafka::TopicPartition{t->name, p.id});
      }
    }
    auto all_marks = kafka::query_all_watermarks(m_client, led);
    if (!all_marks) {
      return std::move(all_marks).take_error();
    }
    std::string json_partitions;
    std::int64_t total = 0;
    std::size_t without_leader = 0;
    for (const auto& p : t->partitions) {
      const auto found = all_marks->find({t->name, p.id});
      const kafka::Watermarks* marks = found == all_marks->end() ? nullptr : &found->second;
      // Without a leader nothing is known: "-" in the table, null in JSON.
      auto number = [&](std::int64_t value, const char* unknown) {
        return marks ? std::to_string(value) : std::string(unknown);
      };
      if (marks) {
        total += marks->count();
      } else {
        ++without_leader;
      }
      const std::int64_t low = marks ? marks->low : 0, high = marks ? marks->high : 0;
      rows.add_row({std::to_string(p.id),
                    marks ? std::to_string(p.leader) : "none",
                    join_ids(p.replicas),
                    join_ids(p.isrs),
                    number(low, "-"),
                    number(high, "-"),
                    number(high - low, "-")});
      json_partitions += fmt::format(
          "{}{{\"partition\":{},\"leader\":{},\"replicas\":{},\"isr\":{},\"low\":{},\"high\":{},"
          "\"records\":{}}}",
          json_partitions.empty() ? "" : ",",
          p.id,
          p.leader,
          json_ids(p.replicas),
          json_ids(p.isrs),
          number(low, "null"),
          number(high, "null"),
          number(high - low, "null"));
    }
    auto configs = kafka::describe_topic_configs(m_client, t->name);
    if (json()) {
      std::string out =
          fmt::format("{{\"topic\":{},\"partitions\":[{}],\"records\":{},\"configs\":",
                      quoted(t->name),
                      json_partitions,
                      total);
      if (configs) {
        out += "{";
        bool first = true;
        for (const auto& entry : *configs) {
          out += fmt::format("{}{}:{}",
                             first ? "" : ",",
                             quoted(entry.name),
                             entry.value ? quoted(*entry.value) : "null");
          first = false;
        }
        out += "}}\n";
      } else {
        out += fmt::format("null,\"configs_error\":{}}}\n", quoted(configs.error().message));
      }
      return out;
    }
    std::string out =
        fmt::format("topic {}: {}, {}{}\n\n",
                    t->name,
                    plural(static_cast<std::int64_t>(t->partitions.size()), "partition"),
                    plural(total, "record"),
                    without_leader == 0
                        ? std::string()
                        : fmt::format(" (not counting {} without a leader)", without_leader)) +
        table(rows);
    if (configs) {
      Table config_rows({"CONFIG", "VALUE", "SOURCE"});
      for (const auto& entry : *configs) {
        config_rows.add_row({entry.name,
                             entry.value.value_or(entry.sensitive ? "(sensitive)" : ""),
                             entry.is_default ? "default" : "set"});
      }
      out += "\n" + table(config_rows);
    } else {
      out += fmt::format("\nconfigs: {}\n", configs.error().message);
    }
    return out;
  }

  Result<std::string> groups() {
    auto listed = kafka::list_groups(m_client);
    if (!listed) {
      const Error& error = listed.error();
      if (error.kind == ErrorKind::unsupported) {
        return fail(ErrorKind::unsupported,
                    error.message,
                    "inspect a group you know by name with 'evt inspect group ID' (committed "
                    "offsets and lag work on such brokers)");
      }
      return std::move(listed).take_error();
    }
    // The protocol and members come from describing the groups, which brokers that list
    // groups can do; without it the rest is still worth showing.
    std::vector<kafka::GroupDescription> described;
    if (m_settings.output != InspectOutput::names) {
      std::vector<std::string> ids;
      for (const auto& g : *listed) {
        ids.push_back(g.group);
      }
      auto descriptions = kafka::describe_groups(m_client, ids);
      if (descriptions) {
        described = std::move(*descriptions);
        for (auto& description : described) {
          kafka::reconcile_kip848(description, *listed);
        }
      }
    }
    return render_group_list(
        *listed, described, m_settings.output, m_settings.width, m_settings.color);
  }

  Result<std::string> group() {
    const std::string& id = m_settings.name;
    // librdkafka 2.0.2 cannot be destroyed after a DescribeConsumerGroups that the broker does
    // not support (it spins). Brokers have ListGroups whenever they have DescribeGroups, and
    // that one fails cleanly, so ask it first.
    Result<kafka::GroupDescription> description =
        fail(ErrorKind::unsupported, "the broker does not support describing consumer groups");
    auto listing = kafka::list_groups(m_client);
    if (listing) {
      description = kafka::describe_group(m_client, id);
    } else if (listing.error().kind != ErrorKind::unsupported) {
      return std::move(listing).take_error();
    }
    std::string describe_note;
    std::vector<kafka::TopicPartition> partitions;
    if (description && listing && kafka::reconcile_kip848(*description, *listing)) {
      describe_note = kafka::k_kip848_note;
    }
    if (!description) {
      if (description.error().kind != ErrorKind::unsupported) {
        return std::move(description).take_error();
      }
      describe_note = description.error().message;
    }
    // The partitions to ask about: the given topic, or what members hold, or every topic.
    std::vector<kafka::TopicInfo> topics;
    if (m_settings.group_topic) {
      auto t = kafka::fetch_topic(m_client, *m_settings.group_topic);
      if (!t) {
        return std::move(t).take_error();
      }
      topics.push_back(std::move(*t));
    } else {
      auto cluster = kafka::fetch_cluster(m_client, kafka::TopicSelection::all);
      if (!cluster) {
        return std::move(cluster).take_error();
      }
      for (auto& t : cluster->topics) {
        if (!t.name.starts_with("__")) {
          topics.push_back(std::move(t));
        }
      }
    }
    for (const auto& t : topics) {
      for (const auto& p : t.partitions) {
        partitions.push_back(kafka::TopicPartition{t.name, p.id});
      }
    }
    auto committed = kafka::group_offsets(m_client, id, partitions);
    if (!committed) {
      return std::move(committed).take_error();
    }
    struct Row {
      std::string topic;
      std::int32_t partition;
      std::int64_t committed, high, lag;
      double rate;
    };
    // The high watermarks of every partition the group committed in, in batched requests.
    std::vector<kafka::TopicPartition> committed_in;
    for (const auto& [key, offset] : *committed) {
      if (offset >= 0) {  // -1: this group never committed here
        committed_in.push_back(key);
      }
    }
    auto all_marks = kafka::query_all_watermarks(m_client, committed_in);
    if (!all_marks) {
      return std::move(all_marks).take_error();
    }
    std::vector<Row> rows;
    std::int64_t total_lag = 0;
    const auto now = std::chrono::steady_clock::now();
    for (const auto& [key, offset] : *committed) {
      if (offset < 0) {
        continue;
      }
      const kafka::Watermarks* marks = &all_marks->at(key);
      const std::int64_t lag = std::max<std::int64_t>(0, marks->high - offset);
      double rate = 0;
      auto previous = m_previous_lag.find(key);
      if (previous != m_previous_lag.end()) {
        const double seconds = std::chrono::duration<double>(now - m_previous_time).count();
        rate = seconds > 0 ? static_cast<double>(lag - previous->second) / seconds : 0;
      }
      m_previous_lag[key] = lag;
      total_lag += lag;
      rows.push_back(Row{key.topic, key.partition, offset, marks->high, lag, rate});
    }
    m_previous_time = now;
    if (rows.empty() && (!description || description->members.empty())) {
      return fail(ErrorKind::not_found,
                  fmt::format("group \"{}\" has no committed offsets{}",
                              id,
                              m_settings.group_topic ? " for topic " + *m_settings.group_topic
                                                     : std::string()),
                  describe_note.empty() ? "" : describe_note);
    }
    const bool trend = m_settings.watch.has_value();
    if (json()) {
      std::string out = fmt::format("{{\"group\":{}", quoted(id));
      if (description) {
        out += fmt::format(",\"state\":{},\"type\":{},\"assignor\":{},\"coordinator\":{}",
                           quoted(description->state),
                           quoted(description->type),
                           description->members_known ? quoted(description->assignor) : "null",
                           description->coordinator);
        if (!description->members_known) {
          out += fmt::format(",\"members_note\":{}", quoted(describe_note));
        }
        out += description->members_known ? ",\"members\":[" : ",\"members\":null";
        for (std::size_t i = 0; i < description->members.size(); ++i) {
          const auto& m = description->members[i];
          out += fmt::format("{}{{\"member_id\":{},\"client_id\":{},\"host\":{},\"partitions\":[",
                             i ? "," : "",
                             quoted(m.member_id),
                             quoted(m.client_id),
                             quoted(m.host));
          for (std::size_t j = 0; j < m.assignment.size(); ++j) {
            out += fmt::format("{}{{\"topic\":{},\"partition\":{}}}",
                               j ? "," : "",
                               quoted(m.assignment[j].topic),
                               m.assignment[j].partition);
          }
          out += "]}";
        }
        if (description->members_known) {
          out += "]";
        }
      } else {
        out += fmt::format(",\"state\":null,\"members\":null,\"describe_error\":{}",
                           quoted(describe_note));
      }
      out += ",\"partitions\":[";
      for (std::size_t i = 0; i < rows.size(); ++i) {
        out += fmt::format(
            "{}{{\"topic\":{},\"partition\":{},\"committed\":{},\"high\":{},\"lag\":{}}}",
            i ? "," : "",
            quoted(rows[i].topic),
            rows[i].partition,
            rows[i].committed,
            rows[i].high,
            rows[i].lag);
      }
      return out + fmt::format("],\"total_lag\":{}}}\n", total_lag);
    }
    std::string out = fmt::format("group {}", id);
    if (description && !description->members_known) {
      out += fmt::format(": {}, KIP-848 consumer group, members unknown", description->state);
    } else if (description) {
      out += fmt::format(": {}, {} member{}",
                         description->state,
                         description->members.size(),
                         description->members.size() == 1 ? "" : "s");
    }
    out += fmt::format(", total lag {}\n", total_lag);
    if (description && !description->members_known) {
      out += fmt::format("(members unknown: {})\n", describe_note);
    } else if (!describe_note.empty()) {
      out += fmt::format("(state and members unknown: {})\n", describe_note);
    }
    if (description && !description->members.empty()) {
      Table members({"MEMBER", "CLIENT", "HOST", "PARTITIONS"});
      for (const auto& m : description->members) {
        std::string assigned;
        for (const auto& [t, p] : m.assignment) {
          assigned += fmt::format("{}{}/{}", assigned.empty() ? "" : ",", t, p);
        }
        members.add_row({m.member_id, m.client_id, m.host, assigned});
      }
      out += "\n" + table(members);
    }
    std::vector<std::string> headers = {"TOPIC", "PARTITION", "COMMITTED", "HIGH", "LAG"};
    if (trend) {
      headers.push_back("LAG/S");
    }
    Table partitions_table(headers);
    for (const auto& row : rows) {
      std::vector<std::string> cells = {row.topic,
                                        std::to_string(row.partition),
                                        std::to_string(row.committed),
                                        std::to_string(row.high),
                                        std::to_string(row.lag)};
      if (trend) {
        cells.push_back(fmt::format("{:+.1f}", row.rate));
      }
      partitions_table.add_row(std::move(cells));
    }
    return out + "\n" + table(partitions_table);
  }

  Result<std::string> offsets() {
    auto t = kafka::fetch_topic(m_client, m_settings.name);
    if (!t) {
      return std::move(t).take_error();
    }
    std::vector<kafka::TopicPartition> partitions;
    for (const auto& p : t->partitions) {
      partitions.push_back(kafka::TopicPartition{t->name, p.id});
    }
    auto all_marks = kafka::query_all_watermarks(m_client, partitions);
    if (!all_marks) {
      return std::move(all_marks).take_error();
    }
    Table rows({"PARTITION", "OFFSET", "LOW", "HIGH"});
    std::string json_rows;
    for (const auto& p : t->partitions) {
      const kafka::Watermarks* marks = &all_marks->at({t->name, p.id});
      auto offset =
          kafka::find_offset_for_time(m_consumer, t->name, p.id, *marks, m_settings.at_time);
      if (!offset) {
        return std::move(offset).take_error();
      }
      rows.add_row({std::to_string(p.id),
                    std::to_string(*offset),
                    std::to_string(marks->low),
                    std::to_string(marks->high)});
      json_rows += fmt::format("{}{{\"partition\":{},\"offset\":{},\"at_end\":{}}}",
                               json_rows.empty() ? "" : ",",
                               p.id,
                               *offset,
                               *offset >= marks->high);
    }
    if (json()) {
      return fmt::format("{{\"topic\":{},\"time\":{},\"partitions\":[{}]}}\n",
                         quoted(t->name),
                         m_settings.at_time,
                         json_rows);
    }
    return fmt::format("first offsets at or after {} ({}):\n",
                       format_iso_utc(m_settings.at_time),
                       m_settings.at_time) +
           table(rows);
  }

  Result<std::string> message() {
    auto t = kafka::fetch_topic(m_client, m_settings.name);
    if (!t) {
      return std::move(t).take_error();
    }
    if (m_settings.partition >= static_cast<std::int32_t>(t->partitions.size())) {
      return fail(ErrorKind::not_found,
                  fmt::format("partition {} does not exist: topic \"{}\" has {}",
                              m_settings.partition,
                              t->name,
                              t->partitions.size()));
    }
    auto marks = kafka::query_watermarks(m_client, t->name, m_settings.partition);
    if (!marks) {
      return std::move(marks).take_error();
    }
    if (m_settings.offset < marks->low || m_settings.offset >= marks->high) {
      return fail(ErrorKind::not_found,
                  fmt::format("no record at offset {} of {}/{} ({})",
                              m_settings.offset,
                              t->name,
                              m_settings.partition,
                              marks->count() > 0
                                  ? fmt::format("it holds {}..{}", marks->low, marks->high - 1)
                                  : fmt::format("it is empty, next offset {}", marks->high)));
    }
    auto record = kafka::read_record(m_client, t->name, m_settings.partition, m_settings.offset);
    if (!record) {
      return std::move(record).take_error();
    }
    if (!*record || (*record)->offset != m_settings.offset) {
      return fail(
          ErrorKind::not_found,
          fmt::format(
              "no record at offset {} of {}/{}", m_settings.offset, t->name, m_settings.partition));
    }
    const Record& r = **record;
    std::vector<HeaderView> header_views;
    const RecordView view = view_of(r, header_views);
    if (m_settings.jq_filter && !m_settings.jq_filter->matches(view)) {
      return std::string();  // --jq: shown only when it matches
    }
    if (m_settings.jq_output) {
      std::string out;
      m_settings.jq_output->append_outputs(out, view);
      return out;
    }
    const auto& decode = m_settings.decode;
    if (json()) {
      std::string out;
      if (decode.decoder && (decode.key || decode.value)) {
        format::make_decoding_envelope_formatter(decode)->append(out, view);
      } else {
        format::append_envelope(out, view);
      }
      return out;
    }
    std::string out = fmt::format(
        "topic      {}\npartition  {}\noffset     {}\n", r.topic, r.partition, r.offset);
    out += fmt::format("timestamp  {} ({}, {})\n",
                       r.timestamp,
                       format_iso_utc(r.timestamp),
                       to_string(r.timestamp_type));
    out += "key        " + describe_bytes(r.key, "");
    out += fmt::format("headers    {}\n", r.headers.size());
    for (const auto& h : r.headers) {
      out += "  " + format::escape_for_display(h.name) + " = " + describe_bytes(h.value, "  ");
    }
    out += "value      ";
    if (!r.value) {
      out += "null\n";
    } else if (format::is_valid_utf8(*r.value) && printable(*r.value)) {
      out += fmt::format("({} bytes)\n{}\n", r.value->size(), *r.value);
    } else {
      out += fmt::format("({} bytes, binary)\n{}", r.value->size(), hexdump(*r.value));
    }
    for (const bool key : {true, false}) {
      if (!decode.decoder || !(key ? decode.key : decode.value)) {
        continue;
      }
      std::string json;
      if (const auto id = decode.decoder->decode(view, key, json)) {
        out += fmt::format("{}    schema id {}\n", key ? "key decoded  " : "value decoded", *id);
        if (!format::append_pretty_json(out, json, false, m_settings.color)) {
          out += json;
        }
        out += "\n";
      }
    }
    return out;
  }

  // Valid UTF-8 (checked before) without control characters other than \n and \t: C0, DEL and
  // C1 (U+0080..U+009F, UTF-8 C2 80..C2 9F; terminals may obey U+009B as CSI).
  static bool printable(const std::string& text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
      const auto u = static_cast<unsigned char>(text[i]);
      if ((u < 0x20 && u != '\n' && u != '\t') || u == 0x7f ||
          (u == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xA0)) {
        return false;
      }
    }
    return true;
  }

  // A key or header value and its line end: text in quotes, binary as a hexdump below (its
  // lines prefixed by `indent`), as the value is shown.
  static std::string describe_bytes(const Bytes& bytes, const std::string& indent) {
    if (!bytes) {
      return "null\n";
    }
    if (bytes->empty()) {
      return "\"\" (empty)\n";
    }
    if (format::is_valid_utf8(*bytes) && printable(*bytes)) {  // \n and \t escaped
      return "\"" + format::escape_for_display(*bytes) + "\"\n";
    }
    std::string out = fmt::format("({} bytes, binary)\n", bytes->size());
    const std::string dump = hexdump(*bytes);
    for (std::size_t start = 0; start < dump.size();) {
      const std::size_t end = dump.find('\n', start) + 1;
      out += indent + dump.substr(start, end - start);
      start = end;
    }
    return out;
  }

  static std::string hexdump(const std::string& bytes) {
    std::string out;
    for (std::size_t row = 0; row < bytes.size(); row += 16) {
      out += fmt::format("{:08x}  ", row);
      std::string ascii;
      for (std::size_t i = row; i < row + 16; ++i) {
        if (i < bytes.size()) {
          const auto c = static_cast<unsigned char>(bytes[i]);
          out += fmt::format("{:02x} ", c);
          ascii.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '.');
        } else {
          out += "   ";
        }
        if (i == row + 7) {
          out += " ";
        }
      }
      out += " |" + ascii + "|\n";
    }
    return out;
  }

  const InspectSettings& m_settings;
  kafka::Consumer& m_consumer;
  kafka::Client& m_client;
  std::map<kafka::TopicPartition, std::int64_t> m_previous_lag;
  std::chrono::steady_clock::time_point m_previous_time;
};

}  // namespace

Result<void> inspect(const InspectSettings& settings,
                     const config::ResolvedConfig& config,
                     const Log& log,
                     Signals& signals,
                     int output_fd) {
  auto consumer = kafka::Consumer::create(config, log, kafka::ConsumerOptions{});
  if (!consumer) {
    return std::move(consumer).take_error();
  }
  Inspector inspector(settings, **consumer);
  if (!settings.watch) {
    auto text = inspector.render();
    if (!text) {
      return std::move(text).take_error();
    }
    return io::write_text(output_fd, *text);
  }
  // Redraw in place: home the cursor, draw, clear what is left of the old screen.
  while (signals.check() == 0) {
    auto text = inspector.render();
    if (!text) {
      return std::move(text).take_error();
    }
    const std::string stamp = fmt::format("every {}ms, {}  (Ctrl-C to stop)\n",
                                          settings.watch->count(),
                                          format_iso_utc(now_epoch_ms()));
    const int error = io::write_all(output_fd, "\x1b[H\x1b[2J" + stamp + *text);
    if (error == EPIPE) {
      break;  // the reader went away
    }
    if (error != 0) {
      return io::write_failure("stdout", error);
    }
    pollfd fds[1] = {{signals.fd(), POLLIN, 0}};
    ::poll(fds, 1, static_cast<int>(settings.watch->count()));
  }
  return {};
}

}  // namespace evt::ops
