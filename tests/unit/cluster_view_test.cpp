// SPDX-License-Identifier: MIT
// Unit tests of `evt inspect`'s cluster summary. The local broker knows no racks and names no
// controller, so the cluster here is made up.
#include "evt/ops/cluster_view.hpp"

#include <catch2/catch.hpp>

namespace {

using evt::kafka::BrokerInfo;
using evt::kafka::ClusterInfo;
using evt::kafka::PartitionInfo;
using evt::kafka::TopicInfo;
using evt::ops::make_cluster_view;

ClusterInfo three_brokers() {
  ClusterInfo info;
  info.cluster_id = "Vd4p9\"x\\y";
  info.controller = 2;
  info.brokers = {{1, "kafka-1", 9092}, {2, "kafka-2", 9092}, {3, "kafka-3", 9093}};
  info.topics = {TopicInfo{"__consumer_offsets", std::vector<PartitionInfo>(50), {}},
                 TopicInfo{"orders", std::vector<PartitionInfo>(3), {}},
                 TopicInfo{"audit", std::vector<PartitionInfo>(1), {}}};
  return info;
}

}  // namespace

TEST_CASE("cluster view: id, controller and brokers with racks, __-topics not counted",
          "[inspect][unit]") {
  const auto view = make_cluster_view(three_brokers(), {{1, "eu-1a"}, {2, "eu-1b"}}, {});
  CHECK(render_table(view, 0, false) ==
        "cluster     Vd4p9\"x\\y\n"
        "controller  2\n"
        "topics      2 (4 partitions)\n"
        "\n"
        "BROKER  HOST     PORT  RACK\n"
        "     1  kafka-1  9092  eu-1a\n"
        "     2  kafka-2  9092  eu-1b\n"
        "     3  kafka-3  9093  -\n");
  CHECK(render_json(view) ==
        R"({"cluster_id":"Vd4p9\"x\\y","controller":2,"brokers":[)"
        R"({"id":1,"host":"kafka-1","port":9092,"rack":"eu-1a"},)"
        R"({"id":2,"host":"kafka-2","port":9092,"rack":"eu-1b"},)"
        R"({"id":3,"host":"kafka-3","port":9093,"rack":null}],"topics":2,"partitions":4})"
        "\n");
  CHECK(render_names(view) == "kafka-1:9092\nkafka-2:9092\nkafka-3:9093\n");
}

TEST_CASE("cluster view: a controller no broker has is unknown, and so are racks that failed",
          "[inspect][unit]") {
  ClusterInfo info = three_brokers();
  info.cluster_id.clear();
  info.controller = 0;  // what the local broker says
  info.brokers.resize(1);
  info.topics.clear();
  const auto view = make_cluster_view(info, {}, "the broker does not support it");
  CHECK(render_table(view, 0, false) ==
        "cluster     -\n"
        "controller  unknown\n"
        "topics      0 (0 partitions)\n"
        "\n"
        "BROKER  HOST     PORT  RACK\n"
        "     1  kafka-1  9092  -\n"
        "\n"
        "racks: the broker does not support it\n");
  CHECK(render_json(view) ==
        R"({"cluster_id":null,"controller":null,"brokers":[)"
        R"({"id":1,"host":"kafka-1","port":9092,"rack":null}],"topics":0,"partitions":0,)"
        R"("racks_error":"the broker does not support it"})"
        "\n");
}
