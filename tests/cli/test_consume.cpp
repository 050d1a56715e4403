// SPDX-License-Identifier: MIT
// CLI tier for `evt consume`: the real binary against `evt broker`, reading records written by an
// independent client (tests/cli/peer.py with kafka-python) and compared with what confluent-kafka
// (peer.py read) sees.
#include <algorithm>
#include <atomic>
#include <chrono>
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
using namespace std::string_literals;
using evt::test::LocalBroker;
using evt::test::Process;
using evt::test::ProcessResult;
using evt::test::RunOptions;
using evt::test::cli::Bytes;
using evt::test::cli::peer_read;
using evt::test::cli::peer_write;
using evt::test::cli::PeerRecord;
using evt::test::cli::PeerWrite;
using evt::test::cli::split_lines;
using evt::test::cli::write_tricky;

using Lines = std::vector<std::string>;

ProcessResult consume(const LocalBroker& broker,
                      const std::vector<std::string>& args,
                      std::chrono::milliseconds timeout = 20s) {
  return evt::test::cli::evt_command(broker, "consume", args, timeout);
}

// evt consume ARGS; requires exit 0 and returns stdout.
std::string consume_ok(const LocalBroker& broker, const std::vector<std::string>& args) {
  return evt::test::cli::evt_ok(broker, "consume", args, 20s);
}

// "p:o" of every record evt prints for ARGS (with -e), sorted by partition then offset.
Lines positions(const LocalBroker& broker,
                const std::string& topic,
                const std::vector<std::string>& args,
                bool exit_at_end = true) {
  std::vector<std::string> argv = {topic, "-f", "%p:%o\\n"};
  if (exit_at_end) {
    argv.push_back("-e");
  }
  argv.insert(argv.end(), args.begin(), args.end());
  Lines lines = split_lines(consume_ok(broker, argv));
  std::sort(lines.begin(), lines.end(), [](const std::string& a, const std::string& b) {
    auto key = [](const std::string& s) {
      const auto colon = s.find(':');
      return std::pair(std::stoi(s.substr(0, colon)), std::stoll(s.substr(colon + 1)));
    };
    return key(a) < key(b);
  });
  return lines;
}

// p:from..p:to-1
Lines span(int partition, int from, int to) {
  Lines lines;
  for (int offset = from; offset < to; ++offset) {
    lines.push_back(std::to_string(partition) + ":" + std::to_string(offset));
  }
  return lines;
}

Lines operator+(Lines a, const Lines& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// `count` records "pP-I" into each of `partitions` partitions, with timestamps
// base + P*500 + I*1000 when base > 0.
void fill(const LocalBroker& broker,
          const std::string& topic,
          int partitions,
          int count,
          std::int64_t base = 0) {
  std::vector<PeerWrite> records;
  for (int p = 0; p < partitions; ++p) {
    for (int i = 0; i < count; ++i) {
      PeerWrite record;
      record.value = "p" + std::to_string(p) + "-" + std::to_string(i);
      record.partition = p;
      if (base > 0) {
        record.timestamp = base + p * 500 + i * 1000;
      }
      records.push_back(record);
    }
  }
  peer_write(broker, topic, records);
}

}  // namespace

