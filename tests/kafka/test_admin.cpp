// SPDX-License-Identifier: MIT
// `evt topic` and `evt group` against a real Apache Kafka (the local broker cannot create,
// delete or describe), every verb and every refusal, checked with an independent client
// (tests/kafka/admin_peer.py: Debian's confluent-kafka 1.7).
//
// Tagged [kafka-only] for the kafka tier of scripts/kafka.sh, whose state file (EVT_TEST_KAFKA)
// they read; without it, the EVT_KAFKA_* variables below name the cluster.
//
// The cluster: EVT_KAFKA_BOOTSTRAP, a listener whose principal may do everything (PLAINTEXT as
// a super user). The refusals for lack of rights use EVT_KAFKA_SASL_BOOTSTRAP with
// EVT_KAFKA_SASL_USER / EVT_KAFKA_SASL_PASSWORD, a SASL/PLAIN principal without any ACL. The
// KIP-848 member runs Kafka's console consumer from the jars on EVT_KAFKA_CLASSPATH.
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "tests/cli/cli_support.hpp"
#include "tests/support/process.hpp"
#include <unistd.h>

namespace {

using evt::test::ProcessResult;
using evt::test::RunOptions;
using evt::test::cli::Json;
using evt::test::cli::parse_json;

// scripts/kafka.sh's state file (KEY=VALUE lines), when EVT_TEST_KAFKA names one.
const std::map<std::string, std::string>& kafka_state() {
  static const std::map<std::string, std::string> state = [] {
    std::map<std::string, std::string> values;
    if (const char* path = std::getenv("EVT_TEST_KAFKA")) {
      std::ifstream in(path);
      for (std::string line; std::getline(in, line);) {
        const std::size_t equals = line.find('=');
        if (equals != std::string::npos) {
          values[line.substr(0, equals)] = line.substr(equals + 1);
        }
      }
    }
    return values;
  }();
  return state;
}

// A setting of the real Kafka: from kafka.sh's state file (`state_key`), else the environment.
std::string env_or_fail(const char* name, const char* state_key = nullptr) {
  if (state_key) {
    if (auto found = kafka_state().find(state_key); found != kafka_state().end()) {
      return found->second;
    }
  }
  const char* value = std::getenv(name);
  INFO(name << " (or " << (state_key ? state_key : "-")
            << " in the state file EVT_TEST_KAFKA names) tells these tests about the real Kafka "
               "they run against (scripts/kafka.sh start)");
  REQUIRE(value != nullptr);
  REQUIRE(*value != '\0');
  return value;
}

std::string bootstrap() {
  return env_or_fail("EVT_KAFKA_BOOTSTRAP", "KAFKA_PLAINTEXT");
}

// A name no other test run uses.
std::string unique(const std::string& base) {
  static std::atomic<int> counter{0};
  return fmt::format("{}-{}-{}", base, ::getpid(), counter++);
}

ProcessResult run_evt(const std::vector<std::string>& args, const RunOptions& options = {}) {
  std::vector<std::string> argv = args;
  argv.push_back("-b");
  argv.push_back(bootstrap());
  return evt::test::cli::evt_raw(argv, options);
}

// The same as a principal without any ACL.
ProcessResult evt_unauthorized(const std::vector<std::string>& args) {
  std::vector<std::string> argv = args;
  for (const std::string& item :
       {std::string("-b"),
        env_or_fail("EVT_KAFKA_SASL_BOOTSTRAP", "KAFKA_SASL_PLAINTEXT"),
        std::string("-X"),
        std::string("security.protocol=SASL_PLAINTEXT"),
        std::string("-X"),
        std::string("sasl.mechanism=PLAIN"),
        std::string("-X"),
        "sasl.username=" + env_or_fail("EVT_KAFKA_SASL_USER", "KAFKA_USER"),
        std::string("-X"),
        "sasl.password=" + env_or_fail("EVT_KAFKA_SASL_PASSWORD", "KAFKA_USER_PASSWORD")}) {
    argv.push_back(item);
  }
  return evt::test::cli::evt_raw(argv);
}

std::string peer_script() {
  return evt::test::source_dir() + "/tests/kafka/admin_peer.py";
}

Json peer(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {evt::test::debian_python(), peer_script(), args[0], bootstrap()};
  argv.insert(argv.end(), args.begin() + 1, args.end());
  const ProcessResult result = evt::test::run(argv);
  INFO("admin_peer.py " << args[0] << ":\n" << result.out << result.err);
  REQUIRE(result.exit_code == 0);
  return parse_json(result.out);
}

void create_topic(const std::string& topic, int partitions) {
  peer({"create", topic, std::to_string(partitions)});
}

void produce(const std::string& topic, int partition, int count, std::int64_t timestamp = 0) {
  std::vector<std::string> args = {
      "produce", topic, std::to_string(partition), std::to_string(count)};
  if (timestamp) {
    args.push_back(std::to_string(timestamp));
  }
  peer(args);
}

std::int64_t number(const Json& json, const std::string& key) {
  return json[key].integer();
}

std::string describe(const ProcessResult& result) {
  return fmt::format("exit {}\nstdout:\n{}\nstderr:\n{}", result.exit_code, result.out, result.err);
}

// A consumer of `group` that holds `topic` until destroyed.
class Member {
 public:
  Member(const std::string& group, const std::string& topic)
      : m_process(
            {evt::test::debian_python(), peer_script(), "member", bootstrap(), group, topic}) {
    const std::string line = m_process.read_lines(1, std::chrono::seconds(60));
    REQUIRE(line == "joined\n");
  }
  ~Member() {
    m_process.close_stdin();
    m_process.wait(std::chrono::seconds(30));
  }

