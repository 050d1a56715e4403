// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "evt/kafka/admin.hpp"

namespace evt::ops {

/// `evt inspect group G`: the group's state and members, and per partition where it committed,
/// the committed offset, the high watermark and the lag.
struct GroupView {
  struct Partition {
    std::string topic;
    std::int32_t partition = -1;
    std::int64_t committed = 0;
    std::int64_t high = 0;
    std::int64_t lag = 0;
    double lag_rate = 0;  ///< records per second since the last refresh (--watch)
  };
  std::string group;
  std::optional<kafka::GroupDescription> description;  ///< none: not described
  /// Why the state or members are unknown: the description's error, or the KIP-848 note.
  std::string describe_note;
  std::vector<Partition> partitions;
  bool trend = false;  ///< --watch: the table has LAG/S

  std::int64_t total_lag() const;
};

std::string render_table(const GroupView& view, std::size_t width, bool color);
std::string render_json(const GroupView& view);

}  // namespace evt::ops