TEST_CASE("consume: -e -f json shows exactly what an independent client sees", "[cli][consume]") {
  LocalBroker broker({"bin:3"});
  write_tricky(broker, "bin");
  // kafka-python cannot write a null header value; evt produce can.
  const ProcessResult null_header = evt::test::evt(
      broker,
      {"produce", "bin", "-f", "json"},
      RunOptions{
          "{\"partition\":1,\"value\":\"n\",\"headers\":[{\"name\":\"n\",\"value\":null}]}\n",
          {},
          20s,
          {}});
  REQUIRE(null_header.exit_code == 0);

  const std::string out = consume_ok(broker, {"bin", "-e", "-f", "json"});
  const auto envelopes = evt::test::cli::parse_envelopes(out);
  REQUIRE(envelopes.size() == 6);
  for (const auto& envelope : envelopes) {
    CHECK(envelope.topic == "bin");
    CHECK(envelope.timestamp_type == "create");
  }
  const auto peer = peer_read(broker, "bin");
  REQUIRE(peer.size() == 6);
  CHECK(evt::test::cli::records_of(envelopes) == peer);

  // The exact text: UTF-8 as strings, other bytes as base64, null as null, headers in order.
  const Lines lines = split_lines(out);
  const auto first = std::find_if(lines.begin(), lines.end(), [](const std::string& line) {
    return line.find("\"partition\":0,\"offset\":0,") != std::string::npos;
  });
  REQUIRE(first != lines.end());
  CHECK(
      *first ==
      R"({"topic":"bin","partition":0,"offset":0,"timestamp":1600000000123,"timestamp_type":"create","key":{"base64":"AP8="},"value":{"base64":"gAAbWzMxbSBiaW5hcnk="},"headers":[{"name":"trace","value":"abc"},{"name":"bin","value":{"base64":"/wA="}},{"name":"trace","value":"dup"}]})");
  const auto second = std::find_if(lines.begin(), lines.end(), [](const std::string& line) {
    return line.find("\"partition\":0,\"offset\":1,") != std::string::npos;
  });
  REQUIRE(second != lines.end());
  CHECK_THAT(*second, Catch::Contains(R"("key":null,"value":"")"));
  const auto third = std::find_if(lines.begin(), lines.end(), [](const std::string& line) {
    return line.find("\"partition\":1,\"offset\":0,") != std::string::npos;
  });
  REQUIRE(third != lines.end());
  CHECK_THAT(*third, Catch::Contains(R"("key":"","value":null)"));
}

TEST_CASE("consume: -f json piped into produce -f json copies the topic byte for byte",
          "[cli][consume]") {
  LocalBroker broker({"src:3", "dst:3"});
  write_tricky(broker, "src");
  peer_write(broker, "src", {PeerWrite{"k", "on partition 2", {{"h", "1"}, {"h", "1"}}, 2, 42}});
  const ProcessResult null_header = evt::test::evt(
      broker,
      {"produce", "src", "-f", "json"},
      RunOptions{"{\"partition\":2,\"value\":null,\"headers\":[{\"name\":\"n\",\"value\":null}]}\n",
                 {},
                 20s,
                 {}});
  REQUIRE(null_header.exit_code == 0);

  const ProcessResult piped =
      evt::test::cli::shell(broker,
                            "set -o pipefail; \"$EVT\" consume src -e -f json -b \"$B\" | "
                            "\"$EVT\" produce dst -f json -b \"$B\"");
  INFO("stderr: " << piped.err);
  REQUIRE(piped.exit_code == 0);

  const auto source = peer_read(broker, "src");
  REQUIRE(source.size() == 7);
  CHECK(peer_read(broker, "dst") == source);  // same partitions, offsets, timestamps, bytes

  // And evt's own view of both is the same text but for the topic name.
  std::string from_source = consume_ok(broker, {"src", "-e", "-f", "json", "-p", "2"});
  const std::string from_copy = consume_ok(broker, {"dst", "-e", "-f", "json", "-p", "2"});
  for (std::size_t at = from_source.find("\"topic\":\"src\""); at != std::string::npos;
       at = from_source.find("\"topic\":\"src\"", at)) {
    from_source.replace(at, 13, "\"topic\":\"dst\"");
  }
  CHECK(from_copy == from_source);
}

TEST_CASE("consume: -o beginning, end, N, -N and +N", "[cli][consume]") {
  LocalBroker broker({"o:2"});
  fill(broker, "o", 2, 10);
  const Lines all = span(0, 0, 10) + span(1, 0, 10);
  for (const char* alias : {"beginning", "start", "oldest", "earliest"}) {
    INFO(alias);
    CHECK(positions(broker, "o", {"-o", alias}) == all);
  }
  CHECK(positions(broker, "o", {}) == all);  // the default
  for (const char* alias : {"end", "newest", "latest"}) {
    INFO(alias);
    CHECK(positions(broker, "o", {"-o", alias}).empty());
  }
  CHECK(positions(broker, "o", {"-o", "3"}) == span(0, 3, 10) + span(1, 3, 10));
  CHECK(positions(broker, "o", {"-o", "-2"}) == span(0, 8, 10) + span(1, 8, 10));
  CHECK(positions(broker, "o", {"-o", "+8"}) == span(0, 8, 10) + span(1, 8, 10));
  CHECK(positions(broker, "o", {"-o", "-20"}) == all);
  CHECK(positions(broker, "o", {"-o", "10"}).empty());  // at the end: nothing to read
  // Past the end of every partition, with -e: nothing can be read, and evt says so (exit 5;
  // issue 22 item 2). tests/cli/test_read_ranges.cpp has the rest.
  const ProcessResult past = consume(broker, {"o", "-e", "-o", "12"});
  CHECK(past.exit_code == 5);
  CHECK(past.out.empty());

  // The values, too: the right records, not just the right numbers.
  CHECK(consume_ok(broker, {"o", "-e", "-o", "-1", "-p", "1"}) == "p1-9\n");
}

