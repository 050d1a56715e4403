// SPDX-License-Identifier: MIT
// Unit tests of `evt broker --topic NAME[:PARTITIONS]` (ops::parse_broker_topic).
#include <string>

#include <catch2/catch.hpp>

#include "evt/ops/broker_server.hpp"

TEST_CASE("broker topic: NAME or NAME:PARTITIONS, the name before the last colon",
          "[unit][broker]") {
  using Topic = std::pair<std::string, int>;
  CHECK(*evt::ops::parse_broker_topic("orders") == Topic{"orders", 1});
  CHECK(*evt::ops::parse_broker_topic("orders:8") == Topic{"orders", 8});
  CHECK(*evt::ops::parse_broker_topic("a:b:10000") == Topic{"a:b", 10000});
}

TEST_CASE("broker topic: bad partition counts and an empty name are refused, naming the text",
          "[unit][broker]") {
  for (const char* bad : {"orders:0",
                          "orders:10001",
                          "orders:",
                          "orders:x",
                          "orders:-1",
                          "orders:8 ",
                          "orders:99999999999"}) {
    INFO(bad);
    auto parsed = evt::ops::parse_broker_topic(bad);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().kind == evt::ErrorKind::usage);
    CHECK(parsed.error().message ==
          std::string(bad) + ": expected NAME:PARTITIONS with 1..10000 partitions");
  }
  for (const char* empty : {"", ":3"}) {
    auto parsed = evt::ops::parse_broker_topic(empty);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().message == std::string(empty) + ": the topic name is empty");
  }
}