 private:
  evt::test::Process m_process;
};

}  // namespace

TEST_CASE("topic create: partitions, replicas and configs, as the broker then reports them",
          "[kafka][kafka-only][admin]") {
  const std::string topic = unique("created");
  const auto result = run_evt({"topic",
                               "create",
                               topic,
                               "-p",
                               "3",
                               "-r",
                               "1",
                               "-c",
                               "retention.ms=3600000",
                               "-c",
                               "max.message.bytes=2097152"});
  INFO(describe(result));
  REQUIRE(result.exit_code == 0);
  CHECK(result.out == fmt::format("created topic {}: 3 partitions, replication factor 1\n", topic));
  CHECK(number(peer({"topics"}), topic) == 3);
  const Json configs = peer({"configs", topic});
  CHECK(configs["retention.ms"]["value"].str() == "3600000");
  CHECK(configs["retention.ms"]["topic"].boolean);
  CHECK(configs["max.message.bytes"]["value"].str() == "2097152");
  CHECK_FALSE(configs["segment.bytes"]["topic"].boolean);
}

TEST_CASE("topic create: the broker's defaults, reported, JSON shape",
          "[kafka][kafka-only][admin]") {
  const std::string topic = unique("defaults");
  const auto result = run_evt({"topic", "create", topic, "-o", "json"});
  INFO(describe(result));
  REQUIRE(result.exit_code == 0);
  CHECK(result.out ==
        fmt::format("{{\"dry_run\":false,\"topics\":[{{\"topic\":\"{}\",\"status\":"
                    "\"created\",\"partitions\":1,\"replicas\":1,\"configs\":{{}}}}]}}\n",
                    topic));
  CHECK(number(peer({"topics"}), topic) == 1);
}

TEST_CASE("topic create --dry-run: the broker validates, nothing is created",
          "[kafka][kafka-only][admin]") {
  const std::string topic = unique("dry");
  const auto valid = run_evt({"topic", "create", topic, "-p", "4", "--dry-run"});
  INFO(describe(valid));
  CHECK(valid.exit_code == 0);
  CHECK(valid.out == fmt::format("dry run: topic {} can be created: 4 partitions, replication "
                                 "factor the broker's default (nothing created)\n",
                                 topic));
  // The broker's own refusal, in full, for a replication factor above the brokers.
  const auto refused = run_evt({"topic", "create", topic, "-r", "3", "--dry-run"});
  INFO(describe(refused));
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find(fmt::format("evt: error: creating topic \"{}\": ", topic)) !=
        std::string::npos);
  CHECK(refused.err.find("The target replication factor of 3 cannot be reached") !=
        std::string::npos);
  CHECK(refused.err.find("(INVALID_REPLICATION_FACTOR)") != std::string::npos);
  CHECK_FALSE(peer({"topics"}).has(topic));
}