TEST_CASE("consume: ranges FROM:TO, P=SPEC per partition and -p", "[cli][consume]") {
  LocalBroker broker({"r:2"});
  fill(broker, "r", 2, 10);
  CHECK(positions(broker, "r", {"-o", "2:4"}) == span(0, 2, 4) + span(1, 2, 4));
  CHECK(positions(broker, "r", {"-o", ":3"}) == span(0, 0, 3) + span(1, 0, 3));
  CHECK(positions(broker, "r", {"-o", "-3:-1"}) == span(0, 7, 9) + span(1, 7, 9));
  CHECK(positions(broker, "r", {"-o", "0=7"}) == span(0, 7, 10) + span(1, 0, 10));
  CHECK(positions(broker, "r", {"-o", "0=-1", "-o", "1=+9"}) == span(0, 9, 10) + span(1, 9, 10));
  CHECK(positions(broker, "r", {"-o", "5", "-o", "1=1:3"}) == span(0, 5, 10) + span(1, 1, 3));
  CHECK(positions(broker, "r", {"-o", "1=3:5", "-p", "1"}) == span(1, 3, 5));
  CHECK(positions(broker, "r", {"-p", "1"}) == span(1, 0, 10));
  CHECK(positions(broker, "r", {"-p", "1", "-p", "0", "-o", "9"}) ==
        span(0, 9, 10) + span(1, 9, 10));

  // With -e a TO beyond the end stops at the end as it was at start.
  CHECK(positions(broker, "r", {"-o", "8:100"}) == span(0, 8, 10) + span(1, 8, 10));

  // A bounded range needs no -e; FROM:end is the end as it was when evt started.
  const auto started = std::chrono::steady_clock::now();
  CHECK(positions(broker, "r", {"-o", "2:4"}, false) == span(0, 2, 4) + span(1, 2, 4));
  CHECK(positions(broker, "r", {"-o", "7:end"}, false) == span(0, 7, 10) + span(1, 7, 10));
  CHECK(evt::test::cli::seconds_since(started) < 5.0);

  // A partition that does not exist: 5; a malformed spec: 2.
  const ProcessResult missing = consume(broker, {"r", "-e", "-p", "5"});
  CHECK(missing.exit_code == 5);
  CHECK_THAT(missing.err, Catch::Contains("partition 5"));
  const ProcessResult missing_spec = consume(broker, {"r", "-e", "-o", "7=3"});
  CHECK(missing_spec.exit_code == 5);
  for (const char* bad : {"bogus", "1:2:3:4", "x=1", "@yesterday-ish"}) {
    const ProcessResult result = consume(broker, {"r", "-e", "-o", bad});
    INFO("-o " << bad << ": " << result.err);
    CHECK(result.exit_code == 2);
    CHECK(result.out.empty());
  }
}

