// SPDX-License-Identifier: MIT
// CLI tier for `evt inspect`: every view in its table and JSON forms against `evt broker`, with
// topics filled and group offsets committed by independent clients (tests/cli/peer.py), and the
// local broker's unsupported requests (DescribeConfigs, ListGroups, DescribeGroups) answered
// fast with "does not support".
#include <algorithm>
#include <array>
#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/cli/cli_support.hpp"
#include "tests/support/process.hpp"

namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;
using evt::test::LocalBroker;
using evt::test::Process;
using evt::test::ProcessResult;
using evt::test::RunOptions;
using evt::test::cli::Json;
using evt::test::cli::parse_json;
using evt::test::cli::peer_write;
using evt::test::cli::PeerWrite;
using evt::test::cli::split_lines;

using Lines = std::vector<std::string>;

// 2023-11-14T22:13:20Z.
constexpr std::int64_t k_base = 1700000000000;

ProcessResult inspect(const LocalBroker& broker, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"inspect"};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions options;
  options.timeout = 20s;
  return evt::test::evt(broker, argv, options);
}

// evt inspect ARGS: requires exit 0 and returns stdout.
std::string inspect_ok(const LocalBroker& broker, const std::vector<std::string>& args) {
  const ProcessResult result = inspect(broker, args);
  INFO("evt inspect " << Catch::StringMaker<std::vector<std::string>>::convert(args)
                      << "\nstderr: " << result.err);
  REQUIRE_FALSE(result.timed_out);
  REQUIRE(result.exit_code == 0);
  return result.out;
}

// -o json output: one valid document (python's json.tool agrees), parsed.
Json inspect_json(const LocalBroker& broker, std::vector<std::string> args) {
  args.insert(args.end(), {"-o", "json"});
  const std::string out = inspect_ok(broker, args);
  INFO(out);
  CHECK(split_lines(out).size() == 1);
  CHECK(evt::test::cli::json_tool_accepts(out));
  return parse_json(out);
}

PeerWrite record(std::int32_t partition, std::int64_t timestamp, std::string value) {
  PeerWrite write;
  write.partition = partition;
  write.timestamp = timestamp;
  write.value = std::move(value);
  return write;
}

// `count` records into `partition`.
std::vector<PeerWrite> records(std::int32_t partition, int count) {
  std::vector<PeerWrite> written;
  for (int i = 0; i < count; ++i) {
    written.push_back(record(partition, k_base + i, "r" + std::to_string(i)));
  }
  return written;
}

std::vector<PeerWrite> operator+(std::vector<PeerWrite> a, const std::vector<PeerWrite>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

Lines split(const std::string& text, char separator) {
  Lines parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) {
      return parts;
    }
    start = end + 1;
  }
}

// The whitespace-separated words of a table row.
Lines words(const std::string& line) {
  Lines out;
  std::size_t i = 0;
  while (i < line.size()) {
    const std::size_t start = line.find_first_not_of(' ', i);
    if (start == std::string::npos) {
      break;
    }
    const std::size_t end = line.find(' ', start);
    out.push_back(line.substr(start, end == std::string::npos ? std::string::npos : end - start));
    i = end == std::string::npos ? line.size() : end;
  }
  return out;
}

// The replication factor of a topic LocalBroker made with `nodes` nodes (the real Kafka of the
// kafka tier has one node).
std::string fmt_lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) {
    text += line + "\n";
  }
  return text;
}

std::int64_t replicas(int nodes) {
  return evt::test::RealKafka::get() ? 1 : nodes;
}

// `inspect topics --internal -o names` without the real Kafka's own __-topics
// (__consumer_offsets, __transaction_state), which the mock does not have.
std::string without_kafka_internals(const std::string& names) {
  std::string kept;
  for (const std::string& line : split_lines(names)) {
    if (!evt::test::RealKafka::get() ||
        (line != "__consumer_offsets" && line != "__transaction_state")) {
      kept += line + "\n";
    }
  }
  return kept;
}

}  // namespace

