// SPDX-License-Identifier: MIT
// Unit tests of what `evt topic trim`, `evt group reset` and `evt topic alter` plan, with made-up
// partitions, commits and configs, and a fake time lookup (no broker).
#include "evt/ops/admin_plan.hpp"

#include <map>

#include <catch2/catch.hpp>

#include "evt/ops/group_admin.hpp"
#include "evt/ops/topic_admin.hpp"

namespace {

using evt::ErrorKind;
using evt::Position;
using evt::kafka::GroupOffsets;
using evt::kafka::PartitionState;
using evt::kafka::TopicConfigEntry;
using evt::kafka::TopicState;
using evt::ops::ResetRequest;
using evt::ops::ResetRow;

constexpr std::int64_t k_now = 1'800'000'000'000;

// orders: partition 0 holds [10, 20), 1 holds [0, 5), 2 is empty at 7.
TopicState orders() {
  return TopicState{"orders", {{0, 10, 20}, {1, 0, 5}, {2, 7, 7}}};
}

// Records of partition P at offset O have timestamp 1000 * O + P, so the first at or after T
// is ceil((T - P) / 1000), within [low, high].
evt::Result<std::int64_t> fake_time(const std::string&, const PartitionState& p, std::int64_t t) {
  const std::int64_t offset = (t - p.partition + 999) / 1000;
  return std::clamp(offset, p.low, p.high);
}

evt::OffsetSpec positions(const std::vector<std::string>& args, Position fallback) {
  auto spec = evt::ops::parse_positions(args, "--to", fallback, true, k_now);
  REQUIRE(spec.ok());
  return *spec;
}

std::vector<std::optional<std::int64_t>> targets(const std::vector<ResetRow>& rows) {
  std::vector<std::optional<std::int64_t>> out;
  for (const ResetRow& row : rows) {
    out.push_back(row.target);
  }
  return out;
}

std::vector<std::int64_t> befores(const std::vector<evt::ops::TrimRow>& rows) {
  std::vector<std::int64_t> out;
  for (const auto& row : rows) {
    out.push_back(row.before);
  }
  return out;
}

const Position k_stored{Position::Kind::stored, 0};
const Position k_beginning{Position::Kind::beginning, 0};

evt::Result<std::vector<ResetRow>> reset(const std::vector<std::string>& to,
                                         const GroupOffsets& committed) {
  ResetRequest request;
  request.to = positions(to, k_stored);
  return evt::ops::plan_reset({orders()}, committed, request, fake_time);
}

}  // namespace

TEST_CASE("reset plan: beginning, end, N, -N and +N per partition", "[admin][unit]") {
  const GroupOffsets committed = {{{"orders", 0}, 15}, {{"orders", 1}, 3}};
  auto rows = reset({"beginning"}, committed);
  REQUIRE(rows.ok());
  CHECK(targets(*rows) == std::vector<std::optional<std::int64_t>>{10, 0, 7});
  CHECK((*rows)[0].current == 15);
  CHECK((*rows)[2].current == std::nullopt);
  CHECK((*rows)[0].lag_after() == 10);

  CHECK(targets(*reset({"end"}, committed)) == std::vector<std::optional<std::int64_t>>{20, 5, 7});
  CHECK(targets(*reset({"-3"}, committed)) == std::vector<std::optional<std::int64_t>>{17, 2, 7});
  CHECK(targets(*reset({"-30"}, committed)) == std::vector<std::optional<std::int64_t>>{10, 0, 7});
  CHECK(targets(*reset({"+2"}, committed)) == std::vector<std::optional<std::int64_t>>{12, 2, 7});
  CHECK(targets(*reset({"+9"}, committed)) == std::vector<std::optional<std::int64_t>>{19, 5, 7});
}