TEST_CASE("consume: -o @TIME finds the first record at or after TIME, by either way of finding it",
          "[cli][consume]") {
  LocalBroker broker({"tm:2"});
  // Partition 0: 1600000000000 + i*1000 (i < 10); partition 1: 1600000000500 + i*1000 (i < 5).
  std::vector<PeerWrite> records;
  for (int i = 0; i < 10; ++i) {
    records.push_back(
        PeerWrite{std::nullopt, "p0-" + std::to_string(i), {}, 0, 1600000000000 + i * 1000});
  }
  for (int i = 0; i < 5; ++i) {
    records.push_back(
        PeerWrite{std::nullopt, "p1-" + std::to_string(i), {}, 1, 1600000000500 + i * 1000});
  }
  peer_write(broker, "tm", records);
  // The timestamps really are those (the search below relies on them).
  const auto peer = peer_read(broker, "tm");
  REQUIRE(peer.size() == 15);
  CHECK(peer[3].timestamp == 1600000003000);

  CHECK(positions(broker, "tm", {"-o", "@1600000003000"}) == span(0, 3, 10) + span(1, 3, 5));
  CHECK(positions(broker, "tm", {"-o", "@1600000003500"}) == span(0, 4, 10) + span(1, 3, 5));
  CHECK(positions(broker, "tm", {"-o", "@1600000002999"}) == span(0, 3, 10) + span(1, 3, 5));
  CHECK(positions(broker, "tm", {"-o", "@1500000000000"}) == span(0, 0, 10) + span(1, 0, 5));
  CHECK(positions(broker, "tm", {"-o", "@1600000009000"}) == span(0, 9, 10));
  CHECK(positions(broker, "tm", {"-o", "@1600000009001"}).empty());
  // 1600000003000 ms is 2020-09-13T12:26:43Z.
  CHECK(positions(broker, "tm", {"-o", "@2020-09-13T12:26:43Z"}) == span(0, 3, 10) + span(1, 3, 5));
  CHECK(positions(broker, "tm", {"-o", "@1600000002000:@1600000004000"}) ==
        span(0, 2, 4) + span(1, 2, 4));
  CHECK(positions(broker, "tm", {"-o", "0=@1600000005000", "-p", "0"}) == span(0, 5, 10));
  CHECK(consume_ok(broker, {"tm", "-e", "-p", "0", "-o", "@1600000007000"}) ==
        "p0-7\np0-8\np0-9\n");

  // -v says how the answer was found: the mock cannot look up times, so evt read record
  // timestamps; a real Kafka answers ListOffsets itself, with the same offsets as above.
  const ProcessResult verbose =
      consume(broker, {"tm", "-e", "-p", "0", "-o", "@1600000003500", "-v"});
  CHECK(verbose.exit_code == 0);
  if (evt::test::RealKafka::get()) {
    CHECK_THAT(verbose.err, !Catch::Contains("could not answer a time query"));
  } else {
    CHECK_THAT(verbose.err, Catch::Contains("could not answer a time query"));
  }
  CHECK(verbose.out == "p0-4\np0-5\np0-6\np0-7\np0-8\np0-9\n");
}

TEST_CASE("consume: --until stops before an offset or a time", "[cli][consume]") {
  LocalBroker broker({"u:2"});
  fill(broker, "u", 2, 5, 1600000000000);
  CHECK(positions(broker, "u", {"--until", "3"}) == span(0, 0, 3) + span(1, 0, 3));
  CHECK(positions(broker, "u", {"--until", "-1"}) == span(0, 0, 4) + span(1, 0, 4));
  // p0 stamps 0,1000,2000..., p1 500,1500,...: before 2000 is p0 0-1 and p1 0-1.
  CHECK(positions(broker, "u", {"--until", "@1600000002000"}) == span(0, 0, 2) + span(1, 0, 2));
  // Without -e too (the end is known for every partition).
  CHECK(positions(broker, "u", {"--until", "2", "-o", "1"}, false) ==
        span(0, 1, 2) + span(1, 1, 2));
  // With -e, an end beyond the records stops at the end instead of waiting.
  CHECK(positions(broker, "u", {"--until", "100"}) == span(0, 0, 5) + span(1, 0, 5));
}

TEST_CASE("consume: -c stops after N records", "[cli][consume]") {
  LocalBroker broker({"c:2"});
  fill(broker, "c", 2, 5);
  // Following (no -e): the count alone ends it.
  const ProcessResult following = consume(broker, {"c", "-c", "3", "-p", "1"}, 10s);
  CHECK_FALSE(following.timed_out);
  CHECK(following.exit_code == 0);
  CHECK(following.out == "p1-0\np1-1\np1-2\n");
  CHECK(split_lines(consume_ok(broker, {"c", "-c", "4"})).size() == 4);
  // With -e, whichever comes first.
  CHECK(split_lines(consume_ok(broker, {"c", "-e", "-c", "100"})).size() == 10);
  CHECK(consume(broker, {"c", "-c", "0"}).exit_code == 2);
}