TEST_CASE("topic create: refusals: an invalid config, a topic that exists",
          "[kafka][kafka-only][admin]") {
  const std::string topic = unique("refused");
  const auto bad = run_evt({"topic", "create", topic, "-c", "retention.ms=soon"});
  INFO(describe(bad));
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("retention.ms") != std::string::npos);
  CHECK(bad.err.find("(INVALID_CONFIG)") != std::string::npos);
  CHECK_FALSE(peer({"topics"}).has(topic));

  create_topic(topic, 2);
  const auto again = run_evt({"topic", "create", topic, "-p", "5"});
  INFO(describe(again));
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("(TOPIC_ALREADY_EXISTS)") != std::string::npos);
  const auto tolerated = run_evt({"topic", "create", topic, "-p", "5", "--if-not-exists"});
  INFO(describe(tolerated));
  CHECK(tolerated.exit_code == 0);
  CHECK(tolerated.out ==
        fmt::format("topic {} exists: 2 partitions, replication factor 1\n", topic));
  CHECK(number(peer({"topics"}), topic) == 2);
}

TEST_CASE("topic create: several topics, one refused: the others are created, exit 1",
          "[kafka][kafka-only][admin]") {
  const std::string fresh = unique("fresh"), taken = unique("taken");
  create_topic(taken, 1);
  const auto result = run_evt({"topic", "create", fresh, taken, "-p", "2", "-o", "json"});
  INFO(describe(result));
  CHECK(result.exit_code == 1);
  const Json json = parse_json(result.out);
  REQUIRE(json["topics"].items.size() == 2);
  CHECK(json["topics"].items[0]["status"].str() == "created");
  CHECK(json["topics"].items[1]["status"].str() == "failed");
  CHECK(json["topics"].items[1]["error"].str().find("TOPIC_ALREADY_EXISTS") != std::string::npos);
  CHECK(number(peer({"topics"}), fresh) == 2);
}

TEST_CASE("topic delete: asks on a terminal, refuses without one, deletes with --yes",
          "[kafka][kafka-only][admin]") {
  const std::string topic = unique("doomed");
  create_topic(topic, 2);
  produce(topic, 1, 5);

  const auto refused = run_evt({"topic", "delete", topic});
  INFO(describe(refused));
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("refusing to delete topics without --yes") != std::string::npos);
  CHECK(peer({"topics"}).has(topic));

  // On a terminal: "n" keeps it (exit 2), "y" deletes it.
  const std::string command =
      evt::test::evt_binary() + " topic delete " + topic + " -b " + bootstrap();
  RunOptions answer_no;
  answer_no.stdin_data = "n\n";
  const auto declined = evt::test::cli::in_terminal(command, answer_no);
  INFO(describe(declined));
  CHECK(declined.out.find(fmt::format(
            "Delete topic {} (5 records) on {}? [y/N]", topic, bootstrap())) != std::string::npos);
  CHECK(declined.out.find("not confirmed: no topic was deleted") != std::string::npos);
  CHECK(declined.exit_code == 2);
  CHECK(peer({"topics"}).has(topic));

  const auto dry = run_evt({"topic", "delete", topic, "--dry-run"});
  INFO(describe(dry));
  CHECK(dry.exit_code == 0);
  CHECK(dry.out ==
        fmt::format("dry run: would delete topic {} (2 partitions, 5 records)\n", topic));
  CHECK(peer({"topics"}).has(topic));

  const auto deleted = run_evt({"topic", "delete", topic, "--yes", "-o", "json"});
  INFO(describe(deleted));
  CHECK(deleted.exit_code == 0);
  CHECK(deleted.out == fmt::format("{{\"dry_run\":false,\"topics\":[{{\"topic\":\"{}\",\"status\":"
                                   "\"deleted\",\"partitions\":2,\"records\":5}}]}}\n",
                                   topic));
  CHECK_FALSE(peer({"topics"}).has(topic));
}

TEST_CASE("topic delete: a missing topic is exit 5 and nothing is deleted, unless --if-exists",
          "[kafka][kafka-only][admin]") {
  const std::string topic = unique("kept"), missing = unique("missing");
  create_topic(topic, 1);
  const auto refused = run_evt({"topic", "delete", topic, missing, "--yes"});
  INFO(describe(refused));
  CHECK(refused.exit_code == 5);
  CHECK(refused.err.find(fmt::format("topic {} not found", missing)) != std::string::npos);
  CHECK(refused.err.find("nothing was deleted") != std::string::npos);
  CHECK(peer({"topics"}).has(topic));
  const auto tolerated = run_evt({"topic", "delete", topic, missing, "--yes", "--if-exists"});
  INFO(describe(tolerated));
  CHECK(tolerated.exit_code == 0);
  CHECK(tolerated.out == fmt::format("deleted topic {} (1 partition, 0 records)\n"
                                     "topic {} does not exist (--if-exists)\n",
                                     topic,
                                     missing));
  CHECK_FALSE(peer({"topics"}).has(topic));
}

