// SPDX-License-Identifier: MIT
// Unit tests of `evt inspect groups`' output. The local broker cannot list groups (librdkafka's
// mock has no ListGroups), so the listings and descriptions here are made up; the cli tier
// checks the "does not support" path against the real mock.
#include "evt/ops/group_list_view.hpp"

#include <catch2/catch.hpp>

namespace {

using evt::kafka::GroupDescription;
using evt::kafka::GroupListing;
using evt::ops::InspectOutput;
using evt::ops::render_group_list;

const std::vector<GroupListing> k_groups = {
    {"billing", "Stable", false}, {"audit-export", "Empty", true}, {"shipping", "Dead", false}};

std::vector<GroupDescription> descriptions() {
  GroupDescription billing;
  billing.group = "billing";
  billing.state = "Stable";
  billing.assignor = "cooperative-sticky";
  billing.members.resize(3);
  GroupDescription audit;
  audit.group = "audit-export";
  audit.state = "Empty";
  return {billing, audit};  // shipping could not be described
}

}  // namespace

TEST_CASE("group list: state, type, protocol and members in a table", "[inspect][unit]") {
  CHECK(render_group_list(k_groups, descriptions(), InspectOutput::table, 0, false) ==
        "GROUP         STATE   TYPE      PROTOCOL            MEMBERS\n"
        "billing       Stable  consumer  cooperative-sticky        3\n"
        "audit-export  Empty   simple    -                         0\n"
        "shipping      Dead    consumer  -                         -\n");
}

TEST_CASE("group list: JSON with null where a group could not be described", "[inspect][unit]") {
  CHECK(
      render_group_list(k_groups, descriptions(), InspectOutput::json, 0, false) ==
      R"({"groups":[)"
      R"({"group":"billing","state":"Stable","simple":false,"protocol":"cooperative-sticky","members":3},)"
      R"({"group":"audit-export","state":"Empty","simple":true,"protocol":null,"members":0},)"
      R"({"group":"shipping","state":"Dead","simple":false,"protocol":null,"members":null}]})"
      "\n");
  CHECK(render_group_list({}, {}, InspectOutput::json, 0, false) == "{\"groups\":[]}\n");
}

TEST_CASE("group list: -o names is the ids alone", "[inspect][unit]") {
  CHECK(render_group_list(k_groups, {}, InspectOutput::names, 0, false) ==
        "billing\naudit-export\nshipping\n");
}