TEST_CASE("consume: --idle-timeout stops a follower when nothing arrives", "[cli][consume]") {
  LocalBroker broker({"idle:2"});
  fill(broker, "idle", 2, 3);
  const auto started = std::chrono::steady_clock::now();
  CHECK(positions(broker, "idle", {"-o", "-1", "--idle-timeout", "500ms"}, false) ==
        span(0, 2, 3) + span(1, 2, 3));
  const double seconds = evt::test::cli::seconds_since(started);
  CHECK(seconds >= 0.5);
  CHECK(seconds < 4.0);
  CHECK(consume(broker, {"idle", "--idle-timeout", "soon"}).exit_code == 2);
}

TEST_CASE("consume: -e on an empty topic exits at once", "[cli][consume]") {
  LocalBroker broker({"empty:3", "partly:3"});
  const ProcessResult result = consume(broker, {"empty", "-e"}, 10s);
  CHECK(result.exit_code == 0);
  CHECK(result.out.empty());
  CHECK(result.seconds < 2.0);

  // Some partitions empty, others not.
  peer_write(broker, "partly", {PeerWrite{std::nullopt, "only", {}, 1, std::nullopt}});
  const ProcessResult partly = consume(broker, {"partly", "-e", "-f", "%p:%o:%v\\n"}, 10s);
  CHECK(partly.exit_code == 0);
  CHECK(partly.out == "1:0:only\n");
  CHECK(partly.seconds < 2.0);
}

TEST_CASE("consume: -e stops at the end as it was at start while another process keeps writing",
          "[cli][consume]") {
  LocalBroker broker({"busy:1"});
  Process writer(evt::test::cli::evt_argv(broker, {"produce", "busy"}), evt::test::cli::evt_env());
  std::atomic<bool> stop{false};
  std::thread feeder([&] {
    for (int i = 0; !stop; ++i) {
      writer.write("record-" + std::to_string(i) + "\n");
      std::this_thread::sleep_for(2ms);
    }
  });
  // Stops the feeder however this scope is left (a failed REQUIRE throws).
  struct Joiner {
    std::atomic<bool>& stop;
    std::thread& thread;
    ~Joiner() {
      stop = true;
      if (thread.joinable()) {
        thread.join();
      }
    }
  } joiner{stop, feeder};
  const bool started =
      evt::test::cli::eventually(5s, [&] { return peer_read(broker, "busy").size() >= 50; });

  const ProcessResult result = consume(broker, {"busy", "-e", "-f", "%o %v\\n"}, 15s);

  stop = true;
  feeder.join();
  writer.close_stdin();
  const ProcessResult written = writer.wait(10s);
  REQUIRE(started);
  CHECK(written.exit_code == 0);

  CHECK_FALSE(result.timed_out);
  CHECK(result.exit_code == 0);
  const Lines lines = split_lines(result.out);
  CHECK(lines.size() >= 50);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    REQUIRE(lines[i] == std::to_string(i) + " record-" + std::to_string(i));
  }
  CHECK(peer_read(broker, "busy").size() > lines.size());  // the writer went on after evt stopped
}

TEST_CASE("consume: layouts print every field", "[cli][consume]") {
  LocalBroker broker({"lay:1"});
  peer_write(
      broker,
      "lay",
      {PeerWrite{
          "\x00k"s, "hi", {{"trace", "abc"}, {"bin", "\xff"}, {"trace", "2"}}, 0, 1600000000123}});
  // kafka-python refuses a record with neither key nor value; evt produce writes it.
  REQUIRE(evt::test::evt(broker,
                         {"produce", "lay", "-f", "json"},
                         RunOptions{"{\"key\":null,\"value\":null,\"partition\":0,"
                                    "\"timestamp\":1600000000124}\n",
                                    {},
                                    20s,
                                    {}})
              .exit_code == 0);
  const std::string layout =
      "%t|%p|%o|%k|%v|%K|%S|%T|%d|%h|%h{trace}|%h{none}|%k{hex}|%v{base64}|%v{hex}|%s|%%\\n";
  const std::string out = consume_ok(broker, {"lay", "-e", "-f", layout});
  CHECK(out ==
        "lay|0|0|\x00k|hi|2|2|1600000000123|2020-09-13T12:26:40.123Z|trace=abc,bin=\xff,trace=2|"
        "abc||006b|aGk=|6869|hi|%\n"
        "lay|0|1|||-1|-1|1600000000124|2020-09-13T12:26:40.124Z||||||||%\n"s);

  // -f value with -D and -K (kcat's habit): key, delimiter, value, delimiter.
  CHECK(consume_ok(broker, {"lay", "-e", "-K", "=", "-D", "\\0"}) == "\x00k=hi\0=\0"s);
  CHECK(consume_ok(broker, {"lay", "-e", "-D", "|"}) == "hi||");
}

