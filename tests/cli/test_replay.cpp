// SPDX-License-Identifier: MIT
// CLI tier for `evt replay`: the real binary against `evt broker`, with the source written and
// the destination read by an independent client (tests/cli/peer.py: kafka-python writes,
// confluent-kafka reads), so what replay keeps (keys, values, headers, timestamps, partitions,
// null versus empty, binary) is checked by code that shares nothing with evt.
#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <tuple>
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
using evt::test::cli::in_partition;
using evt::test::cli::peer_read;
using evt::test::cli::peer_write;
using evt::test::cli::PeerHeader;
using evt::test::cli::PeerRecord;
using evt::test::cli::PeerWrite;
using evt::test::cli::split_lines;
using evt::test::cli::write_tricky;

using Lines = std::vector<std::string>;

// 2023-11-14T22:13:20Z.
constexpr std::int64_t k_base = 1700000000000;

ProcessResult replay(const LocalBroker& broker,
                     const std::vector<std::string>& args,
                     std::chrono::milliseconds timeout = 30s) {
  return evt::test::cli::evt_command(broker, "replay", args, timeout);
}

std::string replay_ok(const LocalBroker& broker, const std::vector<std::string>& args) {
  return evt::test::cli::evt_ok(broker, "replay", args, 30s);
}

// `count` records into each of `partitions` partitions: key "kP-I", value "vP-I", header i=I,
// timestamp base + I*1000 + P*100.
void fill(const LocalBroker& broker, const std::string& topic, int partitions, int count) {
  std::vector<PeerWrite> records;
  for (int p = 0; p < partitions; ++p) {
    for (int i = 0; i < count; ++i) {
      PeerWrite record;
      const std::string id = std::to_string(p) + "-" + std::to_string(i);
      record.key = "k" + id;
      record.value = "v" + id;
      record.headers = {{"i", std::to_string(i)}};
      record.partition = p;
      record.timestamp = k_base + i * 1000 + p * 100;
      records.push_back(record);
    }
  }
  peer_write(broker, topic, records);
}

// "p:o" of each envelope in output order.
Lines positions_in_order(const std::string& envelopes) {
  Lines positions;
  for (const auto& envelope : evt::test::cli::parse_envelopes(envelopes)) {
    positions.push_back(std::to_string(envelope.record.partition) + ":" +
                        std::to_string(envelope.record.offset));
  }
  return positions;
}

Lines sorted(Lines lines) {
  std::sort(lines.begin(), lines.end());
  return lines;
}

// "P:F".."P:T-1" for each (P, F, T).
Lines spans(const std::vector<std::tuple<int, int, int>>& ranges) {
  Lines lines;
  for (const auto& [p, from, to] : ranges) {
    for (int o = from; o < to; ++o) {
      lines.push_back(std::to_string(p) + ":" + std::to_string(o));
    }
  }
  return sorted(lines);
}

// Records with their offsets forgotten (a copy without --keep-partition or into a non-empty
// topic has other offsets).
std::vector<PeerRecord> without_offsets(std::vector<PeerRecord> records) {
  for (auto& record : records) {
    record.offset = -1;
  }
  return records;
}

// The source records of partition p below offset `end`.
std::vector<PeerRecord> prefix(const std::vector<PeerRecord>& records,
                               std::int32_t partition,
                               std::int64_t end) {
  std::vector<PeerRecord> selected;
  for (const auto& record : in_partition(records, partition)) {
    if (record.offset < end) {
      selected.push_back(record);
    }
  }
  return selected;
}

// Parses "resume with: evt replay TOPIC ARGS" from stderr into ARGS.
std::vector<std::string> resume_arguments(const std::string& err, const std::string& topic) {
  const std::string marker = "resume with: evt replay " + topic + " ";
  const std::size_t at = err.find(marker);
  if (at == std::string::npos) {
    return {};
  }
  const std::size_t end = err.find('\n', at);
  std::string text = err.substr(at + marker.size(), end - at - marker.size());
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t space = text.find(' ', start);
    words.push_back(
        text.substr(start, space == std::string::npos ? std::string::npos : space - start));
    if (space == std::string::npos) {
      break;
    }
    start = space + 1;
  }
  return words;
}

// A replay resume hint's words, taken apart: -b (the test's own broker, which replay_ok adds
// again) is dropped from `words`.
struct ResumeHint {
  std::vector<std::string> words;  ///< to run again, without -b
  std::map<int, std::int64_t> next;
  std::map<int, std::string> to;  ///< --to P=END
  std::set<int> named;            ///< -p
  std::vector<std::string> others;
};

