// SPDX-License-Identifier: MIT
// CLI tier for `evt produce`: the real binary against `evt broker`, with what it wrote read back
// by independent clients (tests/cli/peer.py with confluent-kafka, and kcat).
#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
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
using evt::test::TempDir;
using evt::test::cli::Bytes;
using evt::test::cli::input;
using evt::test::cli::keys_of;
using evt::test::cli::peer_read;
using evt::test::cli::PeerHeader;
using evt::test::cli::PeerRecord;
using evt::test::cli::strings;
using evt::test::cli::values_of;

// evt produce with `args`, stdin `data`; requires exit 0.
void produce_ok(const LocalBroker& broker,
                const std::vector<std::string>& args,
                const std::string& data) {
  std::vector<std::string> argv = {"produce"};
  argv.insert(argv.end(), args.begin(), args.end());
  const ProcessResult result = evt::test::evt(broker, argv, input(data));
  INFO("stderr: " << result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(result.out.empty());  // without --report, stdout stays empty
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

TEST_CASE("produce: empty lines are records", "[cli][produce]") {
  LocalBroker broker({"t:1"});
  // The last line has no newline and is still a record; no record appears after a final newline.
  produce_ok(broker, {"t"}, "a\n\nb\n\n\nc");
  const auto records = peer_read(broker, "t");
  CHECK(values_of(records) == strings({"a", "", "b", "", "", "c"}));
  CHECK(keys_of(records) == std::vector<Bytes>(6, std::nullopt));
  for (const PeerRecord& record : records) {
    CHECK(record.headers.empty());
  }

  produce_ok(broker, {"t"}, "d\n");
  CHECK(values_of(peer_read(broker, "t")) == strings({"a", "", "b", "", "", "c", "d"}));
}

TEST_CASE("produce: -D multi-byte, escaped and NUL delimiters", "[cli][produce]") {
  LocalBroker broker({"multi:1", "nul:1", "crlf:1"});
  produce_ok(broker, {"multi", "-D", "||"}, "a||b||||c\nd");
  CHECK(values_of(peer_read(broker, "multi")) == strings({"a", "b", "", "c\nd"}));

  produce_ok(broker, {"nul", "-D", "\\0"}, "x\0\0y\n\0"s);
  CHECK(values_of(peer_read(broker, "nul")) == strings({"x", "", "y\n"}));

  produce_ok(broker, {"crlf", "-D", "\\r\\n"}, "a\r\nb\nc\r\n\r\n");
  CHECK(values_of(peer_read(broker, "crlf")) == strings({"a", "b\nc", ""}));
}

TEST_CASE("produce: -K splits key and value at the first delimiter", "[cli][produce]") {
  LocalBroker broker({"k:1", "k2:1"});
  produce_ok(broker, {"k", "-K", ":"}, "k1:v1\nk2:v:2\nnokey\n:empty-key\nempty-value:\n");
  const auto records = peer_read(broker, "k");
  CHECK(keys_of(records) == std::vector<Bytes>{"k1", "k2", std::nullopt, "", "empty-value"});
  CHECK(values_of(records) == strings({"v1", "v:2", "nokey", "empty-key", ""}));

  // A multi-byte key delimiter given as escapes.
  produce_ok(broker, {"k2", "-K", "\\t=>"}, "a\t=>1\tb\n");
  const auto tabbed = peer_read(broker, "k2");
  CHECK(keys_of(tabbed) == std::vector<Bytes>{"a"});
  CHECK(values_of(tabbed) == strings({"1\tb"}));
}

TEST_CASE("produce: --crlf strips the CR of a CRLF, without it the CR is kept", "[cli][produce]") {
  LocalBroker broker({"with:1", "without:1"});
  const std::string data = "a\r\nb\r\r\n\r\nc\rd\n";
  produce_ok(broker, {"with", "--crlf"}, data);
  CHECK(values_of(peer_read(broker, "with")) == strings({"a", "b\r", "", "c\rd"}));
  produce_ok(broker, {"without"}, data);
  CHECK(values_of(peer_read(broker, "without")) == strings({"a\r", "b\r\r", "\r", "c\rd"}));
}

TEST_CASE("produce: -k fixed key and repeated -H headers with duplicate names", "[cli][produce]") {
  LocalBroker broker({"h:1"});
  produce_ok(broker,
             {"h",
              "-k",
              "user-1",
              "-H",
              "a=1",
              "-H",
              "a=2",
              "-H",
              "b=",
              "-H",
              "c=x=y",
              "-H",
              "trace=\xc3\xa9"},
             "v1\nv2\n");
  const auto records = peer_read(broker, "h");
  REQUIRE(records.size() == 2);
  const std::vector<PeerHeader> expected = {
      {"a", "1"}, {"a", "2"}, {"b", ""}, {"c", "x=y"}, {"trace", "\xc3\xa9"}};
  for (const PeerRecord& record : records) {
    CHECK(record.key == Bytes("user-1"));
    CHECK(record.headers == expected);
  }
  CHECK(values_of(records) == strings({"v1", "v2"}));

  // A header without '=' is a usage error, and nothing is sent.
  const ProcessResult bad =
      evt::test::evt(broker, {"produce", "h", "-H", "noequals"}, input("x\n"));
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("noequals"));
  CHECK(peer_read(broker, "h").size() == 2);
}

TEST_CASE("produce: -p writes every record to that partition", "[cli][produce]") {
  LocalBroker broker({"t:3"});
  produce_ok(broker, {"t", "-p", "2", "-K", ":"}, "a:1\nb:2\nc:3\nd:4\n");
  const auto records = peer_read(broker, "t");
  REQUIRE(records.size() == 4);
  CHECK(evt::test::cli::positions_of(records) ==
        std::vector<std::string>{"2:0", "2:1", "2:2", "2:3"});
  CHECK(values_of(records) == strings({"1", "2", "3", "4"}));
}

TEST_CASE("produce: keys land where the Java client's murmur2 partitioner puts them",
          "[cli][produce]") {
  LocalBroker broker({"m:7"});
  const std::vector<std::string> keys = {"user-1",
                                         "user-2",
                                         "order-17",
                                         "a",
                                         "b",
                                         "hello world",
                                         "\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87",
                                         "0"};
  std::string data;
  for (const std::string& key : keys) {
    data += key + ":" + key + "-value\n";
  }
  produce_ok(broker, {"m", "-K", ":"}, data);
  const auto records = peer_read(broker, "m");
  REQUIRE(records.size() == keys.size());
  std::set<std::int32_t> used;
  for (const PeerRecord& record : records) {
    REQUIRE(record.key);
    INFO("key " << *record.key);
    CHECK(record.partition == evt::test::cli::java_partition(*record.key, 7));
    CHECK(record.value == Bytes(*record.key + "-value"));
    used.insert(record.partition);
  }
  CHECK(used.size() >= 3);  // the keys spread, so a constant partition cannot pass
}

TEST_CASE("produce: --null-empty sends tombstones, without it empty values stay empty",
          "[cli][produce]") {
  LocalBroker broker({"n:1", "e:1", "nj:1"});
  produce_ok(broker, {"n", "--null-empty"}, "a\n\nb\n");
  CHECK(values_of(peer_read(broker, "n")) == std::vector<Bytes>{"a", std::nullopt, "b"});
  produce_ok(broker, {"e"}, "a\n\nb\n");
  CHECK(values_of(peer_read(broker, "e")) == strings({"a", "", "b"}));
  produce_ok(broker,
             {"nj", "-f", "json", "--null-empty"},
             "{\"value\":\"\"}\n{\"value\":null}\n{\"value\":\"x\"}\n");
  CHECK(values_of(peer_read(broker, "nj")) == std::vector<Bytes>{std::nullopt, std::nullopt, "x"});
}

TEST_CASE("produce: -f json envelopes with base64, null, empty, headers, partition and timestamp",
          "[cli][produce]") {
  LocalBroker broker({"j:3"});
  const std::string data =
      R"({"key":{"base64":"AP8="},"value":{"base64":"gA=="},"headers":[{"name":"h","value":{"base64":"/w=="}},{"name":"h","value":null},{"name":"e","value":""},{"name":"h","value":"utf8 \u00e9"}],"partition":2,"timestamp":1500000000123})"
      "\n"
      R"({"key":null,"value":null,"partition":0,"timestamp":1500000000456,"offset":99,"timestamp_type":"log_append"})"
      "\n"
      R"({"key":"","value":"","partition":0,"timestamp":1})"
      "\n"
      R"({"topic":"j","partition":1,"value":"line\nbreak \"quoted\" \\ tab\t"})"
      "\n";
  const auto before = now_ms();
  produce_ok(broker, {"j", "-f", "json"}, data);
  const auto records = peer_read(broker, "j");
  REQUIRE(records.size() == 4);

  CHECK(records[0] == PeerRecord{0, 0, 1500000000456, std::nullopt, std::nullopt, {}});
  CHECK(records[1] == PeerRecord{0, 1, 1, "", "", {}});
  // No timestamp given: the producer's clock.
  CHECK(records[2].partition == 1);
  CHECK(records[2].value == Bytes("line\nbreak \"quoted\" \\ tab\t"));
  CHECK(records[2].key == std::nullopt);
  CHECK(records[2].timestamp >= before - 1000);
  CHECK(records[2].timestamp <= now_ms() + 1000);
  CHECK(records[3] ==
        PeerRecord{2,
                   0,
                   1500000000123,
                   "\x00\xff"s,
                   "\x80"s,
                   {{"h", "\xff"s}, {"h", std::nullopt}, {"e", ""}, {"h", "utf8 \xc3\xa9"}}});
}