TEST_CASE("consume: an unknown layout field exits 2 with a did-you-mean", "[cli][consume]") {
  LocalBroker broker({"t:1"});
  peer_write(broker, "t", {PeerWrite{std::nullopt, "x", {}, 0, std::nullopt}});
  const ProcessResult upper = consume(broker, {"t", "-e", "-f", "%O %v\\n"});
  CHECK(upper.exit_code == 2);
  CHECK(upper.out.empty());
  CHECK_THAT(upper.err, Catch::Contains("%O") && Catch::Contains("did you mean %o"));

  const ProcessResult value = consume(broker, {"t", "-e", "-f", "%V\\n"});
  CHECK(value.exit_code == 2);
  CHECK_THAT(value.err, Catch::Contains("did you mean %v"));

  const ProcessResult encoding = consume(broker, {"t", "-e", "-f", "%k{hax}\\n"});
  CHECK(encoding.exit_code == 2);
  CHECK_THAT(encoding.err, Catch::Contains("hax"));

  const ProcessResult format = consume(broker, {"t", "-e", "-f", "jsn"});
  CHECK(format.exit_code == 2);
  CHECK_THAT(format.err, Catch::Contains("did you mean \"json\""));

  const ProcessResult unknown = consume(broker, {"t", "-e", "-f", "%x\\n"});
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("%x") && Catch::Contains("output fields: %t %p"));
  const ProcessResult slipped = consume(broker, {"t", "-e", "-f", "%O %v\\n"});
  CHECK_THAT(slipped.err, Catch::Contains("did you mean %o?"));
  const ProcessResult misspelt = consume(broker, {"t", "-e", "-f", "%k{bas64}\\n"});
  CHECK(misspelt.exit_code == 2);
  CHECK_THAT(misspelt.err, Catch::Contains("did you mean {base64}?"));
  const ProcessResult case_slip = consume(broker, {"t", "-e", "-f", "%K{hex}\\n"});
  CHECK(case_slip.exit_code == 2);
  CHECK_THAT(case_slip.err, Catch::Contains("did you mean %k{hex}?"));
}

TEST_CASE("consume: @TIME as a date, a relative duration and now, against the broker",
          "[cli][consume]") {
  LocalBroker broker({"times:1"});
  evt::test::RunOptions lines;
  lines.stdin_data = "a\nb\n";
  REQUIRE(evt::test::evt(broker, {"produce", "times"}, lines).exit_code == 0);
  // Records written just now: a date long past and "an hour ago" find them all; "now" and a
  // date in the future find none (and exit at once with -e).
  for (const char* from : {"@2001-01-01", "@-1h"}) {
    const ProcessResult all = consume(broker, {"times", "-o", from, "-e"});
    INFO(from << ": " << all.err);
    CHECK(all.exit_code == 0);
    CHECK(all.out == "a\nb\n");
  }
  for (const char* from : {"@now", "@2100-01-01"}) {
    const ProcessResult none = consume(broker, {"times", "-o", from, "-e"});
    INFO(from << ": " << none.err);
    CHECK(none.exit_code == 0);
    CHECK(none.out.empty());
  }
}

TEST_CASE("consume: a reader that closes the pipe early ends evt quietly with 0",
          "[cli][consume]") {
  LocalBroker broker({"big:1", "small:1"});
  std::string data;
  for (int i = 0; i < 20000; ++i) {
    data += "line " + std::to_string(i) + "\n";
  }
  REQUIRE(evt::test::evt(broker, {"produce", "big"}, RunOptions{data, {}, 20s, {}}).exit_code == 0);
  peer_write(broker,
             "small",
             {PeerWrite{std::nullopt, "first", {}, 0, std::nullopt},
              PeerWrite{std::nullopt, "second", {}, 0, std::nullopt}});

  // pipefail: the status is evt's unless it is 0 (141 would mean it died of SIGPIPE).
  for (const char* topic : {"big", "small"}) {
    INFO("topic " << topic);
    RunOptions options;
    options.timeout = 10s;
    const ProcessResult result = evt::test::cli::shell(
        broker,
        // timeout: should evt hang, it must not outlive the test (status 124 fails it).
        std::string("set -o pipefail; timeout 8 \"$EVT\" consume ") + topic +
            " -b \"$B\" | head -1",
        options);
    CHECK_FALSE(result.timed_out);
    CHECK(result.exit_code == 0);
    CHECK(result.out == (std::string(topic) == "big" ? "line 0\n" : "first\n"));
    CHECK(result.err.empty());
    CHECK(result.seconds < 5.0);
  }
}

