// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "evt/kafka/metadata.hpp"

namespace evt::ops {

/// `evt inspect topics`: a row per topic.
struct TopicListView {
  struct Row {
    std::string topic;
    std::size_t partitions = 0;
    std::size_t replication_factor = 0;  ///< of the first partition
    std::int64_t records = 0;            ///< in the partitions that have a leader
    bool under_replicated = false;       ///< some partition has fewer in-sync replicas
    bool leaderless = false;             ///< some partition has no leader
    std::string error;                   ///< the broker's error for the topic ("" for none)
  };
  std::vector<Row> rows;
};

/// The row of `topic`, which holds `records` records.
TopicListView::Row topic_list_row(const kafka::TopicInfo& topic, std::int64_t records);

/// The table's STATUS is the topic's error, else LEADERLESS, UNDER-REPLICATED or ok.
std::string render_table(const TopicListView& view, std::size_t width, bool color);
std::string render_json(const TopicListView& view);
/// One name a line, escaped as a table cell is (a line break in a name would split it).
std::string render_names(const TopicListView& view);

}  // namespace evt::ops
