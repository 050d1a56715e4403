// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

#include "evt/error.hpp"
#include "evt/record.hpp"

namespace evt::cmd {

/// The headers of -H name=value (produce and replay): the name is what precedes the first '='
/// and must not be empty; the value, the rest, may be.
Result<std::vector<Header>> parse_header_options(const std::vector<std::string>& values);

}  // namespace evt::cmd
