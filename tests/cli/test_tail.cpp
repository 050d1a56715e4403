// SPDX-License-Identifier: MIT
// CLI tier for `evt tail`: the real binary against `evt broker`, with records written by an
// independent client (tests/cli/peer.py with kafka-python) to known partitions with known
// timestamps, the human format checked through a pseudo-terminal (util-linux `script`).
#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/cli/cli_support.hpp"
#include "tests/support/process.hpp"
#include <signal.h>

namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;
using evt::test::LocalBroker;
using evt::test::Process;
using evt::test::ProcessResult;
using evt::test::RunOptions;
using evt::test::cli::peer_read;
using evt::test::cli::peer_write;
using evt::test::cli::PeerWrite;
using evt::test::cli::split_lines;

using Lines = std::vector<std::string>;

// 2023-11-14T22:13:20Z: record timestamps are this plus a few hundred milliseconds.
constexpr std::int64_t k_base = 1700000000000;

// The colors the human format uses (reset, dim, cyan, yellow, blue, green).
// 35 (magenta) marks the escaped bytes of a value, so that "\\x1b" written by evt is told from
// the four characters \ x 1 b in the record.
const std::vector<std::string> k_human_sgr = {"0", "2", "36", "33", "34", "32", "35"};

ProcessResult tail(const LocalBroker& broker,
                   const std::vector<std::string>& args,
                   std::map<std::string, std::string> env = {}) {
  return evt::test::cli::evt_command(broker, "tail", args, 20s, env);
}

// evt tail ARGS (which must not follow); requires exit 0 and returns stdout.
std::string tail_ok(const LocalBroker& broker,
                    const std::vector<std::string>& args,
                    std::map<std::string, std::string> env = {}) {
  return evt::test::cli::evt_ok(broker, "tail", args, 20s, env);
}

PeerWrite record(std::int32_t partition,
                 std::int64_t timestamp,
                 evt::test::cli::Bytes key,
                 evt::test::cli::Bytes value,
                 std::vector<std::pair<std::string, std::string>> headers = {}) {
  PeerWrite write;
  write.partition = partition;
  write.timestamp = timestamp;
  write.key = std::move(key);
  write.value = std::move(value);
  write.headers = std::move(headers);
  return write;
}

// Waits for `text` in the running process's stdout; returns the seconds it took, or -1.
double wait_for(Process& process, const std::string& text, std::chrono::milliseconds timeout) {
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + timeout;
  std::size_t lines = std::count(process.out().begin(), process.out().end(), '\n');
  while (process.out().find(text) == std::string::npos) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return -1;
    }
    process.read_lines(++lines, 10ms);
    lines = std::count(process.out().begin(), process.out().end(), '\n');
  }
  return evt::test::cli::seconds_since(start);
}

// Twelve records in three partitions, timestamps interleaved across partitions (the offset order
// within each partition is also its timestamp order):
//   p0: +100 +400 +700 +1000 +1100   p1: +200 +250 +900   p2: +300 +800 +1050 +1200
void write_interleaved(const LocalBroker& broker, const std::string& topic) {
  const std::vector<std::vector<int>> times = {
      {100, 400, 700, 1000, 1100}, {200, 250, 900}, {300, 800, 1050, 1200}};
  std::vector<PeerWrite> records;
  for (int p = 0; p < 3; ++p) {
    for (std::size_t i = 0; i < times[p].size(); ++i) {
      const std::string id = std::to_string(p) + "-" + std::to_string(i);
      records.push_back(record(p, k_base + times[p][i], "k" + std::to_string(p), "v" + id));
    }
  }
  // The newest record carries duplicate headers, for the human format.
  records.back().headers = {{"h", "1"}, {"h", "2"}};
  peer_write(broker, topic, records);
}

}  // namespace

