// SPDX-License-Identifier: MIT
// Unit tests of `evt inspect offsets --at`: per partition, the first offset at or after a time.
#include "evt/ops/offsets_view.hpp"

#include <catch2/catch.hpp>

namespace {

using evt::ops::OffsetsView;

// 2023-11-14T22:13:21.500Z; partition 1 holds nothing that late (its offset is the high mark).
const OffsetsView k_times{"times", 1700000001500, {{0, 3, 0, 5}, {1, 7, 2, 7}}};

}  // namespace

TEST_CASE("offsets view: the time, then a row per partition", "[inspect][unit]") {
  CHECK(render_table(k_times, 0, false) ==
        "first offsets at or after 2023-11-14T22:13:21.500Z (1700000001500):\n"
        "PARTITION  OFFSET  LOW  HIGH\n"
        "        0       3    0     5\n"
        "        1       7    2     7\n");
}

TEST_CASE("offsets view: JSON says which offsets are at the end", "[inspect][unit]") {
  CHECK(render_json(k_times) ==
        R"({"topic":"times","time":1700000001500,"partitions":[)"
        R"({"partition":0,"offset":3,"at_end":false},{"partition":1,"offset":7,"at_end":true}]})"
        "\n");
}
