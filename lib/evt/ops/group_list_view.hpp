// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "evt/kafka/admin.hpp"
#include "evt/ops/inspect.hpp"

namespace evt::ops {

/// `evt inspect groups`: a row per listed group with its state, type, and from the groups'
/// descriptions the protocol (partition assignor) and member count ("-", null in JSON, for a
/// group that could not be described). `width` and `color` are the table's (0: any width).
std::string render_group_list(const std::vector<kafka::GroupListing>& groups,
                              const std::vector<kafka::GroupDescription>& described,
                              InspectOutput output,
                              std::size_t width,
                              bool color);

}  // namespace evt::ops