// The mock's own cluster: three nodes, no controller, no broker configs. A real Kafka's summary is
// tests/kafka's "kafka: inspect shows the cluster".
TEST_CASE("inspect: the cluster summary, in a table and as JSON", "[cli][inspect][mock-only]") {
  LocalBroker broker({"alpha:3", "beta:2"}, 3);
  const Lines bootstrap = split(broker.bootstrap(), ',');
  REQUIRE(bootstrap.size() == 3);

  const Lines table = split_lines(inspect_ok(broker, {}));
  REQUIRE(table.size() == 10);
  CHECK_THAT(table[0], Catch::StartsWith("cluster     ") && !Catch::EndsWith(" "));
  CHECK(table[0].size() > 12);
  // The local broker names no controller that exists.
  CHECK(table[1] == "controller  unknown");
  CHECK(table[2] == "topics      2 (5 partitions)");
  CHECK(table[3].empty());
  CHECK(words(table[4]) == Lines{"BROKER", "HOST", "PORT", "RACK"});
  for (int id = 1; id <= 3; ++id) {
    const std::string& address = bootstrap[static_cast<std::size_t>(id - 1)];
    CHECK(words(table[static_cast<std::size_t>(4 + id)]) ==
          Lines{std::to_string(id), "127.0.0.1", address.substr(address.find(':') + 1), "-"});
  }
  // Racks come from each broker's broker.rack config, which the local broker cannot describe.
  CHECK(table[8].empty());
  CHECK(table[9] ==
        "racks: the broker does not support describing broker configs (it names no controller)");

  const Json json = inspect_json(broker, {});
  CHECK(json.keys() ==
        Lines{"cluster_id", "controller", "brokers", "topics", "partitions", "racks_error"});
  CHECK_THAT(json["racks_error"].str(), Catch::StartsWith("the broker does not support"));
  CHECK(json["cluster_id"].str() == table[0].substr(12));
  CHECK(json["topics"].integer() == 2);
  CHECK(json["partitions"].integer() == 5);
  REQUIRE(json["brokers"].items.size() == 3);
  std::set<std::int64_t> ids;
  for (std::size_t i = 0; i < 3; ++i) {
    const Json& b = json["brokers"].items[i];
    CHECK(b.keys() == Lines{"id", "host", "port", "rack"});
    CHECK(b["id"].integer() == static_cast<std::int64_t>(i + 1));
    CHECK(b["rack"].is_null());
    CHECK(b["host"].str() + ":" + std::to_string(b["port"].integer()) == bootstrap[i]);
    ids.insert(b["id"].integer());
  }
  // Like the table: a controller id that no broker has is no controller (null), not a broker
  // id a script would go looking for.
  CHECK((json["controller"].is_null() || ids.count(json["controller"].integer()) == 1));

  CHECK(inspect_ok(broker, {"-o", "names"}) ==
        bootstrap[0] + "\n" + bootstrap[1] + "\n" + bootstrap[2] + "\n");
}

TEST_CASE("inspect topics: partitions, replicas and record counts", "[cli][inspect]") {
  LocalBroker broker({"alpha:3", "beta:2", "empty:1"}, 3);
  peer_write(broker, "alpha", records(0, 3) + records(2, 4));
  peer_write(broker, "beta", records(1, 2));

  CHECK(inspect_ok(broker, {"topics", "-o", "names"}) == "alpha\nbeta\nempty\n");
  CHECK(without_kafka_internals(inspect_ok(broker, {"topics", "--internal", "-o", "names"})) ==
        "alpha\nbeta\nempty\n");
  const std::string r = std::to_string(replicas(3));
  CHECK(inspect_ok(broker, {"topics"}) ==
        "TOPIC  PARTITIONS  REPLICAS  RECORDS  STATUS\n"
        "alpha           3         " +
            r +
            "        7  ok\n"
            "beta            2         " +
            r +
            "        2  ok\n"
            "empty           1         " +
            r + "        0  ok\n");
  const Json json = inspect_json(broker, {"topics"});
  CHECK(json.keys() == Lines{"topics"});
  const std::vector<std::tuple<std::string, int, int>> expected = {
      {"alpha", 3, 7}, {"beta", 2, 2}, {"empty", 1, 0}};
  REQUIRE(json["topics"].items.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const Json& t = json["topics"].items[i];
    const auto& [name, partitions, count] = expected[i];
    CHECK(t.keys() == Lines{"topic",
                            "partitions",
                            "replication_factor",
                            "records",
                            "under_replicated",
                            "leaderless"});
    CHECK(t["topic"].str() == name);
    CHECK(t["partitions"].integer() == partitions);
    CHECK(t["replication_factor"].integer() == replicas(3));
    CHECK(t["records"].integer() == count);
    CHECK(t["under_replicated"].type == Json::Type::boolean);
    CHECK_FALSE(t["under_replicated"].boolean);
    CHECK_FALSE(t["leaderless"].boolean);
  }
  // The same output through the parent's -o.
  CHECK(inspect_ok(broker, {"-o", "json", "topics"}) ==
        inspect_ok(broker, {"topics", "-o", "json"}));
}