ResumeHint parse_resume(const std::vector<std::string>& words) {
  ResumeHint hint;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    const bool has_value = i + 1 < words.size();
    if (word == "-b" && has_value) {
      ++i;
      continue;
    }
    hint.words.push_back(word);
    if ((word == "--from" || word == "--to") && has_value) {
      const std::string& value = words[++i];
      hint.words.push_back(value);
      const std::size_t equals = value.find('=');
      if (word == "--to" && equals == std::string::npos) {
        hint.to[-1] = value;  // the user's --to, for every partition
        continue;
      }
      REQUIRE(equals != std::string::npos);
      const int partition = std::stoi(value.substr(0, equals));
      if (word == "--from") {
        hint.next[partition] = std::stoll(value.substr(equals + 1));
      } else {
        hint.to[partition] = value.substr(equals + 1);
      }
    } else if (word == "-p" && has_value) {
      hint.words.push_back(words[i + 1]);
      hint.named.insert(std::stoi(words[++i]));
    } else {
      hint.others.push_back(word);
    }
  }
  return hint;
}
}  // namespace

TEST_CASE("replay: offset ranges to stdout, the same envelopes as consume -e -f json",
          "[cli][replay]") {
  LocalBroker broker({"src:3"});
  fill(broker, "src", 3, 10);
  write_tricky(broker, "src");

  // The whole topic: what consume writes, line for line, and each partition in offset order.
  const std::string all = replay_ok(broker, {"src", "--from", "beginning"});
  const std::string consumed = evt::test::evt(broker, {"consume", "src", "-e", "-f", "json"}).out;
  REQUIRE(split_lines(all).size() == 35);
  CHECK(sorted(split_lines(all)) == sorted(split_lines(consumed)));
  CHECK(evt::test::cli::records_of(evt::test::cli::parse_envelopes(all)) ==
        peer_read(broker, "src"));
  for (int p = 0; p < 3; ++p) {
    std::int64_t previous = -1;
    for (const auto& envelope : evt::test::cli::parse_envelopes(all)) {
      if (envelope.record.partition == p) {
        CHECK(envelope.record.offset == previous + 1);
        previous = envelope.record.offset;
      }
    }
  }

  // FROM:TO on every partition, equal to consume's -o FROM:TO.
  const std::string middle = replay_ok(broker, {"src", "--from", "2", "--to", "5"});
  CHECK(sorted(positions_in_order(middle)) == spans({{0, 2, 5}, {1, 2, 5}, {2, 2, 5}}));
  CHECK(sorted(split_lines(middle)) ==
        sorted(split_lines(
            evt::test::evt(broker, {"consume", "src", "-e", "-f", "json", "-o", "2:5"}).out)));
  // The offset grammar: -N, +N, per partition P=SPEC (others from --from), -p.
  // (Partitions 0 and 2 hold 12 records, partition 1 holds 11.)
  CHECK(sorted(positions_in_order(replay_ok(broker, {"src", "--from", "-3"}))) ==
        spans({{0, 9, 12}, {1, 8, 11}, {2, 9, 12}}));
  CHECK(sorted(positions_in_order(replay_ok(broker, {"src", "--from", "+10", "--to", "-1"}))) ==
        spans({{0, 10, 11}, {2, 10, 11}}));
  CHECK(
      sorted(positions_in_order(replay_ok(
          broker, {"src", "--from", "8", "--from", "1=3", "--to", "1=5", "-p", "1", "-p", "2"}))) ==
      spans({{1, 3, 5}, {2, 8, 12}}));
  CHECK(sorted(positions_in_order(replay_ok(broker, {"src", "--from", "0=9", "--to", "11"}))) ==
        spans({{0, 9, 11}, {1, 0, 11}, {2, 0, 11}}));
  // P=TO alone keeps the FROM of all partitions for P.
  CHECK(sorted(positions_in_order(
            replay_ok(broker, {"src", "--from", "2", "--to", "1=5", "-p", "1", "-p", "2"}))) ==
        spans({{1, 2, 5}, {2, 2, 12}}));
  // A range that ends before it starts, or where it starts, is a usage error.
  const ProcessResult inverted = replay(broker, {"src", "--from", "9", "--to", "3"});
  CHECK(inverted.exit_code == 2);
  CHECK_THAT(inverted.err,
             Catch::Contains("invalid range --from 9 --to 3: it ends before it starts"));
  const ProcessResult empty = replay(broker, {"src", "--from", "end", "--to", "1=end"});
  CHECK(empty.exit_code == 2);
  CHECK_THAT(empty.err, Catch::Contains("invalid range --from 1=end --to 1=end: it is empty"));
  CHECK(replay_ok(broker, {"src", "--from", "end"}).empty());
  // Other output formats, as in consume.
  CHECK(sorted(split_lines(
            replay_ok(broker, {"src", "--from", "-4", "--to", "-3", "-f", "%p|%k|%v\\n"}))) ==
        Lines{"0|k0-8|v0-8", "1|k1-7|v1-7", "2|k2-8|v2-8"});

  // --dry-run: the plan, per partition and in total, and nothing else.
  CHECK(replay_ok(broker, {"src", "--from", "2", "--to", "5", "-p", "1", "--dry-run"}) ==
        "PARTITION          FROM            TO     RECORDS\n"
        "        1             2             5           3\n"
        "    total                                       3\n");
  CHECK(replay_ok(broker, {"src", "--from", "-4", "--from", "2=+11", "--dry-run"}) ==
        "PARTITION          FROM            TO     RECORDS\n"
        "        0             8            12           4\n"
        "        1             7            11           4\n"
        "        2            11            12           1\n"
        "    total                                       9\n");

  // Usage errors (2) and partitions the topic does not have (5).
  for (const std::vector<std::string>& bad :
       std::vector<std::vector<std::string>>{{"src"},
                                             {"src", "--from", "x=1"},
                                             {"src", "--from", "nonsense"},
                                             {"src", "--from", "stored"},
                                             {"--from", "beginning"},
                                             {"src", "--from", "beginning", "--mark"},
                                             {"src", "--from", "beginning", "--speed", "0"},
                                             {"src", "--from", "beginning", "--speed", "fast"}}) {
    const ProcessResult result = replay(broker, bad);
    INFO(Catch::StringMaker<std::vector<std::string>>::convert(bad) << "\n" << result.err);
    CHECK(result.exit_code == 2);
    CHECK(result.out.empty());
  }
  for (const std::vector<std::string>& missing : std::vector<std::vector<std::string>>{
           {"src", "--from", "beginning", "-p", "3"}, {"src", "--from", "5=0"}}) {
    const ProcessResult result = replay(broker, missing);
    INFO(result.err);
    CHECK(result.exit_code == 5);
    CHECK(result.out.empty());
  }
}

