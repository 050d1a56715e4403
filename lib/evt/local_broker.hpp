// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>

#include "evt/config/resolve.hpp"
#include "evt/error.hpp"

#include <sys/types.h>

namespace evt {

/// What a running `evt broker` publishes so that other evt commands find it.
struct LocalBrokerInfo {
  std::string bootstrap;  ///< 127.0.0.1:port,...
  pid_t pid = 0;
  std::string control;  ///< its control socket for fault commands, if any
};

/// Where the running broker's address is published: $EVT_BROKER_FILE, else
/// $XDG_RUNTIME_DIR/evt/broker, else /tmp/evt-<uid>/broker.
std::string local_broker_path(const config::Env& env);

/// Creates the directory holding `path` (mode 0700) unless it exists; an existing one must
/// belong to this user. The published file and the control socket both live there.
Result<void> make_parent_directory(const std::string& path);

/// Publishes `info` atomically (write then rename), creating the directory with mode 0700.
Result<void> publish_local_broker(const std::string& path, const LocalBrokerInfo& info);

/// The published broker, if its process is still alive. A stale file yields nullopt.
std::optional<LocalBrokerInfo> find_local_broker(const std::string& path);

/// Removes the published file if it still names `pid`.
void unpublish_local_broker(const std::string& path, pid_t pid);

}  // namespace evt
