// SPDX-License-Identifier: MIT
// CLI tier for the filters (--grep, --grep-key, --grep-header, --jq), --jq-output and
// --json-values on consume, tail, replay and inspect message: 10,000 records written by an
// independent client, and what evt selects compared with what an independent filter in Python
// (tests/cli/filter_peer.py) selects from the records another client read.
#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/cli/cli_support.hpp"
#include "tests/support/process.hpp"

namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;
using evt::test::LocalBroker;
using evt::test::ProcessResult;
using evt::test::RunOptions;
using evt::test::TempDir;
using evt::test::cli::peer_read;
using evt::test::cli::peer_write;
using evt::test::cli::PeerRecord;
using evt::test::cli::PeerWrite;
using evt::test::cli::split_lines;

using Lines = std::vector<std::string>;

constexpr std::int64_t k_base = 1700000000000;
constexpr int k_records = 10000;

// Keys and values of every kind a filter meets: text, null, empty, binary, compact JSON, JSON
// with spaces, JSON that is not an object.
PeerWrite generated(int i) {
  PeerWrite r;
  r.partition = i % 3;
  r.timestamp = k_base + i;  // timestamp order is generation order
  if (i % 17 == 0) {
    r.key = std::nullopt;
  } else if (i % 13 == 0) {
    r.key = "\xff\xfe" + std::to_string(i);
  } else if (i % 11 == 0) {
    r.key = "admin-" + std::to_string(i);
  } else if (i % 19 == 0) {
    r.key = std::to_string(i);  // a key that is JSON
  } else {
    r.key = "user-" + std::to_string(i % 20);
  }
  const std::string id = std::to_string(i % 5);
  const std::string total = std::to_string(i % 250);
  const std::string status = (i / 3) % 4 == 0 ? "failed" : "ok";
  switch (i % 7) {
    case 0:
      r.value =
          R"({"user":{"id":)" + id + R"(},"total":)" + total + R"(,"status":")" + status + R"("})";
      break;
    case 1:
      r.value = R"({ "user": {"id": )" + id + R"(}, "total": )" + total + R"(, "status": ")" +
                status + "\" }\n";
      break;
    case 2:
      r.value = "order " + std::to_string(i) + ((i / 3) % 3 == 0 ? " error" : " fine");
      break;
    case 3:
      r.value = "\xff\x00 error "s + std::to_string(i);
      break;
    case 4:
      if (r.key) {
        r.value = std::nullopt;  // (kafka-python cannot write a record without both)
      } else {
        r.value = "";
      }
      break;
    case 5:
      r.value = i % 2 ? "" : "{\"total\":" + total + ",\"note\":\"caf\xc3\xa9\\n\"}";
      break;
    default: {
      static const std::vector<std::string> others = {"[" + std::to_string(i) + ",\"x\"]",
                                                      "42",
                                                      "1.5",
                                                      R"("str")",
                                                      "true",
                                                      "null",
                                                      R"({"a":"\u00e9"})",
                                                      R"({"user":7})"};
      r.value = others[static_cast<std::size_t>(i / 7) % others.size()];
    }
  }
  if (i % 4 == 0) {
    r.headers = {{"trace", "t-" + std::to_string(i % 30)}};
  } else if (i % 4 == 1) {
    r.headers = {{"trace", "x"}, {"trace", "t-1" + std::to_string(i % 3)}};
  }
  if (i % 5 == 0) {
    r.headers.push_back({"env", "prod"});
  }
  return r;
}

// The topic "f" with 10,000 generated records, and what an independent client reads from it
// (peer.py read's output), shared by the test cases.
struct Fixture {
  LocalBroker broker{{"f:3", "copy:3", "into:3"}};
  TempDir dir;
  std::string records_file = dir.path() + "/records.jsonl";

  Fixture() {
    std::vector<PeerWrite> records;
    for (int i = 0; i < k_records; ++i) {
      records.push_back(generated(i));
    }
    peer_write(broker, "f", records);
    const ProcessResult read =
        evt::test::run({"/usr/bin/python3", source("peer.py"), "read", broker.bootstrap(), "f"});
    REQUIRE(read.exit_code == 0);
    REQUIRE(split_lines(read.out).size() == k_records);
    const ProcessResult saved =
        evt::test::run({"/bin/sh", "-c", "cat > " + evt::test::cli::shell_quote(records_file)},
                       evt::test::cli::input(read.out));
    REQUIRE(saved.exit_code == 0);
  }

  static std::string source(const std::string& name) {
    return std::string(EVT_SOURCE_DIR) + "/tests/cli/" + name;
  }

