// SPDX-License-Identifier: MIT
// Unit tests of offset positions, ranges and per-partition offset specs (-o, --from/--to).
#include "evt/offset_spec.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "evt/error.hpp"

namespace {

using evt::OffsetRange;
using evt::Position;
using Kind = evt::Position::Kind;

constexpr std::int64_t k_now = 1795428000000;  // 2026-11-23T10:00:00Z
constexpr std::int64_t k_hour = 3'600'000;

Position at(Kind kind, std::int64_t value = 0) {
  return Position{kind, value};
}

OffsetRange range(Position from, std::optional<Position> to = std::nullopt) {
  return OffsetRange{from, to};
}

std::string describe_range(const OffsetRange& r) {
  std::string text = evt::describe(r.from);
  if (r.to) {
    text += ':';
    text += evt::describe(*r.to);
  }
  return text;
}

}  // namespace

TEST_CASE("offsets: every position form and alias", "[offsets]") {
  struct Case {
    const char* text;
    Position expected;
  };
  const std::vector<Case> cases = {
      {"beginning", at(Kind::beginning)},
      {"start", at(Kind::beginning)},
      {"oldest", at(Kind::beginning)},
      {"earliest", at(Kind::beginning)},
      {"end", at(Kind::end)},
      {"newest", at(Kind::end)},
      {"latest", at(Kind::end)},
      {"stored", at(Kind::stored)},
      {"0", at(Kind::absolute, 0)},
      {"42", at(Kind::absolute, 42)},
      {"007", at(Kind::absolute, 7)},
      {"9223372036854775807", at(Kind::absolute, INT64_MAX)},
      {"-10", at(Kind::before_end, 10)},
      {"-0", at(Kind::before_end, 0)},
      {"+10", at(Kind::after_beginning, 10)},
      {"+0", at(Kind::after_beginning, 0)},
      {"@1763892000123", at(Kind::time, 1763892000123)},
      {"@0", at(Kind::time, 0)},
      {"@now", at(Kind::time, k_now)},
      {"@-15m", at(Kind::time, k_now - 15 * 60'000)},
      {"@-2h30m", at(Kind::time, k_now - 2 * k_hour - 30 * 60'000)},
      {"@-7d", at(Kind::time, k_now - 7 * 24 * k_hour)},
      {"@+1h", at(Kind::time, k_now + k_hour)},
      {"@2026-11-23T10:00:00Z", at(Kind::time, 1795428000000)},
      {"@2026-11-23T10:00:00.250+01:00", at(Kind::time, 1795428000250 - k_hour)},
      {"@2026-11-23", at(Kind::time, 1795428000000 - 10 * k_hour)},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto position = evt::parse_position(c.text, k_now);
    INFO((position ? "" : position.error().message));
    REQUIRE(position.ok());
    CHECK(evt::describe(*position) == evt::describe(c.expected));
    CHECK(*position == c.expected);
  }
}

TEST_CASE("offsets: invalid positions, with a hint for typos", "[offsets]") {
  struct Case {
    const char* text;
    std::string message_part;
    std::string hint;
  };
  const std::vector<Case> cases = {
      {"", "invalid offset \"\"", ""},
      {"begining", "invalid offset \"begining\"", "did you mean \"beginning\"?"},
      {"beggining", "invalid offset", "did you mean \"beginning\"?"},
      {"ends", "invalid offset", "did you mean \"end\"?"},
      {"lates", "invalid offset", "did you mean \"latest\"?"},
      {"stord", "invalid offset", "did you mean \"stored\"?"},
      {"earlest", "invalid offset", "did you mean \"earliest\"?"},
      {"olde", "invalid offset", "did you mean \"oldest\"?"},
      {"xyz", "expected beginning, end, stored, N, -N, +N or @TIME", ""},
      {"BEGINNING", "invalid offset", ""},
      {"-", "invalid offset \"-\"", ""},
      {"+", "invalid offset \"+\"", ""},
      {"--5", "invalid offset", ""},
      {"+-5", "invalid offset", ""},
      {"1.5", "invalid offset", ""},
      {"5 ", "invalid offset", ""},
      {" 5", "invalid offset", ""},
      {"0x10", "invalid offset", ""},
      {"9223372036854775808", "invalid offset", ""},
      {"-9223372036854775808", "invalid offset", ""},
      {"@", "invalid time \"\"", ""},
      {"@bogus", "invalid time \"bogus\"", ""},
      {"@2026-02-30", "invalid time \"2026-02-30\"", ""},
      {"@-15x", "invalid relative time \"-15x\"", ""},
      {"10:20", "invalid offset", ""},  // a range is not a position
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto position = evt::parse_position(c.text, k_now);
    REQUIRE_FALSE(position.ok());
    CHECK(position.error().kind == evt::ErrorKind::usage);
    CHECK_THAT(position.error().message, Catch::Matchers::Contains(c.message_part));
    CHECK(position.error().hint == c.hint);
  }
}

TEST_CASE("offsets: ranges", "[offsets]") {
  struct Case {
    const char* text;
    OffsetRange expected;
  };
  const std::vector<Case> cases = {
      {"beginning", range(at(Kind::beginning))},
      {"end", range(at(Kind::end))},
      {"stored", range(at(Kind::stored))},
      {"100", range(at(Kind::absolute, 100))},
      {"10:20", range(at(Kind::absolute, 10), at(Kind::absolute, 20))},
      {"beginning:end", range(at(Kind::beginning), at(Kind::end))},
      {":end", range(at(Kind::beginning), at(Kind::end))},
      {":100", range(at(Kind::beginning), at(Kind::absolute, 100))},
      {"-100:end", range(at(Kind::before_end, 100), at(Kind::end))},
      {"+5:-5", range(at(Kind::after_beginning, 5), at(Kind::before_end, 5))},
      {"stored:end", range(at(Kind::stored), at(Kind::end))},
      {"oldest:latest", range(at(Kind::beginning), at(Kind::end))},
      {"@-1h:@now", range(at(Kind::time, k_now - k_hour), at(Kind::time, k_now))},
      // Ranges whose emptiness depends on the partition are accepted.
      {"end:10", range(at(Kind::end), at(Kind::absolute, 10))},
      {"10:-1", range(at(Kind::absolute, 10), at(Kind::before_end, 1))},
      {"-5:+3", range(at(Kind::before_end, 5), at(Kind::after_beginning, 3))},
      {"@-1h:end", range(at(Kind::time, k_now - k_hour), at(Kind::end))},
      {"@1763892000000:@1763892060000",
       range(at(Kind::time, 1763892000000), at(Kind::time, 1763892060000))},
      // Times contain colons: the range separator is the colon where both sides parse.
      {"@2026-11-23T10:00:00Z:@2026-11-23T11:00:00Z",
       range(at(Kind::time, 1795428000000), at(Kind::time, 1795428000000 + k_hour))},
      {"@2026-11-23T10:00:00Z:end", range(at(Kind::time, 1795428000000), at(Kind::end))},
      {"@2026-11-23T10:00:00:end", range(at(Kind::time, 1795428000000), at(Kind::end))},
      {"@2026-11-23T10:00:00:@2026-11-23T11:00:00",
       range(at(Kind::time, 1795428000000), at(Kind::time, 1795428000000 + k_hour))},
      {"@2026-11-23T10:00:30:40", range(at(Kind::time, 1795428030000), at(Kind::absolute, 40))},
      {"100:@2026-11-23T11:00:00Z",
       range(at(Kind::absolute, 100), at(Kind::time, 1795428000000 + k_hour))},
      {":@2026-11-23T11:00:00.5Z",
       range(at(Kind::beginning), at(Kind::time, 1795428000500 + k_hour))},
      {"@2026-11-23T10:00:00.5+01:00:@2026-11-23T11:00:00-01:00",
       range(at(Kind::time, 1795428000500 - k_hour), at(Kind::time, 1795428000000 + 2 * k_hour))},
      {"@2026-11-23:@2026-11-24",
       range(at(Kind::time, 1795392000000), at(Kind::time, 1795392000000 + 24 * k_hour))},
      {"@2026-11-23T10:00Z", range(at(Kind::time, 1795428000000))},
      // A single time with seconds and no zone is one position, not "10:00 up to offset 00".
      {"@2026-11-23T10:00:00", range(at(Kind::time, 1795428000000))},
      {"@2026-11-23T10:00:30", range(at(Kind::time, 1795428030000))},
      {"@2026-11-23 10:00:00", range(at(Kind::time, 1795428000000))},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto parsed = evt::parse_offset_range(c.text, k_now);
    INFO((parsed ? "" : parsed.error().message));
    REQUIRE(parsed.ok());
    CHECK(describe_range(*parsed) == describe_range(c.expected));
    CHECK(*parsed == c.expected);
  }
}

const std::string k_range_hint =
    "FROM:TO reads from FROM up to, not including, TO: e.g. 5:10 is offsets 5 to 9";

TEST_CASE("offsets: invalid ranges", "[offsets]") {
  struct Case {
    const char* text;
    std::string message_part;
    std::string hint;
  };
  const std::vector<Case> cases = {
      {"", "invalid offset \"\"", ""},
      {":", "invalid offset \"\"", ""},
      {"10:", "invalid offset \"\"", ""},
      {"end:stored", "the end of a range cannot be stored", ""},
      {":stored", "cannot be stored", ""},
      {"begining:end", "invalid offset \"begining\"", "did you mean \"beginning\"?"},
      {"beginning:ned", "invalid offset \"ned\"", ""},
      {"0:lates", "invalid offset \"lates\"", "did you mean \"latest\"?"},
      {"10:20:30", "invalid offset", ""},
      {"abc:def", "invalid offset \"abc\"", ""},
      // The error names the part that is wrong, not a fragment of a valid time.
      {"@2026-11-23T10:00:00Z:@bogus", "invalid time \"bogus\"", ""},
      {"@2026-11-23T10:00:00Z:@2026-02-30", "invalid time \"2026-02-30\"", ""},
      {"@2026-11-23T10:00:00Z:@2026-11-23T25:00:00Z", "invalid time \"2026-11-23T25:00:00Z\"", ""},
      {"@2026-13-23T10:00:00Z:end", "invalid time", ""},
      {"@2026-11-23T10:00:00Z:", "invalid offset \"\"", ""},
      // Ranges that hold nothing whatever the partition holds (TO is exclusive).
      {"10:5", "invalid range \"10:5\": it ends before it starts", k_range_hint},
      {"5:5", "invalid range \"5:5\": it is empty", k_range_hint},
      {"end:beginning", "invalid range \"end:beginning\": it ends before it starts", k_range_hint},
      {"beginning:beginning", "it is empty", k_range_hint},
      {":beginning", "it is empty", k_range_hint},
      {":0", "it is empty", k_range_hint},
      {"5:0", "it ends before it starts", k_range_hint},
      {"end:end", "it is empty", k_range_hint},
      {"end:-1", "it ends before it starts", k_range_hint},
      {"-1:-3", "it ends before it starts", k_range_hint},
      {"-2:-2", "it is empty", k_range_hint},
      {"+5:+2", "it ends before it starts", k_range_hint},
      {"+0:beginning", "it is empty", k_range_hint},
      {"@1000:@500", "it ends before it starts", k_range_hint},
      {"@2026-11-23T11:00:00Z:@2026-11-23T10:00:00Z", "it ends before it starts", k_range_hint},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto parsed = evt::parse_offset_range(c.text, k_now);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().kind == evt::ErrorKind::usage);
    CHECK_THAT(parsed.error().message, Catch::Matchers::Contains(c.message_part));
    CHECK(parsed.error().hint == c.hint);
  }
}

TEST_CASE("offsets: -o specs with per-partition ranges", "[offsets]") {
  SECTION("no arguments gives the default range") {
    auto spec = evt::parse_offset_spec({}, k_now);
    REQUIRE(spec.ok());
    CHECK(spec->all == range(at(Kind::beginning)));
    CHECK(spec->per_partition.empty());
    auto tail = evt::parse_offset_spec({}, k_now, range(at(Kind::end)));
    REQUIRE(tail.ok());
    CHECK(tail->all == range(at(Kind::end)));
    CHECK(tail->for_partition(3) == range(at(Kind::end)));
  }
  SECTION("a plain spec applies to all partitions") {
    auto spec = evt::parse_offset_spec({"-10:end"}, k_now);
    REQUIRE(spec.ok());
    CHECK(spec->all == range(at(Kind::before_end, 10), at(Kind::end)));
    CHECK(spec->per_partition.empty());
    CHECK(spec->for_partition(0) == spec->all);
  }
  SECTION("two specs for the same partitions are an error, not the last one silently") {
    auto twice = evt::parse_offset_spec({"-1", "beginning"}, k_now);
    REQUIRE_FALSE(twice.ok());
    CHECK(twice.error().kind == evt::ErrorKind::usage);
    CHECK(twice.error().message ==
          "\"-1\" and \"beginning\" both set the offsets of every partition");
    auto partition_twice = evt::parse_offset_spec({"1=10:20", "end", "1=15:25"}, k_now);
    REQUIRE_FALSE(partition_twice.ok());
    CHECK(partition_twice.error().message ==
          "\"1=10:20\" and \"1=15:25\" both set partition 1's offsets");
  }
  SECTION("P=SPEC applies to partition P only") {
    auto spec = evt::parse_offset_spec({"0=beginning",
                                        "1=10:20",
                                        "2=@2026-11-23T10:00:00Z:@2026-11-23T11:00:00Z",
                                        "end",
                                        "2147483647=stored",
                                        "3=:end"},
                                       k_now);
    REQUIRE(spec.ok());
    CHECK(spec->all == range(at(Kind::end)));
    REQUIRE(spec->per_partition.size() == 5);
    CHECK(spec->for_partition(0) == range(at(Kind::beginning)));
    CHECK(spec->for_partition(1) == range(at(Kind::absolute, 10), at(Kind::absolute, 20)));
    CHECK(spec->for_partition(2) ==
          range(at(Kind::time, 1795428000000), at(Kind::time, 1795428000000 + k_hour)));
    CHECK(spec->for_partition(3) == range(at(Kind::beginning), at(Kind::end)));
    CHECK(spec->for_partition(2147483647) == range(at(Kind::stored)));
    CHECK(spec->for_partition(4) == range(at(Kind::end)));
    CHECK(spec->for_partition(-1) == range(at(Kind::end)));
  }
  SECTION("errors") {
    struct Case {
      std::vector<std::string> args;
      std::string message_part;
    };
    const std::vector<Case> cases = {
        {{"x=end"}, "the partition before '=' must be a number, as in 0=beginning"},
        {{"=end"}, "the partition before '=' must be a number"},
        {{"-1=end"}, "the partition before '=' must be a number"},
        {{"2147483648=end"}, "the partition before '=' must be a number"},
        {{"0=1=2"}, "invalid offset \"1=2\""},
        {{"0="}, "invalid offset \"\""},
        {{"0=bogus"}, "invalid offset \"bogus\""},
        {{"0=end:stored"}, "cannot be stored"},
        {{"end", "bogus"}, "invalid offset \"bogus\""},
        {{"0=end", "1=nope"}, "invalid offset \"nope\""},
    };
    for (const Case& c : cases) {
      INFO(c.args.back());
      auto spec = evt::parse_offset_spec(c.args, k_now);
      REQUIRE_FALSE(spec.ok());
      CHECK(spec.error().kind == evt::ErrorKind::usage);
      CHECK_THAT(spec.error().message, Catch::Matchers::Contains(c.message_part));
    }
    auto typo = evt::parse_offset_spec({"0=begining"}, k_now);
    REQUIRE_FALSE(typo.ok());
    CHECK(typo.error().hint == "did you mean \"beginning\"?");
  }
}

TEST_CASE("offsets: describe", "[offsets]") {
  struct Case {
    Position position;
    const char* text;
  };
  const std::vector<Case> cases = {
      {at(Kind::beginning), "beginning"},
      {at(Kind::end), "end"},
      {at(Kind::stored), "stored"},
      {at(Kind::absolute, 42), "42"},
      {at(Kind::before_end, 5), "-5"},
      {at(Kind::after_beginning, 5), "+5"},
      {at(Kind::time, 1795428000123), "@2026-11-23T10:00:00.123Z"},
      {at(Kind::time, -1), "@1969-12-31T23:59:59.999Z"},
  };
  for (const Case& c : cases) {
    CHECK(evt::describe(c.position) == std::string(c.text));
    // What describe prints parses back to the same position.
    auto back = evt::parse_position(evt::describe(c.position), k_now);
    REQUIRE(back.ok());
    CHECK(*back == c.position);
  }
}

TEST_CASE("offsets: replay's --from and --to, one position each, P=POSITION per partition",
          "[offsets]") {
  SECTION("--from alone: to the end when evt starts (no end given)") {
    auto spec = evt::parse_range_ends({"-4"}, {}, k_now);
    REQUIRE(spec.ok());
    CHECK(spec->all == range(at(Kind::before_end, 4)));
    CHECK(spec->per_partition.empty());
  }
  SECTION("a partition's start keeps the end of all partitions, its end keeps their start") {
    auto spec = evt::parse_range_ends(
        {"8", "1=3", "2=@2026-11-23T10:00:00Z"}, {"1=5", "11", "3=@-1h"}, k_now);
    REQUIRE(spec.ok());
    CHECK(spec->all == range(at(Kind::absolute, 8), at(Kind::absolute, 11)));
    REQUIRE(spec->per_partition.size() == 3);
    CHECK(spec->for_partition(1) == range(at(Kind::absolute, 3), at(Kind::absolute, 5)));
    CHECK(spec->for_partition(2) == range(at(Kind::time, k_now), at(Kind::absolute, 11)));
    CHECK(spec->for_partition(3) == range(at(Kind::absolute, 8), at(Kind::time, k_now - k_hour)));
    CHECK(spec->for_partition(0) == spec->all);
  }
  SECTION("errors") {
    struct Case {
      std::vector<std::string> from;
      std::vector<std::string> to;
      std::string message;
      std::string hint;
    };
    const std::string twice_from_hint =
        "give one --from for all partitions, and --from P=SPEC for partition P";
    const std::vector<Case> cases = {
        {{"x=1"}, {}, "--from \"x=1\": the partition before '=' must be a number", ""},
        {{"0"}, {"=5"}, "--to \"=5\": the partition before '=' must be a number", ""},
        {{"2147483648=0"},
         {},
         "--from \"2147483648=0\": the partition before '=' must be a number",
         ""},
        {{"begining"},
         {},
         "--from: invalid offset \"begining\": expected beginning, end, stored, N, -N, +N or @TIME",
         "did you mean \"beginning\"?"},
        {{"0"},
         {"1=5:9"},
         "--to: invalid offset \"5:9\": expected beginning, end, stored, N, -N, +N or @TIME",
         ""},  // a position, not a range
        {{"stored"}, {}, "replay ranges cannot use \"stored\"", ""},
        {{"0"}, {"2=stored"}, "replay ranges cannot use \"stored\"", ""},
        {{"-1", "beginning"},
         {},
         "--from: \"-1\" and \"beginning\" both set the start of every partition",
         twice_from_hint},
        {{"0"},
         {"0=5", "1=6", "0=end"},
         "--to: \"0=5\" and \"0=end\" both set partition 0's end",
         "give one --to for all partitions, and --to P=SPEC for partition P"},
        {{"10"},
         {"5"},
         "invalid range --from 10 --to 5: it ends before it starts",
         "FROM:TO reads from FROM up to, not including, TO: e.g. 5:10 is offsets 5 to 9"},
        {{"end"},
         {"1=end"},
         "invalid range --from 1=end --to 1=end: it is empty (the end of a "
         "range is exclusive)",
         "FROM:TO reads from FROM up to, not including, TO: e.g. 5:10 is offsets 5 to 9"},
        {{"2=9"},
         {"3"},
         "invalid range --from 2=9 --to 2=3: it ends before it starts",
         "FROM:TO reads from FROM up to, not including, TO: e.g. 5:10 is offsets 5 to 9"},
    };
    for (const Case& c : cases) {
      INFO(c.message);
      auto spec = evt::parse_range_ends(c.from, c.to, k_now);
      REQUIRE_FALSE(spec.ok());
      CHECK(spec.error().kind == evt::ErrorKind::usage);
      CHECK(spec.error().message == c.message);
      CHECK(spec.error().hint == c.hint);
    }
  }
}
