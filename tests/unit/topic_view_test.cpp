// SPDX-License-Identifier: MIT
// Unit tests of `evt inspect topic`: partitions with their watermarks (none for a partition
// without a leader) and the topic's configs. The local broker has no DescribeConfigs, so the
// configs here are made up.
#include "evt/ops/topic_view.hpp"

#include <catch2/catch.hpp>

namespace {

using evt::kafka::ConfigEntry;
using evt::kafka::Watermarks;
using evt::ops::TopicView;

TopicView split() {
  TopicView view;
  view.topic = "split";
  view.partitions = {{0, 1, {1, 2, 3}, {1, 2, 3}, Watermarks{0, 2}},
                     {1, -1, {1, 2, 3}, {1, 3}, std::nullopt},
                     {2, 2, {2, 3, 1}, {2, 3, 1}, Watermarks{10, 14}}};
  view.configs = std::vector<ConfigEntry>{
      {"cleanup.policy", "compact", false, false, false},
      {"message.format", "say \"hi\" C:\\x", true, false, false},
      {"sasl.jaas.config", std::nullopt, false, false, true},
  };
  return view;
}

}  // namespace

TEST_CASE("topic view: a partition without a leader shows none and -, and is not counted",
          "[inspect][unit]") {
  CHECK(render_table(split(), 0, false) ==
        "topic split: 3 partitions, 6 records (not counting 1 without a leader)\n"
        "\n"
        "PARTITION  LEADER  REPLICAS  ISR    LOW  HIGH  RECORDS\n"
        "        0       1  1,2,3     1,2,3    0     2        2\n"
        "        1    none  1,2,3     1,3      -     -        -\n"
        "        2       2  2,3,1     2,3,1   10    14        4\n"
        "\n"
        "CONFIG            VALUE           SOURCE\n"
        "cleanup.policy    compact         set\n"
        "message.format    say \"hi\" C:\\\\x  default\n"
        "sasl.jaas.config  (sensitive)     set\n");
}

TEST_CASE("topic view: JSON with null watermarks where there is no leader, configs escaped",
          "[inspect][unit]") {
  CHECK(render_json(split()) ==
        R"({"topic":"split","partitions":[)"
        R"({"partition":0,"leader":1,"replicas":[1,2,3],"isr":[1,2,3],"low":0,"high":2,)"
        R"("records":2},)"
        R"({"partition":1,"leader":-1,"replicas":[1,2,3],"isr":[1,3],"low":null,"high":null,)"
        R"("records":null},)"
        R"({"partition":2,"leader":2,"replicas":[2,3,1],"isr":[2,3,1],"low":10,"high":14,)"
        R"("records":4}],"records":6,"configs":{"cleanup.policy":"compact",)"
        R"("message.format":"say \"hi\" C:\\x","sasl.jaas.config":null}})"
        "\n");
}

TEST_CASE("topic view: configs that could not be read are said, the rest is shown",
          "[inspect][unit]") {
  TopicView view = split();
  view.partitions.resize(1);
  view.configs.reset();
  view.configs_error = "the broker does not support describing topic configs";
  CHECK(render_table(view, 0, false) ==
        "topic split: 1 partition, 2 records\n"
        "\n"
        "PARTITION  LEADER  REPLICAS  ISR    LOW  HIGH  RECORDS\n"
        "        0       1  1,2,3     1,2,3    0     2        2\n"
        "\n"
        "configs: the broker does not support describing topic configs\n");
  CHECK(render_json(view) ==
        R"({"topic":"split","partitions":[)"
        R"({"partition":0,"leader":1,"replicas":[1,2,3],"isr":[1,2,3],"low":0,"high":2,)"
        R"("records":2}],"records":2,"configs":null,)"
        R"("configs_error":"the broker does not support describing topic configs"})"
        "\n");
}

TEST_CASE("topic view: a control byte in the topic name is shown escaped", "[inspect][unit]") {
  TopicView view = split();
  view.topic = "bell\x07";
  const std::string table = render_table(view, 0, false);
  CHECK(table.find('\x07') == std::string::npos);
  CHECK_THAT(table, Catch::StartsWith("topic bell\\x07: 3 partitions"));
}