TEST_CASE("topic alter: incremental, old -> new, other overrides kept",
          "[kafka][kafka-only][admin]") {
  const std::string topic = unique("altered");
  REQUIRE(run_evt({"topic",
                   "create",
                   topic,
                   "-c",
                   "retention.ms=86400000",
                   "-c",
                   "max.message.bytes=2097152"})
              .exit_code == 0);
  const auto result =
      run_evt({"topic", "alter", topic, "-c", "segment.ms=3600000", "--unset", "retention.ms"});
  INFO(describe(result));
  REQUIRE(result.exit_code == 0);
  CHECK(result.out.find("retention.ms") != std::string::npos);
  CHECK(result.out.find("86400000") != std::string::npos);
  CHECK(result.out.find("604800000 (inherited)") != std::string::npos);
  CHECK(result.out.find("segment.ms") != std::string::npos);
  const Json configs = peer({"configs", topic});
  CHECK(configs["segment.ms"]["value"].str() == "3600000");
  CHECK(configs["segment.ms"]["topic"].boolean);
  CHECK_FALSE(configs["retention.ms"]["topic"].boolean);
  // Not named in the command, and still there.
  CHECK(configs["max.message.bytes"]["value"].str() == "2097152");
  CHECK(configs["max.message.bytes"]["topic"].boolean);

  const auto json = run_evt({"topic", "alter", topic, "-c", "segment.ms=7200000", "-o", "json"});
  INFO(describe(json));
  CHECK(json.out == fmt::format("{{\"topic\":\"{}\",\"dry_run\":false,\"changes\":[{{\"config\":"
                                "\"segment.ms\",\"old\":\"3600000\",\"old_source\":\"topic\","
                                "\"new\":\"7200000\",\"new_source\":\"topic\"}}]}}\n",
                                topic));
}

TEST_CASE("topic alter: --dry-run validates on the broker, refusals keep everything",
          "[kafka][kafka-only][admin]") {
  const std::string topic = unique("checked");
  REQUIRE(run_evt({"topic", "create", topic, "-c", "retention.ms=86400000"}).exit_code == 0);
  const auto dry = run_evt({"topic", "alter", topic, "-c", "retention.ms=1000", "--dry-run"});
  INFO(describe(dry));
  CHECK(dry.exit_code == 0);
  CHECK(dry.out.rfind(fmt::format("dry run: topic {}: would change (nothing changed)\n", topic),
                      0) == 0);
  CHECK(peer({"configs", topic})["retention.ms"]["value"].str() == "86400000");

  const auto invalid = run_evt({"topic", "alter", topic, "-c", "cleanup.policy=sometimes"});
  INFO(describe(invalid));
  CHECK(invalid.exit_code == 1);
  CHECK(invalid.err.find("cleanup.policy") != std::string::npos);
  CHECK(invalid.err.find("(INVALID_CONFIG)") != std::string::npos);

  const auto typo = run_evt({"topic", "alter", topic, "-c", "retention.msec=1"});
  INFO(describe(typo));
  CHECK(typo.exit_code == 2);
  CHECK(typo.err.find("did you mean 'retention.ms'?") != std::string::npos);
  CHECK(peer({"configs", topic})["retention.ms"]["value"].str() == "86400000");

  const auto missing = run_evt({"topic", "alter", unique("absent"), "-c", "retention.ms=1"});
  INFO(describe(missing));
  CHECK(missing.exit_code == 5);
}

