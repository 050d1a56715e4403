// SPDX-License-Identifier: MIT
// `evt topic`: create, delete, alter, add-partitions, trim.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "evt/error.hpp"
#include "evt/ops/admin_common.hpp"
#include "evt/ops/admin_plan.hpp"

namespace evt::ops {

struct TopicCreateSettings {
  std::vector<std::string> names;
  std::int32_t partitions = -1;      ///< -1: the broker's num.partitions
  std::int32_t replicas = -1;        ///< -1: the broker's default.replication.factor
  std::vector<std::string> configs;  ///< key=value
  bool if_not_exists = false;
};
Result<void> topic_create(const TopicCreateSettings& settings, const AdminRun& run);

struct TopicDeleteSettings {
  std::vector<std::string> names;
  bool if_exists = false;
};
Result<void> topic_delete(const TopicDeleteSettings& settings, const AdminRun& run);

struct TopicAlterSettings {
  std::string name;
  std::vector<std::string> set;    ///< key=value
  std::vector<std::string> unset;  ///< key
};
Result<void> topic_alter(const TopicAlterSettings& settings, const AdminRun& run);

struct TopicAddPartitionsSettings {
  std::string name;
  std::int32_t to = 0;
};
Result<void> topic_add_partitions(const TopicAddPartitionsSettings& settings, const AdminRun& run);

struct TopicTrimSettings {
  std::string name;
  std::vector<std::string> before;  ///< positions: SPEC or P=SPEC
  std::int64_t now_ms = 0;          ///< anchors relative times
};
Result<void> topic_trim(const TopicTrimSettings& settings, const AdminRun& run);

/// The views, for tests: what `topic alter` and `topic trim` print.
std::string render_alter(const std::string& topic,
                         const std::vector<ConfigChange>& changes,
                         bool dry_run,
                         AdminOutput output);
std::string render_trim(const std::string& topic,
                        const std::vector<TrimRow>& rows,
                        bool dry_run,
                        AdminOutput output);

}  // namespace evt::ops