TEST_CASE("produce: -f json without TOPIC writes each record to the topic it names",
          "[cli][produce]") {
  LocalBroker broker({"ja:1", "jb:2"});
  produce_ok(
      broker,
      {"-f", "json"},
      "{\"topic\":\"ja\",\"value\":\"1\"}\n{\"topic\":\"jb\",\"partition\":1,\"value\":\"2\"}\n"
      "{\"topic\":\"ja\",\"value\":\"3\"}\n");
  CHECK(values_of(peer_read(broker, "ja")) == strings({"1", "3"}));
  const auto jb = peer_read(broker, "jb");
  REQUIRE(jb.size() == 1);
  CHECK(jb[0].partition == 1);
  CHECK(jb[0].value == Bytes("2"));

  // A TOPIC argument overrides the records' topics.
  produce_ok(broker, {"ja", "-f", "json"}, "{\"topic\":\"jb\",\"value\":\"4\"}\n");
  CHECK(values_of(peer_read(broker, "ja")) == strings({"1", "3", "4"}));
  CHECK(peer_read(broker, "jb").size() == 1);
}

TEST_CASE("produce: -f layout of key=value lines", "[cli][produce]") {
  LocalBroker broker({"l:1"});
  produce_ok(broker, {"l", "-f", "%k=%v\\n"}, "a=1\nb=x=y\n=3\nc=");
  const auto records = peer_read(broker, "l");
  CHECK(keys_of(records) == std::vector<Bytes>{"a", "b", "", "c"});
  CHECK(values_of(records) == strings({"1", "x=y", "3", ""}));
}

