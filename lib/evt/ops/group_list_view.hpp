// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "evt/kafka/admin.hpp"

namespace evt::ops {

/// `evt inspect groups`: a row per listed group.
struct GroupListView {
  struct Row {
    std::string group;
    std::string state;
    bool simple = false;                  ///< offsets only, no members
    std::string type;                     ///< simple, classic (JoinGroup) or consumer (KIP-848)
    std::optional<std::string> protocol;  ///< the partition assignor, when described
    std::optional<std::size_t> members;   ///< when described and known
  };
  std::vector<Row> rows;
};

/// The listed `groups`, with the protocol (partition assignor) and member count from their
/// descriptions; a group that could not be described has neither.
GroupListView make_group_list_view(const std::vector<kafka::GroupListing>& groups,
                                   const std::vector<kafka::GroupDescription>& described);

/// "-" where the protocol or member count is unknown.
std::string render_table(const GroupListView& view, std::size_t width, bool color);
/// null where the protocol or member count is unknown.
std::string render_json(const GroupListView& view);
/// The ids alone, one a line.
std::string render_names(const GroupListView& view);

}  // namespace evt::ops
