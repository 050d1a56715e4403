// SPDX-License-Identifier: MIT
#include "evt/ops/broker_server.hpp"

#include <charconv>

#include <fmt/format.h>

#include "evt/kafka/mock_cluster.hpp"
#include "evt/local_broker.hpp"
#include "evt/ops/broker_control.hpp"

#include <poll.h>
#include <unistd.h>

namespace evt::ops {

Result<std::pair<std::string, int>> parse_broker_topic(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  std::string_view name = text;
  int partitions = 1;
  if (colon != std::string_view::npos) {
    name = text.substr(0, colon);
    const std::string_view count = text.substr(colon + 1);
    auto [end, error] = std::from_chars(count.data(), count.data() + count.size(), partitions);
    if (error != std::errc() || end != count.data() + count.size() || partitions < 1 ||
        partitions > 10000) {
      return fail(ErrorKind::usage,
                  fmt::format("{}: expected NAME:PARTITIONS with 1..10000 partitions", text));
    }
  }
  if (name.empty()) {
    return fail(ErrorKind::usage, fmt::format("{}: the topic name is empty", text));
  }
  return std::make_pair(std::string(name), partitions);
}

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
  std::unique_ptr<ControlSocket> control;
  if (!settings.control_path.empty()) {
    // Its directory may not exist yet (/tmp/evt-<uid> on a machine without XDG_RUNTIME_DIR).
    EVT_TRY(make_parent_directory(settings.control_path));
    auto listening = ControlSocket::listen(settings.control_path);
    if (!listening) {
      return std::move(listening).take_error();
    }
    control = std::move(*listening);
  }
  if (!settings.publish_path.empty()) {
    EVT_TRY(publish_local_broker(settings.publish_path,
                                 LocalBrokerInfo{bootstrap, ::getpid(), settings.control_path}));
  }
  on_ready(bootstrap);
  log.info(fmt::format("local broker ready at {} (pid {})", bootstrap, ::getpid()));
  while (signals.check() == 0) {
    pollfd fds[2] = {{signals.fd(), POLLIN, 0}, {control ? control->fd() : -1, POLLIN, 0}};
    if (::poll(fds, control ? 2 : 1, 1000) > 0 && control && (fds[1].revents & POLLIN)) {
      control->serve_one(**cluster);
    }
  }
  if (!settings.publish_path.empty()) {
    unpublish_local_broker(settings.publish_path, ::getpid());
  }
  log.info("local broker stopped");
  return {};
}

}  // namespace evt::ops