TEST_CASE(
    "produce: -f layout of topic|partition|value lines sends each record to its own topic and "
    "partition",
    "[cli][produce]") {
  LocalBroker broker({"ta:2", "tb:3"});
  produce_ok(broker, {"-f", "%t|%p|%v\\n"}, "ta|0|x\ntb|2|y\nta|1|z|w");
  const auto ta = peer_read(broker, "ta");
  const auto tb = peer_read(broker, "tb");
  CHECK(evt::test::cli::positions_of(ta) == std::vector<std::string>{"0:0", "1:0"});
  CHECK(values_of(ta) == strings({"x", "z|w"}));
  CHECK(evt::test::cli::positions_of(tb) == std::vector<std::string>{"2:0"});
  CHECK(values_of(tb) == strings({"y"}));
}

TEST_CASE("produce: -f layout with %T timestamps and %h headers", "[cli][produce]") {
  LocalBroker broker({"lh:1"});
  produce_ok(broker,
             {"lh", "-f", "%k|%T|%h|%v\\n"},
             "k1|1600000000000|a=1,a=2,n|v1\nk2|1600000000001||v2\n");
  const auto records = peer_read(broker, "lh");
  REQUIRE(records.size() == 2);
  CHECK(records[0] ==
        PeerRecord{0, 0, 1600000000000, "k1", "v1", {{"a", "1"}, {"a", "2"}, {"n", std::nullopt}}});
  CHECK(records[1] == PeerRecord{0, 1, 1600000000001, "k2", "v2", {}});
}

TEST_CASE("produce: timestamp 0 is stored as 0, not as the current time", "[cli][produce]") {
  // librdkafka's producer reads a timestamp of 0 as "now"; a lossless copy must keep 0.
  LocalBroker broker({"z:1"});
  produce_ok(
      broker,
      {"z", "-f", "json"},
      "{\"value\":\"json-0\",\"timestamp\":0}\n{\"value\":\"json-1\",\"timestamp\":1}\n"
      "{\"value\":\"json-0-h\",\"timestamp\":0,\"headers\":[{\"name\":\"h\",\"value\":\"\"}]}"
      "\n{\"value\":\"json-1000\",\"timestamp\":1000}\n");
  produce_ok(broker, {"z", "-f", "%T %v\\n"}, "0 layout-0\n1000 layout-1000\n0 layout-0-again\n");
  const auto records = peer_read(broker, "z");  // confluent-kafka's view
  REQUIRE(records.size() == 7);
  std::vector<std::pair<std::string, std::int64_t>> stamps;
  for (const PeerRecord& record : records) {
    stamps.emplace_back(record.value.value_or("null"), record.timestamp);
  }
  CHECK(stamps == std::vector<std::pair<std::string, std::int64_t>>{{"json-0", 0},
                                                                    {"json-1", 1},
                                                                    {"json-0-h", 0},
                                                                    {"json-1000", 1000},
                                                                    {"layout-0", 0},
                                                                    {"layout-1000", 1000},
                                                                    {"layout-0-again", 0}});
  // And evt reads 0 back as 0.
  const ProcessResult consumed =
      evt::test::evt(broker, {"consume", "z", "-e", "-o", "0:1", "-f", "%T\\n"});
  CHECK(consumed.out == "0\n");
}

TEST_CASE("produce: header names are kept whole, and a NUL in a name is refused",
          "[cli][produce]") {
  LocalBroker broker({"hn:1", "hn-copy:1", "hn-nul:1"});
  // A name that is not UTF-8, from a layout and from an envelope (base64).
  produce_ok(broker,
             {"hn", "-f", "%h|%v\\n"},
             "a\xff"
             "b=1,\xfe=2|layout\n"s);
  produce_ok(
      broker,
      {"hn", "-f", "json"},
      R"({"value":"json","headers":[{"name":{"base64":"YYBi"},"value":"3"},{"name":"ok","value":null}]})"
      "\n");
  // kcat prints the names byte for byte.
  const ProcessResult names =
      evt::test::cli::kcat(broker, {"-C", "-t", "hn", "-e", "-q", "-f", "%h\\n"});
  CHECK(names.out ==
        "a\xff"
        "b=1,\xfe=2\na\x80"
        "b=3,ok=NULL\n"s);
  // consume -f json writes valid JSON (the names as base64) that produces the same records.
  const ProcessResult dumped = evt::test::evt(broker, {"consume", "hn", "-e", "-f", "json"});
  REQUIRE(dumped.exit_code == 0);
  for (const std::string& line : evt::test::cli::split_lines(dumped.out)) {
    CHECK(evt::test::cli::json_tool_accepts(line));
  }
  CHECK_THAT(
      dumped.out,
      Catch::Contains(R"({"name":{"base64":"Yf9i"},"value":"1"},{"name":{"base64":"/g=="},)"));
  produce_ok(broker, {"hn-copy", "-f", "json"}, dumped.out);
  CHECK(evt::test::cli::kcat(broker, {"-C", "-t", "hn-copy", "-e", "-q", "-f", "%h\\n"}).out ==
        names.out);

  // A NUL in a name would come back cut at the NUL (every client reads names as C strings):
  // an input error naming the line, exit 2, nothing written.
  for (const auto& [format, line] : std::vector<std::pair<std::string, std::string>>{
           {"json",
            R"({"value":"v","headers":[{"name":"a\u0000b","value":"1"}]})"
            "\n"},
           {"%h|%v\\n", "a\0b=1|v\n"s}}) {
    const ProcessResult refused =
        evt::test::evt(broker, {"produce", "hn-nul", "-f", format}, input(line));
    INFO(refused.err);
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.err,
               (Catch::Contains("stdin line 1") || Catch::Contains("stdin record 1")) &&
                   Catch::Contains(R"(header name "a\x00b" holds a NUL byte)"));
  }
  CHECK(peer_read(broker, "hn-nul").empty());
}