TEST_CASE("reset plan: an absolute offset outside a partition is clamped and marked",
          "[admin][unit]") {
  auto rows = reset({"12"}, {});
  REQUIRE(rows.ok());
  CHECK(targets(*rows) == std::vector<std::optional<std::int64_t>>{12, 5, 7});
  CHECK_FALSE((*rows)[0].clamped);
  CHECK((*rows)[1].clamped);  // 12 is past partition 1's end, 5
  CHECK((*rows)[2].clamped);
  auto low = reset({"3"}, {});
  REQUIRE(low.ok());
  CHECK((*low)[0].target == 10);  // before partition 0's first record
  CHECK((*low)[0].clamped);
}

TEST_CASE("reset plan: P=SPEC moves only partition P, the others keep their commit",
          "[admin][unit]") {
  const GroupOffsets committed = {{{"orders", 0}, 15}, {{"orders", 1}, 3}};
  auto rows = reset({"1=beginning"}, committed);
  REQUIRE(rows.ok());
  CHECK(targets(*rows) == std::vector<std::optional<std::int64_t>>{15, 0, std::nullopt});
  CHECK_FALSE((*rows)[0].changes());
  CHECK((*rows)[1].changes());
  CHECK_FALSE((*rows)[2].changes());
  CHECK((*rows)[2].lag_after() == std::nullopt);
  // A default for all and an override for one.
  CHECK(targets(*reset({"end", "0=12"}, committed)) ==
        std::vector<std::optional<std::int64_t>>{12, 5, 7});
}

TEST_CASE("reset plan: @TIME asks the lookup per partition", "[admin][unit]") {
  auto rows = reset({"@15000"}, {});
  REQUIRE(rows.ok());
  // partition 0: ceil(15000/1000) = 15; partition 1: ceil(14999/1000) = 15 -> clamped by the
  // lookup to its end 5; partition 2: empty at 7.
  CHECK(targets(*rows) == std::vector<std::optional<std::int64_t>>{15, 5, 7});
  // Relative times are anchored at now: @-1h is k_now - 3600000.
  std::vector<std::int64_t> asked;
  ResetRequest request;
  request.to = positions({"@-1h"}, k_stored);
  auto relative = evt::ops::plan_reset(
      {orders()}, {}, request, [&](const std::string&, const PartitionState& p, std::int64_t t) {
        asked.push_back(t);
        return evt::Result<std::int64_t>(p.low);
      });
  REQUIRE(relative.ok());
  CHECK(asked == std::vector<std::int64_t>(3, k_now - 3'600'000));
}

TEST_CASE("reset plan: a failing time lookup fails the plan", "[admin][unit]") {
  ResetRequest request;
  request.to = positions({"@-1h"}, k_stored);
  auto rows = evt::ops::plan_reset(
      {orders()}, {}, request, [](const std::string&, const PartitionState&, std::int64_t) {
        return evt::Result<std::int64_t>(evt::fail(ErrorKind::unreachable, "no answer"));
      });
  REQUIRE_FALSE(rows.ok());
  CHECK(rows.error().kind == ErrorKind::unreachable);
}

TEST_CASE("reset plan: --shift-by moves each commit, clamped to the partition", "[admin][unit]") {
  const GroupOffsets committed = {{{"orders", 0}, 15}, {{"orders", 1}, 3}, {{"orders", 2}, 7}};
  ResetRequest back;
  back.shift_by = -4;
  auto rows = evt::ops::plan_reset({orders()}, committed, back, fake_time);
  REQUIRE(rows.ok());
  CHECK(targets(*rows) == std::vector<std::optional<std::int64_t>>{11, 0, 7});
  CHECK_FALSE((*rows)[0].clamped);
  CHECK((*rows)[1].clamped);  // 3 - 4 = -1, before the beginning
  ResetRequest forward;
  forward.shift_by = 4;
  rows = evt::ops::plan_reset({orders()}, committed, forward, fake_time);
  REQUIRE(rows.ok());
  CHECK(targets(*rows) == std::vector<std::optional<std::int64_t>>{19, 5, 7});
  CHECK((*rows)[0].lag_after() == 1);
}