TEST_CASE("topic add-partitions: grows, refuses to shrink, no-op at the same count",
          "[kafka][kafka-only][admin]") {
  const std::string topic = unique("grown");
  create_topic(topic, 2);
  const auto dry = run_evt({"topic", "add-partitions", topic, "--to", "4", "--dry-run"});
  INFO(describe(dry));
  CHECK(dry.exit_code == 0);
  CHECK(dry.out == fmt::format("dry run: topic {}: 2 -> 4 partitions (nothing changed)\n", topic));
  CHECK(number(peer({"topics"}), topic) == 2);

  const auto grown = run_evt({"topic", "add-partitions", topic, "--to", "4", "-o", "json"});
  INFO(describe(grown));
  CHECK(grown.exit_code == 0);
  CHECK(grown.out == fmt::format("{{\"topic\":\"{}\",\"dry_run\":false,\"old\":2,\"new\":4,"
                                 "\"changed\":true}}\n",
                                 topic));
  CHECK(number(peer({"topics"}), topic) == 4);

  const auto shrink = run_evt({"topic", "add-partitions", topic, "--to", "3"});
  INFO(describe(shrink));
  CHECK(shrink.exit_code == 2);
  CHECK(shrink.err.find("Kafka cannot remove partitions") != std::string::npos);
  const auto same = run_evt({"topic", "add-partitions", topic, "--to", "4"});
  CHECK(same.exit_code == 0);
  CHECK(same.out == fmt::format("topic {} already has 4 partitions: nothing to change\n", topic));
  CHECK(number(peer({"topics"}), topic) == 4);
  CHECK(run_evt({"topic", "add-partitions", unique("absent"), "--to", "4"}).exit_code == 5);
}

TEST_CASE("topic trim: offsets, -N, @TIME per partition, new low watermarks",
          "[kafka][kafka-only][admin]") {
  const std::string topic = unique("trimmed");
  create_topic(topic, 3);
  const std::int64_t base = 1'700'000'000'000;
  produce(topic, 0, 10, base);  // timestamps base .. base+9
  produce(topic, 1, 10, base);
  produce(topic, 2, 10, base);

  const auto refused = run_evt({"topic", "trim", topic, "--before", "5"});
  CHECK(refused.exit_code == 2);
  const auto dry = run_evt({"topic", "trim", topic, "--before", "0=4", "--dry-run"});
  INFO(describe(dry));
  CHECK(dry.exit_code == 0);
  CHECK(dry.out.rfind(fmt::format("dry run: topic {}: would delete 4 records", topic), 0) == 0);
  CHECK(peer({"watermarks", topic})["0"].items[0].integer() == 0);

  const auto result = run_evt({"topic",
                               "trim",
                               topic,
                               "--before",
                               "0=4",
                               "--before",
                               "1=-3",
                               "--before",
                               fmt::format("2=@{}", base + 7),
                               "--yes",
                               "-o",
                               "json"});
  INFO(describe(result));
  REQUIRE(result.exit_code == 0);
  CHECK(
      result.out ==
      fmt::format("{{\"topic\":\"{}\",\"dry_run\":false,\"deleted\":18,\"partitions\":["
                  "{{\"partition\":0,\"old_low\":0,\"new_low\":4,\"high\":10,\"deleted\":4}},"
                  "{{\"partition\":1,\"old_low\":0,\"new_low\":7,\"high\":10,\"deleted\":7}},"
                  "{{\"partition\":2,\"old_low\":0,\"new_low\":7,\"high\":10,\"deleted\":7}}]}}\n",
                  topic));
  const Json marks = peer({"watermarks", topic});
  CHECK(marks["0"].items[0].integer() == 4);
  CHECK(marks["1"].items[0].integer() == 7);
  CHECK(marks["2"].items[0].integer() == 7);

  const auto past = run_evt({"topic", "trim", topic, "--before", "0=11", "--yes"});
  CHECK(past.exit_code == 2);
  const auto missing = run_evt({"topic", "trim", topic, "--before", "9=1", "--yes"});
  CHECK(missing.exit_code == 5);
  const auto everything = run_evt({"topic", "trim", topic, "--before", "end", "--yes"});
  INFO(describe(everything));
  CHECK(everything.exit_code == 0);
  const Json after = peer({"watermarks", topic});
  CHECK(after["0"].items[0].integer() == 10);
  CHECK(after["2"].items[0].integer() == 10);
}