TEST_CASE("produce: a record that does not match the layout is an input error naming it",
          "[cli][produce]") {
  LocalBroker broker({"lf:1", "ls:1"});
  // Fail (the default): the good record before it is delivered, nothing after it.
  const ProcessResult failed =
      evt::test::evt(broker, {"produce", "lf", "-f", "%k=%v\\n"}, input("a=1\nbad\nc=3\n"));
  CHECK(failed.exit_code == 2);
  CHECK_THAT(failed.err, Catch::Contains("record 2") || Catch::Contains("line 2"));
  CHECK(values_of(peer_read(broker, "lf")) == strings({"1"}));

  // Skip: warned about, the rest goes through.
  const ProcessResult skipped =
      evt::test::evt(broker,
                     {"produce", "ls", "-f", "%k=%v\\n", "--on-bad-input", "skip"},
                     input("a=1\nbad\nc=3\n"));
  INFO("stderr: " << skipped.err);
  CHECK(skipped.exit_code == 0);
  CHECK_THAT(skipped.err, Catch::Contains("record 2") || Catch::Contains("line 2"));
  const auto records = peer_read(broker, "ls");
  CHECK(keys_of(records) == std::vector<Bytes>{"a", "c"});
  CHECK(values_of(records) == strings({"1", "3"}));
}

TEST_CASE("produce: -f raw makes each FILE one record, '-' being stdin", "[cli][produce]") {
  LocalBroker broker({"r:1"});
  TempDir dir;
  const std::string binary = "AAA\n\0\xff\r\nBBB"s;
  dir.write("one.bin", binary);
  dir.write("empty.bin", "");
  produce_ok(broker,
             {"r", "-f", "raw", dir.file("one.bin"), "-", dir.file("empty.bin")},
             "from stdin\n\n");
  CHECK(values_of(peer_read(broker, "r")) == std::vector<Bytes>{binary, "from stdin\n\n", ""});
}

TEST_CASE("produce: FILE arguments and '-' are read in order", "[cli][produce]") {
  LocalBroker broker({"f:1"});
  TempDir dir;
  dir.write("first", "a\nb\n");
  dir.write("second", "d");
  produce_ok(broker, {"f", dir.file("first"), "-", dir.file("second")}, "c\n");
  CHECK(values_of(peer_read(broker, "f")) == strings({"a", "b", "c", "d"}));

  // -t names the topic, so every positional argument is a file.
  produce_ok(broker, {"-t", "f", dir.file("second"), dir.file("first")}, "");
  CHECK(values_of(peer_read(broker, "f")) == strings({"a", "b", "c", "d", "d", "a", "b"}));

  // A missing file is an I/O error (exit 1) naming it; what was read before it is delivered.
  const ProcessResult missing =
      evt::test::evt(broker, {"produce", "f", dir.file("first"), dir.file("nope")});
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.err, Catch::Contains(dir.file("nope")));
  CHECK(values_of(peer_read(broker, "f")) ==
        strings({"a", "b", "c", "d", "d", "a", "b", "a", "b"}));
}

TEST_CASE("produce: -c stops after N records, even while stdin stays open", "[cli][produce]") {
  LocalBroker broker({"c:1"});
  produce_ok(broker, {"c", "-c", "3"}, "1\n2\n3\n4\n5\n");
  CHECK(values_of(peer_read(broker, "c")) == strings({"1", "2", "3"}));

  Process process(evt::test::cli::evt_argv(broker, {"produce", "c", "-c", "2"}),
                  evt::test::cli::evt_env());
  process.write("x\ny\n");  // stdin is not closed: the count alone must end the run
  const ProcessResult result = process.wait(10s);
  CHECK_FALSE(result.timed_out);
  CHECK(result.exit_code == 0);
  CHECK(values_of(peer_read(broker, "c")) == strings({"1", "2", "3", "x", "y"}));
}

