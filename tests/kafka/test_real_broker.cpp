// SPDX-License-Identifier: MIT
// The kafka tier's real-broker-only tests ([kafka-only]): what librdkafka's mock cannot host —
// time lookups by ListOffsets, topic configs, groups described by the broker, transaction
// markers, compaction, deleted log prefixes, SASL, ACLs, TLS, a missing topic with auto-create
// off, the broker's own size limit, Kafka 4's protocol floor and its KIP-848 groups. Each is
// checked with an independent client (tests/kafka/kclient.py: confluent-kafka 2.x with its own
// librdkafka) against the one Apache Kafka that scripts/kafka.sh started for the tier.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/cli/cli_support.hpp"
#include "tests/support/process.hpp"

namespace {

using namespace std::chrono_literals;
using evt::test::LocalBroker;
using evt::test::Process;
using evt::test::ProcessResult;
using evt::test::RealKafka;
using evt::test::RunOptions;
using evt::test::cli::evt_raw;
using evt::test::cli::input;
using evt::test::cli::Json;
using evt::test::cli::parse_json;
using evt::test::cli::peer_read;
using evt::test::cli::peer_write;
using evt::test::cli::PeerWrite;
using evt::test::cli::split_lines;
using evt::test::cli::strings;
using evt::test::cli::values_of;

using Lines = std::vector<std::string>;

// 2023-11-14T22:13:20Z.
constexpr std::int64_t k_base = 1700000000000;

const RealKafka& kafka() {
  const RealKafka* k = RealKafka::get();
  REQUIRE(k != nullptr);  // [kafka-only] tests run only in the kafka tier
  return *k;
}

std::string kclient_script() {
  return evt::test::source_dir() + "/tests/kafka/kclient.py";
}

// tests/kafka/kclient.py CMD BROKERS ARGS...; requires exit 0 and returns stdout.
std::string kclient(const std::string& command, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {
      kafka().python(), kclient_script(), command, kafka().bootstrap()};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions options;
  options.timeout = 90s;
  const ProcessResult result = evt::test::run(argv, options);
  INFO("kclient.py " << command << ": exit " << result.exit_code << "\nstderr: " << result.err);
  REQUIRE_FALSE(result.timed_out);
  REQUIRE(result.exit_code == 0);
  return result.out;
}

// The values kclient.py reads with the given isolation level.
std::vector<std::string> kclient_values(const std::string& topic, const std::string& isolation) {
  std::vector<std::string> values;
  for (const std::string& line : split_lines(kclient("read", {topic, isolation}))) {
    const Json json = parse_json(line);
    values.push_back(json["value"].is_null() ? "<null>" : json["value"].str());
  }
  return values;
}

// evt ARGS against the PLAINTEXT listener.
ProcessResult evt_on(const std::vector<std::string>& args,
                     const std::string& stdin_data = "",
                     std::chrono::milliseconds timeout = 60s) {
  std::vector<std::string> argv = args;
  argv.insert(argv.end(), {"-b", kafka().bootstrap()});
  RunOptions options;
  options.stdin_data = stdin_data;
  options.timeout = timeout;
  return evt_raw(argv, options);
}

ProcessResult evt_ok(const std::vector<std::string>& args, const std::string& stdin_data = "") {
  const ProcessResult result = evt_on(args, stdin_data);
  INFO("evt " << Catch::StringMaker<std::vector<std::string>>::convert(args) << ": exit "
              << result.exit_code << "\nstderr: " << result.err);
  REQUIRE_FALSE(result.timed_out);
  REQUIRE(result.exit_code == 0);
  return result;
}

PeerWrite at(std::int32_t partition, std::int64_t timestamp, std::string value) {
  PeerWrite write;
  write.partition = partition;
  write.timestamp = timestamp;
  write.value = std::move(value);
  return write;
}

}  // namespace

