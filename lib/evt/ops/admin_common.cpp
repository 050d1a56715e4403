// SPDX-License-Identifier: MIT
#include "evt/ops/admin_common.hpp"

#include <fmt/format.h>

namespace evt::ops {

Unexpected declined(const std::string& what) {
  return fail(ErrorKind::usage, fmt::format("not confirmed: {}", what));
}

}  // namespace evt::ops