TEST_CASE("produce: --rate paces the records", "[cli][produce]") {
  LocalBroker broker({"rate:1"});
  const auto started = std::chrono::steady_clock::now();
  produce_ok(broker, {"rate", "--rate", "20"}, "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n");
  const double seconds = evt::test::cli::seconds_since(started);
  CHECK(seconds >= 0.4);  // 10 records at 20/s: the last is due 0.45 s after the first
  CHECK(seconds < 3.0);
  CHECK(values_of(peer_read(broker, "rate")) ==
        strings({"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}));
}

TEST_CASE("produce: every compression codec produces readable data", "[cli][produce]") {
  const std::vector<std::string> codecs = {"none", "gzip", "snappy", "lz4", "zstd"};
  std::vector<std::string> topics;
  for (const std::string& codec : codecs) {
    topics.push_back("z-" + codec + ":1");
  }
  LocalBroker broker(topics);
  std::string data;
  std::vector<Bytes> expected;
  for (int i = 0; i < 200; ++i) {
    const std::string line = "record " + std::to_string(i) + " " + std::string(50, 'x');
    data += line + "\n";
    expected.emplace_back(line);
  }
  for (const std::string& codec : codecs) {
    INFO("codec " << codec);
    produce_ok(broker, {"z-" + codec, "-z", codec}, data);
    CHECK(values_of(peer_read(broker, "z-" + codec)) == expected);
  }
  // kcat agrees on one of them.
  const ProcessResult kcat_read =
      evt::test::cli::kcat(broker, {"-C", "-t", "z-zstd", "-e", "-q", "-c", "3"});
  CHECK(kcat_read.out == "record 0 " + std::string(50, 'x') + "\nrecord 1 " + std::string(50, 'x') +
                             "\nrecord 2 " + std::string(50, 'x') + "\n");
}

TEST_CASE("produce: --report prints one line per record with its input number and offset",
          "[cli][produce]") {
  LocalBroker broker({"rep:4"});
  std::string data;
  const int count = 20;
  for (int i = 0; i < count; ++i) {
    data += "key-" + std::to_string(i) + ":value-" + std::to_string(i) + "\n";
  }
  const ProcessResult result =
      evt::test::evt(broker, {"produce", "rep", "-K", ":", "--report"}, input(data));
  INFO("stderr: " << result.err);
  REQUIRE(result.exit_code == 0);
  const auto lines = evt::test::cli::split_lines(result.out);
  REQUIRE(lines.size() == count);

  std::map<std::int64_t, std::pair<std::int32_t, std::int64_t>> reported;  // input -> (p, o)
  for (const std::string& line : lines) {
    const auto json = evt::test::cli::parse_json(line);
    CHECK(json.keys() ==
          std::vector<std::string>{"input", "topic", "partition", "offset", "timestamp"});
    CHECK(json["topic"].str() == "rep");
    reported[json["input"].integer()] = {static_cast<std::int32_t>(json["partition"].integer()),
                                         json["offset"].integer()};
  }
  REQUIRE(reported.size() == count);
  CHECK(reported.begin()->first == 1);
  CHECK(reported.rbegin()->first == count);

  const auto records = peer_read(broker, "rep");
  REQUIRE(records.size() == count);
  for (const PeerRecord& record : records) {
    REQUIRE(record.value);
    const std::int64_t input_number = std::stoll(record.value->substr(6)) + 1;
    INFO("record " << record);
    CHECK(reported[input_number] == std::pair(record.partition, record.offset));
  }
}

TEST_CASE("produce: --transactional-id makes the records visible after commit", "[cli][produce]") {
  LocalBroker broker({"tx:2"});
  produce_ok(broker, {"tx", "-p", "1", "--transactional-id", "evt-test-tx"}, "a\nb\nc\n");
  // The same id again: the previous producer is fenced and a new transaction commits.
  produce_ok(broker, {"tx", "-p", "1", "--transactional-id", "evt-test-tx"}, "d\n");
  const auto records = peer_read(broker, "tx");  // confluent-kafka reads read_committed
  CHECK(values_of(records) == strings({"a", "b", "c", "d"}));
  const ProcessResult committed = evt::test::cli::kcat(
      broker, {"-C", "-t", "tx", "-p", "1", "-e", "-q", "-X", "isolation.level=read_committed"});
  CHECK(committed.out == "a\nb\nc\nd\n");
}

TEST_CASE("produce: bad flags exit 2", "[cli][produce]") {
  LocalBroker broker({"t:1"});
  const std::vector<std::vector<std::string>> cases = {
      {"produce", "t", "--bogus"},
      {"produce", "t", "-z", "brotli"},
      {"produce", "t", "-f", "yaml"},
      {"produce", "t", "--rate", "0"},
      {"produce", "t", "--acks", "1"},  // idempotence needs acks=all
      {"produce", "t", "-f", "%k=%q\\n"},
      {"produce"},  // no topic
  };
  for (const auto& args : cases) {
    const ProcessResult result = evt::test::evt(broker, args, input("x\n"));
    INFO("args: " << Catch::StringMaker<std::vector<std::string>>::convert(args)
                  << "\nstderr: " << result.err);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::StartsWith("evt: error: "));
    CHECK(result.out.empty());
  }
  CHECK(peer_read(broker, "t").empty());
}

TEST_CASE("produce: a bad JSON line exits 2 naming the line, after delivering the good ones",
          "[cli][produce]") {
  LocalBroker broker({"bj:1", "bt:1", "skip:1"});
  const ProcessResult result =
      evt::test::evt(broker,
                     {"produce", "bj", "-f", "json"},
                     input("{\"value\":\"a\"}\n{\"value\":\"b\"}\nnot json\n{\"value\":\"c\"}\n"));
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("line 3"));
  CHECK(values_of(peer_read(broker, "bj")) == strings({"a", "b"}));

  // Valid JSON whose fields have the wrong types is an input error too.
  const ProcessResult typed =
      evt::test::evt(broker,
                     {"produce", "bt", "-f", "json"},
                     input("{\"value\":\"a\"}\n{\"value\":\"b\",\"partition\":\"0\"}\n"));
  CHECK(typed.exit_code == 2);
  CHECK_THAT(typed.err, Catch::Contains("line 2"));
  CHECK(values_of(peer_read(broker, "bt")) == strings({"a"}));

  // --on-bad-input skip: warn, name the line, deliver the rest, exit 0.
  const ProcessResult skipped = evt::test::evt(
      broker,
      {"produce", "skip", "-f", "json", "--on-bad-input", "skip"},
      input("{\"value\":\"a\"}\n{oops\n{\"value\":\"b\"}\n{\"partition\":[]}\n{\"value\":\"c\"}"));
  INFO("stderr: " << skipped.err);
  CHECK(skipped.exit_code == 0);
  CHECK_THAT(skipped.err, Catch::Contains("line 2") && Catch::Contains("line 4"));
  CHECK(values_of(peer_read(broker, "skip")) == strings({"a", "b", "c"}));
}

TEST_CASE("produce: a partition that does not exist exits 5", "[cli][produce]") {
  LocalBroker broker({"t:3"});
  const ProcessResult result = evt::test::evt(broker, {"produce", "t", "-p", "3"}, input("x\n"));
  CHECK(result.exit_code == 5);
  CHECK_THAT(result.err, Catch::Contains("partition 3") && Catch::Contains("3 partitions"));
  CHECK(peer_read(broker, "t").empty());

  // A topic the broker does not know: the mock creates it with 4 partitions on first sight (so
  // partition 9 is what is missing); a real Kafka, with auto-creation off, has no such topic.
  const ProcessResult unknown =
      evt::test::evt(broker, {"produce", "unknown-topic", "-p", "9"}, input("x\n"));
  CHECK(unknown.exit_code == 5);
  CHECK_THAT(unknown.err,
             Catch::Contains(evt::test::RealKafka::get() ? "topic \"unknown-topic\" not found"
                                                         : "partition 9"));

  // Per record (-f json): an input error naming the line.
  const ProcessResult per_record = evt::test::evt(
      broker, {"produce", "t", "-f", "json"}, input("{\"value\":\"a\",\"partition\":7}\n"));
  CHECK(per_record.exit_code == 2);
  CHECK_THAT(per_record.err, Catch::Contains("line 1") && Catch::Contains("partition 7"));
  CHECK(peer_read(broker, "t").empty());
}

TEST_CASE(
    "produce: brokers that refuse or do not exist fail at once with the cause, a silent one "
    "is waited for",
    "[cli][produce]") {
  // Every bootstrap address failed hard: exit 3 at once (the default --timeout is 10 s), naming
  // each cause, as kcat does.
  struct Case {
    std::string brokers;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"127.0.0.1:1", "evt: error: cannot reach brokers: 127.0.0.1:1: Connection refused\n"},
      {"127.0.0.1:1,127.0.0.1:2",
       "evt: error: cannot reach brokers: 127.0.0.1:1: Connection refused; 127.0.0.1:2: "
       "Connection refused\n"},
      {"no-such-broker.invalid:9092",
       "evt: error: cannot reach brokers: no-such-broker.invalid:9092: Failed to resolve "
       "'no-such-broker.invalid:9092': Name or service not known\n"},
  };
  for (const Case& c : cases) {
    const ProcessResult result =
        evt::test::cli::evt_raw({"produce", "t", "-b", c.brokers}, input("x\n"));
    INFO(c.brokers << ": " << result.err);
    CHECK(result.exit_code == 3);
    CHECK(result.seconds < 3.0);
    CHECK_THAT(result.err, Catch::StartsWith(c.message));
  }
  // One address that may still answer (it accepts, then says nothing): the whole --timeout.
  const evt::test::cli::SilentListener silent;
  const ProcessResult waited = evt::test::cli::evt_raw(
      {"produce", "t", "-b", "127.0.0.1:1," + silent.address(), "--timeout", "3s"}, input("x\n"));
  CHECK(waited.exit_code == 3);
  CHECK(waited.seconds >= 2.9);
  CHECK_THAT(waited.err, Catch::Contains("within 3s"));
}