TEST_CASE("reset plan: --shift-by without a commit to shift names the partitions",
          "[admin][unit]") {
  ResetRequest request;
  request.shift_by = 1;
  auto rows = evt::ops::plan_reset({orders()}, {{{"orders", 0}, 15}}, request, fake_time);
  REQUIRE_FALSE(rows.ok());
  CHECK(rows.error().kind == ErrorKind::usage);
  CHECK(rows.error().message.find("orders/1, orders/2") != std::string::npos);
}

TEST_CASE("reset plan: a partition the topic lacks is not found", "[admin][unit]") {
  auto rows = reset({"7=beginning"}, {});
  REQUIRE_FALSE(rows.ok());
  CHECK(rows.error().kind == ErrorKind::not_found);
  CHECK(rows.error().message == "partition 7 does not exist: topic \"orders\" has 3 partitions");
}

TEST_CASE("positions: ranges are refused, stored only where a group is", "[admin][unit]") {
  auto range = evt::ops::parse_positions({"0:5"}, "--to", k_stored, true, k_now);
  REQUIRE_FALSE(range.ok());
  CHECK(range.error().kind == ErrorKind::usage);
  CHECK(range.error().message == "--to takes one position, not a range FROM:TO");
  auto stored = evt::ops::parse_positions({"stored"}, "--before", k_beginning, false, k_now);
  REQUIRE_FALSE(stored.ok());
  CHECK(stored.error().message == "--before stored: there is no group here");
  auto bad = evt::ops::parse_positions({"yesterday"}, "--before", k_beginning, false, k_now);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind == ErrorKind::usage);
  CHECK(bad.error().message.rfind("--before: ", 0) == 0);
}

TEST_CASE("trim plan: positions per partition, nothing before the low watermark", "[admin][unit]") {
  auto plan = [](const std::vector<std::string>& before) {
    auto spec = evt::ops::parse_positions(before, "--before", k_beginning, false, k_now);
    REQUIRE(spec.ok());
    return evt::ops::plan_trim(orders(), *spec, fake_time);
  };
  auto rows = plan({"-2"});
  REQUIRE(rows.ok());
  CHECK(befores(*rows) == std::vector<std::int64_t>{18, 3, 7});
  CHECK((*rows)[0].deleted() == 8);
  CHECK((*rows)[1].deleted() == 3);
  CHECK((*rows)[2].deleted() == 0);

  CHECK(befores(*plan({"end"})) == std::vector<std::int64_t>{20, 5, 7});
  CHECK(befores(*plan({"+1"})) == std::vector<std::int64_t>{11, 1, 7});
  // Only partition 0 named: the others keep everything (the fallback is the beginning).
  CHECK(befores(*plan({"0=15"})) == std::vector<std::int64_t>{15, 0, 7});
  // Before partition 0's low watermark: nothing to delete there.
  auto early = plan({"0=4"});
  REQUIRE(early.ok());
  CHECK((*early)[0].before == 10);
  CHECK((*early)[0].deleted() == 0);
  CHECK(befores(*plan({"@12500"})) == std::vector<std::int64_t>{13, 5, 7});
}

TEST_CASE("trim plan: past a partition's end is a usage error, a missing partition not found",
          "[admin][unit]") {
  auto spec = evt::ops::parse_positions({"1=6"}, "--before", k_beginning, false, k_now);
  REQUIRE(spec.ok());
  auto past = evt::ops::plan_trim(orders(), *spec, fake_time);
  REQUIRE_FALSE(past.ok());
  CHECK(past.error().kind == ErrorKind::usage);
  CHECK(past.error().message ==
        "--before 6: partition 1 ends at offset 5; there is nothing to delete past its end");
  spec = evt::ops::parse_positions({"3=1"}, "--before", k_beginning, false, k_now);
  REQUIRE(spec.ok());
  auto missing = evt::ops::plan_trim(orders(), *spec, fake_time);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == ErrorKind::not_found);
}

