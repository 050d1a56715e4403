// SPDX-License-Identifier: MIT
// Unit tests of the error kinds, their exit codes (the design's table) and Result.
#include "evt/error.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

TEST_CASE("error: exit code for every error kind", "[error]") {
  using evt::ErrorKind;
  using evt::ExitCode;
  struct Case {
    ErrorKind kind;
    ExitCode code;
    int status;
    const char* name;
  };
  const std::vector<Case> cases = {
      {ErrorKind::usage, ExitCode::usage, 2, "usage"},
      {ErrorKind::io, ExitCode::failure, 1, "io"},
      {ErrorKind::kafka, ExitCode::failure, 1, "kafka"},
      {ErrorKind::delivery, ExitCode::failure, 1, "delivery"},
      {ErrorKind::unreachable, ExitCode::unreachable, 3, "unreachable"},
      {ErrorKind::auth, ExitCode::auth, 4, "auth"},
      {ErrorKind::not_found, ExitCode::not_found, 5, "not_found"},
      {ErrorKind::unsupported, ExitCode::failure, 1, "unsupported"},
      {ErrorKind::interrupted, ExitCode::interrupted, 130, "interrupted"},
      {ErrorKind::internal, ExitCode::failure, 1, "internal"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(evt::exit_code_for(c.kind) == c.code);
    CHECK(static_cast<int>(evt::exit_code_for(c.kind)) == c.status);
    CHECK(std::string(evt::to_string(c.kind)) == c.name);
  }
  CHECK(static_cast<int>(ExitCode::ok) == 0);
}

namespace {

evt::Result<int> half(int n) {
  if (n % 2 != 0) {
    return evt::fail(evt::ErrorKind::usage, "odd", "use an even number");
  }
  return n / 2;
}

evt::Result<void> quarter_is_even(int n) {
  auto h = half(n);
  EVT_TRY(h);
  EVT_TRY(half(*h));
  return {};
}

}  // namespace

TEST_CASE("error: Result carries a value or an error and EVT_TRY propagates it", "[error]") {
  auto ok = half(8);
  REQUIRE(ok.ok());
  CHECK(*ok == 4);
  auto bad = half(3);
  REQUIRE_FALSE(bad.ok());
  CHECK_FALSE(static_cast<bool>(bad));
  CHECK(bad.error().kind == evt::ErrorKind::usage);
  CHECK(bad.error().message == "odd");
  CHECK(bad.error().hint == "use an even number");
  CHECK(quarter_is_even(8).ok());
  auto propagated = quarter_is_even(6);
  REQUIRE_FALSE(propagated.ok());
  CHECK(propagated.error().message == "odd");
  CHECK_FALSE(quarter_is_even(5).ok());
}
