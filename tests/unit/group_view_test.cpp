// SPDX-License-Identifier: MIT
// Unit tests of `evt inspect group`: state, members, committed offsets and lag. The local
// broker cannot describe groups, so the descriptions here are made up; the cli tier checks the
// undescribed group against the real mock.
#include "evt/ops/group_view.hpp"

#include <catch2/catch.hpp>

namespace {

using evt::kafka::GroupDescription;
using evt::kafka::GroupMember;
using evt::ops::GroupView;

GroupView undescribed() {
  GroupView view;
  view.group = "shipping";
  view.describe_note = "the broker does not support describing consumer groups";
  view.partitions = {{"orders", 0, 2, 6, 4, 0}, {"orders", 1, 4, 4, 0, 0}};
  return view;
}

// A group id may hold any character: here a quote and a backslash.
GroupView described() {
  GroupDescription description;
  description.group = "bill\"ing\\";
  description.state = "Stable";
  description.assignor = "range";
  description.coordinator = 2;
  description.members = {
      GroupMember{"consumer-1-a1", "evt \"prod\"", "/10.0.0.7", {{"orders", 0}, {"orders", 1}}},
      GroupMember{"consumer-2-b2", "evt", "/10.0.0.8", {{"audit", 0}}}};
  GroupView view;
  view.group = description.group;
  view.description = description;
  view.partitions = {{"audit", 0, 3, 5, 2, 0}, {"orders", 0, 6, 6, 0, 0}};
  return view;
}

}  // namespace

TEST_CASE("group view: a group the broker cannot describe shows its lag and says why",
          "[inspect][unit]") {
  CHECK(render_table(undescribed(), 0, false) ==
        "group shipping, total lag 4\n"
        "(state and members unknown: the broker does not support describing consumer groups)\n"
        "\n"
        "TOPIC   PARTITION  COMMITTED  HIGH  LAG\n"
        "orders          0          2     6    4\n"
        "orders          1          4     4    0\n");
  CHECK(render_json(undescribed()) ==
        R"({"group":"shipping","state":null,"members":null,)"
        R"("describe_error":"the broker does not support describing consumer groups",)"
        R"("partitions":[{"topic":"orders","partition":0,"committed":2,"high":6,"lag":4},)"
        R"({"topic":"orders","partition":1,"committed":4,"high":4,"lag":0}],"total_lag":4})"
        "\n");
}

TEST_CASE("group view: members and their partitions, names escaped in JSON", "[inspect][unit]") {
  CHECK(render_table(described(), 0, false) ==
        "group bill\"ing\\\\: Stable, 2 members, total lag 2\n"
        "\n"
        "MEMBER         CLIENT      HOST       PARTITIONS\n"
        "consumer-1-a1  evt \"prod\"  /10.0.0.7  orders/0,orders/1\n"
        "consumer-2-b2  evt         /10.0.0.8  audit/0\n"
        "\n"
        "TOPIC   PARTITION  COMMITTED  HIGH  LAG\n"
        "audit           0          3     5    2\n"
        "orders          0          6     6    0\n");
  CHECK(render_json(described()) ==
        R"({"group":"bill\"ing\\","state":"Stable","type":"classic","assignor":"range",)"
        R"("coordinator":2,"members":[)"
        R"({"member_id":"consumer-1-a1","client_id":"evt \"prod\"","host":"/10.0.0.7",)"
        R"("partitions":[{"topic":"orders","partition":0},{"topic":"orders","partition":1}]},)"
        R"({"member_id":"consumer-2-b2","client_id":"evt","host":"/10.0.0.8",)"
        R"("partitions":[{"topic":"audit","partition":0}]}],)"
        R"("partitions":[{"topic":"audit","partition":0,"committed":3,"high":5,"lag":2},)"
        R"({"topic":"orders","partition":0,"committed":6,"high":6,"lag":0}],"total_lag":2})"
        "\n");
}

TEST_CASE("group view: a KIP-848 group has a state but no known members", "[inspect][unit]") {
  GroupView view = described();
  view.description->members.clear();
  view.description->assignor.clear();
  view.description->members_known = false;
  view.description->type = "consumer";
  view.describe_note = "a KIP-848 consumer group";
  view.partitions.resize(1);
  CHECK(render_table(view, 0, false) ==
        "group bill\"ing\\\\: Stable, KIP-848 consumer group, members unknown, total lag 2\n"
        "(members unknown: a KIP-848 consumer group)\n"
        "\n"
        "TOPIC  PARTITION  COMMITTED  HIGH  LAG\n"
        "audit          0          3     5    2\n");
  CHECK(render_json(view) ==
        R"({"group":"bill\"ing\\","state":"Stable","type":"consumer","assignor":null,)"
        R"("coordinator":2,"members_note":"a KIP-848 consumer group","members":null,)"
        R"("partitions":[{"topic":"audit","partition":0,"committed":3,"high":5,"lag":2}],)"
        R"("total_lag":2})"
        "\n");
}

TEST_CASE("group view: --watch adds the lag's trend per second", "[inspect][unit]") {
  GroupView view = undescribed();
  view.trend = true;
  view.partitions[0].lag_rate = 1.25;
  view.partitions[1].lag_rate = -3;
  CHECK(render_table(view, 0, false) ==
        "group shipping, total lag 4\n"
        "(state and members unknown: the broker does not support describing consumer groups)\n"
        "\n"
        "TOPIC   PARTITION  COMMITTED  HIGH  LAG  LAG/S\n"
        "orders          0          2     6    4  +1.2\n"
        "orders          1          4     4    0  -3.0\n");
}

TEST_CASE("group view: a control byte in the group id is shown escaped, never sent raw",
          "[inspect][unit]") {
  GroupView view = undescribed();
  view.group = "red\x1b[31m";
  const std::string table = render_table(view, 0, false);
  CHECK(table.find('\x1b') == std::string::npos);
  CHECK_THAT(table, Catch::StartsWith("group red\\x1b[31m, total lag 4\n"));
}