TEST_CASE("inspect topic: per-partition watermarks and counts, configs unsupported, fast",
          "[cli][inspect][mock-only]") {
  LocalBroker broker({"alpha:3"}, 3);
  peer_write(broker, "alpha", records(0, 3) + records(2, 4));
  const std::vector<std::int64_t> highs = {3, 0, 4};

  // The configs the local broker cannot describe do not hold the view up.
  const auto started = std::chrono::steady_clock::now();
  const Lines table = split_lines(inspect_ok(broker, {"topic", "alpha"}));
  CHECK(evt::test::cli::seconds_since(started) < 2.0);
  REQUIRE(table.size() == 8);
  CHECK(table[0] == "topic alpha: 3 partitions, 7 records");
  CHECK(table[1].empty());
  CHECK(words(table[2]) ==
        Lines{"PARTITION", "LEADER", "REPLICAS", "ISR", "LOW", "HIGH", "RECORDS"});
  for (std::size_t p = 0; p < 3; ++p) {
    const Lines row = words(table[3 + p]);
    REQUIRE(row.size() == 7);
    CHECK(row[0] == std::to_string(p));
    const Lines replicas = split(row[2], ',');
    CHECK(std::set<std::string>(replicas.begin(), replicas.end()) ==
          std::set<std::string>{"1", "2", "3"});
    CHECK(std::count(replicas.begin(), replicas.end(), row[1]) == 1);  // the leader is a replica
    CHECK(row[3] == row[2]);                                           // all in sync
    CHECK(row[4] == "0");
    CHECK(row[5] == std::to_string(highs[p]));
    CHECK(row[6] == std::to_string(highs[p]));
  }
  CHECK(table[6].empty());
  CHECK(table[7] ==
        "configs: the broker does not support describing topic configs (it names no controller)");

  const auto json_started = std::chrono::steady_clock::now();
  const Json json = inspect_json(broker, {"topic", "alpha"});
  CHECK(evt::test::cli::seconds_since(json_started) < 2.5);  // (json.tool included)
  CHECK(json.keys() == Lines{"topic", "partitions", "records", "configs", "configs_error"});
  CHECK(json["topic"].str() == "alpha");
  CHECK(json["records"].integer() == 7);
  CHECK(json["configs"].is_null());
  CHECK(json["configs_error"].str() ==
        "the broker does not support describing topic configs (it names no controller)");
  REQUIRE(json["partitions"].items.size() == 3);
  for (std::size_t p = 0; p < 3; ++p) {
    const Json& row = json["partitions"].items[p];
    CHECK(row.keys() == Lines{"partition", "leader", "replicas", "isr", "low", "high", "records"});
    CHECK(row["partition"].integer() == static_cast<std::int64_t>(p));
    CHECK(row["low"].integer() == 0);
    CHECK(row["high"].integer() == highs[p]);
    CHECK(row["records"].integer() == highs[p]);
    CHECK(row["replicas"].items.size() == 3);
    CHECK(row["isr"].items.size() == 3);
    const Lines table_row = words(table[3 + p]);
    CHECK(table_row[1] == std::to_string(row["leader"].integer()));
  }
}

TEST_CASE("inspect groups: the local broker cannot list groups, and evt says so at once",
          "[cli][inspect][mock-only]") {
  LocalBroker broker({"t:1"});
  for (const std::string& output : {"table"s, "json"s, "names"s}) {
    const auto started = std::chrono::steady_clock::now();
    const ProcessResult result = inspect(broker, {"groups", "-o", output});
    CHECK(evt::test::cli::seconds_since(started) < 2.0);
    CHECK(result.exit_code == 1);
    CHECK(result.out.empty());
    CHECK(split_lines(result.err) ==
          Lines{"evt: error: the broker does not support listing consumer groups",
                "hint: inspect a group you know by name with 'evt inspect group ID' (committed "
                "offsets and lag work on such brokers)"});
  }
}

