// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "evt/kafka/metadata.hpp"

namespace evt::ops {

/// `evt inspect` with no view: the cluster's id, controller and brokers.
struct ClusterView {
  struct Broker {
    std::int32_t id = -1;
    std::string host;
    int port = 0;
    std::string rack;  ///< "" when none is set or known
  };
  std::string cluster_id;                  ///< "" when the cluster names none
  std::optional<std::int32_t> controller;  ///< none when no listed broker has the id
  std::vector<Broker> brokers;
  std::size_t topics = 0;                  ///< not counting __-topics
  std::size_t partitions = 0;              ///< of those topics
  std::optional<std::string> racks_error;  ///< why the racks are unknown
};

/// The view of `info`, with each broker's rack from `racks` (by broker id).
ClusterView make_cluster_view(const kafka::ClusterInfo& info,
                              const std::map<std::int32_t, std::string>& racks,
                              std::optional<std::string> racks_error);

std::string render_table(const ClusterView& view, std::size_t width, bool color);
std::string render_json(const ClusterView& view);
/// host:port of each broker, one a line.
std::string render_names(const ClusterView& view);

}  // namespace evt::ops
