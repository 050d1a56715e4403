// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include "evt/error.hpp"
#include "evt/ops/broker_server.hpp"
#include "evt/signals.hpp"

#include <sys/types.h>

namespace evt::ops {

/// The local broker as a background process (`evt broker --detach` and `evt broker stop`).

/// A broker serving in the background.
struct DetachedBroker {
  pid_t pid = 0;
  std::string bootstrap;  ///< its bootstrap list, ending in a newline
};

/// Forks a child that leaves the terminal's session (setsid), with stdin, stdout and stderr on
/// /dev/null, and serves the broker until a signal; returns once the child says it is ready
/// (its bootstrap list, through a pipe), or fails when it has not within 30 seconds.
Result<DetachedBroker> serve_broker_detached(const BrokerSettings& settings, Signals& signals);

/// Sends SIGTERM to the broker published at `publish_path` and waits up to 10 seconds for it to
/// exit; unreachable when none runs or it does not stop.
Result<void> stop_local_broker(const std::string& publish_path);

}  // namespace evt::ops