TEST_CASE("inspect group: committed offsets and lag after a group consumed part of a topic",
          "[cli][inspect]") {
  LocalBroker broker({"orders:2", "audit:1"});
  peer_write(broker, "orders", records(0, 6) + records(1, 4));
  peer_write(broker, "audit", records(0, 5));

  // A group that evt consume joined, read 3 records with and committed them.
  const ProcessResult consumed =
      evt::test::evt(broker,
                     {"consume", "audit", "-g", "billing", "-c", "3", "-f", "%o\\n"},
                     RunOptions{"", {}, 30s, {}});
  REQUIRE(consumed.exit_code == 0);
  REQUIRE(consumed.out == "0\n1\n2\n");
  // A group whose offsets an independent client committed.
  evt::test::cli::peer_commit(broker, "shipping", "orders", {{0, 2}, {1, 4}});

  // The mock cannot describe groups; a real Kafka says they are Empty (no member left).
  const bool real = evt::test::RealKafka::get() != nullptr;
  const std::string described =
      real
          ? R"("state":"Empty","type":"classic","assignor":"","coordinator":1,"members":[])"
          : R"("state":null,"members":null,"describe_error":"the broker does not support describing consumer groups")";
  CHECK(
      inspect_ok(broker, {"group", "billing", "-o", "json"}) ==
      R"({"group":"billing",)" + described +
          R"(,"partitions":[{"topic":"audit","partition":0,"committed":3,"high":5,"lag":2}],"total_lag":2})"
          "\n");
  const Json shipping = inspect_json(broker, {"group", "shipping"});
  CHECK(shipping["group"].str() == "shipping");
  CHECK((real ? shipping["state"].str() == "Empty" : shipping["state"].is_null()));
  CHECK((real ? shipping["members"].items.empty() : shipping["members"].is_null()));
  CHECK(shipping["total_lag"].integer() == 4);
  REQUIRE(shipping["partitions"].items.size() == 2);
  const std::vector<std::array<std::int64_t, 4>> rows = {{0, 2, 6, 4}, {1, 4, 4, 0}};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Json& row = shipping["partitions"].items[i];
    CHECK(row.keys() == Lines{"topic", "partition", "committed", "high", "lag"});
    CHECK(row["topic"].str() == "orders");
    CHECK(row["partition"].integer() == rows[i][0]);
    CHECK(row["committed"].integer() == rows[i][1]);
    CHECK(row["high"].integer() == rows[i][2]);
    CHECK(row["lag"].integer() == rows[i][3]);
  }
  CHECK(inspect_ok(broker, {"group", "shipping"}) ==
        std::string(real ? "group shipping: Empty, 0 members, total lag 4\n"
                         : "group shipping, total lag 4\n"
                           "(state and members unknown: the broker does not support describing "
                           "consumer groups)\n") +
            "\n"
            "TOPIC   PARTITION  COMMITTED  HIGH  LAG\n"
            "orders          0          2     6    4\n"
            "orders          1          4     4    0\n");
  CHECK(inspect_ok(broker, {"group", "shipping", "--topic", "orders", "-o", "json"}) ==
        inspect_ok(broker, {"group", "shipping", "-o", "json"}));

  // The lag is what is really left: the group reads exactly that many more.
  peer_write(broker, "audit", records(0, 1));
  const Json grown = inspect_json(broker, {"group", "billing"});
  CHECK(grown["total_lag"].integer() == 3);

  // Groups or topics without commits: not found, fast.
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"group", "nobody"},
                                             {"group", "nobody", "-o", "json"},
                                             {"group", "shipping", "--topic", "audit"}}) {
    const auto started = std::chrono::steady_clock::now();
    const ProcessResult missing = inspect(broker, args);
    INFO(missing.err);
    CHECK(evt::test::cli::seconds_since(started) < 2.0);
    CHECK(missing.exit_code == 5);
    CHECK(missing.out.empty());
    CHECK_THAT(missing.err,
               Catch::StartsWith("evt: error: group \"" + args[1] + "\" has no committed offsets"));
  }
}

