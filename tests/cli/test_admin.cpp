// SPDX-License-Identifier: MIT
// CLI tier for `evt topic` and `evt group` against `evt broker`: what the local broker cannot
// host is refused at once (exit 1, "does not support" naming the request), the usage errors
// and the --yes rule need no broker at all, and a group reset's plan works on the committed
// offsets the local broker keeps (checked against commits made by tests/cli/peer.py). The
// verbs themselves are proven on a real Kafka in tests/kafka/test_admin.cpp.
#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/cli/cli_support.hpp"
#include "tests/support/process.hpp"

namespace {

using namespace std::string_literals;
using evt::test::LocalBroker;
using evt::test::ProcessResult;
using evt::test::cli::parse_json;
using evt::test::cli::peer_write;
using evt::test::cli::PeerWrite;

std::string describe(const ProcessResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\nstdout:\n" + result.out + "\nstderr:\n" +
         result.err;
}

}  // namespace

TEST_CASE("admin: the local broker's missing requests are named at once, exit 1",
          "[cli][admin][mock-only]") {
  LocalBroker broker({"orders:3"});
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"topic", "create", "payments", "-p", "3"}, "CreateTopics"},
      {{"topic", "create", "payments", "--dry-run"}, "CreateTopics"},
      {{"topic", "delete", "orders", "--yes"}, "DeleteTopics"},
      {{"topic", "alter", "orders", "-c", "retention.ms=1"}, "DescribeConfigs and AlterConfigs"},
      {{"topic", "add-partitions", "orders", "--to", "6"}, "CreatePartitions"},
      {{"topic", "trim", "orders", "--before", "end", "--yes"}, "DeleteRecords"},
      {{"group", "delete", "billing", "--yes"}, "DescribeGroups and DeleteGroups"},
      {{"group", "delete-offsets", "billing", "--topic", "orders", "--yes"},
       "DescribeGroups and OffsetDelete"},
      {{"group", "reset", "billing", "--topic", "orders", "--to", "beginning", "--execute"},
       "DescribeGroups"},
  };
  for (const auto& [args, request] : cases) {
    const ProcessResult result = evt::test::evt(broker, args);
    INFO(describe(result));
    CHECK(result.exit_code == 1);
    CHECK(result.err.rfind("evt: error: the broker does not support " + request + " (", 0) == 0);
    CHECK(result.out.empty());
    CHECK(result.seconds < 3.0);
  }
}

TEST_CASE("admin: a group reset's plan on the local broker, from the committed offsets",
          "[cli][admin][mock-only]") {
  LocalBroker broker({"orders:2"});
  std::vector<PeerWrite> records;
  for (int i = 0; i < 10; ++i) {
    PeerWrite record;
    record.value = "v" + std::to_string(i);
    record.partition = i % 2;
    records.push_back(record);
  }
  peer_write(broker, "orders", records);
  evt::test::cli::peer_commit(broker, "billing", "orders", {{0, 4}, {1, 1}});

  const ProcessResult plan =
      evt::test::evt(broker, {"group", "reset", "billing", "--topic", "orders", "--to", "-2"});
  INFO(describe(plan));
  CHECK(plan.exit_code == 0);
  CHECK(plan.out ==
        "TOPIC   PARTITION  CURRENT  NEW  LAG AFTER\n"
        "orders          0        4    3          2\n"
        "orders          1        1    3          2\n"
        "group billing: plan only, nothing committed; add --execute to commit 2 new offsets\n");
  CHECK(plan.err.find("the plan cannot check for members") != std::string::npos);

  const ProcessResult shifted = evt::test::evt(
      broker, {"group", "reset", "billing", "--topic", "orders", "--shift-by", "-2", "-o", "json"});
  INFO(describe(shifted));
  CHECK(shifted.exit_code == 0);
  const auto json = parse_json(shifted.out);
  CHECK_FALSE(json["executed"].boolean);
  REQUIRE(json["partitions"].items.size() == 2);
  CHECK(json["partitions"].items[0]["new"].integer() == 2);
  CHECK(json["partitions"].items[1]["new"].integer() == 0);
  CHECK(json["partitions"].items[1]["clamped"].boolean);

  // Only partition 1 named: partition 0 keeps its commit.
  const ProcessResult one = evt::test::evt(
      broker, {"group", "reset", "billing", "--topic", "orders", "--to", "1=end", "-o", "json"});
  const auto partial = parse_json(one.out);
  CHECK(partial["partitions"].items[0]["new"].integer() == 4);
  CHECK(partial["partitions"].items[1]["new"].integer() == 5);

  // The plan changed nothing: a group consumer still starts at the old commits (4 + 1 behind).
  const ProcessResult consumed =
      evt::test::evt(broker, {"consume", "orders", "-g", "billing", "-e", "-f", "%p:%o\n"});
  INFO(describe(consumed));
  std::vector<std::string> lines = evt::test::cli::split_lines(consumed.out);
  std::sort(lines.begin(), lines.end());
  CHECK(lines == std::vector<std::string>{"0:4", "1:1", "1:2", "1:3", "1:4"});
}