TEST_CASE("tail: the last N records of all partitions together, in timestamp order",
          "[cli][tail]") {
  LocalBroker broker({"ts:3"});
  write_interleaved(broker, "ts");
  const std::vector<std::string> positions = {"--no-follow", "-f", "%p:%o\\n"};
  auto last = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"ts"});
    args.insert(args.end(), positions.begin(), positions.end());
    return split_lines(tail_ok(broker, args));
  };
  // In timestamp order: 0:0 1:0 1:1 2:0 0:1 0:2 2:1 1:2 0:3 2:2 0:4 2:3.
  CHECK(last({"-n", "5"}) == Lines{"1:2", "0:3", "2:2", "0:4", "2:3"});
  CHECK(last({"-n", "1"}) == Lines{"2:3"});
  CHECK(last({}) == Lines{"1:1", "2:0", "0:1", "0:2", "2:1", "1:2", "0:3", "2:2", "0:4", "2:3"});
  CHECK(last({"-n", "50"}) ==
        Lines{"0:0", "1:0", "1:1", "2:0", "0:1", "0:2", "2:1", "1:2", "0:3", "2:2", "0:4", "2:3"});
  // -p restricts: the newest 4 of partitions 0 and 2 only.
  CHECK(last({"-n", "4", "-p", "0", "-p", "2"}) == Lines{"0:3", "2:2", "0:4", "2:3"});
  CHECK(last({"-n", "2", "-p", "1"}) == Lines{"1:1", "1:2"});

  // -n 0 --no-follow shows nothing and exits at once.
  const auto started = std::chrono::steady_clock::now();
  CHECK(tail_ok(broker, {"ts", "-n", "0", "--no-follow"}).empty());
  CHECK(evt::test::cli::seconds_since(started) < 5.0);

  // The same records as JSON envelopes are exactly what an independent client reads.
  const auto envelopes = evt::test::cli::parse_envelopes(
      tail_ok(broker, {"ts", "-n", "3", "--no-follow", "-f", "json"}));
  const auto peer = peer_read(broker, "ts");
  REQUIRE(peer.size() == 12);
  REQUIRE(envelopes.size() == 3);
  const std::vector<std::pair<int, int>> newest = {{2, 2}, {0, 4}, {2, 3}};
  for (std::size_t i = 0; i < newest.size(); ++i) {
    const auto expected = std::find_if(peer.begin(), peer.end(), [&](const auto& r) {
      return r.partition == newest[i].first && r.offset == newest[i].second;
    });
    REQUIRE(expected != peer.end());
    CHECK(envelopes[i].record == *expected);
    CHECK(envelopes[i].topic == "ts");
  }

  // The human format on a pipe: local time with milliseconds, topic/partition@offset, key and
  // headers on one line, the value below; no colors unless asked for.
  const std::map<std::string, std::string> utc = {{"TZ", "UTC"}};
  CHECK(tail_ok(broker, {"ts", "-n", "2", "--no-follow"}, utc) ==
        "2023-11-14 22:13:21.100  ts/0@4  key=k0\n"
        "v0-4\n"
        "2023-11-14 22:13:21.200  ts/2@3  key=k2  h=1 h=2\n"
        "v2-3\n");
  CHECK(tail_ok(broker, {"ts", "-n", "1", "--no-follow", "--color", "always"}, utc) ==
        "\x1b[2m2023-11-14 22:13:21.200\x1b[0m  \x1b[36mts/2@3\x1b[0m  key=\x1b[33mk2\x1b[0m  "
        "\x1b[2mh=1 h=2\x1b[0m\n"
        "v2-3\n");

  // A partition the topic does not have: not found.
  const ProcessResult missing = tail(broker, {"ts", "--no-follow", "-p", "3"});
  CHECK(missing.exit_code == 5);
  CHECK(missing.out.empty());
  CHECK_THAT(missing.err, Catch::Contains("partition 3 does not exist"));
}

TEST_CASE("tail: follows new records within ~200 ms and stops at once on SIGINT", "[cli][tail]") {
  LocalBroker broker({"live:2"});
  peer_write(broker, "live", {record(0, k_base, "k", "seed")});
  Process tailer(evt::test::cli::evt_argv(broker, {"tail", "live", "-n", "1", "-f", "%p:%v\\n"}),
                 evt::test::cli::evt_env());
  // The last record shows first; from then on evt follows from the end it saw.
  REQUIRE(tailer.read_lines(1, 10s) == "0:seed\n");

  Process writer(evt::test::cli::peer_writer_argv(broker, "live"));
  // The writer's own start (python, kafka-python's connection) is not evt's latency.
  writer.write(evt::test::cli::peer_line(record(1, k_base + 1, "k", "warm-up")));
  REQUIRE(wait_for(tailer, "1:warm-up\n", 10s) >= 0);

  std::vector<double> latencies;
  for (int i = 0; i < 6; ++i) {
    const std::string value = "r" + std::to_string(i);
    writer.write(evt::test::cli::peer_line(record(i % 2, k_base + 10 + i, "k", value)));
    latencies.push_back(wait_for(tailer, std::to_string(i % 2) + ":" + value + "\n", 5s));
    std::this_thread::sleep_for(50ms);
  }
  INFO("latencies from write to display (s): "
       << Catch::StringMaker<std::vector<double>>::convert(latencies));
  for (double latency : latencies) {
    CHECK(latency >= 0);
    CHECK(latency < 1.0);
  }
  // The issue's figure, ~200 ms, holds for the typical record (one slow wake-up of this
  // two-core machine is allowed); the measured median is about 0.1 s, the peer's own send included.
  std::vector<double> sorted = latencies;
  std::sort(sorted.begin(), sorted.end());
  CHECK(sorted[sorted.size() / 2] < 0.25);
  CHECK(tailer.out() == "0:seed\n1:warm-up\n0:r0\n1:r1\n0:r2\n1:r3\n0:r4\n1:r5\n");

  writer.close_stdin();
  CHECK(writer.wait(10s).exit_code == 0);
  const auto interrupted = std::chrono::steady_clock::now();
  tailer.signal(SIGINT);
  const ProcessResult result = tailer.wait(10s);
  CHECK(evt::test::cli::seconds_since(interrupted) < 1.0);
  CHECK(result.exit_code == 0);
  CHECK(result.err.empty());
  // Nothing was printed twice or after the fact.
  CHECK(result.out == "0:seed\n1:warm-up\n0:r0\n1:r1\n0:r2\n1:r3\n0:r4\n1:r5\n");
}