TEST_CASE("inspect offsets --at: the first offset at or after a time, per partition",
          "[cli][inspect]") {
  LocalBroker broker({"times:2"});
  peer_write(broker,
             "times",
             {record(0, k_base, "a"),
              record(0, k_base + 1000, "b"),
              record(0, k_base + 2000, "c"),
              record(0, k_base + 3000, "d"),
              record(1, k_base + 500, "e"),
              record(1, k_base + 1500, "f")});
  auto offsets = [&](const std::string& at) {
    const Json json = inspect_json(broker, {"offsets", "times", "--at", at});
    Lines rows;
    for (const Json& p : json["partitions"].items) {
      rows.push_back(std::to_string(p["partition"].integer()) + ":" +
                     std::to_string(p["offset"].integer()) + (p["at_end"].boolean ? " end" : ""));
    }
    return rows;
  };
  auto ms = [](std::int64_t delta) { return std::to_string(k_base + delta); };
  CHECK(offsets(ms(-1)) == Lines{"0:0", "1:0"});
  CHECK(offsets(ms(0)) == Lines{"0:0", "1:0"});
  CHECK(offsets(ms(1)) == Lines{"0:1", "1:0"});
  CHECK(offsets(ms(1000)) == Lines{"0:1", "1:1"});
  CHECK(offsets(ms(1001)) == Lines{"0:2", "1:1"});
  CHECK(offsets(ms(1600)) == Lines{"0:2", "1:2 end"});
  CHECK(offsets(ms(3000)) == Lines{"0:3", "1:2 end"});
  CHECK(offsets(ms(3001)) == Lines{"0:4 end", "1:2 end"});
  CHECK(offsets("2023-11-14T22:13:21.500Z") == Lines{"0:2", "1:1"});
  const Json json = inspect_json(broker, {"offsets", "times", "--at", ms(1500)});
  CHECK(json.keys() == Lines{"topic", "time", "partitions"});
  CHECK(json["topic"].str() == "times");
  CHECK(json["time"].integer() == k_base + 1500);

  CHECK(inspect_ok(broker, {"offsets", "times", "--at", "2023-11-14T22:13:21.500Z"}) ==
        "first offsets at or after 2023-11-14T22:13:21.500Z (1700000001500):\n"
        "PARTITION  OFFSET  LOW  HIGH\n"
        "        0       2    0     4\n"
        "        1       1    0     2\n");
  const ProcessResult bad = inspect(broker, {"offsets", "times", "--at", "yesterday-ish"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.out.empty());
}

TEST_CASE("inspect message: one record in full, binary as a hexdump, -o json the envelope",
          "[cli][inspect]") {
  LocalBroker broker({"msgs:2"});
  const std::string binary =
      "\x00\x01\x1b[31m\x7f\x9b\xff"
      "ABCDEFGHIJKLMNOP\xc2\x9b"s;
  PeerWrite first = record(1, 1600000000123, binary);
  first.key = "\x1b[31mkey\xc2\x9b"s;
  first.headers = {{"trace", "abc"}, {"trace", "\x1b]0;x\x07"s}, {"empty", ""}};
  PeerWrite text = record(1, 1600000000124, "hello\nworld\t!");
  PeerWrite c1 = record(1, 1600000000125, "looks like text \xc2\x9b[2J but is not"s);
  PeerWrite null_value = record(1, 1600000000126, "");
  null_value.value = std::nullopt;
  null_value.key = "";
  peer_write(broker, "msgs", {first, text, c1, null_value});

  const std::string shown = inspect_ok(broker, {"message", "msgs", "1", "0"});
  CHECK(evt::test::cli::terminal_problem(shown, {}) == "");
  // hexdump -C (util-linux), an independent rendering of the same bytes.
  RunOptions feed;
  feed.stdin_data = binary;
  const ProcessResult hexdump = evt::test::run({"/usr/bin/hexdump", "-C"}, feed);
  REQUIRE(hexdump.exit_code == 0);
  Lines dump = split_lines(hexdump.out);
  dump.pop_back();  // hexdump's closing offset line
  std::string expected_dump;
  for (const std::string& line : dump) {
    std::string trimmed = line;
    while (!trimmed.empty() && trimmed.back() == ' ') {
      trimmed.pop_back();
    }
    expected_dump += trimmed + "\n";
  }
  Lines shown_lines = split_lines(shown);
  for (std::string& line : shown_lines) {
    while (!line.empty() && line.back() == ' ') {
      line.pop_back();
    }
  }
  // Keys and header values that are not printable text are hexdumps too, header ones indented.
  Lines expected = {"topic      msgs",
                    "partition  1",
                    "offset     0",
                    "timestamp  1600000000123 (2020-09-13T12:26:40.123Z, create)",
                    "key        (10 bytes, binary)",
                    "00000000  1b 5b 33 31 6d 6b 65 79  c2 9b                    |.[31mkey..|",
                    "headers    3",
                    "  trace = \"abc\"",
                    "  trace = (6 bytes, binary)",
                    "  00000000  1b 5d 30 3b 78 07                                 |.]0;x.|",
                    "  empty = \"\" (empty)",
                    "value      (28 bytes, binary)"};
  for (const std::string& line : split_lines(expected_dump)) {
    expected.push_back(line);
  }
  CHECK(shown_lines == expected);

  CHECK(inspect_ok(broker, {"message", "msgs", "1", "1"}) ==
        "topic      msgs\n"
        "partition  1\n"
        "offset     1\n"
        "timestamp  1600000000124 (2020-09-13T12:26:40.124Z, create)\n"
        "key        null\n"
        "headers    0\n"
        "value      (13 bytes)\n"
        "hello\n"
        "world\t!\n");
  // Valid UTF-8 is not enough: a C1 control (U+009B is CSI) must not reach the terminal raw.
  const std::string c1_shown = inspect_ok(broker, {"message", "msgs", "1", "2"});
  CHECK(evt::test::cli::terminal_problem(c1_shown, {}) == "");
  CHECK_THAT(c1_shown, Catch::Contains("looks like text"));
  const Lines last = split_lines(inspect_ok(broker, {"message", "msgs", "1", "3"}));
  REQUIRE(last.size() == 7);
  CHECK(last[4] == "key        \"\" (empty)");
  CHECK(last[6] == "value      null");

  // -o json: the record envelope, exactly as consume writes it.
  for (int offset = 0; offset < 4; ++offset) {
    const std::string o = std::to_string(offset);
    const std::string envelope = inspect_ok(broker, {"message", "msgs", "1", o, "-o", "json"});
    const ProcessResult consumed = evt::test::evt(broker,
                                                  {"consume",
                                                   "msgs",
                                                   "-p",
                                                   "1",
                                                   "-o",
                                                   o + ":" + std::to_string(offset + 1),
                                                   "-e",
                                                   "-f",
                                                   "json"});
    REQUIRE(consumed.exit_code == 0);
    CHECK(envelope == consumed.out);
    CHECK(evt::test::cli::json_tool_accepts(envelope));
  }
  const auto decoded = evt::test::cli::parse_envelope(
      split_lines(inspect_ok(broker, {"message", "msgs", "1", "0", "-o", "json"}))[0]);
  CHECK(decoded.record.value == binary);
  CHECK(decoded.record.key == first.key);
  CHECK(decoded.record.timestamp == 1600000000123);

  // Offsets and partitions that hold no record: not found, fast.
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"message", "msgs", "1", "4"},
                                             {"message", "msgs", "0", "0"},
                                             {"message", "msgs", "2", "0"},
                                             {"message", "msgs", "1", "99", "-o", "json"}}) {
    const auto started = std::chrono::steady_clock::now();
    const ProcessResult missing = inspect(broker, args);
    INFO(Catch::StringMaker<std::vector<std::string>>::convert(args) << ": " << missing.err);
    CHECK(evt::test::cli::seconds_since(started) < 2.0);
    CHECK(missing.exit_code == 5);
    CHECK(missing.out.empty());
  }  // Which offsets there are, or that there are none.
  CHECK_THAT(inspect(broker, {"message", "msgs", "1", "4"}).err,
             Catch::Contains("no record at offset 4 of msgs/1 (it holds 0..3)"));
  CHECK_THAT(inspect(broker, {"message", "msgs", "0", "0"}).err,
             Catch::Contains("no record at offset 0 of msgs/0 (it is empty, next offset 0)"));
}

