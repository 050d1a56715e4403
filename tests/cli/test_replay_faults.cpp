// SPDX-License-Identifier: MIT
// CLI tier, replay against faults: its source reads through the record layer's error policy
// (every broker gone ends the copy with exit 3 and a resume command, instead of a loop that
// never ends), and its transaction's end says why a commit failed. The real binary against
// `evt broker`, with faults injected through `evt broker fault`.
#include <chrono>
#include <map>
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
using evt::test::TempDir;
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
  // the signal. As in produce, -v answers the first signal with what is still being delivered,
  // a second gives up at once, and the exit status is 130 with the records left counted.
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
  const bool twice = GENERATE(false, true);
  INFO((twice ? "two signals" : "one signal"));
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
                                           "-v",
                                           "--timeout",
                                           twice ? "30s" : "2s",
                                           "-X",
                                           "message.timeout.ms=60000"}),
                 evt::test::cli::evt_env());
  std::this_thread::sleep_for(1500ms);
  destination.fault("down 1");
  std::this_thread::sleep_for(2500ms);  // the queue fills within a second at 20k a second
  replay.signal(SIGINT);
  if (twice) {
    std::this_thread::sleep_for(500ms);
    replay.signal(SIGINT);
  }
  const ProcessResult result = replay.wait(40s);
  INFO("stderr: " << result.err);
  CHECK_FALSE(result.timed_out);
  // One signal: what was queued is waited for --timeout (2 s); two: not waited for at all
  // (the --timeout of 30 s would show).
  CHECK(result.seconds < 10.0);
  CHECK(result.exit_code == 130);
  CHECK_THAT(result.err, !Catch::Contains("interrupted while waiting for room"));
  // The first signal said how many records were still queued; exactly those were not
  // delivered (the destination stayed down), and the copy resumes at the first of them.
  std::smatch announced;
  const std::regex announcement(
      "evt: interrupted: delivering ([0-9]+) queued records for up to (2s|30s) \\(Ctrl-C again "
      "to abandon them\\)\n");
  REQUIRE(std::regex_search(result.err, announced, announcement));
  CHECK(announced[2] == (twice ? "30s" : "2s"));
  const std::string queued = announced[1];
  std::smatch outcome;
  const std::regex interrupted(
      "evt: error: interrupted after ([0-9]+) of 100000 records; ([0-9]+) of ([0-9]+) records not "
      "delivered");
  REQUIRE(std::regex_search(result.err, outcome, interrupted));
  CHECK(outcome[2] == queued);
  const long written = std::stol(outcome[1]);
  CHECK(written + std::stol(queued) == std::stol(outcome[3]));  // every record read is counted
  CHECK(result.err.find("delivering") < result.err.find("interrupted after"));
  CHECK_THAT(
      result.err,
      Catch::Contains("resume with: evt replay src --from 0=" + std::to_string(written) + " "));
}

TEST_CASE("replay faults: the first Ctrl-C on a terminal says what is still queued below the bar",
          "[cli][replay][mock-only]") {
  // stderr on a pseudo-terminal (util-linux `script`), no -v: the progress bar is drawn. Two
  // records a second (12: 6 s); the destination goes down after the first few, Ctrl-C comes a
  // second later, and what is still queued is announced on a line of its own, not glued to the
  // bar.
  evt::test::LocalBroker source({"src:1"});
  FaultCluster destination({"dst:1"}, 1);
  std::string lines;
  for (int i = 0; i < 12; ++i) {
    lines += "r" + std::to_string(i) + "\n";
  }
  RunOptions input;
  input.stdin_data = lines;
  REQUIRE(evt::test::evt(source, {"produce", "src"}, input).exit_code == 0);
  std::map<std::string, std::string> env = evt::test::cli::evt_env();
  env["EVT"] = evt::test::evt_binary();
  env["B"] = source.bootstrap();
  env["D"] = destination.bootstrap();
  // The signal waits for the file $GO, which the test writes once the destination is down.
  TempDir dir;
  env["GO"] = dir.file("go");
  Process terminal({"/usr/bin/script",
                    "-qfec",
                    "\"$EVT\" replay src --from beginning --into dst --into-brokers \"$D\" "
                    "--rate 2 --timeout 2s -b \"$B\" & p=$!; "
                    "while [ ! -e \"$GO\" ]; do sleep 0.1; done; sleep 1; kill -INT $p; "
                    "wait $p; echo \"replay exit $?\"",
                    "/dev/null"},
                   env);
  REQUIRE(evt::test::cli::eventually(
      5s, [&] { return evt::test::cli::peer_read(destination.bootstrap(), "dst").size() >= 2; }));
  destination.fault("down 1");
  dir.write("go", "");
  const ProcessResult result = terminal.wait(30s);
  INFO("terminal: " << Catch::StringMaker<evt::test::cli::Bytes>::convert(result.out));
  CHECK_FALSE(result.timed_out);
  CHECK_THAT(result.out, Catch::Contains("replay exit 130"));
  const std::size_t said = result.out.find("evt: interrupted: delivering ");
  REQUIRE(said != std::string::npos);
  REQUIRE(said > 0);
  CHECK(result.out[said - 1] == '\n');   // a line of its own, after the bar
  CHECK(result.out.find("ETA") < said);  // the bar was drawn before
  CHECK_THAT(result.out.substr(said), Catch::Contains("(Ctrl-C again to abandon them)"));
}