namespace {

std::vector<TopicConfigEntry> topic_configs() {
  return {
      {"cleanup.policy", "compact", true, false, false},
      {"retention.ms", "604800000", false, false, false},
      {"segment.bytes", "1048576", true, false, false},
      {"message.format.version", "3.0", false, false, true},
  };
}

}  // namespace

TEST_CASE("alter plan: changes say old -> new, the other overrides are kept", "[admin][unit]") {
  auto plan =
      evt::ops::plan_alter(topic_configs(), {{"retention.ms", "3600000"}}, {"cleanup.policy"});
  REQUIRE(plan.ok());
  REQUIRE(plan->changes.size() == 2);
  CHECK(plan->changes[0].name == "cleanup.policy");
  CHECK(plan->changes[0].old_value == "compact");
  CHECK(plan->changes[0].old_set);
  CHECK(plan->changes[0].new_value == std::nullopt);
  CHECK_FALSE(plan->changes[0].new_set);
  CHECK(plan->changes[1].name == "retention.ms");
  CHECK(plan->changes[1].old_value == "604800000");
  CHECK_FALSE(plan->changes[1].old_set);
  CHECK(plan->changes[1].new_value == "3600000");
  // The whole set of overrides AlterConfigs gets: segment.bytes kept, cleanup.policy gone.
  CHECK(plan->overrides == std::vector<std::pair<std::string, std::string>>{
                               {"retention.ms", "3600000"}, {"segment.bytes", "1048576"}});
}

TEST_CASE("alter plan: setting the same value or unsetting what is not set changes nothing",
          "[admin][unit]") {
  auto plan =
      evt::ops::plan_alter(topic_configs(), {{"segment.bytes", "1048576"}}, {"retention.ms"});
  REQUIRE(plan.ok());
  CHECK(plan->changes.empty());
}

TEST_CASE("alter plan: unknown and read-only names are usage errors", "[admin][unit]") {
  auto typo = evt::ops::plan_alter(topic_configs(), {{"retention.mss", "1"}}, {});
  REQUIRE_FALSE(typo.ok());
  CHECK(typo.error().kind == ErrorKind::usage);
  CHECK(typo.error().hint == "did you mean 'retention.ms'?");
  auto read_only = evt::ops::plan_alter(topic_configs(), {}, {"message.format.version"});
  REQUIRE_FALSE(read_only.ok());
  CHECK(read_only.error().message == "--unset message.format.version: the config is read-only");
  auto both = evt::ops::plan_alter(topic_configs(), {{"retention.ms", "1"}}, {"retention.ms"});
  REQUIRE_FALSE(both.ok());
  CHECK(both.error().kind == ErrorKind::usage);
}

TEST_CASE("alter plan: a sensitive override that cannot be read back is not silently dropped",
          "[admin][unit]") {
  std::vector<TopicConfigEntry> configs = topic_configs();
  configs.push_back({"secret.key", std::nullopt, true, true, false});
  auto plan = evt::ops::plan_alter(configs, {{"retention.ms", "1"}}, {});
  REQUIRE_FALSE(plan.ok());
  CHECK(plan.error().kind == ErrorKind::kafka);
  CHECK(plan.error().message.rfind("topic config secret.key is sensitive", 0) == 0);
  // Setting it again (or unsetting it) in the same command is fine.
  auto again = evt::ops::plan_alter(configs, {{"retention.ms", "1"}, {"secret.key", "k2"}}, {});
  REQUIRE(again.ok());
  CHECK(again->overrides.size() == 4);
}

TEST_CASE("config pairs: key=value, in order, malformed or repeated keys are usage errors",
          "[admin][unit]") {
  auto pairs = evt::ops::parse_config_pairs({"a=1", "b=x=y", "c="}, "-c");
  REQUIRE(pairs.ok());
  CHECK(*pairs ==
        std::vector<std::pair<std::string, std::string>>{{"a", "1"}, {"b", "x=y"}, {"c", ""}});
  CHECK(evt::ops::parse_config_pairs({"novalue"}, "-c").error().kind == ErrorKind::usage);
  CHECK(evt::ops::parse_config_pairs({"=1"}, "-c").error().kind == ErrorKind::usage);
  CHECK(evt::ops::parse_config_pairs({"a=1", "a=2"}, "-c").error().message ==
        "-c a: given more than once");
}