TEST_CASE("tail: -p and --grep apply while following, SIGTERM and SIGHUP end it quietly",
          "[cli][tail]") {
  LocalBroker broker({"follow:3"});
  peer_write(broker, "follow", {record(1, k_base, "k", "seed error")});
  Process tailer(
      evt::test::cli::evt_argv(
          broker, {"tail", "follow", "-n", "5", "-p", "1", "--grep", "error", "-f", "%p:%v\\n"}),
      evt::test::cli::evt_env());
  REQUIRE(tailer.read_lines(1, 10s) == "1:seed error\n");
  peer_write(broker,
             "follow",
             {record(0, k_base + 1, "k", "error on 0"),
              record(1, k_base + 2, "k", "fine on 1"),
              record(2, k_base + 3, "k", "error on 2"),
              record(1, k_base + 4, "k", "error on 1")});
  REQUIRE(wait_for(tailer, "1:error on 1\n", 5s) >= 0);
  // A record for a partition not followed would have arrived by now, too.
  std::this_thread::sleep_for(300ms);
  tailer.signal(SIGTERM);
  const ProcessResult stopped = tailer.wait(10s);
  CHECK(stopped.exit_code == 0);
  CHECK(stopped.err.empty());
  CHECK(stopped.out == "1:seed error\n1:error on 1\n");

  Process hangup(evt::test::cli::evt_argv(broker, {"tail", "follow", "-n", "1", "-p", "1"}),
                 evt::test::cli::evt_env());
  REQUIRE(hangup.read_lines(2, 10s).size() > 0);
  hangup.signal(SIGHUP);
  const ProcessResult hung_up = hangup.wait(10s);
  CHECK(hung_up.signal == 0);
  CHECK(hung_up.exit_code == 0);
  CHECK(hung_up.err.empty());
}

TEST_CASE("tail: --grep, --grep-key and --grep-header select exactly the matching records",
          "[cli][tail]") {
  LocalBroker broker({"grep:2"});
  peer_write(
      broker,
      "grep",
      {record(0, k_base + 0, "user-1", "login ok", {{"trace", "abc"}}),
       record(1, k_base + 1, "user-2", "payment error: card", {{"trace", "abd"}, {"env", "prod"}}),
       record(0, k_base + 2, "admin", "ERROR in capitals", {{"env", "dev"}}),
       record(1, k_base + 3, std::nullopt, "bin\x00 error\xff"s, {{"trace", "xyz"}}),
       record(0, k_base + 4, "user-10", std::nullopt),
       record(1, k_base + 5, "user-3", "error again", {{"trace", "abc"}, {"trace", "zzz"}})});
  // Records in timestamp order: 0:0 1:0 0:1 1:1 0:2 1:2.
  auto shown = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"grep", "-n", "100", "--no-follow", "-f", "%p:%o\\n"});
    return split_lines(tail_ok(broker, args));
  };
  CHECK(shown({}) == Lines{"0:0", "1:0", "0:1", "1:1", "0:2", "1:2"});
  // A binary value is searched as bytes, past a NUL.
  CHECK(shown({"--grep", "error"}) == Lines{"1:0", "1:1", "1:2"});
  CHECK(shown({"--grep", "error", "--grep", "^pay"}) == Lines{"1:0"});
  CHECK(shown({"--grep", "[Ee][Rr][Rr]"}) == Lines{"1:0", "0:1", "1:1", "1:2"});
  CHECK(shown({"--grep", "^(login|ERROR) "}) == Lines{"0:0", "0:1"});
  CHECK(shown({"--grep", "nowhere"}).empty());
  // A null key or value never matches.
  CHECK(shown({"--grep-key", "^user-[0-9]$"}) == Lines{"0:0", "1:0", "1:2"});
  CHECK(shown({"--grep-key", "."}) == Lines{"0:0", "1:0", "0:1", "0:2", "1:2"});
  CHECK(shown({"--grep", "."}) == Lines{"0:0", "1:0", "0:1", "1:1", "1:2"});
  // Any header of that name may match, duplicates included.
  CHECK(shown({"--grep-header", "trace=^ab"}) == Lines{"0:0", "1:0", "1:2"});
  CHECK(shown({"--grep-header", "trace=zzz"}) == Lines{"1:2"});
  CHECK(shown({"--grep-header", "env=."}) == Lines{"1:0", "0:1"});
  CHECK(shown({"--grep-header", "missing=."}).empty());
  CHECK(shown({"--grep-key", "user", "--grep-header", "trace=abc"}) == Lines{"0:0", "1:2"});

  // One pattern per flag: a pattern in brackets is not CLI11's list syntax, and the word after
  // a pattern is the topic again.
  CHECK(shown({"--grep", "[e]rro[r]"}) == Lines{"1:0", "1:1", "1:2"});
  CHECK(tail_ok(broker, {"--grep", "error", "grep", "-n", "100", "--no-follow", "-f", "%o\\n"}) ==
        "0\n1\n2\n");

  // -v says how many the filters skipped.
  const ProcessResult verbose =
      tail(broker, {"grep", "-n", "100", "--no-follow", "--grep", "error", "-v"});
  CHECK(verbose.exit_code == 0);
  CHECK_THAT(verbose.err, Catch::Contains("3 records shown, 3 skipped by the filters"));

  for (const std::vector<std::string>& bad :
       std::vector<std::vector<std::string>>{{"--grep", "("},
                                             {"--grep-key", "[a-"},
                                             {"--grep-header", "trace"},
                                             {"--grep-header", "=abc"},
                                             {"--grep-header", "trace=(("}}) {
    std::vector<std::string> args = {"grep", "--no-follow"};
    args.insert(args.end(), bad.begin(), bad.end());
    const ProcessResult result = tail(broker, args);
    INFO(bad[0] << " " << bad[1] << " stderr: " << result.err);
    CHECK(result.exit_code == 2);
    CHECK(result.out.empty());
    CHECK_THAT(result.err, Catch::StartsWith("evt: error: " + bad[0]));
  }
}

