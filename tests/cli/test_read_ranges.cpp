// SPDX-License-Identifier: MIT
// CLI tier, reading ranges: evt never prints a record that was not asked for (a start past the
// end, an offset out of range while reading), and a bounded read ends when every broker is gone
// (exit 3, with what was written and where to resume). The real binary against `evt broker`,
// with faults injected through `evt broker fault`.
#include <chrono>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
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

using Lines = std::vector<std::string>;

// `count` records "v0".. into partition 0 of `topic`, with evt produce.
void fill(const FaultCluster& cluster, const std::string& topic, int count) {
  std::string lines;
  for (int i = 0; i < count; ++i) {
    lines += "v" + std::to_string(i) + "\n";
  }
  RunOptions input;
  input.stdin_data = lines;
  REQUIRE(cluster.evt({"produce", topic, "-p", "0"}, input).exit_code == 0);
}

// "o" lines for offsets [from, to).
Lines offsets(int from, int to) {
  Lines lines;
  for (int i = from; i < to; ++i) {
    lines.push_back(std::to_string(i));
  }
  return lines;
}

}  // namespace

TEST_CASE("ranges: a start past the end is never read from 0: exit 5, or a wait for it",
          "[cli][ranges]") {
  FaultCluster cluster({"t:1"}, 1);
  fill(cluster, "t", 100);  // offsets 0..99

  SECTION("consume: a range wholly past the end exits 5 and prints nothing") {
    for (const auto& range :
         {Lines{"-o", "150:160"}, Lines{"-o", "101", "-e"}, Lines{"-o", "0=101:200"}}) {
      Lines args = {"consume", "t", "-f", "%o\\n"};
      args.insert(args.end(), range.begin(), range.end());
      const ProcessResult result = cluster.evt(args);
      INFO(range[1] << " stderr: " << result.err);
      CHECK(result.exit_code == 5);
      CHECK(result.out.empty());
      CHECK_THAT(result.err, Catch::Contains("past its end 100"));
    }
    // At the end is not past it: nothing to read, exit 0.
    const ProcessResult at_end = cluster.evt({"consume", "t", "-o", "100", "-e"});
    CHECK(at_end.exit_code == 0);
    CHECK(at_end.out.empty());
  }

  SECTION("consume -o 101 (following) waits for offset 101, skipping 100") {
    Process consumer(cluster.argv({"consume", "t", "-o", "101", "-f", "%o %v\\n"}),
                     evt::test::cli::evt_env());
    CHECK(consumer.read_lines(1, 1500ms).empty());  // nothing to print yet, least of all 0..99
    fill(cluster, "t", 3);                          // offsets 100, 101, 102
    CHECK(consumer.read_lines(2, 10s) == "101 v1\n102 v2\n");
    consumer.signal(SIGINT);
    const ProcessResult result = consumer.wait(10s);
    CHECK(result.exit_code == 0);
    CHECK(result.out == "101 v1\n102 v2\n");
  }
}

TEST_CASE("ranges: an offset out of range while reading is handled, never followed from 0",
          "[cli][ranges]") {
  FaultCluster cluster({"r:1"}, 1);
  fill(cluster, "r", 100);

  SECTION("consume -o 50 -e reads 50..99 exactly through out-of-range fetch errors") {
    cluster.fault("errors Fetch 3 OFFSET_OUT_OF_RANGE");
    const ProcessResult result = cluster.evt({"consume", "r", "-o", "50", "-e", "-f", "%o\\n"});
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(split_lines(result.out) == offsets(50, 100));
  }

  SECTION("and -o 50000 -e with the fault says the range is past the end (exit 5)") {
    cluster.fault("errors Fetch 3 OFFSET_OUT_OF_RANGE");
    const ProcessResult result = cluster.evt({"consume", "r", "-o", "50000", "-e"});
    CHECK(result.exit_code == 5);
    CHECK(result.out.empty());
  }

  SECTION("tail follows from the end, not from 0, through an out-of-range fetch error") {
    Process tail(cluster.argv({"tail", "r", "-n", "0", "-f", "%o\\n"}), evt::test::cli::evt_env());
    CHECK(tail.read_lines(1, 1000ms).empty());
    cluster.fault("errors Fetch 3 OFFSET_OUT_OF_RANGE");
    std::this_thread::sleep_for(500ms);
    fill(cluster, "r", 1);  // offset 100
    CHECK(tail.read_lines(1, 10s) == "100\n");
    std::this_thread::sleep_for(500ms);
    tail.signal(SIGINT);
    const ProcessResult result = tail.wait(10s);
    CHECK(result.exit_code == 0);
    CHECK(result.out == "100\n");
  }
}

TEST_CASE("ranges: consume -e whose brokers all vanish exits 3 after --timeout, resumably",
          "[cli][ranges]") {
  FaultCluster cluster({"gone:4"}, 3);
  // 200k records over 4 partitions.
  evt::test::cli::produce_keyed(cluster, "gone", 200'000);

  // Small fetches and a small prefetch queue: most records are still on the brokers when
  // they go (by default a fetch takes up to 1 MiB of each partition at once).
  Process consumer(cluster.argv({"consume",
                                 "gone",
                                 "-e",
                                 "-f",
                                 "%p %o\\n",
                                 "--timeout",
                                 "3s",
                                 "-X",
                                 "fetch.message.max.bytes=4096",
                                 "-X",
                                 "queued.min.messages=1000"}),
                   evt::test::cli::evt_env());
  REQUIRE(split_lines(consumer.read_lines(1000, 20s)).size() >= 1000);
  const auto down_at = std::chrono::steady_clock::now();
  for (int broker = 1; broker <= 3; ++broker) {
    cluster.fault("down " + std::to_string(broker));
  }
  const ProcessResult first = consumer.wait(60s);  // reads the rest of its output meanwhile
  const double seconds = evt::test::cli::seconds_since(down_at);
  INFO("stderr: " << first.err);
  REQUIRE_FALSE(first.timed_out);
  CHECK(first.exit_code == 3);
  CHECK(seconds < 30);
  const Lines written = split_lines(first.out);
  CHECK_THAT(first.err,
             Catch::Contains("lost every broker") &&
                 Catch::Contains("(" + std::to_string(written.size()) + " records written)"));
  std::smatch match;
  REQUIRE(std::regex_search(first.err, match, std::regex("resume with: evt consume ([^\\n]*)")));

  for (int broker = 1; broker <= 3; ++broker) {
    cluster.fault("up " + std::to_string(broker));
  }
  // The hint is a shell command (the layout is quoted): run it with sh.
  RunOptions shell_options;
  shell_options.env = evt::test::cli::evt_env();
  shell_options.env["EVT"] = evt::test::evt_binary();
  const ProcessResult rest =
      evt::test::run({"/bin/sh", "-c", "\"$EVT\" consume " + match[1].str()}, shell_options);
  INFO("resume stderr: " << rest.err);
  CHECK(rest.exit_code == 0);
  std::multiset<std::string> all(written.begin(), written.end());
  for (const std::string& line : split_lines(rest.out)) {
    all.insert(line);
  }
  CHECK(all.size() == 200'000);
  CHECK(std::set<std::string>(all.begin(), all.end()).size() == 200'000);
}