TEST_CASE("replay: time ranges found from record timestamps, per partition", "[cli][replay]") {
  LocalBroker broker({"src:3"});
  fill(broker, "src", 3, 10);  // record I of partition P at base + I*1000 + P*100
  auto at = [](std::int64_t ms) { return "@" + std::to_string(k_base + ms); };
  // From +3050: p0 starts at 4 (+4000), p1 at 3 (+3100), p2 at 3 (+3200). To +6150 (exclusive):
  // p0 ends before 7 (+7000), p1 before 7 (+7100), p2 before 6 (+6200).
  CHECK(sorted(
            positions_in_order(replay_ok(broker, {"src", "--from", at(3050), "--to", at(6150)}))) ==
        spans({{0, 4, 7}, {1, 3, 7}, {2, 3, 6}}));
  CHECK(replay_ok(broker, {"src", "--from", at(3050), "--to", at(6150), "--dry-run"}) ==
        "PARTITION          FROM            TO     RECORDS\n"
        "        0             4             7           3\n"
        "        1             3             7           4\n"
        "        2             3             6           3\n"
        "    total                                      10\n");
  // An RFC 3339 instant (+3000 exactly: p0's record 3 is at that very millisecond), and a time
  // for one partition only.
  CHECK(sorted(positions_in_order(replay_ok(
            broker,
            {"src", "--from", "@2023-11-14T22:13:23Z", "--from", "1=" + at(8101), "--to", "9"}))) ==
        spans({{0, 3, 9}, {1, 9, 9}, {2, 3, 9}}));
  CHECK(sorted(positions_in_order(replay_ok(
            broker, {"src", "--from", "1=" + at(8100), "--to", "1=" + at(8101), "-p", "1"}))) ==
        Lines{"1:8"});
  // Before every record: from the beginning; after every record: nothing.
  CHECK(
      sorted(positions_in_order(replay_ok(broker, {"src", "--from", at(-5000), "--to", at(1)}))) ==
      spans({{0, 0, 1}, {1, 0, 0}, {2, 0, 0}}));
  CHECK(replay_ok(broker, {"src", "--from", at(100000)}).empty());
  // A time range that ends before it starts is a usage error naming it (issue 22.10).
  const ProcessResult reversed =
      evt::test::evt(broker, {"replay", "src", "--from", at(6000), "--to", at(2000)});
  CHECK(reversed.exit_code == 2);
  CHECK_THAT(reversed.err, Catch::Contains("it ends before it starts"));
  CHECK(reversed.out.empty());
}