TEST_CASE("tail: -f json, -f value and layouts, JSON values pretty-printed or --compact",
          "[cli][tail]") {
  LocalBroker broker({"fmt:1"});
  peer_write(broker,
             "fmt",
             {record(0, k_base, "k", R"({"id":1,"tags":["a","b"],"empty":{},"none":[]})"),
              record(0, k_base + 1, std::nullopt, "plain text"),
              record(0, k_base + 2, "", std::nullopt),
              record(0, k_base + 3, "k", ""),
              record(0, k_base + 4, "k", " [1, {\"a\" : null}] "),
              record(0, k_base + 5, "k", "{not json")});
  const std::map<std::string, std::string> utc = {{"TZ", "UTC"}};
  CHECK(tail_ok(broker, {"fmt", "--no-follow"}, utc) ==
        "2023-11-14 22:13:20.000  fmt/0@0  key=k\n"
        "{\n"
        "  \"id\": 1,\n"
        "  \"tags\": [\n"
        "    \"a\",\n"
        "    \"b\"\n"
        "  ],\n"
        "  \"empty\": {},\n"
        "  \"none\": []\n"
        "}\n"
        "2023-11-14 22:13:20.001  fmt/0@1  key=(null)\n"
        "plain text\n"
        "2023-11-14 22:13:20.002  fmt/0@2  key=\n"
        "(null)\n"
        "2023-11-14 22:13:20.003  fmt/0@3  key=k\n"
        "(empty)\n"
        "2023-11-14 22:13:20.004  fmt/0@4  key=k\n"
        "[\n"
        "  1,\n"
        "  {\n"
        "    \"a\": null\n"
        "  }\n"
        "]\n"
        "2023-11-14 22:13:20.005  fmt/0@5  key=k\n"
        "{not json\n");
  const Lines compact = split_lines(tail_ok(broker, {"fmt", "--no-follow", "--compact"}, utc));
  REQUIRE(compact.size() == 12);
  CHECK(compact[1] == R"({"id": 1, "tags": ["a", "b"], "empty": {}, "none": []})");
  CHECK(compact[9] == R"([1, {"a": null}])");

  // The consume formats, byte for byte what consume writes for the same records.
  const std::string consumed_json =
      evt::test::evt(broker, {"consume", "fmt", "-e", "-f", "json"}).out;
  REQUIRE(split_lines(consumed_json).size() == 6);
  CHECK(tail_ok(broker, {"fmt", "--no-follow", "-f", "json"}) == consumed_json);
  const std::string consumed_values = evt::test::evt(broker, {"consume", "fmt", "-e"}).out;
  CHECK(tail_ok(broker, {"fmt", "--no-follow", "-f", "value"}) == consumed_values);
  CHECK(tail_ok(broker, {"fmt", "--no-follow", "-n", "2", "-f", "%o|%k|%v\\n"}) ==
        "4|k| [1, {\"a\" : null}] \n5|k|{not json\n");

  // --compact belongs to the human format.
  const ProcessResult both = tail(broker, {"fmt", "--no-follow", "-f", "json", "--compact"});
  CHECK(both.exit_code == 2);
  CHECK(both.out.empty());
  const ProcessResult unknown = tail(broker, {"fmt", "--no-follow", "-f", "jsn"});
  CHECK(unknown.exit_code == 2);
}

