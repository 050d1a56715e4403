// SPDX-License-Identifier: MIT
#include "evt/ops/group_list_view.hpp"

#include <map>

#include "evt/format/human.hpp"
#include "evt/format/json_writer.hpp"
#include "evt/format/table.hpp"

namespace evt::ops {

GroupListView make_group_list_view(const std::vector<kafka::GroupListing>& groups,
                                   const std::vector<kafka::GroupDescription>& described) {
  std::map<std::string, const kafka::GroupDescription*> by_id;
  for (const kafka::GroupDescription& description : described) {
    by_id[description.group] = &description;
  }
  GroupListView view;
  for (const kafka::GroupListing& group : groups) {
    const auto found = by_id.find(group.group);
    const kafka::GroupDescription* description = found == by_id.end() ? nullptr : found->second;
    GroupListView::Row row{group.group, group.state, group.simple, "classic", {}, {}};
    if (group.simple) {
      row.type = "simple";
    } else if (description) {
      row.type = description->type;
    }
    if (description && !description->assignor.empty()) {
      row.protocol = description->assignor;
    }
    if (description && description->members_known) {
      row.members = description->members.size();
    }
    view.rows.push_back(std::move(row));
  }
  return view;
}

std::string render_table(const GroupListView& view, std::size_t width, bool color) {
  format::Table table({"GROUP", "STATE", "TYPE", "PROTOCOL", "MEMBERS"});
  table.align(3, format::Table::Align::left);
  for (const GroupListView::Row& row : view.rows) {
    table.add_row({row.group,
                   row.state,
                   row.type,
                   row.protocol.value_or("-"),
                   row.members ? std::to_string(*row.members) : "-"});
  }
  return table.render(width, color);
}

std::string render_json(const GroupListView& view) {
  format::JsonWriter json;
  json.begin_object().key("groups").begin_array();
  for (const GroupListView::Row& row : view.rows) {
    json.begin_object();
    json.key("group").string(row.group);
    json.key("state").string(row.state);
    json.key("simple").boolean(row.simple);
    json.key("type").string(row.type);
    json.key("protocol").string_or_null(row.protocol);
    json.key("members");
    if (row.members) {
      json.number(static_cast<std::int64_t>(*row.members));
    } else {
      json.null();
    }
    json.end_object();
  }
  return json.end_array().end_object().line();
}

std::string render_names(const GroupListView& view) {
  std::string out;
  for (const GroupListView::Row& row : view.rows) {
    format::append_safe_text(out, row.group, false);  // any byte, as inspect topics -o names
    out += "\n";
  }
  return out;
}

}  // namespace evt::ops