TEST_CASE("replay --into: keys, values, headers, null versus empty and timestamps survive",
          "[cli][replay]") {
  LocalBroker broker({"src:3", "dst:3", "small:2", "tx:3"});
  write_tricky(broker, "src");
  fill(broker, "src", 3, 4);
  const auto source = peer_read(broker, "src");
  REQUIRE(source.size() == 17);

  // --keep-partition into an empty topic: an exact copy, offsets included; nothing on stdout,
  // and no progress bar on a pipe.
  const ProcessResult copied =
      replay(broker, {"src", "--from", "beginning", "--into", "dst", "--keep-partition"});
  CHECK(copied.exit_code == 0);
  CHECK(copied.out.empty());
  CHECK(copied.err.empty());
  CHECK(peer_read(broker, "dst") == source);
  // On a terminal, a progress bar on stderr ends at the total; -q silences it.
  const std::string command = evt::test::evt_binary() + " replay src --from beginning --into " +
                              "dst --keep-partition -b " +
                              evt::test::cli::shell_quote(broker.bootstrap());
  const ProcessResult bar = evt::test::cli::in_terminal(command);
  CHECK(bar.exit_code == 0);
  CHECK_THAT(bar.out, Catch::Contains("[==============================] 17/17 records"));
  const ProcessResult quiet = evt::test::cli::in_terminal(command + " -q");
  CHECK(quiet.exit_code == 0);
  CHECK(quiet.out.empty());
  CHECK(peer_read(broker, "dst").size() == 3 * source.size());

  // In one transaction, too.
  CHECK(replay_ok(broker,
                  {"src",
                   "--from",
                   "beginning",
                   "--into",
                   "tx",
                   "--keep-partition",
                   "--transactional-id",
                   "evt-test-replay"})
            .empty());
  CHECK(without_offsets(peer_read(broker, "tx")) == without_offsets(source));

  // A destination with fewer partitions than the range needs: refused before anything is
  // written, and fast.
  const auto started = std::chrono::steady_clock::now();
  const ProcessResult fewer =
      replay(broker, {"src", "--from", "beginning", "--into", "small", "--keep-partition"});
  CHECK(evt::test::cli::seconds_since(started) < 5.0);
  CHECK(fewer.exit_code == 2);
  CHECK_THAT(fewer.err, Catch::Contains("\"small\" has 2 partitions, the range needs 3"));
  CHECK(peer_read(broker, "small").empty());
  // Partitions 0 and 1 alone fit.
  CHECK(replay_ok(broker,
                  {"src",
                   "--from",
                   "beginning",
                   "-p",
                   "0",
                   "-p",
                   "1",
                   "--into",
                   "small",
                   "--keep-partition"})
            .empty());
  std::vector<PeerRecord> expected = in_partition(source, 0);
  for (const auto& record : in_partition(source, 1)) {
    expected.push_back(record);
  }
  CHECK(peer_read(broker, "small") == expected);

  // --dry-run with a destination writes nothing.
  const std::string plan =
      replay_ok(broker, {"src", "--from", "beginning", "--into", "small", "--dry-run"});
  CHECK_THAT(plan, Catch::EndsWith("    total                                      17\n"));
  CHECK(peer_read(broker, "small").size() == expected.size());
}

TEST_CASE("replay --into without --keep-partition places records by key like the Java client",
          "[cli][replay]") {
  LocalBroker broker({"src:3", "dst:5"});
  std::vector<PeerWrite> records;
  for (int i = 0; i < 12; ++i) {
    PeerWrite record;
    record.key = "key-" + std::to_string(i);
    record.value = "value-" + std::to_string(i);
    record.partition = i % 2;  // not where the key would go in dst
    record.timestamp = k_base + i;
    records.push_back(record);
  }
  peer_write(broker, "src", records);
  CHECK(replay_ok(broker, {"src", "--from", "beginning", "--into", "dst"}).empty());
  const auto copied = peer_read(broker, "dst");
  REQUIRE(copied.size() == 12);
  std::set<std::int32_t> used;
  for (const auto& record : copied) {
    REQUIRE(record.key);
    INFO(*record.key);
    CHECK(record.partition == evt::test::cli::java_partition(*record.key, 5));
    CHECK(record.value == "value-" + record.key->substr(4));
    CHECK(record.timestamp == k_base + std::stoi(record.key->substr(4)));
    used.insert(record.partition);
  }
  CHECK(used.size() >= 3);  // the check above is not vacuous
}

TEST_CASE("replay: --mark and --header add headers, --grep filters", "[cli][replay]") {
  LocalBroker broker({"src:2", "marked:2", "filtered:2"});
  fill(broker, "src", 2, 5);
  CHECK(replay_ok(broker,
                  {"src",
                   "--from",
                   "3",
                   "--into",
                   "marked",
                   "--keep-partition",
                   "--mark",
                   "-H",
                   "a=1",
                   "--header",
                   "a=2=two",
                   "-H",
                   "empty="})
            .empty());
  const auto marked = peer_read(broker, "marked");
  REQUIRE(marked.size() == 4);
  for (const auto& record : marked) {
    const std::int64_t source_offset = record.offset + 3;
    INFO(record);
    CHECK(record.value ==
          "v" + std::to_string(record.partition) + "-" + std::to_string(source_offset));
    CHECK(record.headers == std::vector<PeerHeader>{{"i", std::to_string(source_offset)},
                                                    {"a", "1"},
                                                    {"a", "2=two"},
                                                    {"empty", ""},
                                                    {"evt-replay-source",
                                                     "src/" + std::to_string(record.partition) +
                                                         "/" + std::to_string(source_offset)}});
  }
  const ProcessResult bad_header =
      replay(broker, {"src", "--from", "3", "--into", "marked", "-H", "novalue"});
  CHECK(bad_header.exit_code == 2);
  CHECK(peer_read(broker, "marked").size() == 4);

  // Filters select exactly the matching records, to stdout and into a topic.
  auto selected = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"src", "--from", "beginning"});
    return sorted(positions_in_order(replay_ok(broker, args)));
  };
  CHECK(selected({"--grep", "^v1-[13]$"}) == Lines{"1:1", "1:3"});
  CHECK(selected({"--filter", "^v1-[13]$"}) == Lines{"1:1", "1:3"});  // --filter: the same
  CHECK(selected({"--grep-key", "0-[0-2]"}) == Lines{"0:0", "0:1", "0:2"});
  CHECK(selected({"--grep-header", "i=^4$"}) == Lines{"0:4", "1:4"});
  CHECK(selected({"--grep-header", "i=[34]", "--grep-key", "^k1"}) == Lines{"1:3", "1:4"});
  CHECK(selected({"--grep-key", "[k]1-[34]"}) == Lines{"1:3", "1:4"});  // not CLI11's [a,b]
  CHECK(selected({"--grep", "nothing"}).empty());
  CHECK(sorted(positions_in_order(replay_ok(
            broker, {"--grep-key", "k0-1", "src", "--from", "beginning"}))) == Lines{"0:1"});
  CHECK(replay(broker, {"src", "--from", "beginning", "--grep", "(("}).exit_code == 2);
  CHECK(replay_ok(broker,
                  {"src",
                   "--from",
                   "beginning",
                   "--into",
                   "filtered",
                   "--keep-partition",
                   "--grep-header",
                   "i=^[02]$"})
            .empty());
  const auto filtered = peer_read(broker, "filtered");
  Lines values;
  for (const auto& record : filtered) {
    values.push_back(std::to_string(record.partition) + ":" + *record.value);
  }
  CHECK(values == Lines{"0:v0-0", "0:v0-2", "1:v1-0", "1:v1-2"});
}

