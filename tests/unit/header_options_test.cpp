// SPDX-License-Identifier: MIT
// Unit tests of -H name=value, the headers produce and replay add to every record.
#include "cmd/header_options.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "evt/error.hpp"

TEST_CASE("header options: -H name=value, the name before the first '=', the rest the value",
          "[cmd]") {
  auto headers = evt::cmd::parse_header_options({"trace=t-1", "empty=", "query=a=b&c=d", "x=="});
  REQUIRE(headers.ok());
  CHECK(*headers == std::vector<evt::Header>{{"trace", std::string("t-1")},
                                             {"empty", std::string()},
                                             {"query", std::string("a=b&c=d")},
                                             {"x", std::string("=")}});
  auto none = evt::cmd::parse_header_options({});
  REQUIRE(none.ok());
  CHECK(none->empty());
}

TEST_CASE("header options: -H without a name or an '=' is a usage error naming it", "[cmd]") {
  for (const std::string bad : {"trace", "=v", ""}) {
    INFO(bad);
    auto headers = evt::cmd::parse_header_options({"ok=1", bad});
    REQUIRE_FALSE(headers.ok());
    CHECK(headers.error().kind == evt::ErrorKind::usage);
    CHECK(headers.error().message == "--header \"" + bad + "\": expected name=value");
  }
}