TEST_CASE("inspect: unreachable brokers exit 3 within the --timeout", "[cli][inspect]") {
  // All views at once (each waits for its deadline).
  const std::vector<std::vector<std::string>> views = {{"inspect"},
                                                       {"inspect", "topics"},
                                                       {"inspect", "topic", "t"},
                                                       {"inspect", "groups"},
                                                       {"inspect", "group", "g"},
                                                       {"inspect", "offsets", "t", "--at", "0"},
                                                       {"inspect", "message", "t", "0", "0"}};
  std::vector<std::unique_ptr<Process>> running;
  const auto started = std::chrono::steady_clock::now();
  for (std::vector<std::string> args : views) {
    args.insert(args.begin(), evt::test::evt_binary());
    args.insert(args.end(), {"-b", "127.0.0.1:1", "--timeout", "2s"});
    running.push_back(std::make_unique<Process>(args, evt::test::cli::evt_env()));
  }
  for (std::size_t i = 0; i < views.size(); ++i) {
    const ProcessResult result = running[i]->wait(15s);
    INFO(Catch::StringMaker<std::vector<std::string>>::convert(views[i]) << ": " << result.err);
    CHECK(result.exit_code == 3);
    CHECK(result.out.empty());
    CHECK_THAT(result.err, Catch::StartsWith("evt: error: "));
  }
  const double seconds = evt::test::cli::seconds_since(started);
  CHECK(seconds < 5.0);
}

TEST_CASE("inspect --watch redraws a view in place on a terminal, and refuses a pipe",
          "[cli][inspect]") {
  evt::test::LocalBroker broker({"watched:2"});
  evt::test::RunOptions write;
  write.stdin_data = "a\nb\nc\n";
  REQUIRE(evt::test::evt(broker, {"produce", "watched"}, write).exit_code == 0);
  const std::string command = "timeout -s INT 2 " + evt::test::evt_binary() + " -b " +
                              broker.bootstrap() + " inspect topic watched --watch 500ms";
  const auto watched = evt::test::cli::in_terminal(command);
  // Several frames, each starting by homing the cursor and clearing the screen.
  std::size_t frames = 0;
  for (std::size_t at = watched.out.find("\x1b[H\x1b[2J"); at != std::string::npos;
       at = watched.out.find("\x1b[H\x1b[2J", at + 1)) {
    ++frames;
  }
  CHECK(frames >= 2);
  CHECK_THAT(watched.out, Catch::Contains("topic watched: 2 partitions, 3 records"));
  const auto piped = evt::test::evt(broker, {"inspect", "topic", "watched", "--watch", "1s"});
  CHECK(piped.exit_code == 2);
  CHECK_THAT(piped.err, Catch::Contains("--watch needs a terminal"));
}

