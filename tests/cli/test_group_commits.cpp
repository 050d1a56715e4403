// SPDX-License-Identifier: MIT
// CLI tier, group commits: `evt consume -g` commits the records its reader took, not those it
// wrote into a pipe nobody reads any more, and commits often enough that a SIGKILL costs at
// most a second of records read again. The real binary against `evt broker`.
#include <chrono>
#include <regex>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "tests/cli/cli_support.hpp"
#include "tests/support/process.hpp"
#include <signal.h>

namespace {

using namespace std::chrono_literals;
using evt::test::LocalBroker;
using evt::test::Process;
using evt::test::ProcessResult;
using evt::test::TempDir;
using evt::test::cli::shell;

// 10,000 records "r00000".."r09999" in the one partition of `topic`: 7 bytes a line, 70 KB in
// all, more than a pipe holds (64 KiB).
void fill(const LocalBroker& broker, const std::string& topic) {
  const ProcessResult filled =
      shell(broker, "seq -f 'r%05g' 0 9999 | $EVT produce " + topic + " -b $B");
  REQUIRE(filled.exit_code == 0);
}

// The first offset a new run of `group` reads (-e), or "" when it has nothing left.
std::string next_offset(const LocalBroker& broker,
                        const std::string& topic,
                        const std::string& group) {
  const ProcessResult next =
      shell(broker, "$EVT consume " + topic + " -g " + group + " -e -c 1 -f '%o' -b $B");
  INFO("stderr: " << next.err);
  REQUIRE(next.exit_code == 0);
  return next.out;
}

}  // namespace

TEST_CASE(
    "group commits: records left in a pipe whose reader exits are read again by the "
    "next run",
    "[cli][consume]") {
  LocalBroker broker({"hd:1"});
  TempDir dir;
  fill(broker, "hd");
  // The reader takes exactly 5 lines (35 bytes) and exits; evt has filled the pipe by then.
  const ProcessResult first = shell(broker,
                                    "{ $EVT consume hd -g gh -e -b $B; echo $? > " + dir.path() +
                                        "/status; } | /usr/bin/python3 -c 'import os, sys\n"
                                        "data = b\"\"\n"
                                        "while len(data) < 35:\n"
                                        "    data += os.read(0, 35 - len(data))\n"
                                        "sys.stdout.write(data.decode())'");
  REQUIRE(first.exit_code == 0);
  CHECK(first.out == "r00000\nr00001\nr00002\nr00003\nr00004\n");
  CHECK(evt::test::run({"/bin/cat", dir.path() + "/status"}).out == "0\n");
  // Committed: the five the reader took, not the ~9,000 that sat in the pipe.
  CHECK(next_offset(broker, "hd", "gh") == "5");
}

TEST_CASE(
    "group commits: what is still in the pipe at the end is committed once the reader "
    "takes it",
    "[cli][consume]") {
  LocalBroker broker({"hd:1"});
  fill(broker, "hd");
  // The reader starts reading a second after evt wrote its last record into the pipe.
  const ProcessResult first = shell(broker, "$EVT consume hd -g gt -e -b $B | (sleep 1; wc -l)");
  REQUIRE(first.exit_code == 0);
  CHECK(first.out == "10000\n");
  CHECK(next_offset(broker, "hd", "gt").empty());
}

TEST_CASE(
    "group commits: a follower commits what it wrote within about a second, so a "
    "SIGKILL costs at most that",
    "[cli][consume]") {
  LocalBroker broker({"hd:1"});
  TempDir dir;
  const std::string out = dir.path() + "/out";
  // Follows (no -e) into a file, where written is taken.
  Process follower({"/bin/sh",
                    "-c",
                    "exec " + evt::test::evt_binary() + " consume hd -g gk -b " +
                        broker.bootstrap() + " > " + out},
                   evt::test::cli::evt_env());
  const auto lines_written = [&] {
    return evt::test::run({"/bin/sh", "-c", "wc -l < " + out}).out;
  };
  const auto committed = [&] {
    const ProcessResult group =
        evt::test::evt(broker, {"inspect", "group", "gk", "--topic", "hd", "-o", "json"});
    std::smatch match;
    return std::regex_search(group.out, match, std::regex("\"committed\":(-?[0-9]+)"))
               ? std::stol(match[1])
               : -1L;
  };
  // Three batches at whatever phase of the commit timer: each is committed within 1.8 s of
  // being written (librdkafka's default interval, 5 s, passes all three 5% of the time).
  for (int batch = 1; batch <= 3; ++batch) {
    fill(broker, "hd");
    const std::string want = std::to_string(batch * 10'000) + "\n";
    REQUIRE(evt::test::cli::eventually(30s, [&] { return lines_written() == want; }));
    const auto written = std::chrono::steady_clock::now();
    REQUIRE(evt::test::cli::eventually(10s, [&] { return committed() == batch * 10'000L; }));
    const auto seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - written).count();
    INFO("batch " << batch << " committed " << seconds << " s after it was written");
    CHECK(seconds < 1.8);
  }
  follower.signal(SIGKILL);
  follower.wait();
  CHECK(next_offset(broker, "hd", "gk").empty());
}
