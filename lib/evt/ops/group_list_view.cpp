// SPDX-License-Identifier: MIT
#include "evt/ops/group_list_view.hpp"

#include <map>

#include <fmt/format.h>

#include "evt/format/json_text.hpp"
#include "evt/format/table.hpp"

namespace evt::ops {

namespace {

// simple (offsets only, no members), classic (the JoinGroup protocol) or consumer (KIP-848).
std::string type_of(const kafka::GroupListing& group, const kafka::GroupDescription* description) {
  if (group.simple) {
    return "simple";
  }
  return description ? description->type : "classic";
}

}  // namespace

std::string render_group_list(const std::vector<kafka::GroupListing>& groups,
                              const std::vector<kafka::GroupDescription>& described,
                              InspectOutput output,
                              std::size_t width,
                              bool color) {
  std::map<std::string, const kafka::GroupDescription*> by_id;
  for (const kafka::GroupDescription& description : described) {
    by_id[description.group] = &description;
  }
  auto description_of = [&](const std::string& id) -> const kafka::GroupDescription* {
    const auto found = by_id.find(id);
    return found == by_id.end() ? nullptr : found->second;
  };
  std::string out;
  if (output == InspectOutput::names) {
    for (const kafka::GroupListing& group : groups) {
      out += group.group + "\n";
    }
    return out;
  }
  if (output == InspectOutput::json) {
    out = "{\"groups\":[";
    for (std::size_t i = 0; i < groups.size(); ++i) {
      const kafka::GroupListing& group = groups[i];
      const kafka::GroupDescription* description = description_of(group.group);
      out += i ? ",{\"group\":" : "{\"group\":";
      format::append_json_string(out, group.group);
      out += ",\"state\":";
      format::append_json_string(out, group.state);
      out += fmt::format(",\"simple\":{},\"type\":", group.simple);
      format::append_json_string(out, type_of(group, description));
      out += ",\"protocol\":";
      if (description && !description->assignor.empty()) {
        format::append_json_string(out, description->assignor);
      } else {
        out += "null";
      }
      out += description && description->members_known
                 ? fmt::format(",\"members\":{}}}", description->members.size())
                 : std::string(",\"members\":null}");
    }
    return out + "]}\n";
  }
  format::Table rows({"GROUP", "STATE", "TYPE", "PROTOCOL", "MEMBERS"});
  rows.align(3, format::Table::Align::left);
  for (const kafka::GroupListing& group : groups) {
    const kafka::GroupDescription* description = description_of(group.group);
    rows.add_row({group.group,
                  group.state,
                  type_of(group, description),
                  description && !description->assignor.empty() ? description->assignor : "-",
                  description && description->members_known
                      ? std::to_string(description->members.size())
                      : "-"});
  }
  return rows.render(width, color);
}

}  // namespace evt::ops
