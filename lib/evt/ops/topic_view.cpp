// SPDX-License-Identifier: MIT
#include "evt/ops/topic_view.hpp"

#include <fmt/format.h>

#include "evt/format/human.hpp"
#include "evt/format/json_writer.hpp"
#include "evt/format/table.hpp"
#include "evt/plural.hpp"

namespace evt::ops {

namespace {

// What the partitions with a leader hold, and how many have none.
struct Totals {
  std::int64_t records = 0;
  std::size_t without_leader = 0;
};

Totals totals_of(const TopicView& view) {
  Totals totals;
  for (const TopicView::Partition& p : view.partitions) {
    if (p.marks) {
      totals.records += p.marks->count();
    } else {
      ++totals.without_leader;
    }
  }
  return totals;
}

}  // namespace

std::string render_table(const TopicView& view, std::size_t width, bool color) {
  const Totals totals = totals_of(view);
  format::Table partitions({"PARTITION", "LEADER", "REPLICAS", "ISR", "LOW", "HIGH", "RECORDS"});
  partitions.align(1, format::Table::Align::right);  // a broker id, or "none"
  partitions.align(2, format::Table::Align::left);
  partitions.align(3, format::Table::Align::left);
  for (const TopicView::Partition& p : view.partitions) {
    auto number = [&](std::int64_t value) {
      return p.marks ? std::to_string(value) : std::string("-");
    };
    const std::int64_t low = p.marks ? p.marks->low : 0, high = p.marks ? p.marks->high : 0;
    partitions.add_row({std::to_string(p.id),
                        p.marks ? std::to_string(p.leader) : "none",
                        fmt::format("{}", fmt::join(p.replicas, ",")),
                        fmt::format("{}", fmt::join(p.isrs, ",")),
                        number(low),
                        number(high),
                        number(high - low)});
  }
  // Names come from the broker: shown escaped, as the table cells are, so that no control
  // byte reaches the terminal.
  std::string name;
  format::append_safe_text(name, view.topic, false);
  std::string out =
      fmt::format("topic {}: {}, {}{}\n\n",
                  name,
                  plural(static_cast<std::int64_t>(view.partitions.size()), "partition"),
                  plural(totals.records, "record"),
                  totals.without_leader == 0
                      ? std::string()
                      : fmt::format(" (not counting {} without a leader)", totals.without_leader)) +
      partitions.render(width, color);
  if (!view.configs) {
    return out + fmt::format("\nconfigs: {}\n", view.configs_error);
  }
  format::Table configs({"CONFIG", "VALUE", "SOURCE"});
  for (const kafka::ConfigEntry& entry : *view.configs) {
    configs.add_row({entry.name,
                     entry.value.value_or(entry.sensitive ? "(sensitive)" : ""),
                     entry.is_default ? "default" : "set"});
  }
  return out + "\n" + configs.render(width, color);
}

std::string render_json(const TopicView& view) {
  format::JsonWriter json;
  json.begin_object().key("topic").string(view.topic);
  json.key("partitions").begin_array();
  for (const TopicView::Partition& p : view.partitions) {
    json.begin_object();
    json.key("partition").number(p.id);
    json.key("leader").number(p.leader);
    json.key("replicas").begin_array();
    for (const std::int32_t id : p.replicas) {
      json.number(id);
    }
    json.end_array().key("isr").begin_array();
    for (const std::int32_t id : p.isrs) {
      json.number(id);
    }
    json.end_array();
    if (p.marks) {
      json.key("low").number(p.marks->low).key("high").number(p.marks->high);
      json.key("records").number(p.marks->count());
    } else {
      json.key("low").null().key("high").null().key("records").null();
    }
    json.end_object();
  }
  json.end_array().key("records").number(totals_of(view).records);
  json.key("configs");
  if (view.configs) {
    json.begin_object();
    for (const kafka::ConfigEntry& entry : *view.configs) {
      json.key(entry.name).string_or_null(entry.value);
    }
    json.end_object();
  } else {
    json.null().key("configs_error").string(view.configs_error);
  }
  return json.end_object().line();
}

}  // namespace evt::ops
