// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "evt/error.hpp"
#include "evt/log.hpp"
#include "evt/signals.hpp"

namespace evt::ops {

struct BrokerSettings {
  int nodes = 1;
  std::vector<std::pair<std::string, int>> topics;  ///< name, partitions
  std::string publish_path;                         ///< empty: do not publish
  std::string control_path;                         ///< fault-command socket; empty: none
};

/// One topic to create up front (broker --topic): NAME or NAME:PARTITIONS, 1 to 10000
/// partitions (1 when not given); the name is what comes before the last colon. Errors name
/// `text`.
Result<std::pair<std::string, int>> parse_broker_topic(std::string_view text);

/// Runs the local mock cluster until a signal arrives. `on_ready` receives the bootstrap list
/// once the brokers listen, the topics exist and the address is published.
Result<void> serve_broker(const BrokerSettings& settings,
                          const Log& log,
                          Signals& signals,
                          const std::function<void(const std::string&)>& on_ready);

}  // namespace evt::ops
