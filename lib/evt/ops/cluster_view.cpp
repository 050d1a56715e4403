// SPDX-License-Identifier: MIT
#include "evt/ops/cluster_view.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "evt/format/json_writer.hpp"
#include "evt/format/table.hpp"
#include "evt/plural.hpp"

namespace evt::ops {

ClusterView make_cluster_view(const kafka::ClusterInfo& info,
                              const std::map<std::int32_t, std::string>& racks,
                              std::optional<std::string> racks_error) {
  ClusterView view;
  view.cluster_id = info.cluster_id;
  // A controller id that no broker has (the local broker reports 0) is no controller.
  if (std::any_of(info.brokers.begin(), info.brokers.end(), [&](const kafka::BrokerInfo& b) {
        return b.id == info.controller;
      })) {
    view.controller = info.controller;
  }
  for (const kafka::BrokerInfo& b : info.brokers) {
    const auto rack = racks.find(b.id);
    view.brokers.push_back(
        ClusterView::Broker{b.id, b.host, b.port, rack == racks.end() ? "" : rack->second});
  }
  for (const kafka::TopicInfo& t : info.topics) {
    if (!t.name.starts_with("__")) {
      ++view.topics;
      view.partitions += t.partitions.size();
    }
  }
  view.racks_error = std::move(racks_error);
  return view;
}

std::string render_table(const ClusterView& view, std::size_t width, bool color) {
  std::string out = fmt::format("cluster     {}\ncontroller  {}\ntopics      {} ({})\n\n",
                                view.cluster_id.empty() ? "-" : view.cluster_id,
                                view.controller ? std::to_string(*view.controller) : "unknown",
                                view.topics,
                                plural(static_cast<std::int64_t>(view.partitions), "partition"));
  format::Table brokers({"BROKER", "HOST", "PORT", "RACK"});
  for (const ClusterView::Broker& b : view.brokers) {
    brokers.add_row(
        {std::to_string(b.id), b.host, std::to_string(b.port), b.rack.empty() ? "-" : b.rack});
  }
  brokers.align(3, format::Table::Align::left);
  out += brokers.render(width, color);
  if (view.racks_error) {
    out += fmt::format("\nracks: {}\n", *view.racks_error);
  }
  return out;
}

std::string render_json(const ClusterView& view) {
  format::JsonWriter json;
  json.begin_object();
  json.key("cluster_id");
  if (view.cluster_id.empty()) {
    json.null();
  } else {
    json.string(view.cluster_id);
  }
  json.key("controller");
  if (view.controller) {
    json.number(*view.controller);
  } else {
    json.null();
  }
  json.key("brokers").begin_array();
  for (const ClusterView::Broker& b : view.brokers) {
    json.begin_object();
    json.key("id").number(b.id);
    json.key("host").string(b.host);
    json.key("port").number(b.port);
    json.key("rack");
    if (b.rack.empty()) {
      json.null();
    } else {
      json.string(b.rack);
    }
    json.end_object();
  }
  json.end_array();
  json.key("topics").number(static_cast<std::int64_t>(view.topics));
  json.key("partitions").number(static_cast<std::int64_t>(view.partitions));
  if (view.racks_error) {
    json.key("racks_error").string(*view.racks_error);
  }
  return json.end_object().line();
}

std::string render_names(const ClusterView& view) {
  std::string out;
  for (const ClusterView::Broker& b : view.brokers) {
    out += fmt::format("{}:{}\n", b.host, b.port);
  }
  return out;
}

}  // namespace evt::ops