TEST_CASE("tail: the human format on a terminal never writes raw control bytes", "[cli][tail]") {
  LocalBroker broker({"bin:1"});
  std::string binary;
  for (int c = 0; c < 0x20; ++c) {
    binary.push_back(static_cast<char>(c));
  }
  binary +=
      "\x1b[2J\x1b]0;title\x07 \x7f \x9b"
      "31m \xc2\x9b"
      "31m \xc2\x85 \xff\xfe \xc3\xa9 \xe2\x82\xac end"s;
  peer_write(broker,
             "bin",
             {record(0, k_base, "key\x1b[31mred\x9b"s, binary, {{"h", "v\x1b[5m\xc2\x9b\x07"s}}),
              // Valid JSON may hold DEL and C1 characters raw inside strings.
              record(0, k_base + 1, "k", "{\"a\":\"x\x7fy\xc2\x85z\xc2\x9b\"}"s),
              record(0, k_base + 2, "k", "safe\roverwritten\x08\x08"s)});
  const std::string command = evt::test::evt_binary() + " tail bin --no-follow --no-truncate -b " +
                              evt::test::cli::shell_quote(broker.bootstrap());
  // Colors on (forced, and by default on a terminal), and off with NO_COLOR.
  for (const std::string& how :
       {"--color always"s, "--color auto"s, ""s, "--color never"s, "NO_COLOR=1"s}) {
    const bool no_color = how == "NO_COLOR=1";
    const std::string line =
        no_color ? "env NO_COLOR=1 " + command : "env -u NO_COLOR " + command + " " + how;
    const ProcessResult result =
        evt::test::cli::in_terminal(line, RunOptions{"", {{"TZ", "UTC"}}, 20s, {}});
    INFO(how << "\noutput: " << Catch::StringMaker<evt::test::cli::Bytes>::convert(result.out));
    REQUIRE(result.exit_code == 0);
    const bool colors = how != "--color never" && !no_color;
    CHECK(evt::test::cli::terminal_problem(result.out, colors ? k_human_sgr : Lines{}) == "");
    // A carriage return of a value must not move the cursor: the terminal's own is always
    // followed by its line feed.
    std::string text = result.out;
    for (std::size_t at; (at = text.find("\r\n")) != std::string::npos;) {
      text.replace(at, 2, "\n");
    }
    CHECK(text.find('\r') == std::string::npos);
    CHECK((text.find('\x1b') != std::string::npos) == colors);
    // The checks below read the text as the user sees it: without its colors.
    for (std::size_t at; (at = text.find('\x1b')) != std::string::npos;) {
      text.erase(at, text.find('m', at) + 1 - at);
    }
    // What was escaped is still there to read, and valid text stays text.
    CHECK_THAT(text, Catch::Contains("\\x1b[2J"));
    CHECK_THAT(text, Catch::Contains("\\x9b"));
    CHECK_THAT(text, Catch::Contains("\xc3\xa9 \xe2\x82\xac end"));
    CHECK_THAT(text, Catch::Contains("overwritten"));
    CHECK_THAT(text, Catch::Contains("x\\u007fy\\u0085z\\u009b"));
    CHECK_THAT(text, Catch::Contains("red"));
    CHECK_THAT(text, Catch::Contains("bin/0@2"));
  }
}

TEST_CASE("tail: an idle status line on a terminal's stderr counts shown and skipped records",
          "[cli][tail]") {
  LocalBroker broker({"status:2"});
  peer_write(broker,
             "status",
             {record(0, k_base, "k", "an error"),
              record(1, k_base + 1, "k", "fine"),
              record(0, k_base + 2, "k", "fine too")});
  // Nothing arrives after the last 3 records: after a second the status line appears.
  const std::string command = "timeout --preserve-status -s INT 2 " + evt::test::evt_binary() +
                              " tail status -n 3 --grep error -f " +
                              evt::test::cli::shell_quote("%v\\n") + " -b " +
                              evt::test::cli::shell_quote(broker.bootstrap());
  const ProcessResult result = evt::test::cli::in_terminal(command);
  INFO(Catch::StringMaker<evt::test::cli::Bytes>::convert(result.out));
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::StartsWith("an error\r\n"));
  CHECK_THAT(result.out,
             Catch::Contains("-- 1 shown, ") &&
                 Catch::Contains("/s, 2 skipped by the filters, waiting (Ctrl-C to stop) --"));
  // Records piped on (stdout not a terminal), never, even with stderr on the terminal.
  const ProcessResult piped = evt::test::cli::in_terminal(command + " | cat");
  CHECK(piped.exit_code == 0);
  CHECK_THAT(piped.out, Catch::Contains("an error"));
  CHECK_THAT(piped.out, !Catch::Contains("shown,"));
  // On a pipe, never (see the follow test: stderr stays empty).
}

