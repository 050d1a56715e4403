// SPDX-License-Identifier: MIT
// `evt group`: reset, delete, delete-offsets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "evt/error.hpp"
#include "evt/ops/admin_common.hpp"
#include "evt/ops/admin_plan.hpp"

namespace evt::ops {

struct GroupResetSettings {
  std::string group;
  std::vector<std::string> topics;
  std::vector<std::string> to;           ///< positions: SPEC or P=SPEC
  std::optional<std::int64_t> shift_by;  ///< instead of `to`
  bool execute = false;                  ///< commit the plan (else only print it)
  std::int64_t now_ms = 0;               ///< anchors relative times
};
Result<void> group_reset(const GroupResetSettings& settings, const AdminRun& run);

struct GroupDeleteSettings {
  std::vector<std::string> groups;
};
Result<void> group_delete(const GroupDeleteSettings& settings, const AdminRun& run);

struct GroupDeleteOffsetsSettings {
  std::string group;
  std::vector<std::string> topics;
};
Result<void> group_delete_offsets(const GroupDeleteOffsetsSettings& settings, const AdminRun& run);

/// The view of a reset plan, for tests: `executed` says whether it was committed.
std::string render_reset(const std::string& group,
                         const std::vector<ResetRow>& rows,
                         bool executed,
                         AdminOutput output);

}  // namespace evt::ops
