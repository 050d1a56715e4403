// SPDX-License-Identifier: MIT
#include "evt/ops/topic_list_view.hpp"

#include <algorithm>

#include "evt/format/human.hpp"
#include "evt/format/json_writer.hpp"
#include "evt/format/table.hpp"

namespace evt::ops {

TopicListView::Row topic_list_row(const kafka::TopicInfo& topic, std::int64_t records) {
  TopicListView::Row row;
  row.topic = topic.name;
  row.partitions = topic.partitions.size();
  row.replication_factor = topic.partitions.empty() ? 0 : topic.partitions[0].replicas.size();
  row.records = records;
  for (const kafka::PartitionInfo& p : topic.partitions) {
    row.under_replicated = row.under_replicated || p.isrs.size() < p.replicas.size();
    row.leaderless = row.leaderless || p.leader < 0;
  }
  row.error = topic.error.name;
  return row;
}

std::string render_table(const TopicListView& view, std::size_t width, bool color) {
  format::Table table({"TOPIC", "PARTITIONS", "REPLICAS", "RECORDS", "STATUS"});
  for (const TopicListView::Row& row : view.rows) {
    const std::string status = !row.error.empty()     ? row.error
                               : row.leaderless       ? "LEADERLESS"
                               : row.under_replicated ? "UNDER-REPLICATED"
                                                      : "ok";
    table.add_row({row.topic,
                   std::to_string(row.partitions),
                   std::to_string(row.replication_factor),
                   std::to_string(row.records),
                   status});
  }
  return table.render(width, color);
}

std::string render_json(const TopicListView& view) {
  format::JsonWriter json;
  json.begin_object().key("topics").begin_array();
  for (const TopicListView::Row& row : view.rows) {
    json.begin_object();
    json.key("topic").string(row.topic);
    json.key("partitions").number(static_cast<std::int64_t>(row.partitions));
    json.key("replication_factor").number(static_cast<std::int64_t>(row.replication_factor));
    json.key("records").number(row.records);
    json.key("under_replicated").boolean(row.under_replicated);
    json.key("leaderless").boolean(row.leaderless);
    json.end_object();
  }
  return json.end_array().end_object().line();
}

std::string render_names(const TopicListView& view) {
  std::string out;
  for (const TopicListView::Row& row : view.rows) {
    format::append_safe_text(out, row.topic, false);
    out += "\n";
  }
  return out;
}

}  // namespace evt::ops