TEST_CASE("tail: a topic name that does not exist yet (the local broker creates it)",
          "[cli][tail][mock-only]") {
  // The local broker (librdkafka's mock) creates any topic a Metadata request names, with 4
  // partitions, so "topic not found" (exit 5) and --wait cannot be seen against it: here a new
  // name simply works, with and without --wait.
  LocalBroker broker;
  Process tailer(evt::test::cli::evt_argv(broker, {"tail", "fresh", "-f", "%p:%v\\n"}),
                 evt::test::cli::evt_env());
  Process waiting(evt::test::cli::evt_argv(broker, {"tail", "fresh", "--wait", "-f", "%p:%v\\n"}),
                  evt::test::cli::evt_env());
  // Both follow once the topic exists with its 4 partitions.
  REQUIRE(evt::test::cli::eventually(10s, [&] {
    const ProcessResult topics = evt::test::evt(broker, {"inspect", "topics", "-o", "names"});
    return topics.out == "fresh\n";
  }));
  std::this_thread::sleep_for(500ms);  // both have read the (empty) watermarks by now
  peer_write(broker, "fresh", {record(3, k_base, "k", "hello")});
  CHECK(wait_for(tailer, "3:hello\n", 5s) >= 0);
  CHECK(wait_for(waiting, "3:hello\n", 5s) >= 0);
  tailer.signal(SIGINT);
  waiting.signal(SIGINT);
  CHECK(tailer.wait(10s).exit_code == 0);
  CHECK(waiting.wait(10s).exit_code == 0);
  const ProcessResult topic = evt::test::evt(broker, {"inspect", "topic", "fresh", "-o", "json"});
  CHECK(evt::test::cli::parse_json(topic.out)["partitions"].items.size() == 4);
}

TEST_CASE("tail: -g follows as a group member and commits only with --commit", "[cli][tail]") {
  LocalBroker broker({"grp:2"});
  for (const std::vector<std::string>& bad : std::vector<std::vector<std::string>>{
           {"grp", "-g", "a", "-p", "0"}, {"grp", "--commit"}, {"grp", "-g", "a", "--no-follow"}}) {
    const ProcessResult result = tail(broker, bad);
    CHECK(result.exit_code == 2);
    CHECK(result.out.empty());
  }

  Process committing(evt::test::cli::evt_argv(
                         broker, {"tail", "grp", "-g", "tailers", "--commit", "-f", "%p:%v\\n"}),
                     evt::test::cli::evt_env());
  Process watching(
      evt::test::cli::evt_argv(broker, {"tail", "grp", "-g", "watchers", "-f", "%p:%v\\n"}),
      evt::test::cli::evt_env());
  // A member starts at the end of a partition once the group has assigned it (the first join
  // takes about 3 s on the local broker): write until both show a record of each partition.
  Process writer(evt::test::cli::peer_writer_argv(broker, "grp"));
  int warmups = 0;
  const bool joined = evt::test::cli::eventually(15s, [&] {
    writer.write(evt::test::cli::peer_line(record(warmups % 2, k_base, "k", "warm-up")));
    ++warmups;
    // (read_lines with a count never reached: read whatever arrives for a while)
    committing.read_lines(1 << 30, 150ms);
    watching.read_lines(1 << 30, 10ms);
    for (const Process* member : {&committing, &watching}) {
      if (member->out().find("0:warm-up\n") == std::string::npos ||
          member->out().find("1:warm-up\n") == std::string::npos) {
        return false;
      }
    }
    return true;
  });
  INFO("with --commit: " << committing.out() << "\nwithout: " << watching.out() << "\n"
                         << warmups << " records written");
  REQUIRE(joined);
  const std::size_t committing_before = committing.out().size();
  const std::size_t watching_before = watching.out().size();
  for (int p = 0; p < 2; ++p) {
    writer.write(
        evt::test::cli::peer_line(record(p, k_base + 1, "k", "member-" + std::to_string(p))));
  }
  writer.close_stdin();
  REQUIRE(writer.wait(10s).exit_code == 0);
  CHECK(wait_for(committing, "1:member-1\n", 3s) >= 0);
  CHECK(wait_for(watching, "1:member-1\n", 3s) >= 0);
  std::this_thread::sleep_for(200ms);
  // Both partitions reach each member of its own group, in partition order per partition.
  for (Process* member : {&committing, &watching}) {
    const std::string after =
        member->out().substr(member == &committing ? committing_before : watching_before);
    Lines lines = split_lines(after);
    std::sort(lines.begin(), lines.end());
    lines.erase(std::remove_if(lines.begin(),
                               lines.end(),
                               [](const std::string& line) { return line.ends_with(":warm-up"); }),
                lines.end());
    CHECK(lines == Lines{"0:member-0", "1:member-1"});
  }
  committing.signal(SIGINT);
  watching.signal(SIGINT);
  const ProcessResult committed_run = committing.wait(10s);
  const ProcessResult watched_run = watching.wait(10s);
  CHECK(committed_run.exit_code == 0);
  CHECK(watched_run.exit_code == 0);

  // With --commit the group's offsets are at the end of both partitions; without, none exist.
  const ProcessResult committed =
      evt::test::evt(broker, {"inspect", "group", "tailers", "-o", "json"});
  INFO("inspect group: " << committed.out << committed.err);
  REQUIRE(committed.exit_code == 0);
  const auto json = evt::test::cli::parse_json(committed.out);
  CHECK(json["total_lag"].integer() == 0);
  const auto peer = peer_read(broker, "grp");
  std::vector<std::int64_t> highs(2, 0);
  for (const auto& r : peer) {
    highs[r.partition] = std::max(highs[r.partition], r.offset + 1);
  }
  REQUIRE(json["partitions"].items.size() == 2);
  for (const auto& partition : json["partitions"].items) {
    CHECK(partition["committed"].integer() == highs[partition["partition"].integer()]);
  }
  const ProcessResult uncommitted = evt::test::evt(broker, {"inspect", "group", "watchers"});
  CHECK(uncommitted.exit_code == 5);
}

