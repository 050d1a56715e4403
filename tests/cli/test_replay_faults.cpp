// SPDX-License-Identifier: MIT
// CLI tier, replay against faults: its source reads through the record layer's error policy
// (every broker gone ends the copy with exit 3 and a resume command, instead of a loop that
// never ends), and its transaction's end says why a commit failed. The real binary against
// `evt broker`, with faults injected through `evt broker fault`.
#include <chrono>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/cli/cli_support.hpp"
#include "tests/support/process.hpp"
#include <signal.h>

namespace {

using namespace std::chrono_literals;
using evt::test::Process;
using evt::test::ProcessResult;
using evt::test::RunOptions;
using evt::test::cli::FaultCluster;
using evt::test::cli::split_lines;

}  // namespace

TEST_CASE("replay faults: every broker gone ends the copy with exit 3, resumably",
          "[cli][replay]") {
  FaultCluster cluster({"gone:4"}, 3);
  evt::test::cli::produce_keyed(cluster, "gone", 200'000);

  // Small fetches and a small prefetch queue: most records are still on the brokers when they
  // go. To stdout, one "partition offset" line per record.
  Process replay(cluster.argv({"replay",
                               "gone",
                               "--from",
                               "beginning",
                               "-f",
                               "%p %o\\n",
                               "--timeout",
                               "3s",
                               "-X",
                               "fetch.message.max.bytes=4096",
                               "-X",
                               "queued.min.messages=1000"}),
                 evt::test::cli::evt_env());
  REQUIRE(split_lines(replay.read_lines(1000, 20s)).size() >= 1000);
  const auto down_at = std::chrono::steady_clock::now();
  for (int broker = 1; broker <= 3; ++broker) {
    cluster.fault("down " + std::to_string(broker));
  }
  const ProcessResult first = replay.wait(60s);
  const double seconds = evt::test::cli::seconds_since(down_at);
  INFO("stderr: " << first.err);
  REQUIRE_FALSE(first.timed_out);
  CHECK(first.exit_code == 3);
  CHECK(seconds < 30);
  const std::vector<std::string> written = split_lines(first.out);
  CHECK_THAT(first.err,
             Catch::Contains("lost every broker") &&
                 Catch::Contains("(" + std::to_string(written.size()) + " records written)"));
  std::smatch match;
  REQUIRE(std::regex_search(first.err, match, std::regex("resume with: evt replay ([^\\n]*)")));

  for (int broker = 1; broker <= 3; ++broker) {
    cluster.fault("up " + std::to_string(broker));
  }
  // The hint is a shell command (the layout is quoted): run it with sh.
  RunOptions shell_options;
  shell_options.env = evt::test::cli::evt_env();
  shell_options.env["EVT"] = evt::test::evt_binary();
  shell_options.timeout = 120s;
  const ProcessResult rest =
      evt::test::run({"/bin/sh", "-c", "\"$EVT\" replay " + match[1].str()}, shell_options);
  INFO("resume stderr: " << rest.err);
  CHECK(rest.exit_code == 0);
  std::multiset<std::string> all(written.begin(), written.end());
  for (const std::string& line : split_lines(rest.out)) {
    all.insert(line);
  }
  CHECK(all.size() == 200'000);
  CHECK(std::set<std::string>(all.begin(), all.end()).size() == 200'000);
}

TEST_CASE("replay faults: a transaction whose commit fails is aborted, and the error says why",
          "[cli][replay]") {
  FaultCluster cluster({"src:1", "dst:1"}, 1);
  RunOptions input;
  input.stdin_data = "a\nb\nc\n";
  REQUIRE(cluster.evt({"produce", "src"}, input).exit_code == 0);
  cluster.fault("errors EndTxn 1 INVALID_TXN_STATE");
  const ProcessResult result = cluster.evt(
      {"replay", "src", "--from", "beginning", "--into", "dst", "--transactional-id", "evt-fail"});
  INFO("stderr: " << result.err);
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err,
             Catch::Contains("3 of 3 records not delivered; the transaction was aborted (cannot "
                             "commit the transaction: ") &&
                 Catch::Contains("invalid state") &&
                 Catch::Contains("resume with: evt replay src --from 0=0"));
}

TEST_CASE("replay faults: Ctrl-C while the destination's queue is full stops the copy there",
          "[cli][replay]") {
  // The source is fine; the destination goes down mid-copy, so the producer's queue (20k
  // records) fills and replay waits for room. Ctrl-C ends that wait like any other: the record
  // being sent is where the resume command starts, not a record "not delivered" because of
  // the signal.
  evt::test::LocalBroker source({"src:1"});
  FaultCluster destination({"dst:1"}, 1);
  std::string lines;
  for (int i = 0; i < 100'000; ++i) {
    lines += std::to_string(i) + "\n";
  }
  RunOptions input;
  input.stdin_data = lines;
  input.timeout = 60s;
  REQUIRE(evt::test::evt(source, {"produce", "src"}, input).exit_code == 0);
  Process replay(evt::test::cli::evt_argv(source,
                                          {"replay",
                                           "src",
                                           "--from",
                                           "beginning",
                                           "--into",
                                           "dst",
                                           "--into-brokers",
                                           destination.bootstrap(),
                                           "--rate",
                                           "20000",
                                           "--timeout",
                                           "2s",
                                           "-X",
                                           "message.timeout.ms=60000"}),
                 evt::test::cli::evt_env());
  std::this_thread::sleep_for(1500ms);
  destination.fault("down 1");
  std::this_thread::sleep_for(2500ms);  // the queue fills within a second at 20k a second
  replay.signal(SIGINT);
  const ProcessResult result = replay.wait(30s);
  INFO("stderr: " << result.err);
  CHECK_FALSE(result.timed_out);
  CHECK(result.seconds < 10.0);
  // What was queued could not be delivered within --timeout: exit 1, with the resume command.
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains("records not delivered"));
  CHECK_THAT(result.err, Catch::Contains("resume with: evt replay src --from 0="));
  CHECK_THAT(result.err, !Catch::Contains("interrupted while waiting for room"));
}