TEST_CASE("replay --input: an envelope file into a topic or to stdout", "[cli][replay]") {
  LocalBroker broker({"src:3", "copy:3", "hand:3", "slow:1", "late:1", "late-tx:1"});
  write_tricky(broker, "src");
  fill(broker, "src", 3, 3);
  TempDir dir;
  const ProcessResult dumped = evt::test::evt(broker, {"consume", "src", "-e", "-f", "json"});
  REQUIRE(dumped.exit_code == 0);
  dir.write("src.jsonl", dumped.out);

  // consume -f json | replay --input: the same records, partitions and timestamps.
  CHECK(replay_ok(broker, {"--input", dir.file("src.jsonl"), "--into", "copy", "--keep-partition"})
            .empty());
  const auto source = peer_read(broker, "src");
  const auto copy = peer_read(broker, "copy");
  REQUIRE(copy.size() == source.size());
  for (int p = 0; p < 3; ++p) {
    // A file holds the partitions one after another in whatever order consume wrote them.
    CHECK(without_offsets(in_partition(copy, p)) == without_offsets(in_partition(source, p)));
  }

  // A file written by hand: base64 and null fields, duplicate headers, with and without
  // partition and timestamp; blank lines are skipped; topic and offset are ignored.
  const std::int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
  dir.write(
      "hand.jsonl",
      R"({"topic":"elsewhere","partition":2,"offset":99,"timestamp":1234567890123,"key":{"base64":"AP8="},"value":null,"headers":[{"name":"h","value":"1"},{"name":"h","value":{"base64":"/w=="}}]})"
      "\n\n"
      R"({"partition":1,"key":null,"value":""})"
      "\n"
      R"({"value":"last","partition":1,"timestamp":5})"
      "\n");
  CHECK(replay_ok(broker, {"--input", dir.file("hand.jsonl"), "--into", "hand", "--keep-partition"})
            .empty());
  const auto hand = peer_read(broker, "hand");
  REQUIRE(hand.size() == 3);
  CHECK(hand[0] == PeerRecord{1, 0, hand[0].timestamp, std::nullopt, "", {}});
  CHECK(hand[0].timestamp >= now_ms - 1000);
  CHECK(hand[0].timestamp <= now_ms + 60000);
  CHECK(hand[1] == PeerRecord{1, 1, 5, std::nullopt, "last", {}});
  CHECK(hand[2] ==
        PeerRecord{2, 0, 1234567890123, "\x00\xff"s, std::nullopt, {{"h", "1"}, {"h", "\xff"s}}});

  // To stdout: the records of the file as envelopes, timestamps kept.
  const auto printed =
      evt::test::cli::parse_envelopes(replay_ok(broker, {"--input", dir.file("src.jsonl")}));
  const auto original = evt::test::cli::parse_envelopes(dumped.out);
  REQUIRE(printed.size() == original.size());
  for (std::size_t i = 0; i < printed.size(); ++i) {
    INFO("line " << i + 1);
    PeerRecord expected = original[i].record;
    expected.offset = printed[i].record.offset;  // a file has no offsets to keep
    CHECK(printed[i].record == expected);
    CHECK(printed[i].topic == "src");
    CHECK(printed[i].timestamp_type == "create");
  }

  // Interrupted: the hint names the first line not written, and every line before it is there.
  std::string lines;
  for (int i = 1; i <= 40; ++i) {
    lines += R"({"partition":0,"value":"line )" + std::to_string(i) + "\"}\n";
  }
  dir.write("slow.jsonl", lines);
  Process slow(
      evt::test::cli::evt_argv(
          broker, {"replay", "--input", dir.file("slow.jsonl"), "--into", "slow", "--rate", "20"}),
      evt::test::cli::evt_env());
  std::this_thread::sleep_for(700ms);
  slow.signal(SIGINT);
  const ProcessResult stopped = slow.wait(15s);
  INFO(stopped.err);
  CHECK(stopped.exit_code == 130);
  const std::size_t hint = stopped.err.find("hint: first line not written: ");
  REQUIRE(hint != std::string::npos);
  const int first_unwritten = std::stoi(stopped.err.substr(hint + 30));
  CHECK(first_unwritten > 1);
  CHECK(first_unwritten < 40);
  CHECK_THAT(
      stopped.err,
      Catch::StartsWith("evt: error: interrupted after " + std::to_string(first_unwritten - 1) +
                        (first_unwritten == 2 ? " record\n" : " records\n")));
  const auto slow_copy = peer_read(broker, "slow");
  REQUIRE(slow_copy.size() == static_cast<std::size_t>(first_unwritten - 1));
  for (std::size_t i = 0; i < slow_copy.size(); ++i) {
    CHECK(slow_copy[i].value == "line " + std::to_string(i + 1));
  }

  // A bad line is a usage error naming it; a topic or range does not go with --input.
  dir.write("bad.jsonl", "{\"value\":\"ok\"}\n{\"value\":\"ok\"}\n{\"value\":{\"base64\":1}}\n");
  const ProcessResult bad = replay(broker, {"--input", dir.file("bad.jsonl")});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("bad.jsonl line 3"));
  CHECK(split_lines(bad.out).size() == 2);  // what came before it
  // --dry-run reads the whole file: what a run would copy, or the first bad line, and nothing
  // is written anywhere.
  dir.write("plan.jsonl",
            "{\"value\":\"a\",\"timestamp\":1700000005000}\n\n"
            "{\"value\":\"b\",\"timestamp\":1700000000000}\n{\"value\":null}\n");
  CHECK(replay_ok(broker, {"--input", dir.file("plan.jsonl"), "--into", "planned", "--dry-run"}) ==
        "replay of " + dir.file("plan.jsonl") +
            ": 3 records (lines 1 to 4), timestamps 2023-11-14T22:13:20.000Z to "
            "2023-11-14T22:13:25.000Z\n");
  // (Listing all topics does not make the local broker create one, as naming it would.)
  CHECK_THAT(evt::test::evt(broker, {"inspect", "topics", "-o", "names"}).out,
             !Catch::Contains("planned"));
  const ProcessResult bad_plan = replay(broker, {"--input", dir.file("bad.jsonl"), "--dry-run"});
  CHECK(bad_plan.exit_code == 2);
  CHECK(bad_plan.out.empty());
  CHECK_THAT(bad_plan.err, Catch::Contains("bad.jsonl line 3"));
  // Into a topic, every record before the bad line is delivered, as produce does (not a
  // prefix left to chance), or the transaction is aborted.
  std::string many_then_bad;
  for (int i = 0; i < 3000; ++i) {
    many_then_bad += R"({"value":"ok )" + std::to_string(i) + "\"}\n";
  }
  dir.write("late.jsonl", many_then_bad + "{\"value\":\n");
  const ProcessResult late = replay(broker, {"--input", dir.file("late.jsonl"), "--into", "late"});
  CHECK(late.exit_code == 2);
  CHECK_THAT(late.err,
             Catch::Contains("late.jsonl line 3001") &&
                 Catch::Contains("(3000 of the 3000 records before it were delivered)"));
  CHECK(peer_read(broker, "late").size() == 3000);
  // (The local broker writes no abort markers, so read_committed readers would still see the
  // aborted records: only what evt says can be checked here.)
  const ProcessResult aborted = replay(
      broker,
      {"--input", dir.file("late.jsonl"), "--into", "late-tx", "--transactional-id", "evt-late"});
  CHECK(aborted.exit_code == 2);
  CHECK_THAT(
      aborted.err,
      Catch::Contains("late.jsonl line 3001") && Catch::Contains("(the transaction was aborted)"));
  CHECK(replay(broker, {"src", "--input", dir.file("src.jsonl")}).exit_code == 2);
  CHECK(replay(broker, {"--input", dir.file("src.jsonl"), "--from", "1"}).exit_code == 2);
  CHECK(replay(broker, {"--input", dir.file("missing.jsonl")}).exit_code == 2);
}

