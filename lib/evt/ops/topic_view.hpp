// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "evt/kafka/admin.hpp"
#include "evt/kafka/metadata.hpp"

namespace evt::ops {

/// `evt inspect topic T`: each partition with its leader, replicas and watermarks, and the
/// topic's configs.
struct TopicView {
  struct Partition {
    std::int32_t id = -1;
    std::int32_t leader = -1;
    std::vector<std::int32_t> replicas;
    std::vector<std::int32_t> isrs;
    /// None for a partition without a leader, which cannot say: "-" in the table, null in JSON.
    std::optional<kafka::Watermarks> marks;
  };
  std::string topic;
  std::vector<Partition> partitions;
  std::optional<std::vector<kafka::ConfigEntry>> configs;  ///< none: see configs_error
  std::string configs_error;
};

std::string render_table(const TopicView& view, std::size_t width, bool color);
std::string render_json(const TopicView& view);

}  // namespace evt::ops