TEST_CASE("views: the reset plan as a table and as JSON", "[admin][unit]") {
  const GroupOffsets committed = {{{"orders", 0}, 15}, {{"orders", 1}, 3}};
  auto rows = reset({"1=beginning", "0=99"}, committed);
  REQUIRE(rows.ok());
  CHECK(evt::ops::render_reset("billing", *rows, false, evt::ops::AdminOutput::table) ==
        "TOPIC   PARTITION  CURRENT  NEW  LAG AFTER  NOTE\n"
        "orders          0       15   20          0  clamped to the end\n"
        "orders          1        3    0          5\n"
        "orders          2        -    -          -\n"
        "group billing: plan only, nothing committed; add --execute to commit 2 new offsets\n");
  CHECK(evt::ops::render_reset("billing", *rows, true, evt::ops::AdminOutput::json) ==
        "{\"group\":\"billing\",\"executed\":true,\"partitions\":["
        "{\"topic\":\"orders\",\"partition\":0,\"current\":15,\"new\":20,\"low\":10,\"high\":20,"
        "\"lag_after\":0,\"clamped\":true},"
        "{\"topic\":\"orders\",\"partition\":1,\"current\":3,\"new\":0,\"low\":0,\"high\":5,"
        "\"lag_after\":5,\"clamped\":false},"
        "{\"topic\":\"orders\",\"partition\":2,\"current\":null,\"new\":null,\"low\":7,"
        "\"high\":7,\"lag_after\":null,\"clamped\":false}]}\n");
}

TEST_CASE("views: trim and alter results", "[admin][unit]") {
  std::vector<evt::ops::TrimRow> rows = {{0, 10, 20, 15, 15}, {1, 0, 5, 0, std::nullopt}};
  CHECK(evt::ops::render_trim("orders", rows, false, evt::ops::AdminOutput::table) ==
        "topic orders: deleted 5 records\n"
        "PARTITION  OLD LOW  NEW LOW  HIGH  DELETED\n"
        "        0       10       15    20        5\n"
        "        1        0        0     5        0\n");
  CHECK(evt::ops::render_trim("orders", rows, true, evt::ops::AdminOutput::json) ==
        "{\"topic\":\"orders\",\"dry_run\":true,\"deleted\":5,\"partitions\":["
        "{\"partition\":0,\"old_low\":10,\"new_low\":15,\"high\":20,\"deleted\":5},"
        "{\"partition\":1,\"old_low\":0,\"new_low\":0,\"high\":5,\"deleted\":0}]}\n");
  const std::vector<evt::ops::ConfigChange> changes = {
      {"retention.ms", "604800000", "3600000", false, true},
      {"cleanup.policy", "compact", "delete", true, false}};
  CHECK(evt::ops::render_alter("orders", changes, false, evt::ops::AdminOutput::table) ==
        "topic orders: changed\n"
        "CONFIG          OLD                        NEW\n"
        "retention.ms    604800000 (inherited)  ->  3600000\n"
        "cleanup.policy  compact                ->  delete (inherited)\n");
  CHECK(evt::ops::render_alter("orders", changes, true, evt::ops::AdminOutput::json) ==
        "{\"topic\":\"orders\",\"dry_run\":true,\"changes\":["
        "{\"config\":\"retention.ms\",\"old\":\"604800000\",\"old_source\":\"inherited\","
        "\"new\":\"3600000\",\"new_source\":\"topic\"},"
        "{\"config\":\"cleanup.policy\",\"old\":\"compact\",\"old_source\":\"topic\","
        "\"new\":\"delete\",\"new_source\":\"inherited\"}]}\n");
}