TEST_CASE("replay: --speed keeps the gaps between records (merged by timestamp), --rate caps",
          "[cli][replay]") {
  LocalBroker broker({"paced:2", "many:1"});
  // Three records two seconds apart in all, across two partitions.
  peer_write(broker,
             "paced",
             {PeerWrite{"a", "first", {}, 0, k_base},
              PeerWrite{"b", "third", {}, 0, k_base + 2000},
              PeerWrite{"c", "second", {}, 1, k_base + 1000}});
  auto timed = [&](const std::vector<std::string>& args, std::string& out) {
    const auto start = std::chrono::steady_clock::now();
    out = replay_ok(broker, args);
    return evt::test::cli::seconds_since(start);
  };
  std::string out;
  const double fastest = timed({"paced", "--from", "beginning", "-f", "%v\\n"}, out);
  CHECK(sorted(split_lines(out)) == Lines{"first", "second", "third"});
  // 2 s of record time at speed 2: about 1 s more than as fast as possible.
  const double halved = timed({"paced", "--from", "beginning", "--speed", "2", "-f", "%v\\n"}, out);
  INFO("as fast as possible " << fastest << " s, --speed 2 " << halved << " s");
  CHECK(out == "first\nsecond\nthird\n");
  CHECK(halved - fastest > 0.8);
  CHECK(halved - fastest < 1.8);
  // A high speed still merges partitions by timestamp.
  timed({"paced", "--from", "beginning", "--speed", "1000", "-f", "%v\\n"}, out);
  CHECK(out == "first\nsecond\nthird\n");

  // --rate 20: ten records take 9/20 s more than unpaced.
  std::vector<PeerWrite> many;
  for (int i = 0; i < 10; ++i) {
    many.push_back(PeerWrite{std::nullopt, std::to_string(i), {}, 0, k_base});
  }
  peer_write(broker, "many", many);
  const double unpaced = timed({"many", "--from", "beginning", "-f", "%v\\n"}, out);
  const double capped = timed({"many", "--from", "beginning", "--rate", "20", "-f", "%v\\n"}, out);
  INFO("unpaced " << unpaced << " s, --rate 20 " << capped << " s");
  CHECK(out == "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n");
  CHECK(capped - unpaced > 0.35);
  CHECK(capped - unpaced < 1.3);
}