TEST_CASE("produce: unreachable brokers exit 3 within the timeout", "[cli][produce]") {
  const ProcessResult result = evt::test::cli::evt_raw(
      {"produce", "t", "-b", "127.0.0.1:1", "--timeout", "2s"}, input("x\n"));
  CHECK(result.exit_code == 3);
  CHECK(result.seconds < 5.0);
  CHECK_THAT(result.err, Catch::Contains("127.0.0.1:1"));
  CHECK(result.out.empty());
}

TEST_CASE("produce: a line is delivered while stdin stays open", "[cli][produce]") {
  LocalBroker broker({"s:1"});
  Process process(evt::test::cli::evt_argv(broker, {"produce", "s"}), evt::test::cli::evt_env());

  process.write("one\n");
  auto sent = std::chrono::steady_clock::now();
  CHECK(evt::test::cli::eventually(1500ms, [&] { return peer_read(broker, "s").size() == 1; }));
  CHECK(evt::test::cli::seconds_since(sent) < 1.0);

  process.write("two\n");
  sent = std::chrono::steady_clock::now();
  CHECK(evt::test::cli::eventually(1500ms, [&] { return peer_read(broker, "s").size() == 2; }));
  CHECK(evt::test::cli::seconds_since(sent) < 1.0);

  // A record without its delimiter waits for it (or for the end of input).
  process.write("thr");
  std::this_thread::sleep_for(300ms);
  CHECK(values_of(peer_read(broker, "s")) == strings({"one", "two"}));
  process.write("ee");
  process.close_stdin();
  const ProcessResult result = process.wait(10s);
  INFO("stderr: " << result.err);
  CHECK(result.exit_code == 0);
  CHECK(values_of(peer_read(broker, "s")) == strings({"one", "two", "three"}));
}

TEST_CASE("produce: SIGINT stops reading, delivers what was read and exits 0", "[cli][produce]") {
  LocalBroker broker({"int:1"});
  Process process(evt::test::cli::evt_argv(broker, {"produce", "int"}), evt::test::cli::evt_env());
  process.write("a\nb\n");
  REQUIRE(evt::test::cli::eventually(2s, [&] { return peer_read(broker, "int").size() == 2; }));
  process.signal(SIGINT);
  const ProcessResult result = process.wait(10s);
  INFO("stderr: " << result.err);
  CHECK_FALSE(result.timed_out);
  CHECK(result.exit_code == 0);
  CHECK(values_of(peer_read(broker, "int")) == strings({"a", "b"}));
}

