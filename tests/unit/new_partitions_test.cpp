// SPDX-License-Identifier: MIT
// Unit tests of which partitions a metadata refresh adds to a running `evt tail`. The local
// broker cannot add partitions to a topic (its mock cluster has no CreatePartitions), so the
// metadata here is made up.
#include "evt/ops/new_partitions.hpp"

#include <catch2/catch.hpp>

namespace {

using evt::kafka::PartitionInfo;
using evt::kafka::TopicInfo;
using evt::kafka::TopicPartition;

TopicInfo topic(std::string name, int partitions) {
  TopicInfo info;
  info.name = std::move(name);
  for (int id = 0; id < partitions; ++id) {
    PartitionInfo partition;
    partition.id = id;
    partition.leader = 1;
    partition.replicas = {1};
    partition.isrs = {1};
    info.partitions.push_back(partition);
  }
  return info;
}

}  // namespace

TEST_CASE("new partitions: a topic that grew from 2 to 4 partitions adds the 2 new ones",
          "[tail][unit]") {
  const std::set<TopicPartition> following = {{"orders", 0}, {"orders", 1}, {"audit", 0}};
  CHECK(evt::ops::new_partitions({topic("orders", 2), topic("audit", 1)}, {}, following).empty());
  CHECK(evt::ops::new_partitions({topic("orders", 4), topic("audit", 1)}, {}, following) ==
        std::vector<TopicPartition>{{"orders", 2}, {"orders", 3}});
}

TEST_CASE("new partitions: -p keeps only the chosen partitions, new or not", "[tail][unit]") {
  const std::set<TopicPartition> following = {{"orders", 1}};
  CHECK(evt::ops::new_partitions({topic("orders", 6)}, {1, 4}, following) ==
        std::vector<TopicPartition>{{"orders", 4}});
  CHECK(evt::ops::new_partitions({topic("orders", 3)}, {1, 4}, following).empty());
}

TEST_CASE("new partitions: one without a leader yet waits for a later refresh", "[tail][unit]") {
  TopicInfo grown = topic("orders", 3);
  grown.partitions[2].leader = -1;
  grown.partitions[2].error = {5, "LEADER_NOT_AVAILABLE"};
  const std::set<TopicPartition> following = {{"orders", 0}, {"orders", 1}};
  CHECK(evt::ops::new_partitions({grown}, {}, following).empty());
  grown.partitions[2].leader = 2;  // and still the error: not yet
  CHECK(evt::ops::new_partitions({grown}, {}, following).empty());
  grown.partitions[2].error = {};
  CHECK(evt::ops::new_partitions({grown}, {}, following) ==
        std::vector<TopicPartition>{{"orders", 2}});
}