TEST_CASE("tail: with --grep, -n shows the newest N matching records, reading further back",
          "[cli][tail]") {
  evt::test::LocalBroker broker({"needles:3"});
  // 3000 records; only three far back match. Reading just the last 2 of each partition (then
  // filtering) would show none of them.
  std::string input;
  for (int i = 0; i < 3000; ++i) {
    input += (i == 100 || i == 200 || i == 300 ? "needle-" : "hay-") + std::to_string(i) + "\n";
  }
  evt::test::RunOptions write;
  write.stdin_data = input;
  REQUIRE(evt::test::evt(broker, {"produce", "needles", "-p", "1"}, write).exit_code == 0);
  const auto shown = evt::test::evt(
      broker, {"tail", "needles", "-n", "2", "--grep", "^needle", "--no-follow", "-f", "value"});
  REQUIRE(shown.exit_code == 0);
  CHECK(shown.out == "needle-200\nneedle-300\n");
  const auto none = evt::test::evt(
      broker, {"tail", "needles", "-n", "2", "--grep", "^nothing", "--no-follow", "-f", "value"});
  CHECK(none.exit_code == 0);
  CHECK(none.out.empty());
}

TEST_CASE("tail: a topic the broker says does not exist exits 5, or is waited for with --wait",
          "[cli][tail]") {
  evt::test::cli::FaultCluster cluster({"present:1"}, 1);
  cluster.fault("topic-error ghost UNKNOWN_TOPIC_OR_PART");
  const auto missing = cluster.evt({"tail", "ghost", "--no-follow"});
  CHECK(missing.exit_code == 5);
  CHECK_THAT(missing.err, Catch::Contains("topic \"ghost\" not found"));
  CHECK_THAT(missing.err, Catch::Contains("evt inspect topics"));

  // --wait: keeps asking until the topic exists, then shows what arrives.
  evt::test::Process waiting(cluster.argv({"tail", "ghost", "--wait", "-n", "0", "-f", "value"}),
                             evt::test::cli::evt_env());
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  cluster.fault("topic-error ghost 0");  // the topic appears
  std::string seen;
  for (int attempt = 0; attempt < 40 && seen.find("hello") == std::string::npos; ++attempt) {
    evt::test::RunOptions write;
    write.stdin_data = "hello\n";
    cluster.evt({"produce", "ghost"}, write);
    seen = waiting.read_lines(1, std::chrono::milliseconds(500));
  }
  waiting.signal(SIGINT);
  const auto waited = waiting.wait(std::chrono::seconds(10));
  CHECK(seen.find("hello\n") != std::string::npos);
  CHECK(waited.exit_code == 0);
}

TEST_CASE("tail -g: a missing topic exits 5 and unreachable brokers exit 3, as without -g",
          "[cli][tail]") {
  evt::test::cli::FaultCluster cluster({"present:1"}, 1);
  cluster.fault("topic-error ghost UNKNOWN_TOPIC_OR_PART");
  const auto missing = cluster.evt({"tail", "ghost", "-g", "watchers", "--timeout", "5s"});
  CHECK(missing.exit_code == 5);
  CHECK_THAT(missing.err, Catch::Contains("topic \"ghost\" not found"));

  const auto unreachable = evt::test::cli::evt_raw(
      {"tail", "t", "-g", "watchers", "-b", "127.0.0.1:1", "--timeout", "2s"});
  CHECK(unreachable.exit_code == 3);
  CHECK_THAT(unreachable.err, Catch::Contains("127.0.0.1:1"));
  CHECK(unreachable.seconds < 5.0);
}