TEST_CASE("inspect topics: names with escape sequences or line breaks are shown escaped",
          "[cli][inspect][mock-only]") {
  // A real Kafka allows only [a-zA-Z0-9._-] in topic names; the local broker takes anything.
  LocalBroker broker({"esc\x1b[31mred:1", "plain:1", "two\nlines:1", "caf\xc3\xa9:1"});
  const std::string names = inspect_ok(broker, {"topics", "-o", "names"});
  CHECK(names == "caf\xc3\xa9\nesc\\x1b[31mred\nplain\ntwo\\x0alines\n");
  const std::string table = inspect_ok(broker, {"topics"});
  CHECK(evt::test::cli::terminal_problem(table, {}) == "");
  CHECK(split_lines(table).size() == 5);
  CHECK_THAT(table, Catch::Contains("esc\\x1b[31mred ") && Catch::Contains("two\\x0alines "));
  // JSON escapes them as JSON does.
  const Json json = inspect_json(broker, {"topics"});
  REQUIRE(json["topics"].items.size() == 4);
  CHECK(json["topics"].items[1]["topic"].str() == "esc\x1b[31mred");
  CHECK(json["topics"].items[3]["topic"].str() == "two\nlines");
}

TEST_CASE("inspect topics: __-topics only with --internal", "[cli][inspect]") {
  LocalBroker broker({"__internal_state:1", "visible:2"});
  CHECK(inspect_ok(broker, {"topics", "-o", "names"}) == "visible\n");
  CHECK(without_kafka_internals(inspect_ok(broker, {"topics", "--internal", "-o", "names"})) ==
        "__internal_state\nvisible\n");
  CHECK(split_lines(inspect_ok(broker, {"topics"})).size() == 2);
  const Json json = inspect_json(broker, {"topics", "--internal"});
  std::vector<std::string> names;
  for (const Json& t : json["topics"].items) {
    names.push_back(t["topic"].str());
  }
  CHECK(without_kafka_internals(fmt_lines(names)) == "__internal_state\nvisible\n");
}

TEST_CASE("inspect: a partition without a leader is marked, and the others are still counted",
          "[cli][inspect][mock-only]") {
  evt::test::cli::FaultCluster cluster({"split:3"}, 3);
  peer_write(cluster.bootstrap(), "split", records(0, 2) + records(1, 3) + records(2, 4));
  cluster.fault("leader split 1 none");
  auto run = [&](const std::vector<std::string>& args) {
    const ProcessResult result = cluster.evt(args);
    INFO("evt " << Catch::StringMaker<std::vector<std::string>>::convert(args)
                << "\nstderr: " << result.err);
    REQUIRE(result.exit_code == 0);
    return result.out;
  };

  CHECK(run({"inspect", "topics"}) ==
        "TOPIC  PARTITIONS  REPLICAS  RECORDS  STATUS\n"
        "split           3         3        6  LEADERLESS\n");
  const Json topics = parse_json(run({"inspect", "topics", "-o", "json"}));
  CHECK(topics["topics"].items[0]["leaderless"].boolean);
  CHECK(topics["topics"].items[0]["records"].integer() == 6);

  const Lines table = split_lines(run({"inspect", "topic", "split"}));
  REQUIRE(table.size() >= 6);
  CHECK(table[0] == "topic split: 3 partitions, 6 records (not counting 1 without a leader)");
  const Lines row = words(table[4]);
  REQUIRE(row.size() == 7);
  CHECK(row[0] == "1");
  CHECK(row[1] == "none");
  CHECK(Lines(row.end() - 3, row.end()) == Lines{"-", "-", "-"});
  CHECK(words(table[3]).back() == "2");
  CHECK(words(table[5]).back() == "4");
  const std::string json_text = run({"inspect", "topic", "split", "-o", "json"});
  CHECK(evt::test::cli::json_tool_accepts(json_text));
  const Json topic = parse_json(json_text);
  CHECK(topic["records"].integer() == 6);
  const Json& leaderless = topic["partitions"].items.at(1);
  CHECK(leaderless["leader"].integer() == -1);
  CHECK(leaderless["low"].type == Json::Type::null);
  CHECK(leaderless["high"].type == Json::Type::null);
  CHECK(leaderless["records"].type == Json::Type::null);

  // Once a leader is back, everything is counted again.
  cluster.fault("leader split 1 2");
  CHECK(run({"inspect", "topics"}) ==
        "TOPIC  PARTITIONS  REPLICAS  RECORDS  STATUS\n"
        "split           3         3        9  ok\n");
}