TEST_CASE("group reset: plan, --execute, consume -g starts there", "[kafka][kafka-only][admin]") {
  const std::string topic = unique("reset"), group = unique("readers");
  create_topic(topic, 2);
  produce(topic, 0, 10);
  produce(topic, 1, 10);
  peer({"commit", group, topic, "0=8", "1=9"});

  const auto plan =
      run_evt({"group", "reset", group, "--topic", topic, "--to", "0=3", "--to", "1=-4"});
  INFO(describe(plan));
  REQUIRE(plan.exit_code == 0);
  CHECK(plan.out == fmt::format("TOPIC{}  PARTITION  CURRENT  NEW  LAG AFTER\n",
                                std::string(topic.size() - 5, ' ')) +
                        fmt::format("{}          0        8    3          7\n", topic) +
                        fmt::format("{}          1        9    6          4\n", topic) +
                        fmt::format("group {}: plan only, nothing committed; add --execute to "
                                    "commit 2 new offsets\n",
                                    group));
  CHECK(peer({"committed", group, topic})["0"].integer() == 8);

  const auto executed = run_evt({"group",
                                 "reset",
                                 group,
                                 "--topic",
                                 topic,
                                 "--to",
                                 "0=3",
                                 "--to",
                                 "1=-4",
                                 "--execute",
                                 "-o",
                                 "json"});
  INFO(describe(executed));
  REQUIRE(executed.exit_code == 0);
  CHECK(parse_json(executed.out)["executed"].boolean);
  const Json committed = peer({"committed", group, topic});
  CHECK(committed["0"].integer() == 3);
  CHECK(committed["1"].integer() == 6);

  // A consumer of the group starts exactly there: 7 + 4 records.
  const auto consumed = run_evt({"consume", topic, "-g", group, "-e", "-f", "%p:%o\n"});
  INFO(describe(consumed));
  CHECK(consumed.exit_code == 0);
  const auto lines = evt::test::cli::split_lines(consumed.out);
  CHECK(lines.size() == 11);
  CHECK(std::count(lines.begin(), lines.end(), "0:3") == 1);
  CHECK(std::count(lines.begin(), lines.end(), "0:2") == 0);
  CHECK(std::count(lines.begin(), lines.end(), "1:6") == 1);
  CHECK(std::count(lines.begin(), lines.end(), "1:5") == 0);

  // --shift-by from the commits consume left (10, 10).
  const auto shifted =
      run_evt({"group", "reset", group, "--topic", topic, "--shift-by", "-2", "--execute"});
  INFO(describe(shifted));
  CHECK(shifted.exit_code == 0);
  CHECK(peer({"committed", group, topic})["0"].integer() == 8);
  CHECK(peer({"committed", group, topic})["1"].integer() == 8);
}

TEST_CASE("group reset: @TIME and a new group's first offsets", "[kafka][kafka-only][admin]") {
  const std::string topic = unique("timed"), group = unique("newcomer");
  create_topic(topic, 1);
  const std::int64_t base = 1'700'000'000'000;
  produce(topic, 0, 10, base);
  const auto result = run_evt({"group",
                               "reset",
                               group,
                               "--topic",
                               topic,
                               "--to",
                               fmt::format("@{}", base + 6),
                               "--execute"});
  INFO(describe(result));
  CHECK(result.exit_code == 0);
  CHECK(result.err.find("has no committed offsets") != std::string::npos);
  CHECK(peer({"committed", group, topic})["0"].integer() == 6);
}

TEST_CASE("group reset: refused while the group has members, naming them",
          "[kafka][kafka-only][admin]") {
  const std::string topic = unique("busy"), group = unique("busy-group");
  create_topic(topic, 1);
  produce(topic, 0, 3);
  peer({"commit", group, topic, "0=3"});
  {
    Member member(group, topic);
    const auto refused =
        run_evt({"group", "reset", group, "--topic", topic, "--to", "beginning", "--execute"});
    INFO(describe(refused));
    CHECK(refused.exit_code == 1);
    CHECK(refused.err.find(fmt::format("group \"{}\" has 1 member", group)) != std::string::npos);
    CHECK(refused.err.find("evt-admin-peer-member") != std::string::npos);
    const auto deleting = run_evt({"group", "delete", group, "--yes"});
    CHECK(deleting.exit_code == 1);
    CHECK(deleting.err.find("evt-admin-peer-member") != std::string::npos);
    // The broker itself refuses to delete offsets of a topic a member is subscribed to.
    const auto offsets = run_evt({"group", "delete-offsets", group, "--topic", topic, "--yes"});
    INFO(describe(offsets));
    CHECK(offsets.exit_code == 1);
    CHECK(offsets.err.find("(GROUP_SUBSCRIBED_TO_TOPIC)") != std::string::npos);
  }
  CHECK(peer({"committed", group, topic})["0"].integer() == 3);
}