  // What the independent filter prints for `name`.
  Lines expected(const std::string& name) const {
    const ProcessResult result =
        evt::test::run({"/bin/sh",
                        "-c",
                        "/usr/bin/python3 " + source("filter_peer.py") + " " + name + " < " +
                            evt::test::cli::shell_quote(records_file)});
    INFO("filter_peer.py " << name << ": " << result.err);
    REQUIRE(result.exit_code == 0);
    return split_lines(result.out);
  }

  ProcessResult evt(const std::vector<std::string>& args) const {
    RunOptions options;
    options.timeout = 60s;
    return evt::test::evt(broker, args, options);
  }

  // evt ARGS, which must exit 0; its stdout as lines.
  Lines lines(const std::vector<std::string>& args) const {
    const ProcessResult result = evt(args);
    INFO("evt " << Catch::StringMaker<std::vector<std::string>>::convert(args)
                << "\nstderr: " << result.err);
    REQUIRE_FALSE(result.timed_out);
    REQUIRE(result.exit_code == 0);
    return split_lines(result.out);
  }
};

Fixture& fixture() {
  static Fixture shared;
  return shared;
}

Lines sorted(Lines lines) {
  std::sort(lines.begin(), lines.end(), [](const std::string& a, const std::string& b) {
    const auto pa = std::stoi(a.substr(0, a.find(':')));
    const auto pb = std::stoi(b.substr(0, b.find(':')));
    const auto oa = std::stoll(a.substr(a.find(':') + 1));
    const auto ob = std::stoll(b.substr(b.find(':') + 1));
    return std::tie(pa, oa) < std::tie(pb, ob);
  });
  return lines;
}

struct Case {
  std::string name;  // the case of filter_peer.py
  std::vector<std::string> flags;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      {"grep-error", {"--grep", "error"}},
      {"grep-fine", {"--grep", "^order [0-9]+ fine$"}},
      {"grep-key", {"--grep-key", "^user-1[0-9]?$"}},
      {"grep-header", {"--grep-header", "trace=^t-1"}},
      // Decided without jq, by jq, and by both.
      {"jq-key", {"--jq", "select(.key == \"user-7\")"}},
      {"jq-user-id", {"--jq", ".value_json.user.id == 3"}},
      {"jq-total", {"--jq", "select(.partition == 1 and .value_json.total > 100)"}},
      {"jq-select-rest", {"--jq", "select(.partition == 2) | .value_json.status == \"failed\""}},
      {"jq-or-error", {"--jq", "(.key | startswith(\"admin\")) or .value == \"\""}},
      {"jq-key-and-grep", {"--jq", "select(.key == \"user-7\")", "--grep", "error"}},
      {"grep-key-and-jq", {"--grep-key", "user", "--jq", ".value_json.status == \"ok\""}},
  };
  return all;
}

}  // namespace

TEST_CASE("filters: consume selects exactly what an independent filter selects, 10k records",
          "[cli][filters]") {
  const Fixture& f = fixture();
  for (const Case& c : cases()) {
    INFO("case " << c.name);
    std::vector<std::string> args = {"consume", "f", "-e", "-f", "%p:%o\\n"};
    args.insert(args.end(), c.flags.begin(), c.flags.end());
    const Lines expected = f.expected(c.name);
    CHECK(expected.size() > 20);  // each case selects something, and not everything
    CHECK(expected.size() < k_records / 2);
    CHECK(sorted(f.lines(args)) == expected);
  }
}

TEST_CASE("filters: -c counts matching records, and tail -n shows the newest N that match",
          "[cli][filters]") {
  const Fixture& f = fixture();
  for (const Case& c : cases()) {
    INFO("case " << c.name);
    const Lines expected = f.expected(c.name);
    // -c 7 on one partition: its first 7 matching records.
    Lines first;
    for (const std::string& line : expected) {
      if (line.starts_with("0:") && first.size() < 7) {
        first.push_back(line);
      }
    }
    std::vector<std::string> args = {"consume", "f", "-p", "0", "-c", "7", "-f", "%p:%o\\n"};
    args.insert(args.end(), c.flags.begin(), c.flags.end());
    if (first.size() == 7) {
      CHECK(f.lines(args) == first);
    }
    // tail -n 25: the newest 25 matching records of all partitions, oldest first (timestamps
    // follow generation order: partition p, offset o is record 3o+p).
    Lines by_time = expected;
    std::sort(by_time.begin(), by_time.end(), [](const std::string& a, const std::string& b) {
      auto index = [](const std::string& line) {
        return 3 * std::stoll(line.substr(line.find(':') + 1)) +
               std::stoll(line.substr(0, line.find(':')));
      };
      return index(a) < index(b);
    });
    const Lines newest(by_time.end() - std::min<std::ptrdiff_t>(25, by_time.size()), by_time.end());
    std::vector<std::string> tail = {"tail", "f", "-n", "25", "--no-follow", "-f", "%p:%o\\n"};
    tail.insert(tail.end(), c.flags.begin(), c.flags.end());
    CHECK(f.lines(tail) == newest);
  }
}