TEST_CASE("kafka: @TIME and inspect offsets --at are answered by the broker's ListOffsets",
          "[kafka-only][compat]") {
  LocalBroker broker({"k-times:2"});
  // Partition 0 at base+0s..4s, partition 1 at base+0.5s..4.5s.
  std::vector<PeerWrite> written;
  for (int i = 0; i < 5; ++i) {
    written.push_back(at(0, k_base + i * 1000, "p0-" + std::to_string(i)));
    written.push_back(at(1, k_base + 500 + i * 1000, "p1-" + std::to_string(i)));
  }
  peer_write(broker, "k-times", written);
  const std::string when = std::to_string(k_base + 2000);

  // The independent client's ListOffsets: offset 2 in both partitions.
  const Json expected = parse_json(kclient("offsets-for", {"k-times", when}));
  CHECK(expected["0"].integer() == 2);
  CHECK(expected["1"].integer() == 2);

  const ProcessResult offsets =
      evt_ok({"inspect", "offsets", "k-times", "--at", when, "-o", "json", "-v"});
  INFO(offsets.out);
  // Answered by the broker, not by evt's fallback that reads record timestamps.
  CHECK_THAT(offsets.err, !Catch::Contains("could not answer a time query"));
  const Json json = parse_json(offsets.out);
  std::map<std::int64_t, std::int64_t> found;
  for (const Json& row : json["partitions"].items) {
    found[row["partition"].integer()] = row["offset"].integer();
  }
  CHECK(found == std::map<std::int64_t, std::int64_t>{{0, 2}, {1, 2}});

  // The same answer drives consume -o @TIME (and so replay --from @TIME).
  const ProcessResult consumed =
      evt_ok({"consume", "k-times", "-o", "@" + when, "-e", "-f", "value", "-v"});
  CHECK_THAT(consumed.err, !Catch::Contains("could not answer a time query"));
  std::multiset<std::string> values;
  for (const std::string& line : split_lines(consumed.out)) {
    values.insert(line);
  }
  CHECK(values == std::multiset<std::string>{"p0-2", "p0-3", "p0-4", "p1-2", "p1-3", "p1-4"});

  // After the newest record: nothing to read, exit 0 at once.
  const ProcessResult after =
      evt_ok({"consume", "k-times", "-o", "@" + std::to_string(k_base + 10'000), "-e"});
  CHECK(after.out.empty());
}

TEST_CASE("kafka: inspect topic shows the topic's configs from DescribeConfigs", "[kafka-only]") {
  LocalBroker broker({"k-configs:2"});  // deleted at the end, like every test's topics
  kclient("create", {"k-configs", "2", "cleanup.policy=compact", "retention.ms=4242000"});
  const ProcessResult table = evt_ok({"inspect", "topic", "k-configs"});
  INFO(table.out);
  CHECK_THAT(table.out, Catch::Contains("cleanup.policy"));
  CHECK_THAT(table.out, Catch::Contains("compact"));
  CHECK_THAT(table.out, Catch::Contains("4242000"));
  CHECK_THAT(table.err, !Catch::Contains("does not support"));
  const ProcessResult json = evt_ok({"inspect", "topic", "k-configs", "-o", "json"});
  INFO(json.out);
  const Json parsed = parse_json(json.out);
  REQUIRE(parsed.has("configs"));
  CHECK_FALSE(parsed.has("configs_error"));
  CHECK(parsed["configs"]["cleanup.policy"].str() == "compact");
  CHECK(parsed["configs"]["retention.ms"].str() == "4242000");
}

TEST_CASE("kafka: inspect groups and inspect group describe a classic group of another client",
          "[kafka-only][compat]") {
  LocalBroker broker({"k-classic:1"});  // one partition: what is read is committed
  std::vector<PeerWrite> written;
  for (int i = 0; i < 10; ++i) {
    written.push_back(at(0, k_base + i, "v" + std::to_string(i)));
  }
  peer_write(broker, "k-classic", written);
  // A member that read and committed 4 records, and stays in the group.
  Process member({kafka().python(),
                  kclient_script(),
                  "join",
                  kafka().bootstrap(),
                  "k-classic-group",
                  "k-classic",
                  "classic",
                  "4"});
  REQUIRE(member.read_lines(1, 60s) == "ready\n");

  const ProcessResult listed = evt_ok({"inspect", "groups", "-o", "json"});
  INFO(listed.out);
  const Json groups = parse_json(listed.out);
  const Json* row = nullptr;
  for (const Json& g : groups["groups"].items) {
    if (g["group"].str() == "k-classic-group") {
      row = &g;
    }
  }
  REQUIRE(row != nullptr);
  CHECK((*row)["state"].str() == "Stable");
  CHECK((*row)["members"].integer() == 1);
  CHECK((*row)["protocol"].str() == "range");

  const ProcessResult described = evt_ok({"inspect", "group", "k-classic-group", "-o", "json"});
  INFO(described.out);
  const Json group = parse_json(described.out);
  CHECK(group["state"].str() == "Stable");
  CHECK(group["members"].items.size() == 1);
  std::int64_t committed = 0;
  for (const Json& p : group["partitions"].items) {
    CHECK(p["topic"].str() == "k-classic");
    CHECK(p["high"].integer() == 10);
    committed += p["committed"].integer();
  }
  CHECK(committed == 4);
  CHECK(group["total_lag"].integer() == 6);
  member.close_stdin();
  member.wait(30s);
}

TEST_CASE(
    "kafka: --transactional-id: a read_committed reader sees committed records once, "
    "aborted ones never",
    "[kafka-only][compat]") {
  LocalBroker broker({"k-tx:1"});
  evt_ok({"produce", "k-tx", "--transactional-id", "k-tx-id"}, "a\nb\n");
  // Aborted: the bad second line aborts the transaction after "x" was sent.
  const ProcessResult aborted =
      evt_on({"produce", "k-tx", "-f", "json", "--transactional-id", "k-tx-id"},
             "{\"value\":\"x\"}\nnot json\n");
  INFO(aborted.err);
  CHECK(aborted.exit_code == 2);
  CHECK_THAT(aborted.err, Catch::Contains("aborted"));
  evt_ok({"produce", "k-tx", "--transactional-id", "k-tx-id"}, "c\n");
  CHECK(kclient_values("k-tx", "read_committed") == Lines{"a", "b", "c"});
  // A read_uncommitted reader sees the aborted record too, exactly once (no retry duplicates).
  CHECK(kclient_values("k-tx", "read_uncommitted") == Lines{"a", "b", "x", "c"});
}

TEST_CASE("kafka: idempotent produce writes each record once, in order", "[kafka-only]") {
  LocalBroker broker({"k-idem:1"});
  std::string lines;
  for (int i = 0; i < 2000; ++i) {
    lines += "r" + std::to_string(i) + "\n";
  }
  evt_ok({"produce", "k-idem"}, lines);  // idempotence is evt's default
  const auto values = kclient_values("k-idem", "read_uncommitted");
  REQUIRE(values.size() == 2000);
  for (int i = 0; i < 2000; ++i) {
    CHECK(values[static_cast<std::size_t>(i)] == "r" + std::to_string(i));
  }
}

TEST_CASE("kafka: consume reads committed data only when asked", "[kafka-only]") {
  LocalBroker broker({"k-iso:1"});
  // c1 c2 committed, a1 a2 aborted, c3 committed (then its commit marker ends the partition).
  kclient("txn", {"k-iso", "k-iso-id"});
  const ProcessResult all = evt_ok({"consume", "k-iso", "-e", "-f", "value"});
  CHECK(split_lines(all.out) == Lines{"c1", "c2", "a1", "a2", "c3"});
  const ProcessResult committed =
      evt_ok({"consume", "k-iso", "-e", "-f", "value", "-X", "isolation.level=read_committed"});
  CHECK(split_lines(committed.out) == Lines{"c1", "c2", "c3"});
  // replay copies committed records only (its default), and ends at the final marker.
  const ProcessResult replayed = evt_ok({"replay", "k-iso", "--from", "beginning", "-f", "value"});
  CHECK(split_lines(replayed.out) == Lines{"c1", "c2", "c3"});
}

TEST_CASE("kafka: a compacted topic keeps its tombstones through consume -f json and replay",
          "[kafka-only]") {
  LocalBroker broker({"k-compact-copy:1", "k-compact:1"});
  kclient("create",
          {"k-compact",
           "1",
           "cleanup.policy=compact",
           "segment.ms=100",
           "min.cleanable.dirty.ratio=0.01",
           "delete.retention.ms=86400000"});
  evt_ok({"produce", "k-compact", "-K", ":", "--null-empty"}, "k1:v1\nk2:v1\nk1:v2\nk2:\n");
  std::this_thread::sleep_for(300ms);  // past segment.ms: the next record rolls the segment
  evt_ok({"produce", "k-compact", "-K", ":"}, "k3:v1\n");
  kclient("compacted", {"k-compact"});  // k1:v1 and k2:v1 are gone, the tombstone stays

  const ProcessResult consumed = evt_ok({"consume", "k-compact", "-e", "-f", "json"});
  INFO(consumed.out);
  const auto envelopes = evt::test::cli::parse_envelopes(consumed.out);
  REQUIRE(envelopes.size() == 3);
  CHECK(envelopes[0].record.key == evt::test::cli::Bytes("k1"));
  CHECK(envelopes[0].record.value == evt::test::cli::Bytes("v2"));
  CHECK(envelopes[1].record.key == evt::test::cli::Bytes("k2"));
  CHECK_FALSE(envelopes[1].record.value.has_value());  // null, not ""
  CHECK(envelopes[1].record.offset == 3);
  CHECK_THAT(consumed.out, Catch::Contains("\"key\":\"k2\",\"value\":null"));

  evt_ok({"replay", "k-compact", "--from", "beginning", "--into", "k-compact-copy"});
  const auto copied = peer_read(broker, "k-compact-copy");
  REQUIRE(copied.size() == 3);
  CHECK(copied[1].key == evt::test::cli::Bytes("k2"));
  CHECK_FALSE(copied[1].value.has_value());
  CHECK(values_of(copied)[2] == evt::test::cli::Bytes("v1"));
}

TEST_CASE("kafka: consuming from an offset the log no longer has says so and goes on",
          "[kafka-only]") {
  LocalBroker broker({"k-trimmed:1"});
  std::string lines;
  for (int i = 0; i < 10; ++i) {
    lines += "r" + std::to_string(i) + "\n";
  }
  evt_ok({"produce", "k-trimmed"}, lines);
  // The log start moves to 6, as retention moves it when it deletes a segment.
  kclient("delete-records", {"k-trimmed", "0", "6"});
  const ProcessResult consumed = evt_on({"consume", "k-trimmed", "-o", "2", "-e", "-f", "value"});
  INFO(consumed.err);
  CHECK(consumed.exit_code == 0);
  CHECK(split_lines(consumed.out) == Lines{"r6", "r7", "r8", "r9"});
  CHECK(consumed.err ==
        "evt: warning: k-trimmed/0: 4 requested records were already deleted by retention; "
        "starting at offset 6\n");
}

TEST_CASE("kafka: produce and consume to a missing topic exit 5 (auto-create is off)",
          "[kafka-only][compat]") {
  LocalBroker broker;
  const ProcessResult produced = evt_on({"produce", "k-missing-topic"}, "a\n", 30s);
  INFO(produced.err);
  CHECK(produced.exit_code == 5);
  CHECK_THAT(produced.err, Catch::Contains("k-missing-topic"));
  const ProcessResult consumed = evt_on({"consume", "k-missing-topic", "-e"}, "", 30s);
  INFO(consumed.err);
  CHECK(consumed.exit_code == 5);
  CHECK_THAT(consumed.err, Catch::Contains("k-missing-topic"));
  // Still missing: neither created it.
  const ProcessResult listed = evt_ok({"inspect", "topics", "-o", "names"});
  CHECK_THAT(listed.out, !Catch::Contains("k-missing-topic"));
}

TEST_CASE("kafka: records above the broker's max.message.bytes exit 1 with the true count",
          "[kafka-only]") {
  LocalBroker broker({"k-limit:1"});
  kclient("create", {"k-limit", "1", "max.message.bytes=100000"});
  const std::string big(150'000, 'x');
  // One record per request, so that each big record alone is refused (librdkafka's own limit
  // raised above the broker's, so the broker is the one that says no).
  const ProcessResult produced = evt_on(
      {"produce", "k-limit", "-X", "batch.num.messages=1", "-X", "message.max.bytes=2000000"},
      "s1\n" + big + "\ns2\n" + big + "\ns3\n");
  INFO(produced.err);
  CHECK(produced.exit_code == 1);
  CHECK_THAT(produced.err, Catch::Contains("2 of 5 records not delivered"));
  CHECK(kclient_values("k-limit", "read_uncommitted") == Lines{"s1", "s2", "s3"});
}

namespace {

// -X flags for the SASL_PLAINTEXT listener.
std::vector<std::string> sasl(const std::string& mechanism,
                              const std::string& user,
                              const std::string& password) {
  return {"-b",
          kafka().at("KAFKA_SASL_PLAINTEXT"),
          "-X",
          "security.protocol=SASL_PLAINTEXT",
          "-X",
          "sasl.mechanism=" + mechanism,
          "-X",
          "sasl.username=" + user,
          "-X",
          "sasl.password=" + password};
}

ProcessResult evt_as(std::vector<std::string> args,
                     const std::vector<std::string>& connection,
                     const std::string& stdin_data = "") {
  args.insert(args.end(), connection.begin(), connection.end());
  RunOptions options;
  options.stdin_data = stdin_data;
  options.timeout = 60s;
  return evt_raw(args, options);
}

}  // namespace

TEST_CASE(
    "kafka: SASL PLAIN and SCRAM-SHA-512 log in (SCRAM only before Kafka 4), a wrong password "
    "exits 4 naming the mechanism and the broker, never the password",
    "[kafka-only][compat]") {
  LocalBroker broker({"k-sasl:1"});
  const std::string admin = kafka().at("KAFKA_ADMIN_USER");
  const std::string password = kafka().at("KAFKA_ADMIN_PASSWORD");
  // librdkafka 2.0.2's SCRAM repeats the client nonce, which Kafka 4 checks (librdkafka#4895,
  // fixed in 2.6.1): there every SCRAM login fails, and evt must say why.
  const bool kafka4 = kafka().at("KAFKA_VERSION").starts_with("4.");
  for (const std::string mechanism : {"PLAIN", "SCRAM-SHA-512"}) {
    SECTION(mechanism) {
      const bool logs_in = mechanism == "PLAIN" || !kafka4;
      const ProcessResult produced =
          evt_as({"produce", "k-sasl"}, sasl(mechanism, admin, password), mechanism + "\n");
      INFO(produced.err);
      if (logs_in) {
        CHECK(produced.exit_code == 0);
        const ProcessResult consumed =
            evt_as({"consume", "k-sasl", "-e", "-f", "value"}, sasl(mechanism, admin, password));
        CHECK(consumed.exit_code == 0);
        CHECK(consumed.out == mechanism + "\n");
      } else {
        CHECK(produced.exit_code == 4);
        CHECK_THAT(produced.err, Catch::Contains("librdkafka 2.6.1"));
      }

      const std::string wrong = "not-the-password-" + mechanism;
      for (const std::vector<std::string>& command :
           {std::vector<std::string>{"produce", "k-sasl"},
            std::vector<std::string>{"consume", "k-sasl", "-e"},
            std::vector<std::string>{"inspect", "topics"}}) {
        const ProcessResult refused = evt_as(command, sasl(mechanism, admin, wrong), "x\n");
        INFO(command[0] << ": " << refused.err);
        CHECK(refused.exit_code == 4);
        CHECK_THAT(refused.err, Catch::Contains("SASL mechanism " + mechanism));
        CHECK_THAT(refused.err, Catch::Contains(kafka().at("KAFKA_SASL_PLAINTEXT")));
        CHECK_THAT(refused.err + refused.out, !Catch::Contains(wrong));
      }
      // Nothing was written by the refused producers.
      CHECK(values_of(peer_read(broker, "k-sasl")) ==
            (logs_in ? strings({mechanism.c_str()}) : strings({})));
    }
  }
}

TEST_CASE("kafka: an ACL denial exits 4 naming the topic or the group", "[kafka-only]") {
  LocalBroker broker({"k-acl-secret:1", "acl-ok-k-topic:1"});
  // PLAIN: Kafka 4 refuses librdkafka 2.0.2's SCRAM (see the SASL test).
  const auto alice = sasl("PLAIN", kafka().at("KAFKA_USER"), kafka().at("KAFKA_USER_PASSWORD"));
  // alice may use acl-ok-* topics and groups: the allowed path works.
  CHECK(evt_as({"produce", "acl-ok-k-topic"}, alice, "mine\n").exit_code == 0);
  const ProcessResult allowed =
      evt_as({"consume", "acl-ok-k-topic", "-g", "acl-ok-k-group", "-e", "-f", "value"}, alice);
  INFO(allowed.err);
  CHECK(allowed.exit_code == 0);
  CHECK(allowed.out == "mine\n");

  const ProcessResult write_denied = evt_as({"produce", "k-acl-secret"}, alice, "nope\n");
  INFO(write_denied.err);
  CHECK(write_denied.exit_code == 4);
  CHECK_THAT(write_denied.err, Catch::Contains("k-acl-secret"));
  const ProcessResult read_denied = evt_as({"consume", "k-acl-secret", "-e"}, alice);
  INFO(read_denied.err);
  CHECK(read_denied.exit_code == 4);
  CHECK_THAT(read_denied.err, Catch::Contains("k-acl-secret"));
  const ProcessResult group_denied =
      evt_as({"consume", "acl-ok-k-topic", "-g", "k-denied-group", "-e"}, alice);
  INFO(group_denied.err);
  CHECK(group_denied.exit_code == 4);
  CHECK_THAT(group_denied.err, Catch::Contains("k-denied-group"));
  CHECK(peer_read(broker, "k-acl-secret").empty());
}

TEST_CASE("kafka: TLS with the broker's CA works, another CA exits 4 or 3 naming the certificate",
          "[kafka-only]") {
  LocalBroker broker({"k-tls:1"});
  const auto tls = [](const std::string& ca) {
    return std::vector<std::string>{"-b",
                                    kafka().at("KAFKA_SSL"),
                                    "-X",
                                    "security.protocol=SSL",
                                    "-X",
                                    "ssl.ca.location=" + ca};
  };
  const ProcessResult produced = evt_as({"produce", "k-tls"}, tls(kafka().at("KAFKA_CA")), "t\n");
  INFO(produced.err);
  CHECK(produced.exit_code == 0);
  const ProcessResult consumed =
      evt_as({"consume", "k-tls", "-e", "-f", "value"}, tls(kafka().at("KAFKA_CA")));
  CHECK(consumed.out == "t\n");

  const ProcessResult refused =
      evt_as({"consume", "k-tls", "-e"}, tls(kafka().at("KAFKA_OTHER_CA")));
  INFO(refused.err);
  CHECK((refused.exit_code == 4 || refused.exit_code == 3));
  CHECK_THAT(refused.err, Catch::Contains("certificate"));
  CHECK(values_of(peer_read(broker, "k-tls")) == strings({"t"}));
}

TEST_CASE(
    "kafka: a KIP-848 consumer group is shown live with its offsets and lag, and evt says "
    "what it cannot show",
    "[kafka-only]") {
  LocalBroker broker({"k-848:1"});  // one partition: what is read is committed
  std::vector<PeerWrite> written;
  for (int i = 0; i < 10; ++i) {
    written.push_back(at(0, k_base + i, "v" + std::to_string(i)));
  }
  peer_write(broker, "k-848", written);
  // group.protocol=consumer: the new protocol (KIP-848), which classic DescribeGroups calls Dead.
  Process member({kafka().python(),
                  kclient_script(),
                  "join",
                  kafka().bootstrap(),
                  "k-848-group",
                  "k-848",
                  "consumer",
                  "4"});
  REQUIRE(member.read_lines(1, 60s) == "ready\n");
  // The independent client's ConsumerGroupDescribe: a live consumer group with one member.
  const Json truth = parse_json(kclient("describe", {"k-848-group"}));
  CHECK(truth["type"].str() == "ConsumerGroupType.CONSUMER");
  CHECK(truth["state"].str() == "ConsumerGroupState.STABLE");

  const ProcessResult listed = evt_ok({"inspect", "groups", "-o", "json"});
  INFO(listed.out);
  const Json* row = nullptr;
  const Json groups = parse_json(listed.out);
  for (const Json& g : groups["groups"].items) {
    if (g["group"].str() == "k-848-group") {
      row = &g;
    }
  }
  REQUIRE(row != nullptr);
  CHECK((*row)["state"].str() == "Stable");
  CHECK((*row)["type"].str() == "consumer");
  CHECK((*row)["members"].is_null());  // unknown, not 0

  const ProcessResult described = evt_ok({"inspect", "group", "k-848-group", "-o", "json"});
  INFO(described.out);
  const Json group = parse_json(described.out);
  CHECK(group["state"].str() == "Stable");
  CHECK(group["type"].str() == "consumer");
  CHECK(group["members"].is_null());
  CHECK_THAT(group["members_note"].str(), Catch::Contains("ConsumerGroupDescribe"));
  std::int64_t committed = 0;
  for (const Json& p : group["partitions"].items) {
    committed += p["committed"].integer();
  }
  CHECK(committed == 4);
  CHECK(group["total_lag"].integer() == 6);

  const ProcessResult table = evt_ok({"inspect", "group", "k-848-group"});
  INFO(table.out);
  CHECK_THAT(table.out, Catch::StartsWith("group k-848-group: Stable, KIP-848 consumer group"));
  CHECK_THAT(table.out, !Catch::Contains("Dead"));
  member.close_stdin();
  member.wait(30s);
}

TEST_CASE("kafka: -z gzip, snappy, lz4 and zstd are compressed on disk, and read back",
          "[kafka-only][compat]") {
  std::string lines;
  for (int i = 0; i < 1000; ++i) {
    lines += "compressible record number " + std::to_string(i) + "\n";
  }
  for (const std::string codec : {"gzip", "snappy", "lz4", "zstd"}) {
    SECTION(codec) {
      const std::string topic = "k-z-" + codec;
      LocalBroker broker({topic + ":1"});
      const ProcessResult produced = evt_ok({"produce", topic, "-z", codec}, lines);
      // Kafka 4 still lists Produce v0 among its versions (KAFKA-18659), which is how
      // librdkafka 2.0.2 decides it may compress: no warning here.
      CHECK_THAT(produced.err, !Catch::Contains("uncompressed"));
      // The batches on disk, as Kafka's own DumpLogSegments reads them.
      const std::string segment =
          kafka().at("KAFKA_DIR") + "/data/" + topic + "-0/00000000000000000000.log";
      RunOptions options;
      options.timeout = 60s;
      const ProcessResult dumped = evt::test::run({evt::test::source_dir() + "/scripts/kafka.sh",
                                                   "java",
                                                   "org.apache.kafka.tools.DumpLogSegments",
                                                   "--files",
                                                   segment},
                                                  options);
      INFO(dumped.err);
      REQUIRE(dumped.exit_code == 0);
      std::size_t batches = 0;
      std::size_t compressed = 0;
      for (const std::string& line : split_lines(dumped.out)) {
        if (line.find("baseOffset:") != std::string::npos) {
          ++batches;
          compressed += line.find("compresscodec: " + codec) != std::string::npos ? 1 : 0;
        }
      }
      CHECK(batches >= 1);
      CHECK(compressed == batches);
      const ProcessResult consumed = evt_ok({"consume", topic, "-e"});
      CHECK(consumed.out == lines);
    }
  }
}

TEST_CASE("kafka: inspect shows the cluster: its broker, controller and racks", "[kafka-only]") {
  LocalBroker broker({"k-cluster:3"});
  const ProcessResult table = evt_ok({"inspect"});
  INFO(table.out << table.err);
  const Lines lines = split_lines(table.out);
  REQUIRE(lines.size() == 6);
  CHECK(lines[1] == "controller  1");
  const std::string port = kafka().bootstrap().substr(kafka().bootstrap().find(':') + 1);
  std::vector<std::string> words;
  std::istringstream row(lines[5]);
  for (std::string word; row >> word;) {
    words.push_back(word);
  }
  CHECK(words == Lines{"1", "127.0.0.1", port, "-"});  // no broker.rack set
  const ProcessResult json = evt_ok({"inspect", "-o", "json"});
  const Json parsed = parse_json(json.out);
  CHECK(parsed["controller"].integer() == 1);
  REQUIRE(parsed["brokers"].items.size() == 1);
  CHECK(parsed["brokers"].items[0]["rack"].is_null());
  CHECK_FALSE(parsed.has("racks_error"));  // DescribeConfigs answered
}