TEST_CASE("group delete-offsets and delete: asked, refused without --yes, done",
          "[kafka][kafka-only][admin]") {
  const std::string topic = unique("forgotten"), group = unique("forgetful");
  create_topic(topic, 2);
  produce(topic, 0, 4);
  peer({"commit", group, topic, "0=4", "1=0"});

  CHECK(run_evt({"group", "delete-offsets", group, "--topic", topic}).exit_code == 2);
  CHECK(run_evt({"group", "delete", group}).exit_code == 2);
  const auto dry =
      run_evt({"group", "delete-offsets", group, "--topic", topic, "--dry-run", "-o", "json"});
  INFO(describe(dry));
  CHECK(dry.out == fmt::format("{{\"group\":\"{}\",\"dry_run\":true,\"offsets\":["
                               "{{\"topic\":\"{}\",\"partition\":0,\"offset\":4}},"
                               "{{\"topic\":\"{}\",\"partition\":1,\"offset\":0}}]}}\n",
                               group,
                               topic,
                               topic));
  CHECK(peer({"committed", group, topic})["0"].integer() == 4);

  const auto deleted = run_evt({"group", "delete-offsets", group, "--topic", topic, "--yes"});
  INFO(describe(deleted));
  CHECK(deleted.exit_code == 0);
  CHECK(peer({"committed", group, topic})["0"].integer() < 0);
  CHECK(peer({"committed", group, topic})["1"].integer() < 0);

  peer({"commit", group, topic, "0=1"});
  const auto removed = run_evt({"group", "delete", group, "--yes", "-o", "json"});
  INFO(describe(removed));
  CHECK(removed.exit_code == 0);
  CHECK(removed.out == fmt::format("{{\"dry_run\":false,\"groups\":[{{\"group\":\"{}\",\"state\":"
                                   "\"Empty\",\"status\":\"deleted\"}}]}}\n",
                                   group));
  CHECK_FALSE(peer({"groups"}).has(group));
  const auto missing = run_evt({"group", "delete", group, "--yes"});
  CHECK(missing.exit_code == 5);
  CHECK(run_evt({"group", "delete-offsets", group, "--topic", topic, "--yes"}).exit_code == 5);
}

TEST_CASE("topic and group verbs without rights: exit 4", "[kafka][kafka-only][admin]") {
  const std::string topic = unique("guarded");
  create_topic(topic, 1);
  const auto create = evt_unauthorized({"topic", "create", unique("denied")});
  INFO(describe(create));
  CHECK(create.exit_code == 4);
  const auto alter = evt_unauthorized({"topic", "alter", topic, "-c", "retention.ms=1"});
  INFO(describe(alter));
  CHECK(alter.exit_code == 4);
  const auto remove = evt_unauthorized({"topic", "delete", topic, "--yes"});
  INFO(describe(remove));
  CHECK(remove.exit_code == 4);
  CHECK(peer({"topics"}).has(topic));
  const auto grow = evt_unauthorized({"topic", "add-partitions", topic, "--to", "3"});
  INFO(describe(grow));
  CHECK(grow.exit_code == 4);
  const auto trim = evt_unauthorized({"topic", "trim", topic, "--before", "end", "--yes"});
  INFO(describe(trim));
  CHECK(trim.exit_code == 4);
  CHECK(number(peer({"topics"}), topic) == 1);
  const auto reset =
      evt_unauthorized({"group", "reset", unique("g"), "--topic", topic, "--to", "beginning"});
  INFO(describe(reset));
  CHECK(reset.exit_code == 4);
  const std::string group = unique("guarded-group");
  peer({"commit", group, topic, "0=0"});
  const auto drop = evt_unauthorized({"group", "delete", group, "--yes"});
  INFO(describe(drop));
  CHECK(drop.exit_code == 4);
  const auto forget =
      evt_unauthorized({"group", "delete-offsets", group, "--topic", topic, "--yes"});
  INFO(describe(forget));
  CHECK(forget.exit_code == 4);
  CHECK(peer({"groups"}).has(group));
}