TEST_CASE("filters: replay copies exactly the matching records, and counts them",
          "[cli][filters]") {
  const Fixture& f = fixture();
  const Lines expected = f.expected("jq-user-id");
  const ProcessResult copied = f.evt({"replay",
                                      "f",
                                      "--from",
                                      "beginning",
                                      "--jq",
                                      ".value_json.user.id == 3",
                                      "--into",
                                      "into",
                                      "--keep-partition",
                                      "-v"});
  INFO(copied.err);
  REQUIRE(copied.exit_code == 0);
  CHECK_THAT(copied.err,
             Catch::Contains(std::to_string(k_records) + " records in the range, " +
                             std::to_string(expected.size()) + " written, 0 not, " +
                             std::to_string(k_records - expected.size()) + " filtered out"));
  // The copy holds the selected records, each partition in its source order.
  const std::vector<PeerRecord> source = peer_read(f.broker, "f");
  std::vector<PeerRecord> selected;
  for (const std::string& position : expected) {
    const auto partition = std::stoi(position.substr(0, position.find(':')));
    const auto offset = std::stoll(position.substr(position.find(':') + 1));
    for (const PeerRecord& r : source) {
      if (r.partition == partition && r.offset == offset) {
        selected.push_back(r);
      }
    }
  }
  const std::vector<PeerRecord> copy = peer_read(f.broker, "into");
  REQUIRE(copy.size() == selected.size());
  for (std::size_t i = 0; i < copy.size(); ++i) {
    CHECK(copy[i].key == selected[i].key);
    CHECK(copy[i].value == selected[i].value);
    CHECK(copy[i].headers == selected[i].headers);
    CHECK(copy[i].timestamp == selected[i].timestamp);
  }
  // To stdout, with another filter.
  CHECK(sorted(f.lines({"replay",
                        "f",
                        "--from",
                        "beginning",
                        "-f",
                        "%p:%o\\n",
                        "--grep-header",
                        "trace=^t-1"})) == f.expected("grep-header"));
}

TEST_CASE("filters: --jq-output prints what the expression yields, as JSON", "[cli][filters]") {
  const Fixture& f = fixture();
  // filter_peer.py's user-ids are in (partition, offset) order; consume one partition at a time.
  const Lines all = f.expected("user-ids");
  Lines got;
  for (int p = 0; p < 3; ++p) {
    const Lines part = f.lines({"consume",
                                "f",
                                "-e",
                                "-p",
                                std::to_string(p),
                                "--jq",
                                "select(.value_json.user != null)",
                                "--jq-output",
                                ".value_json.user.id"});
    got.insert(got.end(), part.begin(), part.end());
  }
  CHECK(got.size() > 1000);
  CHECK(got == all);
  // Strings are JSON strings; several outputs per record are several lines.
  CHECK(f.lines({"consume", "f", "-e", "-p", "0", "-c", "2", "--jq-output", ".key, .partition"}) ==
        Lines{"null", "0", "\"user-3\"", "0"});
}