TEST_CASE("replay --into-brokers copies into another cluster", "[cli][replay]") {
  LocalBroker source({"src:3"});
  LocalBroker destination({"dst:3"});
  write_tricky(source, "src");
  fill(source, "src", 3, 5);
  CHECK(replay_ok(source,
                  {"src",
                   "--from",
                   "beginning",
                   "--into",
                   "dst",
                   "--into-brokers",
                   destination.bootstrap(),
                   "--keep-partition"})
            .empty());
  CHECK(peer_read(destination, "dst") == peer_read(source, "src"));
  // Nothing went to the source cluster (which would have created "dst" there). The kafka tier
  // has one cluster, where both topics live.
  if (!evt::test::RealKafka::get()) {
    CHECK(evt::test::evt(source, {"inspect", "topics", "-o", "names"}).out == "src\n");
  }

  CHECK(replay(source, {"src", "--from", "beginning", "--into-brokers", destination.bootstrap()})
            .exit_code == 2);
  CHECK(replay(source,
               {"src",
                "--from",
                "beginning",
                "--into",
                "dst",
                "--into-brokers",
                destination.bootstrap(),
                "--into-context",
                "other"})
            .exit_code == 2);
}

TEST_CASE("replay: SIGINT exits 130 with a resume point, resuming copies exactly the rest",
          "[cli][replay]") {
  LocalBroker broker({"src:3", "dst:3", "part:3"});
  fill(broker, "src", 3, 20);
  const auto source = peer_read(broker, "src");
  REQUIRE(source.size() == 60);

  Process slow(evt::test::cli::evt_argv(broker,
                                        {"replay",
                                         "src",
                                         "--from",
                                         "beginning",
                                         "--into",
                                         "dst",
                                         "--keep-partition",
                                         "--rate",
                                         "20"}),
               evt::test::cli::evt_env());
  std::this_thread::sleep_for(1200ms);
  const auto interrupted = std::chrono::steady_clock::now();
  slow.signal(SIGINT);
  const ProcessResult stopped = slow.wait(15s);
  INFO("stderr: " << stopped.err);
  CHECK(evt::test::cli::seconds_since(interrupted) < 3.0);
  CHECK(stopped.exit_code == 130);
  CHECK(stopped.out.empty());
  // The error first, then the hint that resumes.
  CHECK_THAT(stopped.err, Catch::StartsWith("evt: error: interrupted after "));
  CHECK_THAT(stopped.err, Catch::Contains("\nhint: resume with: evt replay src --from "));
  const std::vector<std::string> resume = resume_arguments(stopped.err, "src");
  // Per partition, the next offset to copy: everything before it is in dst, nothing after. A
  // partition already copied to its end is left out, and then the others are named with -p (an
  // unnamed partition would start over).
  const ResumeHint hint = parse_resume(resume);
  std::map<int, std::int64_t> next = hint.next;
  const std::set<int>& named = hint.named;
  // The same destination and options: the hint alone finishes the job.
  CHECK(hint.others ==
        std::vector<std::string>{"--into", "dst", "--keep-partition", "--rate", "20"});
  // The snapshot's end of each partition left (no --to was given).
  for (const auto& [partition, offset] : next) {
    CHECK(hint.to.at(partition) == "20");
  }
  REQUIRE_FALSE(next.empty());
  if (next.size() < 3) {
    std::set<int> resumed;
    for (const auto& [partition, offset] : next) {
      resumed.insert(partition);
    }
    CHECK(named == resumed);
  } else {
    CHECK(named.empty());
  }
  for (int p = 0; p < 3; ++p) {
    if (!next.count(p)) {
      next[p] = static_cast<std::int64_t>(in_partition(source, p).size());
    }
  }
  const auto partial = peer_read(broker, "dst");
  std::int64_t copied = 0;
  for (int p = 0; p < 3; ++p) {
    INFO("partition " << p << " resumes at " << next[p]);
    CHECK(in_partition(partial, p) == prefix(source, p, next[p]));
    copied += next[p];
  }
  CHECK(copied > 0);
  CHECK(copied < 60);
  CHECK_THAT(stopped.err,
             Catch::Contains("interrupted after " + std::to_string(copied) + " of 60 records"));

  // The printed arguments finish the job.
  std::vector<std::string> again = {"src"};
  again.insert(again.end(), hint.words.begin(), hint.words.end());
  CHECK(replay_ok(broker, again).empty());
  CHECK(peer_read(broker, "dst") == source);

  // With -p and --to, the printed resume point keeps to the original range.
  Process ranged(evt::test::cli::evt_argv(broker,
                                          {"replay",
                                           "src",
                                           "--from",
                                           "2",
                                           "--to",
                                           "15",
                                           "-p",
                                           "0",
                                           "-p",
                                           "2",
                                           "--into",
                                           "part",
                                           "--keep-partition",
                                           "--rate",
                                           "20"}),
                 evt::test::cli::evt_env());
  std::this_thread::sleep_for(700ms);
  ranged.signal(SIGINT);
  const ProcessResult ranged_stop = ranged.wait(15s);
  INFO("stderr: " << ranged_stop.err);
  CHECK(ranged_stop.exit_code == 130);
  std::vector<std::string> rest = {"src"};
  const auto ranged_resume = resume_arguments(ranged_stop.err, "src");
  REQUIRE_FALSE(ranged_resume.empty());
  const ResumeHint ranged_hint = parse_resume(ranged_resume);
  CHECK(ranged_hint.others ==
        std::vector<std::string>{"--into", "part", "--keep-partition", "--rate", "20"});
  rest.insert(rest.end(), ranged_hint.words.begin(), ranged_hint.words.end());
  CHECK(replay_ok(broker, rest).empty());
  const auto part = peer_read(broker, "part");
  CHECK(in_partition(part, 1).empty());
  for (int p : {0, 2}) {
    std::vector<PeerRecord> wanted;
    for (const auto& record : in_partition(source, p)) {
      if (record.offset >= 2 && record.offset < 15) {
        wanted.push_back(record);
      }
    }
    CHECK(without_offsets(in_partition(part, p)) == without_offsets(wanted));
  }
}