TEST_CASE("consume: SIGINT or SIGTERM stops a following consumer with 0", "[cli][consume]") {
  LocalBroker broker({"sig:1"});
  fill(broker, "sig", 1, 3);
  for (int signo : {SIGINT, SIGTERM}) {
    INFO("signal " << signo);
    Process process(evt::test::cli::evt_argv(broker, {"consume", "sig"}),
                    evt::test::cli::evt_env());
    CHECK(process.read_lines(3, 5s) == "p0-0\np0-1\np0-2\n");
    process.signal(signo);
    const ProcessResult result = process.wait(10s);
    CHECK_FALSE(result.timed_out);
    CHECK(result.exit_code == 0);
    CHECK(result.out == "p0-0\np0-1\np0-2\n");
  }
}

TEST_CASE("consume: unreachable brokers exit 3", "[cli][consume]") {
  const ProcessResult result =
      evt::test::cli::evt_raw({"consume", "t", "-e", "-b", "127.0.0.1:1", "--timeout", "2s"});
  CHECK(result.exit_code == 3);
  CHECK(result.seconds < 5.0);
  CHECK_THAT(result.err, Catch::Contains("127.0.0.1:1"));
  CHECK(result.out.empty());
}

TEST_CASE("consume -g: a missing topic exits 5, a regex subscribes to every match",
          "[cli][consume]") {
  evt::test::cli::FaultCluster cluster({"logs-a:1", "logs-b:2", "other:1"}, 1);
  cluster.fault("topic-error ghost UNKNOWN_TOPIC_OR_PART");
  const ProcessResult missing = cluster.evt({"consume", "ghost", "-g", "readers", "-e"});
  CHECK(missing.exit_code == 5);
  CHECK_THAT(missing.err, Catch::Contains("topic \"ghost\" not found"));

  evt::test::RunOptions lines;
  lines.stdin_data = "a1\na2\n";
  REQUIRE(cluster.evt({"produce", "logs-a"}, lines).exit_code == 0);
  lines.stdin_data = "b1\n";
  REQUIRE(cluster.evt({"produce", "logs-b"}, lines).exit_code == 0);
  lines.stdin_data = "o1\n";
  REQUIRE(cluster.evt({"produce", "other"}, lines).exit_code == 0);
  const ProcessResult matched =
      cluster.evt({"consume", "^logs-.*", "-g", "auditors", "-e", "-f", "%t:%s\n"});
  INFO("stderr: " << matched.err);
  CHECK(matched.exit_code == 0);
  std::vector<std::string> got;
  std::istringstream in(matched.out);
  for (std::string line; std::getline(in, line);) {
    got.push_back(line);
  }
  std::sort(got.begin(), got.end());
  CHECK(got == std::vector<std::string>{"logs-a:a1", "logs-a:a2", "logs-b:b1"});
}

TEST_CASE("consume: usage errors exit 2", "[cli][consume]") {
  LocalBroker broker({"t:2"});
  const std::vector<std::vector<std::string>> cases = {
      {"t", "--bogus"},
      {"t", "-o", "stored"},          // needs -g
      {"^t.*", "-e"},                 // a regex needs -g
      {"t", "-g", "g", "-p", "1"},    // the group assigns partitions
      {"t", "-g", "g", "-o", "1:3"},  // no ranges with -g
      {"t", "--until", "stored"},
      {"t", "-f", "value", "-D", "\\q"},  // bad escape
  };
  for (const auto& args : cases) {
    const ProcessResult result = consume(broker, args, 10s);
    INFO("args: " << Catch::StringMaker<std::vector<std::string>>::convert(args)
                  << "\nstderr: " << result.err);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::StartsWith("evt: error: "));
    CHECK(result.out.empty());
  }
}

