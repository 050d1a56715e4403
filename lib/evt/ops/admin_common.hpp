// SPDX-License-Identifier: MIT
// What `evt topic` and `evt group` share: how they print, and how they ask before destroying.
#pragma once

#include <functional>
#include <string>

#include "evt/config/resolve.hpp"
#include "evt/error.hpp"
#include "evt/log.hpp"

namespace evt::ops {

enum class AdminOutput { table, json };

/// Asks the person at the terminal to confirm `question` (a destructive request); false when
/// they decline. Empty when no one is asked (--yes, or a dry run).
using Confirm = std::function<bool(const std::string& question)>;

/// Settings every write verb takes.
struct AdminRun {
  const config::ResolvedConfig* config = nullptr;
  const Log* log = nullptr;
  int out_fd = 1;
  AdminOutput output = AdminOutput::table;
  bool dry_run = false;
  Confirm confirm;
};

/// The error for a declined confirmation: nothing was done.
Unexpected declined(const std::string& what);

}  // namespace evt::ops
