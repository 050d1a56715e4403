// SPDX-License-Identifier: MIT
// Unit tests of `evt inspect groups`' output. The local broker cannot list groups (its mock
// cluster has no ListGroups), so the listings and descriptions here are made up; the cli tier
// checks the "does not support" path against the real mock.
#include "evt/ops/group_list_view.hpp"

#include <catch2/catch.hpp>

namespace {

using evt::kafka::GroupDescription;
using evt::kafka::GroupListing;
using evt::ops::make_group_list_view;

const std::vector<GroupListing> k_groups = {{"billing", "Stable", false},
                                            {"audit-export", "Empty", true},
                                            {"shipping", "Dead", false},
                                            {"kip848", "Stable", false}};

std::vector<GroupDescription> descriptions() {
  GroupDescription billing;
  billing.group = "billing";
  billing.state = "Stable";
  billing.assignor = "cooperative-sticky";
  billing.members.resize(3);
  GroupDescription audit;
  audit.group = "audit-export";
  audit.state = "Empty";
  // What the classic DescribeGroups says of a KIP-848 group that ListGroups lists as Stable.
  GroupDescription kip848;
  kip848.group = "kip848";
  kip848.state = "Dead";
  std::vector<GroupDescription> all = {billing, audit, kip848};  // shipping: not described
  for (auto& description : all) {
    evt::kafka::reconcile_kip848(description, k_groups);
  }
  return all;
}

}  // namespace

TEST_CASE("group list: state, type, protocol and members in a table", "[inspect][unit]") {
  CHECK(render_table(make_group_list_view(k_groups, descriptions()), 0, false) ==
        "GROUP         STATE   TYPE      PROTOCOL            MEMBERS\n"
        "billing       Stable  classic   cooperative-sticky        3\n"
        "audit-export  Empty   simple    -                         0\n"
        "shipping      Dead    classic   -                         -\n"
        "kip848        Stable  consumer  -                         -\n");
}

TEST_CASE("group list: JSON with null where a group could not be described", "[inspect][unit]") {
  CHECK(render_json(make_group_list_view(k_groups, descriptions())) ==
        R"({"groups":[)"
        R"({"group":"billing","state":"Stable","simple":false,"type":"classic",)"
        R"("protocol":"cooperative-sticky","members":3},)"
        R"({"group":"audit-export","state":"Empty","simple":true,"type":"simple","protocol":null,)"
        R"("members":0},)"
        R"({"group":"shipping","state":"Dead","simple":false,"type":"classic","protocol":null,)"
        R"("members":null},)"
        R"({"group":"kip848","state":"Stable","simple":false,"type":"consumer","protocol":null,)"
        R"("members":null}]})"
        "\n");
  CHECK(render_json(make_group_list_view({}, {})) == "{\"groups\":[]}\n");
}

TEST_CASE("group list: -o names is the ids alone", "[inspect][unit]") {
  CHECK(render_names(make_group_list_view(k_groups, {})) ==
        "billing\naudit-export\nshipping\nkip848\n");
}

TEST_CASE("group list: only a Dead, memberless description of a live listed group is KIP-848",
          "[inspect][unit]") {
  GroupDescription dead;
  dead.group = "shipping";
  dead.state = "Dead";
  CHECK_FALSE(evt::kafka::reconcile_kip848(dead, k_groups));  // listed Dead too: really dead
  CHECK(dead.type == "classic");
  GroupDescription unlisted;
  unlisted.group = "nowhere";
  unlisted.state = "Dead";
  CHECK_FALSE(evt::kafka::reconcile_kip848(unlisted, k_groups));
  GroupDescription live;
  live.group = "kip848";
  live.state = "Dead";
  REQUIRE(evt::kafka::reconcile_kip848(live, k_groups));
  CHECK(live.state == "Stable");
  CHECK(live.type == "consumer");
  CHECK_FALSE(live.members_known);
}

TEST_CASE("group list: a group id may hold quotes and backslashes, JSON escapes them",
          "[inspect][unit]") {
  const std::vector<GroupListing> odd = {{"a\"b\\c", "Stable", false}};
  CHECK(render_json(make_group_list_view(odd, {})) ==
        R"({"groups":[{"group":"a\"b\\c","state":"Stable","simple":false,"type":"classic",)"
        R"("protocol":null,"members":null}]})"
        "\n");
  CHECK(render_table(make_group_list_view(odd, {}), 0, false) ==
        "GROUP   STATE   TYPE     PROTOCOL  MEMBERS\n"
        "a\"b\\\\c  Stable  classic  -               -\n");
}

TEST_CASE("group list: -o names shows a control byte in an id escaped", "[inspect][unit]") {
  const std::vector<GroupListing> groups = {GroupListing{"red\x1b[31m", "Empty", false}};
  CHECK(render_names(make_group_list_view(groups, {})) == "red\\x1b[31m\n");
}