TEST_CASE(
    "replay --into: a record the destination refuses exits 1 with the count and where to "
    "resume",
    "[cli][replay]") {
  LocalBroker broker({"refsrc:1", "refdst:1"});
  RunOptions records;
  records.stdin_data = "a\n" + std::string(2000, 'x') + "\nc\n";
  REQUIRE(evt::test::evt(broker, {"produce", "refsrc"}, records).exit_code == 0);
  // message.max.bytes=1000 on this run: the 2000-byte record cannot be produced.
  const ProcessResult result = evt::test::evt(broker,
                                              {"replay",
                                               "refsrc",
                                               "--from",
                                               "beginning",
                                               "--into",
                                               "refdst",
                                               "-X",
                                               "message.max.bytes=1000"});
  INFO("stderr: " << result.err);
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains("1 of 3 records not delivered"));
  CHECK_THAT(result.err, Catch::Contains("resume with"));
}

TEST_CASE(
    "replay: a range partly deleted by retention copies what is left and says how much is "
    "missing",
    "[cli][replay][mock-only]") {
  LocalBroker broker({"gone:1", "kept:4"});  // room for the copy without trimming
  // The local broker keeps 5 MiB per partition: 8 MB of records trims the oldest.
  const ProcessResult filled = evt::test::cli::shell(
      broker, "yes " + std::string(99, 'r') + " | head -n 80000 | $EVT produce gone -b $B");
  REQUIRE(filled.exit_code == 0);
  const ProcessResult plan = evt::test::evt(broker, {"replay", "gone", "--from", "0", "--dry-run"});
  INFO("stderr: " << plan.err);
  CHECK(plan.exit_code == 0);
  CHECK_THAT(plan.err, Catch::Contains("records of the range were already deleted by retention"));
  const ProcessResult copied =
      evt::test::evt(broker, {"replay", "gone", "--from", "0", "--into", "kept"});
  INFO("stderr: " << copied.err);
  CHECK(copied.exit_code == 0);
  CHECK_THAT(copied.err, Catch::Contains("records of the range were already deleted by retention"));
  const auto source = peer_read(broker, "gone");
  const auto copy = peer_read(broker, "kept");
  CHECK(copy.size() == source.size());
  CHECK(source.size() < 80000);
}
