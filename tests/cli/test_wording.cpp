// SPDX-License-Identifier: MIT
// What a new user reads (issue 23, wording): counts with the right plural, and a missing argument
// named as the usage line names it.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/cli/cli_support.hpp"
#include "tests/support/process.hpp"

namespace {

using evt::test::LocalBroker;
using evt::test::ProcessResult;
using evt::test::cli::evt_raw;
using evt::test::cli::input;

std::string describe(const ProcessResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\nstdout: " + result.out +
         "\nstderr: " + result.err;
}

}  // namespace

TEST_CASE("wording: a count of one is \"1 record\", never \"1 records\"", "[cli][wording]") {
  LocalBroker broker({"one:1", "one-copy:1"});
  const ProcessResult produced = evt::test::evt(broker, {"produce", "one", "-v"}, input("a\n"));
  INFO(describe(produced));
  REQUIRE(produced.exit_code == 0);
  CHECK_THAT(produced.err, Catch::Contains("evt: 1 record read, 1 delivered, 0 not delivered"));

  const ProcessResult consumed = evt::test::evt(broker, {"consume", "one", "-e", "-v"});
  INFO(describe(consumed));
  CHECK(consumed.out == "a\n");
  CHECK_THAT(consumed.err, Catch::Contains("evt: 1 record written"));

  const ProcessResult tailed =
      evt::test::evt(broker, {"tail", "one", "-n", "1", "--no-follow", "-v"});
  INFO(describe(tailed));
  CHECK_THAT(tailed.err, Catch::Contains("evt: 1 record shown"));

  const ProcessResult replayed =
      evt::test::evt(broker, {"replay", "one", "--from", "beginning", "--into", "one-copy", "-v"});
  INFO(describe(replayed));
  CHECK(replayed.exit_code == 0);
  CHECK_THAT(replayed.err, Catch::Contains("evt: 1 record in the range, 1 written, 0 not"));

  const ProcessResult inspected = evt::test::evt(broker, {"inspect", "topic", "one"});
  INFO(describe(inspected));
  CHECK_THAT(inspected.out, Catch::StartsWith("topic one: 1 partition, 1 record\n"));

  for (const ProcessResult* result : {&produced, &consumed, &tailed, &replayed, &inspected}) {
    CHECK(result->err.find("1 records") == std::string::npos);
    CHECK(result->out.find("1 records") == std::string::npos);
    CHECK(result->out.find("1 partitions") == std::string::npos);
  }
}

TEST_CASE("wording: a missing argument is named as the usage line names it", "[cli][wording]") {
  struct Case {
    std::vector<std::string> args;
    std::string message;
    std::string usage;
  };
  const std::vector<Case> cases = {
      {{"inspect", "topic"},
       "inspect topic: a topic name (TOPIC) is required",
       "Usage: evt inspect topic [OPTIONS] TOPIC"},
      {{"inspect", "group"},
       "inspect group: a group id (GROUP) is required",
       "Usage: evt inspect group [OPTIONS] GROUP"},
      {{"inspect", "message", "orders", "0"},
       "inspect message: an offset (OFFSET) is required",
       "Usage: evt inspect message [OPTIONS] TOPIC PARTITION OFFSET"},
      {{"topic", "create"},
       "topic create: a topic name (TOPIC) is required",
       "Usage: evt topic create [OPTIONS] TOPIC..."},
      {{"consume"},
       "consume: a topic name (TOPIC) is required",
       "Usage: evt consume [OPTIONS] TOPIC..."},
      {{"group", "reset"},
       "group reset: a group id (GROUP) is required",
       "Usage: evt group reset [OPTIONS] GROUP"},
      {{"config", "use"},
       "config use: a context name (NAME) is required",
       "Usage: evt config use [OPTIONS] NAME"},
  };
  for (const Case& c : cases) {
    const ProcessResult result = evt_raw(c.args);
    INFO(describe(result));
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::StartsWith("evt: error: " + c.message + "\n"));
    std::vector<std::string> help = c.args;
    help.push_back("--help");
    const ProcessResult usage = evt_raw(help);
    CHECK_THAT(usage.out, Catch::Contains(c.usage + "\n"));
  }
}