TEST_CASE("readme: the topic and group life cycle runs on a real Kafka",
          "[kafka][kafka-only][docs]") {
  std::ifstream in(evt::test::source_dir() + "/README.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  const std::size_t start = readme.find("\n## Topics and consumer groups");
  REQUIRE(start != std::string::npos);
  const std::size_t open = readme.find("```sh\n", start);
  const std::size_t close = readme.find("```", open + 6);
  std::string block = readme.substr(open + 6, close - open - 6);
  // A name of its own, so that runs do not meet.
  const std::string topic = unique("payments"), group = unique("billing");
  for (const auto& [from, to] : {std::pair<std::string, std::string>{"payments", topic},
                                 std::pair<std::string, std::string>{"billing", group}}) {
    for (std::size_t pos = block.find(from); pos != std::string::npos;
         pos = block.find(from, pos + to.size())) {
      block.replace(pos, from.size(), to);
    }
  }
  RunOptions options;
  options.env = evt::test::cli::evt_env();
  options.env["EVT_BROKERS"] = bootstrap();
  options.env["PATH"] =
      evt::test::evt_binary().substr(0, evt::test::evt_binary().rfind('/')) + ":/usr/bin:/bin";
  const auto result = evt::test::run({"/bin/sh", "-ec", block}, options);
  INFO("block:\n" << block << "\n" << describe(result));
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("\"executed\":true") != std::string::npos);
  CHECK_FALSE(peer({"topics"}).has(topic));
  CHECK_FALSE(peer({"groups"}).has(group));
}

TEST_CASE("group verbs: a member of Kafka 4's consumer protocol (KIP-848) is seen and refused",
          "[kafka][kafka-only][admin]") {
  // librdkafka 2.0.2 speaks only the classic protocol, whose DescribeGroups shows such a group
  // as Dead with no members; evt then asks ListGroups. The member is Kafka's own console
  // consumer with group.protocol=consumer (EVT_KAFKA_CLASSPATH: the Kafka jars).
  const auto libs = kafka_state().find("KAFKA_LIBS");
  const std::string classpath =
      libs != kafka_state().end() ? libs->second + "/*" : env_or_fail("EVT_KAFKA_CLASSPATH");
  const std::string topic = unique("kip848"), group = unique("kip848-group");
  create_topic(topic, 1);
  produce(topic, 0, 3);
  evt::test::Process member({"java",
                             "-Xmx256m",
                             "-cp",
                             classpath,
                             "org.apache.kafka.tools.consumer.ConsoleConsumer",
                             "--bootstrap-server",
                             bootstrap(),
                             "--topic",
                             topic,
                             "--group",
                             group,
                             "--from-beginning",
                             "--consumer-property",
                             "group.protocol=consumer"});
  // A JVM takes its time to start on a busy machine.
  // confluent-kafka 1.7 (classic DescribeGroups) cannot see the group's state either: wait on
  // evt inspect groups (ListGroups).
  auto listed_state = [&] {
    const Json groups = parse_json(run_evt({"inspect", "groups", "-o", "json"}).out);
    for (const Json& listed : groups["groups"].items) {
      if (listed["group"].str() == group) {
        return listed["state"].str();
      }
    }
    return std::string("absent");
  };
  REQUIRE(evt::test::cli::eventually(std::chrono::seconds(120),
                                     [&] { return listed_state() == "Stable"; }));
  const auto reset =
      run_evt({"group", "reset", group, "--topic", topic, "--to", "beginning", "--execute"});
  INFO(describe(reset));
  CHECK(reset.exit_code == 1);
  CHECK(reset.err.find(fmt::format("group \"{}\" is Stable: it has members", group)) !=
        std::string::npos);
  CHECK(reset.err.find("KIP-848") != std::string::npos);
  const auto removed = run_evt({"group", "delete", group, "--yes"});
  INFO(describe(removed));
  CHECK(removed.exit_code == 1);
  CHECK(listed_state() == "Stable");
  // Nothing was committed: not the 0 of the refused reset (the member's own commit or none).
  CHECK(peer({"committed", group, topic})["0"].integer() != 0);
  // Stopped cleanly, it leaves the group, which can then be reset.
  member.signal(SIGTERM);
  member.wait(std::chrono::seconds(60));
  REQUIRE(evt::test::cli::eventually(std::chrono::seconds(30),
                                     [&] { return listed_state() == "Empty"; }));
  const auto after =
      run_evt({"group", "reset", group, "--topic", topic, "--to", "beginning", "--execute"});
  INFO(describe(after));
  CHECK(after.exit_code == 0);
  CHECK(peer({"committed", group, topic})["0"].integer() == 0);
}