namespace {

// `evt produce TOPIC --timeout 3s EXTRA...` delivers "a", loses its only broker, reads "b" and
// "c", and gets SIGINT with those two undelivered; returns how it ended.
ProcessResult interrupted_with_two_undelivered(const std::string& topic,
                                               const std::vector<std::string>& extra) {
  evt::test::cli::FaultCluster cluster({topic + ":1"}, 1);
  std::vector<std::string> args = {"produce", topic, "--timeout", "3s"};
  args.insert(args.end(), extra.begin(), extra.end());
  Process process(cluster.argv(args), evt::test::cli::evt_env());
  process.write("a\n");
  REQUIRE(evt::test::cli::eventually(
      5s, [&] { return peer_read(cluster.bootstrap(), topic).size() == 1; }));
  cluster.fault("down 1");
  process.write("b\nc\n");
  std::this_thread::sleep_for(300ms);
  process.signal(SIGINT);
  return process.wait(20s);
}

}  // namespace

TEST_CASE("produce: SIGINT with records still undelivered exits 130 and counts them",
          "[cli][produce]") {
  const ProcessResult result = interrupted_with_two_undelivered("stuck", {});
  INFO("stderr: " << result.err);
  CHECK_FALSE(result.timed_out);
  CHECK(result.exit_code == 130);
  CHECK_THAT(result.err, Catch::Contains("2 of 3 records not delivered"));
  // Said on the first signal only on a terminal or with -v: stderr is a pipe here.
  CHECK_THAT(result.err, !Catch::Contains("delivering"));
}

TEST_CASE("produce: the first SIGINT says what it is still delivering (-v or a terminal)",
          "[cli][produce]") {
  const ProcessResult result = interrupted_with_two_undelivered("said", {"-v"});
  INFO("stderr: " << result.err);
  CHECK_FALSE(result.timed_out);
  CHECK(result.exit_code == 130);
  CHECK_THAT(result.err,
             Catch::Contains("evt: interrupted: delivering 2 queued records for up to 3s (Ctrl-C "
                             "again to abandon them)\n"));
  // Said before the outcome, once.
  CHECK(result.err.find("delivering") < result.err.find("2 of 3 records not delivered"));
  CHECK(result.err.find("delivering") == result.err.rfind("delivering"));
}

TEST_CASE("produce: the first Ctrl-C on a terminal says what it is still delivering, without -v",
          "[cli][produce]") {
  // stdin, stdout and stderr on a pseudo-terminal (util-linux `script`); no -v. The first
  // record is delivered, then the broker goes down, two more are read, and Ctrl-C comes.
  evt::test::cli::FaultCluster cluster({"tty:1"}, 1);
  std::map<std::string, std::string> env = evt::test::cli::evt_env();
  env["EVT"] = evt::test::evt_binary();
  env["B"] = cluster.bootstrap();
  Process terminal({"/usr/bin/script",
                    "-qfec",
                    "(printf 'a\\n'; sleep 2; printf 'b\\nc\\n'; sleep 6) | \"$EVT\" produce tty "
                    "--timeout 3s -b \"$B\" & p=$!; sleep 4; kill -INT $p; wait $p; "
                    "echo \"produce exit $?\"",
                    "/dev/null"},
                   env);
  REQUIRE(evt::test::cli::eventually(
      5s, [&] { return peer_read(cluster.bootstrap(), "tty").size() == 1; }));
  cluster.fault("down 1");
  const ProcessResult result = terminal.wait(30s);
  INFO("terminal: " << result.out);
  CHECK_FALSE(result.timed_out);
  CHECK_THAT(result.out, Catch::Contains("produce exit 130"));
  CHECK_THAT(result.out,
             Catch::Contains("evt: interrupted: delivering 2 queued records for up to 3s (Ctrl-C "
                             "again to abandon them)"));
  CHECK_THAT(result.out, Catch::Contains("2 of 3 records not delivered"));
}

TEST_CASE("produce: a record larger than the producer's queue is refused, not waited on forever",
          "[cli][produce]") {
  LocalBroker broker({"q:1"});
  // -X queue.buffering.max.kbytes=1 holds 1 KiB: a 3,000-byte record never fits.
  const ProcessResult refused =
      evt::test::evt(broker,
                     {"produce", "q", "-X", "queue.buffering.max.kbytes=1", "--timeout", "5s"},
                     input(std::string(3000, 'z') + "\n"));
  INFO("stderr: " << refused.err);
  CHECK(refused.exit_code == 2);
  CHECK(refused.seconds < 4.0);
  CHECK_THAT(refused.err,
             Catch::Contains("record of 3000 bytes does not fit in the producer's queue"));
  // A record past evt's default byte bound (8 MiB) goes through once message.max.bytes allows
  // it. (A real Kafka refuses records over 1 MB unless the topic allows more: mock only.)
  if (evt::test::RealKafka::get()) {
    return;
  }
  const std::string big(9 * 1024 * 1024, 'b');
  produce_ok(broker, {"q", "-X", "message.max.bytes=20000000", "--timeout", "20s"}, big + "\n");
  const ProcessResult sizes = evt::test::evt(broker, {"consume", "q", "-e", "-f", "%S\n"});
  REQUIRE(sizes.exit_code == 0);
  CHECK(sizes.out == std::to_string(big.size()) + "\n");
}