TEST_CASE("consume: -g continues exactly after what the previous run printed", "[cli][consume]") {
  LocalBroker broker({"g:2"});
  fill(broker, "g", 2, 5);
  // The mock delays a rejoin (after the previous member left) by session.timeout.ms - 1 s, so
  // keep it short; but not below the mock's fixed 3 s first-join delay, or the first join never
  // completes.
  const std::vector<std::string> group = {
      "-g", "evt-test", "-f", "%p:%o\\n", "-X", "session.timeout.ms=4000"};
  auto in_partition = [](const Lines& lines, const char* partition) {
    Lines selected;
    for (const auto& line : lines) {
      if (line.rfind(partition, 0) == 0) {
        selected.push_back(line);
      }
    }
    return selected;
  };

  // 1. Stopped by -c after 4 records.
  std::vector<std::string> args = {"g"};
  args.insert(args.end(), group.begin(), group.end());
  args.insert(args.end(), {"-c", "4"});
  const Lines first = split_lines(consume_ok(broker, args));
  REQUIRE(first.size() == 4);

  // 2. A follower picks up exactly after them, and is stopped by SIGINT.
  std::vector<std::string> follower = {"consume", "g"};
  follower.insert(follower.end(), group.begin(), group.end());
  Process process(evt::test::cli::evt_argv(broker, follower), evt::test::cli::evt_env());
  const Lines second = split_lines(process.read_lines(6, 15s));
  process.signal(SIGINT);
  const ProcessResult stopped = process.wait(10s);
  CHECK_FALSE(stopped.timed_out);
  CHECK(stopped.exit_code == 0);
  CHECK(split_lines(stopped.out) == second);
  for (const char* partition : {"0:", "1:"}) {
    INFO("partition " << partition << " first run " << Catch::StringMaker<Lines>::convert(first)
                      << " second run " << Catch::StringMaker<Lines>::convert(second));
    CHECK(in_partition(first, partition) + in_partition(second, partition) ==
          in_partition(span(0, 0, 5) + span(1, 0, 5), partition));
  }

  // 3. What the interrupted follower printed was committed: a new run (-e) sees only what came
  // after it.
  peer_write(broker, "g", {PeerWrite{std::nullopt, "late", {}, 1, std::nullopt}});
  args = {"g"};
  args.insert(args.end(), group.begin(), group.end());
  args.push_back("-e");
  CHECK(consume_ok(broker, args) == "1:5\n");
}

TEST_CASE("consume: a topic the broker says does not exist exits 5 with a hint", "[cli][consume]") {
  evt::test::cli::FaultCluster cluster({"present:1"}, 1);
  cluster.fault("topic-error ghost UNKNOWN_TOPIC_OR_PART");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"consume", "ghost", "-e"},
        std::vector<std::string>{"replay", "ghost", "--from", "beginning"},
        std::vector<std::string>{"inspect", "topic", "ghost"}}) {
    const auto result = cluster.evt(args);
    INFO(args[0] << ": " << result.err);
    CHECK(result.exit_code == 5);
    CHECK_THAT(result.err, Catch::Contains("topic \"ghost\" not found"));
    CHECK_THAT(result.err, Catch::Contains("hint: list topics with 'evt inspect topics'"));
  }
}

TEST_CASE(
    "consume: a start already deleted by retention begins at the first record left, "
    "with a warning",
    "[cli][consume][mock-only]") {
  LocalBroker broker({"trimmed:1"});
  // The local broker keeps 5 MiB per partition: 8 MB of records trims the oldest.
  const ProcessResult filled = evt::test::cli::shell(
      broker, "yes " + std::string(99, 'r') + " | head -n 80000 | $EVT produce trimmed -b $B");
  REQUIRE(filled.exit_code == 0);
  const ProcessResult result =
      evt::test::evt(broker, {"consume", "trimmed", "-o", "0", "-e", "-c", "1"});
  INFO("stderr: " << result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out == std::string(99, 'r') + "\n");
  CHECK_THAT(result.err,
             Catch::Contains("trimmed/0: ") &&
                 Catch::Contains("requested records were already deleted by retention"));
}