TEST_CASE("admin: usage errors exit 2 before any broker is asked", "[cli][admin]") {
  // No broker at this address: a usage error must come first, and fast.
  const std::vector<std::string> unreachable = {"-b", "127.0.0.1:1", "--timeout", "5s"};
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"topic", "delete", "orders"}, "refusing to delete topics without --yes"},
      {{"topic", "trim", "orders", "--before", "end"}, "refusing to delete records without --yes"},
      {{"group", "delete", "billing"}, "refusing to delete groups without --yes"},
      {{"group", "delete-offsets", "billing", "--topic", "orders"},
       "refusing to delete committed offsets without --yes"},
      {{"group", "reset", "billing", "--topic", "orders"}, "needs --to SPEC or --shift-by N"},
      {{"group", "reset", "billing", "--topic", "orders", "--to", "end", "--shift-by", "1"},
       "excludes"},
      {{"group", "reset", "billing", "--topic", "orders", "--execute", "--dry-run", "--to", "end"},
       "excludes"},
      {{"group", "reset", "billing", "--topic", "orders", "--to", "0:5"},
       "--to takes one position, not a range FROM:TO"},
      {{"topic", "trim", "orders", "--before", "stored", "--yes"}, "--before stored"},
      {{"topic", "alter", "orders"}, "needs something to change"},
      {{"topic", "create", "orders", "-c", "retention.ms"}, "expected key=value"},
      {{"topic", "create", "orders", "-p", "0"}, "--partitions must be at least 1"},
      {{"topic", "create", "orders", "-o", "yaml"}, "yaml not in {table,json}"},
      {{"topic"}, "A subcommand is required"},
      {{"topic", "delete", "orders", "__consumer_offsets", "--yes"},
       "__consumer_offsets is one of Kafka's internal topics"},
      {{"topic", "trim", "__transaction_state", "--before", "end", "--yes"},
       "evt does not delete records of it"},
      {{"topic", "add-partitions", "__consumer_offsets", "--to", "60"},
       "evt does not add partitions to it"},
  };
  for (const auto& [args, message] : cases) {
    std::vector<std::string> argv = args;
    argv.insert(argv.end(), unreachable.begin(), unreachable.end());
    const ProcessResult result = evt::test::cli::evt_raw(argv);
    INFO(describe(result));
    CHECK(result.exit_code == 2);
    CHECK(result.err.find(message) != std::string::npos);
    CHECK(result.out.empty());
    CHECK(result.seconds < 3.0);
  }
}

TEST_CASE("admin: brokers that do not answer are exit 3, named, within --timeout", "[cli][admin]") {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"topic", "create", "payments"},
        std::vector<std::string>{"topic", "trim", "orders", "--before", "end", "--yes"},
        std::vector<std::string>{"group", "reset", "billing", "--topic", "orders", "--to", "end"},
        std::vector<std::string>{"group", "delete", "billing", "--yes"}}) {
    // A broker that accepts connections and never answers: evt waits --timeout, then names it.
    const evt::test::cli::SilentListener silent;
    std::vector<std::string> argv = args;
    for (const std::string& extra : {"-b"s, silent.address(), "--timeout"s, "1s"s}) {
      argv.push_back(extra);
    }
    const ProcessResult result = evt::test::cli::evt_raw(argv);
    INFO(describe(result));
    CHECK(result.exit_code == 3);
    CHECK(result.err.rfind("evt: error: cannot reach brokers " + silent.address() + " within 1s\n",
                           0) == 0);
    CHECK(result.seconds < 4.0);
    // Every address refusing the connection: at once, with the cause.
    argv = args;
    for (const char* extra : {"-b", "127.0.0.1:1", "--timeout", "5s"}) {
      argv.push_back(extra);
    }
    const ProcessResult refused = evt::test::cli::evt_raw(argv);
    INFO(describe(refused));
    CHECK(refused.exit_code == 3);
    CHECK_THAT(refused.err, Catch::Contains("127.0.0.1:1: Connection refused"));
    CHECK(refused.seconds < 3.0);
  }
}

TEST_CASE("admin: --help shows the verbs, the exit codes and examples", "[cli][admin]") {
  const ProcessResult topic = evt::test::cli::evt_raw({"topic", "--help"});
  CHECK(topic.exit_code == 0);
  for (const char* verb : {"create", "delete", "alter", "add-partitions", "trim"}) {
    CHECK(topic.out.find(verb) != std::string::npos);
  }
  CHECK(topic.out.find("evt topic trim orders --before @-7d --yes") != std::string::npos);
  const ProcessResult reset = evt::test::cli::evt_raw({"group", "reset", "--help"});
  CHECK(reset.exit_code == 0);
  CHECK(reset.out.find("--shift-by") != std::string::npos);
  CHECK(reset.out.find("evt group reset billing --topic orders --to @-2h --execute") !=
        std::string::npos);
}
