// SPDX-License-Identifier: MIT
// Unit tests of `evt inspect topics`: a row per topic, its status from the partitions' leaders
// and replicas or the broker's error for the topic.
#include "evt/ops/topic_list_view.hpp"

#include <catch2/catch.hpp>

namespace {

using evt::kafka::PartitionInfo;
using evt::kafka::TopicInfo;
using evt::ops::topic_list_row;
using evt::ops::TopicListView;

TopicInfo topic(std::string name, int partitions, int replicas) {
  TopicInfo info{std::move(name), {}, {}};
  for (int id = 0; id < partitions; ++id) {
    PartitionInfo p;
    p.id = id;
    p.leader = 1;
    for (int r = 1; r <= replicas; ++r) {
      p.replicas.push_back(r);
      p.isrs.push_back(r);
    }
    info.partitions.push_back(p);
  }
  return info;
}

TopicListView four_topics() {
  TopicInfo under = topic("payments", 2, 3);
  under.partitions[1].isrs.pop_back();
  TopicInfo leaderless = topic("split", 3, 3);
  leaderless.partitions[1].leader = -1;
  leaderless.partitions[2].isrs.pop_back();  // leaderless wins over under-replicated
  TopicInfo failed{"locked", {}, {29, "TOPIC_AUTHORIZATION_FAILED"}};
  return TopicListView{{topic_list_row(topic("orders", 3, 1), 1042),
                        topic_list_row(under, 7),
                        topic_list_row(leaderless, 6),
                        topic_list_row(failed, 0)}};
}

}  // namespace

TEST_CASE("topic list: status ok, UNDER-REPLICATED, LEADERLESS or the broker's error",
          "[inspect][unit]") {
  CHECK(render_table(four_topics(), 0, false) ==
        "TOPIC     PARTITIONS  REPLICAS  RECORDS  STATUS\n"
        "orders             3         1     1042  ok\n"
        "payments           2         3        7  UNDER-REPLICATED\n"
        "split              3         3        6  LEADERLESS\n"
        "locked             0         0        0  TOPIC_AUTHORIZATION_FAILED\n");
}

TEST_CASE("topic list: JSON flags under-replicated and leaderless topics", "[inspect][unit]") {
  CHECK(render_json(four_topics()) ==
        R"({"topics":[)"
        R"({"topic":"orders","partitions":3,"replication_factor":1,"records":1042,)"
        R"("under_replicated":false,"leaderless":false},)"
        R"({"topic":"payments","partitions":2,"replication_factor":3,"records":7,)"
        R"("under_replicated":true,"leaderless":false},)"
        R"({"topic":"split","partitions":3,"replication_factor":3,"records":6,)"
        R"("under_replicated":true,"leaderless":true},)"
        R"({"topic":"locked","partitions":0,"replication_factor":0,"records":0,)"
        R"("under_replicated":false,"leaderless":false}]})"
        "\n");
  CHECK(render_json(TopicListView{}) == "{\"topics\":[]}\n");
}

TEST_CASE("topic list: names that could reach the terminal are escaped, in JSON as JSON",
          "[inspect][unit]") {
  // A real Kafka allows only [a-zA-Z0-9._-] in topic names; the local broker takes anything.
  const TopicListView view{{topic_list_row(topic("esc\x1b[31mred", 1, 1), 0),
                            topic_list_row(topic("two\nlines", 1, 1), 0),
                            topic_list_row(topic("q\"b\\", 1, 1), 0)}};
  CHECK(render_names(view) == "esc\\x1b[31mred\ntwo\\x0alines\nq\"b\\\\\n");
  CHECK(render_table(view, 0, false) ==
        "TOPIC           PARTITIONS  REPLICAS  RECORDS  STATUS\n"
        "esc\\x1b[31mred           1         1        0  ok\n"
        "two\\x0alines             1         1        0  ok\n"
        "q\"b\\\\                    1         1        0  ok\n");
  const std::string json = render_json(view);
  CHECK(json.find(R"("topic":"esc\u001b[31mred")") != std::string::npos);
  CHECK(json.find(R"("topic":"two\nlines")") != std::string::npos);
  CHECK(json.find(R"("topic":"q\"b\\")") != std::string::npos);
}
