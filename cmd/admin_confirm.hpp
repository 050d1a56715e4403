// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include "evt/error.hpp"
#include "evt/ops/admin_common.hpp"

#include "cmd/context.hpp"

namespace evt::cmd {

/// How a destructive verb gets its go-ahead: none needed with --yes or --dry-run; a question
/// on stderr answered on a terminal's stdin; otherwise a usage error (exit 2), so that a script
/// never deletes by accident. `what` names the act, as in "delete topics".
Result<ops::Confirm> confirmation(bool yes, bool dry_run, const std::string& what, Context& ctx);

}  // namespace evt::cmd