TEST_CASE("produce: Ctrl-C while the producer's queue is full ends the wait for room",
          "[cli][produce]") {
  // The broker goes down after the first record; 26k more fill the queue (20k records), so
  // evt waits for room in it, where records would expire only after a minute
  // (message.timeout.ms). One Ctrl-C must end that wait as it ends every other: say what is
  // still queued (-v), wait for it at most --timeout (2 s), then exit 130 with the count.
  evt::test::cli::FaultCluster cluster({"full:1"}, 1);
  Process process(
      cluster.argv({"produce", "full", "--timeout", "2s", "-v", "-X", "message.timeout.ms=60000"}),
      evt::test::cli::evt_env());
  process.write("first\n");
  REQUIRE(evt::test::cli::eventually(
      5s, [&] { return peer_read(cluster.bootstrap(), "full").size() == 1; }));
  cluster.fault("down 1");
  std::string lines;
  for (int i = 0; i < 26000; ++i) {
    lines += "r" + std::to_string(i) + "\n";
  }
  process.write(lines);  // 180 KB: evt's input buffer takes what the queue cannot
  std::this_thread::sleep_for(1s);
  process.signal(SIGINT);
  const ProcessResult result = process.wait(70s);
  INFO("stderr: " << result.err);
  CHECK_FALSE(result.timed_out);
  CHECK(result.exit_code == 130);
  CHECK(result.seconds < 8.0);
  CHECK_THAT(result.err,
             Catch::Contains("evt: interrupted: delivering 20000 queued records for up to 2s"));
  CHECK_THAT(result.err, Catch::Contains("20000 of 20001 records not delivered"));
}

TEST_CASE("produce: Ctrl-C while the brokers do not answer ends the wait at once",
          "[cli][produce]") {
  const evt::test::cli::SilentListener silent;  // connects, never answers: evt keeps waiting
  Process process(
      {evt::test::evt_binary(), "produce", "t", "-b", silent.address(), "--timeout", "30s"},
      evt::test::cli::evt_env());
  std::this_thread::sleep_for(1s);
  process.signal(SIGINT);
  const ProcessResult result = process.wait(10s);
  INFO("stderr: " << result.err);
  CHECK_FALSE(result.timed_out);
  CHECK(result.exit_code == 130);
  CHECK(result.seconds < 5.0);
  CHECK_THAT(result.err, Catch::Contains("interrupted while waiting for " + silent.address()));
}

TEST_CASE("produce: --transactional-id aborts the transaction on bad input", "[cli][produce]") {
  LocalBroker broker({"txa:1"});
  const ProcessResult result =
      evt::test::evt(broker,
                     {"produce", "txa", "-f", "json", "--transactional-id", "evt-test-abort"},
                     input("{\"value\":\"a\"}\nnot json\n{\"value\":\"c\"}\n"));
  INFO("stderr: " << result.err);
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("stdin line 2 (byte 14)"));
  CHECK_THAT(result.err, Catch::Contains("aborted"));
}

TEST_CASE("produce: repeated options before the topic take one value each (evt(1) CAVEATS)",
          "[cli][produce]") {
  LocalBroker broker({"first:1", "-dash:1"});
  produce_ok(broker, {"-H", "a=1", "-H", "b=2", "-p", "0", "first"}, "x\n");
  CHECK(peer_read(broker, "first") ==
        std::vector<PeerRecord>{PeerRecord{0,
                                           0,
                                           peer_read(broker, "first").at(0).timestamp,
                                           std::nullopt,
                                           "x",
                                           {{"a", "1"}, {"b", "2"}}}});
  // So does consume: -o and -p before the topic.
  const ProcessResult consumed = evt::test::evt(
      broker, {"consume", "-o", "-1", "-p", "0", "first", "-e", "-f", "%t %v %h\\n"});
  CHECK(consumed.exit_code == 0);
  CHECK(consumed.out == "first x a=1,b=2\n");
  // A topic that begins with '-' follows '--' (and -b goes before it).
  const ProcessResult dash = evt::test::cli::evt_raw(
      {"produce", "-b", broker.bootstrap(), "-p", "0", "--", "-dash"}, input("y\n"));
  INFO(dash.err);
  CHECK(dash.exit_code == 0);
  CHECK(values_of(peer_read(broker, "-dash")) == strings({"y"}));
}

TEST_CASE("produce: -f json reads what kcat -C -J wrote: keys, values, headers, timestamps",
          "[cli][produce]") {
  LocalBroker broker({"kj:2", "kj-copy:2"});
  evt::test::cli::peer_write(broker,
                             "kj",
                             {{"k1", "plain value", {{"h", "v"}, {"h", "w"}}, 0, 1500000000123},
                              {std::nullopt, "{\"a\":1}", {}, 1, 1500000000456},
                              {"k\xc3\xa9", "x", {{"e", ""}}, 1, 7}});
  const ProcessResult dumped = evt::test::cli::kcat(broker, {"-C", "-J", "-t", "kj", "-e", "-q"});
  REQUIRE(dumped.exit_code == 0);
  INFO("kcat wrote: " << dumped.out);
  produce_ok(broker, {"kj-copy", "-f", "json"}, dumped.out);
  const auto copied = peer_read(broker, "kj-copy");
  const auto original = peer_read(broker, "kj");
  REQUIRE(copied.size() == 3);
  CHECK(copied == original);
  // A record kcat decoded with a schema no longer holds its bytes: refused, naming the line.
  const ProcessResult decoded =
      evt::test::evt(broker,
                     {"produce", "kj-copy", "-f", "json"},
                     input(R"({"topic":"kj","partition":0,"offset":0,"tstype":"create","ts":1,)"
                           R"("broker":0,"key":"k","payload":{"a":1},"value_schema_id":3})"
                           "\n"));
  CHECK(decoded.exit_code == 2);
  CHECK_THAT(decoded.err, Catch::Contains("line 1"));
}