TEST_CASE("filters: binary values and jq errors are counted, never fatal", "[cli][filters]") {
  const Fixture& f = fixture();
  const ProcessResult result =
      f.evt({"consume", "f", "-e", "-f", "%p:%o\\n", "--jq", ".value | test(\"error\")"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  const std::string errors = f.expected("test-errors").at(0);
  CHECK_THAT(result.err, Catch::Contains("--jq raised an error on " + errors + " records"));
  // Reported once, naming the first record with the error.
  CHECK_THAT(result.err, Catch::Contains("evt: warning: --jq: f/"));
  CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 2);
  // Every text value containing "error" is selected; the binary ones raised errors instead.
  CHECK(sorted(split_lines(result.out)) == f.expected("jq-test-error"));
}

TEST_CASE("filters: --json-values embeds compact JSON, and produce reads it back byte for byte",
          "[cli][filters]") {
  const Fixture& f = fixture();
  const ProcessResult consumed = f.evt({"consume", "f", "-e", "-f", "json", "--json-values"});
  REQUIRE(consumed.exit_code == 0);
  const Lines envelopes = split_lines(consumed.out);
  REQUIRE(envelopes.size() == k_records);
  std::size_t values = 0;
  std::size_t keys = 0;
  for (const std::string& line : envelopes) {
    const auto json = evt::test::cli::parse_json(line);
    values += json.has("value_json") ? 1 : 0;
    keys += json.has("key_json") ? 1 : 0;
    CHECK(json.has("value_json") != json.has("value"));
  }
  CHECK(std::to_string(values) == f.expected("compact-values").at(0));
  CHECK(std::to_string(keys) == f.expected("compact-keys").at(0));
  CHECK(values > 2000);
  // Back into a topic: every byte as it was.
  RunOptions options = evt::test::cli::input(consumed.out);
  const ProcessResult produced =
      evt::test::evt(f.broker, {"produce", "-f", "json", "copy"}, options);
  INFO(produced.err);
  REQUIRE(produced.exit_code == 0);
  const std::vector<PeerRecord> source = peer_read(f.broker, "f");
  const std::vector<PeerRecord> copy = peer_read(f.broker, "copy");
  REQUIRE(copy.size() == source.size());
  for (std::size_t i = 0; i < copy.size(); ++i) {
    INFO("record " << source[i]);
    CHECK(copy[i].partition == source[i].partition);
    CHECK(copy[i].key == source[i].key);
    CHECK(copy[i].value == source[i].value);
    CHECK(copy[i].headers == source[i].headers);
    CHECK(copy[i].timestamp == source[i].timestamp);
  }
}

TEST_CASE("filters: inspect message --jq and --jq-output", "[cli][filters]") {
  const Fixture& f = fixture();
  // Record 0 (partition 0, offset 0): key null, compact JSON value, headers trace and env.
  CHECK(f.lines({"inspect", "message", "f", "0", "0", "--jq-output", ".value_json.user"}) ==
        Lines{R"({"id":0})"});
  CHECK(f.lines({"inspect", "message", "f", "0", "0", "--jq-output", "[.headers[].name, .key]"}) ==
        Lines{R"(["trace","env",null])"});
  CHECK(
      f.lines({"inspect", "message", "f", "0", "0", "--jq", ".key == null", "-o", "json"}).size() ==
      1);
  CHECK(f.lines({"inspect", "message", "f", "0", "0", "--jq", ".key != null"}).empty());
}

TEST_CASE("filters: bad expressions and conflicting flags are usage errors", "[cli][filters]") {
  const Fixture& f = fixture();
  struct Bad {
    std::vector<std::string> args;
    std::string error;
  };
  const std::vector<Bad> bad = {
      {{"consume", "f", "-e", "--jq", ".key ==== 1"},
       "evt: error: --jq: syntax error, unexpected == (Unix shell quoting issues?) at line 1, "
       "column 8:\n  .key ==== 1\n         ^\n"},
      {{"tail", "f", "--no-follow", "--jq", "nosuchfunction"},
       "evt: error: --jq: nosuchfunction/0 is not defined at line 1, column 1:\n"},
      {{"replay", "f", "--from", "beginning", "--jq-output", "{"},
       "evt: error: --jq-output: syntax error, unexpected $end"},
      {{"inspect", "message", "f", "0", "0", "--jq", "$x"},
       "evt: error: --jq: $x is not defined at line 1, column 1:\n"},
      {{"consume", "f", "-e", "--jq-output", ".key", "-f", "json"},
       "evt: error: --jq-output prints JSON: -f, -D, -K and --json-values do not apply\n"},
      {{"tail", "f", "--jq-output", ".key", "--compact"},
       "evt: error: --jq-output prints JSON: -f, --compact, --json-values and --no-truncate do not "
       "apply\n"},
      {{"replay", "f", "--from", "beginning", "--into", "copy", "--jq-output", ".key"},
       "evt: error: --jq-output and --json-values shape what is printed"},
      {{"consume", "f", "-e", "--jq-output", ".key", "--decode", "value"},
       "evt: error: --jq-output prints JSON: --decode does not apply\n"},
      {{"tail", "f", "--jq-output", ".key", "--decode", "both"},
       "evt: error: --jq-output prints JSON: --decode does not apply\n"},
      {{"replay", "f", "--from", "beginning", "--jq-output", ".key", "--decode", "key"},
       "evt: error: --jq-output prints JSON: --decode does not apply\n"},
      {{"inspect", "message", "f", "0", "0", "--jq-output", ".key", "--decode", "value"},
       "evt: error: --jq-output prints JSON: --decode does not apply\n"},
      {{"consume", "f", "-e", "--json-values"},
       "evt: error: --json-values applies to -f json only\n"},
      {{"consume", "f", "-e", "--grep-header", "trace"},
       "evt: error: --grep-header \"trace\": expected NAME=REGEX\n"},
  };
  for (const Bad& b : bad) {
    const ProcessResult result = f.evt(b.args);
    INFO(Catch::StringMaker<std::vector<std::string>>::convert(b.args) << "\n" << result.err);
    CHECK(result.exit_code == 2);
    CHECK(result.out.empty());
    CHECK_THAT(result.err, Catch::StartsWith(b.error));
  }
}