TEST_CASE("inspect: tables fit the terminal's width, with colors only on a terminal",
          "[cli][inspect]") {
  const std::string long_name = "payments.settlement.europe.instant.v2.retry";
  LocalBroker broker({long_name + ":2", "short:1"});
  const std::string command =
      "stty cols 50; " + evt::test::evt_binary() + " -b " + broker.bootstrap() + " inspect topics";
  const ProcessResult narrow = evt::test::cli::in_terminal(command);
  REQUIRE(narrow.exit_code == 0);
  // The text without its SGR sequences and carriage returns, as the terminal shows it.
  std::string shown;
  for (std::size_t i = 0; i < narrow.out.size(); ++i) {
    if (narrow.out[i] == '\x1b') {
      i = narrow.out.find('m', i);
      REQUIRE(i != std::string::npos);
    } else if (narrow.out[i] != '\r') {
      shown.push_back(narrow.out[i]);
    }
  }
  INFO(shown);
  CHECK_THAT(narrow.out, Catch::StartsWith("\x1b[1mTOPIC"));  // the bold header
  const Lines lines = split_lines(shown);
  REQUIRE(lines.size() == 3);
  for (const std::string& line : lines) {
    CHECK(line.size() <= 50);
  }
  CHECK_THAT(lines[1], Catch::StartsWith("payments") && Catch::Contains("...  "));
  CHECK_THAT(lines[1], Catch::EndsWith("2         1        0  ok"));
  // On a pipe: the whole name and no escape sequences.
  const std::string piped = inspect_ok(broker, {"topics"});
  CHECK(piped.find('\x1b') == std::string::npos);
  CHECK_THAT(piped, Catch::Contains(long_name + "  "));
}

TEST_CASE("inspect --watch: topics refreshes, and a group shows its lag trend per partition",
          "[cli][inspect]") {
  LocalBroker broker({"orders:2"});
  peer_write(broker, "orders", records(0, 4) + records(1, 4));
  evt::test::cli::peer_commit(broker, "shipping", "orders", {{0, 2}, {1, 4}});
  const std::string evt = evt::test::evt_binary() + " -b " + broker.bootstrap();

  const ProcessResult topics = evt::test::cli::in_terminal("timeout --preserve-status -s INT 2 " +
                                                           evt + " inspect topics --watch 400ms");
  CHECK(topics.exit_code == 0);
  std::size_t frames = 0;
  for (std::size_t at = topics.out.find("\x1b[H\x1b[2J"); at != std::string::npos;
       at = topics.out.find("\x1b[H\x1b[2J", at + 1)) {
    ++frames;
  }
  CHECK(frames >= 2);
  CHECK_THAT(topics.out, Catch::Contains("orders") && Catch::Contains("(Ctrl-C to stop)"));

  // While the group is watched, partition 0 grows by 30 records: its lag rises, 1's does not.
  Process watcher(
      {"/usr/bin/script",
       "-qfec",
       "timeout --preserve-status -s INT 6 " + evt + " inspect group shipping --watch 500ms",
       "/dev/null"},
      evt::test::cli::evt_env());
  REQUIRE_THAT(watcher.read_lines(4, 10s),
               Catch::Contains("group shipping, total lag 2") ||
                   Catch::Contains("group shipping: Empty, 0 members, total lag 2"));
  std::this_thread::sleep_for(600ms);
  std::vector<PeerWrite> more;
  for (int i = 0; i < 30; ++i) {
    more.push_back(record(0, k_base + 100 + i, "more"));
  }
  peer_write(broker, "orders", more);
  const ProcessResult watched = watcher.wait(20s);
  CHECK(watched.exit_code == 0);
  INFO(watched.out);
  CHECK_THAT(watched.out, Catch::Contains("LAG/S"));
  CHECK_THAT(watched.out,
             Catch::Contains("group shipping, total lag 32") ||
                 Catch::Contains("group shipping: Empty, 0 members, total lag 32"));
  // Some frame saw partition 0's lag rise (a positive rate) while partition 1 stayed at +0.0.
  bool rising = false;
  std::string text = watched.out;
  std::erase(text, '\r');  // the terminal's line ends
  for (const std::string& line : split_lines(text)) {
    const Lines cells = words(line);
    if (cells.size() == 6 && cells[0] == "orders" && cells[1] == "0" && cells[5][0] == '+' &&
        cells[5] != "+0.0") {
      rising = true;
    }
    if (cells.size() == 6 && cells[0] == "orders" && cells[1] == "1") {
      CHECK(cells[5] == "+0.0");
    }
  }
  CHECK(rising);
}
