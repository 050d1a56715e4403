// SPDX-License-Identifier: MIT
#include "evt/ops/broker_server.hpp"

#include <fmt/format.h>

#include "evt/kafka/mock_cluster.hpp"
#include "evt/local_broker.hpp"

#include <poll.h>
#include <unistd.h>

namespace evt::ops {

Result<void> serve_broker(const BrokerSettings& settings,
                          const Log& log,
                          Signals& signals,
                          const std::function<void(const std::string&)>& on_ready) {
  auto cluster = kafka::MockCluster::start(settings.nodes, log);
  if (!cluster) {
    return std::move(cluster).take_error();
  }
  for (const auto& [name, partitions] : settings.topics) {
    EVT_TRY((*cluster)->create_topic(name, partitions));
  }
  const std::string bootstrap = (*cluster)->bootstrap();
  if (!settings.publish_path.empty()) {
    EVT_TRY(publish_local_broker(settings.publish_path, LocalBrokerInfo{bootstrap, ::getpid()}));
  }
  on_ready(bootstrap);
  log.info(fmt::format("local broker ready at {} (pid {})", bootstrap, ::getpid()));
  while (signals.check() == 0) {
    pollfd fds[1] = {{signals.fd(), POLLIN, 0}};
    ::poll(fds, 1, 1000);
  }
  if (!settings.publish_path.empty()) {
    unpublish_local_broker(settings.publish_path, ::getpid());
  }
  log.info("local broker stopped");
  return {};
}

}  // namespace evt::ops