TEST_CASE("tail: several topics are merged by timestamp, then all followed", "[cli][tail]") {
  LocalBroker broker({"left:2", "right:1"});
  peer_write(broker,
             "left",
             {record(0, k_base + 100, "k", "L100"),
              record(1, k_base + 300, "k", "L300"),
              record(0, k_base + 500, "k", "L500")});
  peer_write(broker,
             "right",
             {record(0, k_base + 200, "k", "R200"), record(0, k_base + 400, "k", "R400")});
  CHECK(tail_ok(broker, {"left", "right", "-n", "4", "--no-follow", "-f", "%t/%p:%v\\n"}) ==
        "right/0:R200\nleft/1:L300\nright/0:R400\nleft/0:L500\n");

  Process tailer(
      evt::test::cli::evt_argv(broker, {"tail", "left", "right", "-n", "0", "-f", "%t:%v\\n"}),
      evt::test::cli::evt_env());
  // -n 0 shows nothing that was written before it followed: write until one record shows.
  bool following = false;
  for (int i = 0; i < 20 && !following; ++i) {
    peer_write(broker, "right", {record(0, k_base + 550, "k", "probe")});
    following = wait_for(tailer, "right:probe\n", 500ms) >= 0;
  }
  REQUIRE(following);
  peer_write(broker, "right", {record(0, k_base + 600, "k", "R600")});
  REQUIRE(wait_for(tailer, "right:R600\n", 5s) >= 0);
  peer_write(broker, "left", {record(1, k_base + 700, "k", "L700")});
  REQUIRE(wait_for(tailer, "left:L700\n", 5s) >= 0);
  tailer.signal(SIGINT);
  const ProcessResult result = tailer.wait(10s);
  CHECK(result.exit_code == 0);
  Lines shown = split_lines(result.out);
  std::erase(shown, "right:probe");
  CHECK(shown == Lines{"right:R600", "left:L700"});
}

TEST_CASE("tail: a reader that goes away (| head -1) ends it quietly with exit 0", "[cli][tail]") {
  LocalBroker broker({"piped:2"});
  peer_write(broker, "piped", {record(0, k_base, "k", "first")});
  std::map<std::string, std::string> env = evt::test::cli::evt_env();
  env["EVT"] = evt::test::evt_binary();
  env["B"] = broker.bootstrap();
  // evt's stderr goes to the script's, so a message about the broken pipe would show there.
  Process pipeline({"/bin/bash",
                    "-c",
                    "{ \"$EVT\" tail piped -n 1 -f '%v\\n' -b \"$B\" 2>&3 | head -1; "
                    "echo \"tail exit ${PIPESTATUS[0]}\"; } 3>&2"},
                   env);
  REQUIRE(pipeline.read_lines(1, 10s) == "first\n");
  // head has gone: the next records evt writes meet a closed pipe.
  Process writer(evt::test::cli::peer_writer_argv(broker, "piped"));
  for (int i = 0; i < 40 && pipeline.out().find("tail exit") == std::string::npos; ++i) {
    writer.write(evt::test::cli::peer_line(record(i % 2, k_base + 1 + i, "k", "more")));
    pipeline.read_lines(2, 250ms);
  }
  writer.close_stdin();
  CHECK(writer.wait(10s).exit_code == 0);
  const ProcessResult result = pipeline.wait(10s);
  CHECK(result.out == "first\ntail exit 0\n");
  CHECK(result.err.empty());
}

TEST_CASE("tail: on a terminal long values are cut to its width unless --no-truncate",
          "[cli][tail]") {
  LocalBroker broker({"long:1"});
  const std::string value(300, 'v');
  peer_write(broker, "long", {record(0, k_base, "k", value + "END")});
  const std::string command = evt::test::evt_binary() + " tail long --no-follow --color never -b " +
                              evt::test::cli::shell_quote(broker.bootstrap());
  const RunOptions env{"", {{"TZ", "UTC"}, {"COLUMNS", "60"}}, 20s, {}};
  const ProcessResult cut = evt::test::cli::in_terminal(command, env);
  REQUIRE(cut.exit_code == 0);
  INFO(cut.out);
  CHECK(cut.out.find("END") == std::string::npos);
  CHECK_THAT(cut.out, Catch::Contains("(303 bytes)"));
  for (const std::string& line : split_lines(cut.out)) {
    CHECK(line.size() <= 64);  // 60 columns, the terminal's \r and a 3-byte "…"
  }
  const ProcessResult whole = evt::test::cli::in_terminal(command + " --no-truncate", env);
  REQUIRE(whole.exit_code == 0);
  CHECK_THAT(whole.out, Catch::Contains(value + "END"));
  // Not a terminal: always whole.
  const ProcessResult piped = evt::test::cli::in_terminal(command + " | cat", env);
  CHECK_THAT(piped.out, Catch::Contains(value + "END"));
}
