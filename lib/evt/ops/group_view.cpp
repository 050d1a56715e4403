// SPDX-License-Identifier: MIT
#include "evt/ops/group_view.hpp"

#include <fmt/format.h>

#include "evt/format/human.hpp"
#include "evt/format/json_writer.hpp"
#include "evt/format/table.hpp"

namespace evt::ops {

std::int64_t GroupView::total_lag() const {
  std::int64_t total = 0;
  for (const Partition& p : partitions) {
    total += p.lag;
  }
  return total;
}

std::string render_table(const GroupView& view, std::size_t width, bool color) {
  const auto& description = view.description;
  // A group id may hold any byte: shown escaped, as the table cells are.
  std::string out = "group ";
  format::append_safe_text(out, view.group, false);
  if (description && !description->members_known) {
    out += fmt::format(": {}, KIP-848 consumer group, members unknown", description->state);
  } else if (description) {
    out += fmt::format(": {}, {} member{}",
                       description->state,
                       description->members.size(),
                       description->members.size() == 1 ? "" : "s");
  }
  out += fmt::format(", total lag {}\n", view.total_lag());
  if (description && !description->members_known) {
    out += fmt::format("(members unknown: {})\n", view.describe_note);
  } else if (!view.describe_note.empty()) {
    out += fmt::format("(state and members unknown: {})\n", view.describe_note);
  }
  if (description && !description->members.empty()) {
    format::Table members({"MEMBER", "CLIENT", "HOST", "PARTITIONS"});
    for (const kafka::GroupMember& m : description->members) {
      std::string assigned;
      for (const auto& [topic, partition] : m.assignment) {
        assigned += fmt::format("{}{}/{}", assigned.empty() ? "" : ",", topic, partition);
      }
      members.add_row({m.member_id, m.client_id, m.host, assigned});
    }
    out += "\n" + members.render(width, color);
  }
  std::vector<std::string> headers = {"TOPIC", "PARTITION", "COMMITTED", "HIGH", "LAG"};
  if (view.trend) {
    headers.push_back("LAG/S");
  }
  format::Table partitions(headers);
  for (const GroupView::Partition& p : view.partitions) {
    std::vector<std::string> cells = {p.topic,
                                      std::to_string(p.partition),
                                      std::to_string(p.committed),
                                      std::to_string(p.high),
                                      std::to_string(p.lag)};
    if (view.trend) {
      cells.push_back(fmt::format("{:+.1f}", p.lag_rate));
    }
    partitions.add_row(std::move(cells));
  }
  return out + "\n" + partitions.render(width, color);
}

std::string render_json(const GroupView& view) {
  const auto& description = view.description;
  format::JsonWriter json;
  json.begin_object().key("group").string(view.group);
  if (description) {
    json.key("state").string(description->state);
    json.key("type").string(description->type);
    json.key("assignor");
    if (description->members_known) {
      json.string(description->assignor);
    } else {
      json.null();
    }
    json.key("coordinator").number(description->coordinator);
    if (!description->members_known) {
      json.key("members_note").string(view.describe_note);
    }
  } else {
    json.key("state").null();
  }
  json.key("members");
  if (description && description->members_known) {
    json.begin_array();
    for (const kafka::GroupMember& m : description->members) {
      json.begin_object();
      json.key("member_id").string(m.member_id);
      json.key("client_id").string(m.client_id);
      json.key("host").string(m.host);
      json.key("partitions").begin_array();
      for (const auto& [topic, partition] : m.assignment) {
        json.begin_object().key("topic").string(topic).key("partition").number(partition);
        json.end_object();
      }
      json.end_array().end_object();
    }
    json.end_array();
  } else {
    json.null();
  }
  if (!description) {
    json.key("describe_error").string(view.describe_note);
  }
  json.key("partitions").begin_array();
  for (const GroupView::Partition& p : view.partitions) {
    json.begin_object();
    json.key("topic").string(p.topic);
    json.key("partition").number(p.partition);
    json.key("committed").number(p.committed);
    json.key("high").number(p.high);
    json.key("lag").number(p.lag);
    json.end_object();
  }
  json.end_array().key("total_lag").number(view.total_lag());
  return json.end_object().line();
}

}  // namespace evt::ops
