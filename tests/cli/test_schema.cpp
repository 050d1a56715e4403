// SPDX-License-Identifier: MIT
// CLI tier for schema registry formats: the real evt against `evt broker` and a registry, with
// confluent-kafka's own serializers (AvroSerializer, ProtobufSerializer, JSONSerializer, from
// PyPI through scripts/schema-peer.sh) as the independent side of every round trip.
//
// The registry: in the kafka tier (`ctest -L kafka`), a real one, Apicurio Registry 3.3.3 through
// its Confluent-compatible API (scripts/registry.sh starts it beside the tier's Kafka, one open
// and one with basic auth); Karapace, the issue's first choice, is not published on PyPI. In
// the cli tier, tests/cli/registry_stub.py, a small Confluent-compatible registry in Python, for
// speed. evt and confluent-kafka talk to either over HTTP.
//
// Every test gets its registry from the class Registry below, the one place that decides which
// registry the tests talk to; the real one is shared by the whole tier (and
// EVT_TEST_SCHEMA_REGISTRY=URL points the cli tier at one already running), so no test assumes
// an empty registry: ids are asked of the registry, and subjects are named after each test's
// own topics.
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <thread>
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
using evt::test::TempDir;
using evt::test::cli::split_lines;

const std::string k_dir = std::string(EVT_SOURCE_DIR) + "/tests/unit/schema/";

std::string peer_python() {
  static const std::string python = [] {
    const ProcessResult made =
        evt::test::run({std::string(EVT_SOURCE_DIR) + "/scripts/schema-peer.sh"}, [] {
          RunOptions options;
          options.timeout = 600s;
          return options;
        }());
    INFO(made.err);
    REQUIRE(made.exit_code == 0);
    std::string path = made.out;
    while (!path.empty() && path.back() == '\n') {
      path.pop_back();
    }
    return path;
  }();
  return python;
}

// A Confluent-compatible schema registry for one test. In the kafka tier, the real one that
// runs beside the tier's Kafka (Apicurio Registry, scripts/registry.sh): open, or with
// `with_auth` the one that wants HTTP basic auth. Elsewhere, the registry at
// EVT_TEST_SCHEMA_REGISTRY when that is set (open only), else the stub, empty, on a free port.
class Registry {
 public:
  explicit Registry(bool with_auth = false) {
    if (const evt::test::RealKafka* kafka = evt::test::RealKafka::get()) {
      m_url = kafka->at(with_auth ? "REGISTRY_AUTH_URL" : "REGISTRY_URL");
      if (with_auth) {
        m_user = kafka->at("REGISTRY_USER");
        m_password = kafka->at("REGISTRY_PASSWORD");
      }
      return;
    }
    const char* external = std::getenv("EVT_TEST_SCHEMA_REGISTRY");
    if (!with_auth && external && *external) {
      m_url = external;
      return;
    }
    std::vector<std::string> argv = {"/usr/bin/python3",
                                     std::string(EVT_SOURCE_DIR) + "/tests/cli/registry_stub.py",
                                     m_dir.file("url")};
    if (with_auth) {
      m_user = "alice";
      m_password = "s3cret-pw";
      argv.push_back(m_user + ":" + m_password);
    }
    m_process = std::make_unique<Process>(argv);
    for (int i = 0; i < 200 && m_url.empty(); ++i) {
      std::ifstream in(m_dir.file("url"));
      std::getline(in, m_url);
      if (m_url.empty()) {
        std::this_thread::sleep_for(50ms);
      }
    }
    REQUIRE_FALSE(m_url.empty());
  }
  const std::string& user() const { return m_user; }
  const std::string& password() const { return m_password; }
  const std::string& url() const { return m_url; }

  // The id of the latest version of `subject`, asked of the registry itself (Python's urllib,
  // not evt), for tests that check the id evt shows.
  int latest_id(const std::string& subject) const {
    const ProcessResult asked = evt::test::run(
        {"/usr/bin/python3",
         "-c",
         "import json,sys,urllib.parse,urllib.request\n"
         "url = sys.argv[1] + '/subjects/' + urllib.parse.quote(sys.argv[2], safe='') + "
         "'/versions/latest'\n"
         "print(json.load(urllib.request.urlopen(url))['id'])",
         m_url,
         subject});
    INFO(asked.err);
    REQUIRE(asked.exit_code == 0);
    return std::stoi(asked.out);
  }

 private:
  TempDir m_dir;
  std::unique_ptr<Process> m_process;
  std::string m_url;
  std::string m_user;
  std::string m_password;
};

ProcessResult peer(const std::vector<std::string>& args, const std::string& stdin_data = "") {
  std::vector<std::string> argv = {peer_python(),
                                   std::string(EVT_SOURCE_DIR) + "/tests/cli/schema_peer.py"};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions options;
  options.stdin_data = stdin_data;
  options.timeout = 120s;
  return evt::test::run(argv, options);
}

ProcessResult evt_in(const LocalBroker& broker,
                     const Registry& registry,
                     std::vector<std::string> args,
                     const std::string& stdin_data = "",
                     std::map<std::string, std::string> env = {}) {
  args.push_back("--schema-registry");
  args.push_back(registry.url());
  RunOptions options;
  options.stdin_data = stdin_data;
  options.env = std::move(env);
  return evt::test::evt(broker, args, options);
}

std::vector<std::string> lines_of(const ProcessResult& result) {
  INFO("stderr: " << result.err);
  REQUIRE(result.exit_code == 0);
  return split_lines(result.out);
}

// The decoded JSON of each record, from `evt consume -f '%v{decoded}\n'`.
std::vector<std::string> decoded_values(const LocalBroker& broker,
                                        const Registry& registry,
                                        const std::string& topic) {
  return lines_of(evt_in(broker, registry, {"consume", topic, "-e", "-f", "%v{decoded}\n"}));
}

// Canonical JSON (sorted keys) of a JSON text, by Python, to compare with the peer's output.
std::string canonical(const std::string& json) {
  const ProcessResult result =
      evt::test::run({"/usr/bin/python3",
                      "-c",
                      "import json,sys\nfor l in sys.stdin: print(json.dumps(json.loads(l), "
                      "sort_keys=True))"},
                     [&] {
                       RunOptions options;
                       options.stdin_data = json + "\n";
                       return options;
                     }());
  REQUIRE(result.exit_code == 0);
  return split_lines(result.out).at(0);
}

}  // namespace

TEST_CASE("schema: Avro written by confluent-kafka decodes, evt's Avro reads back there") {
  LocalBroker broker({"orders:1"});
  Registry registry;
  const std::string first =
      R"({"id":1,"customer":"ann","qty":2,"price":9.5,"ratio":0.5,"paid":true,"note":"rush",)"
      R"("raw":"","digest":"","status":"PAID","tags":["a","b"],"attrs":{"k":1},)"
      R"("address":{"city":"Oslo","zip":150}})";
  // The peer's JSON marks bytes as {"$bytes": BASE64}.
  const std::string peer_input =
      R"({"id":1,"customer":"ann","qty":2,"price":9.5,"ratio":0.5,"paid":true,"note":"rush",)"
      R"("raw":{"$bytes":""},"digest":{"$bytes":"YWJjZA=="},"status":"PAID","tags":["a","b"],)"
      R"("attrs":{"k":1},)"
      R"("address":{"city":"Oslo","zip":150}})";
  (void)first;
  const ProcessResult wrote =
      peer({"write", broker.bootstrap(), "orders", registry.url(), "avro", k_dir + "order.avsc"},
           peer_input + "\n");
  INFO(wrote.err);
  REQUIRE(wrote.exit_code == 0);

  // -f json: the raw value stays, the decoded record and its id come beside it.
  const int id = registry.latest_id("orders-value");
  const auto envelopes = lines_of(
      evt_in(broker, registry, {"consume", "orders", "-e", "-f", "json", "--decode", "value"}));
  REQUIRE(envelopes.size() == 1);
  const evt::test::cli::Bytes raw = evt::test::cli::parse_envelope(envelopes[0]).record.value;
  REQUIRE(raw);
  CHECK(raw->substr(0, 5) == "\0"s + static_cast<char>(id >> 24) + static_cast<char>(id >> 16) +
                                 static_cast<char>(id >> 8) + static_cast<char>(id));
  CHECK(evt::test::cli::parse_json(envelopes[0])["value_schema_id"].integer() == id);
  CHECK_THAT(envelopes[0],
             Catch::Contains(R"("value_decoded":{"id":1,"customer":"ann","qty":2,"price":9.5,)"
                             R"("ratio":0.5,"paid":true,"note":{"string":"rush"},"raw":"",)"
                             R"("digest":"YWJjZA==","status":"PAID","tags":["a","b"],)"
                             R"("attrs":{"k":1},"address":{"com.acme.Address":{"city":"Oslo",)"
                             R"("zip":150}}})"));

  // With --jq and --json-values: the filter selects on the record, decoding shapes what is
  // written (a framed value is not JSON, so --json-values leaves it as it was).
  const std::vector<std::string> consume_args = {"consume",
                                                 "orders",
                                                 "-e",
                                                 "-f",
                                                 "json",
                                                 "--decode",
                                                 "value",
                                                 "--json-values",
                                                 "--jq",
                                                 ".offset == 0"};
  const std::vector<std::string> replay_args = {
      "replay", "orders", "--from", "beginning", "--decode", "value", "--jq", ".offset == 0"};
  for (const auto& args : {consume_args, replay_args}) {
    const ProcessResult filtered = evt_in(broker, registry, args);
    INFO(args[0] << ": " << filtered.err);
    REQUIRE(filtered.exit_code == 0);
    CHECK(filtered.out == envelopes[0] + "\n");
  }
  const ProcessResult none_selected = evt_in(
      broker,
      registry,
      {"consume", "orders", "-e", "-f", "json", "--decode", "value", "--jq", ".offset == 1"});
  INFO(none_selected.err);
  REQUIRE(none_selected.exit_code == 0);
  CHECK(none_selected.out.empty());

  // inspect message and tail (the human format) show the decoded record, pretty-printed.
  const ProcessResult inspected =
      evt_in(broker, registry, {"inspect", "message", "orders", "0", "0", "--decode", "value"});
  INFO(inspected.err);
  REQUIRE(inspected.exit_code == 0);
  CHECK_THAT(
      inspected.out,
      Catch::Contains("value decoded    schema id " + std::to_string(id) + "\n{\n  \"id\": 1,\n"));
  CHECK_THAT(inspected.out, Catch::Contains("(55 bytes, binary)"));
  const ProcessResult tailed =
      evt_in(broker, registry, {"tail", "orders", "--no-follow", "--decode", "value"});
  INFO(tailed.err);
  REQUIRE(tailed.exit_code == 0);
  CHECK_THAT(tailed.out, Catch::Contains("  \"customer\": \"ann\",\n"));
  CHECK(tailed.err.empty());

  // The envelope with the decoded fields goes back through produce -f json byte for byte.
  const ProcessResult again =
      evt_in(broker, registry, {"produce", "-f", "json", "orders"}, envelopes[0] + "\n");
  INFO(again.err);
  REQUIRE(again.exit_code == 0);

  // evt encodes (TopicNameStrategy: subject orders-value), confluent-kafka decodes.
  const std::string second =
      R"({"id":2,"customer":"bo","qty":-1,"price":0.25,"ratio":1,"paid":false,"note":null,)"
      R"("raw":"AP8=","digest":"AQIDBA==","status":"NEW","tags":[],"attrs":{}})";
  const ProcessResult produced =
      evt_in(broker, registry, {"produce", "orders", "--value-schema", "topic"}, second + "\n");
  INFO(produced.err);
  REQUIRE(produced.exit_code == 0);
  const ProcessResult read = peer(
      {"read", broker.bootstrap(), "orders", registry.url(), "avro", k_dir + "order.avsc", "3"});
  INFO(read.err);
  REQUIRE(read.exit_code == 0);
  const auto values = split_lines(read.out);
  REQUIRE(values.size() == 3);
  CHECK(values[0] == values[1]);
  CHECK(values[2] ==
        canonical(R"({"id":2,"customer":"bo","qty":-1,"price":0.25,"ratio":1.0,"paid":false,)"
                  R"("note":null,"raw":{"bytes":[0,255]},"digest":{"bytes":[1,2,3,4]},)"
                  R"("status":"NEW","tags":[],"attrs":{},"address":null})"));
}

TEST_CASE("schema: Protobuf with a reference and a well-known type, both ways") {
  LocalBroker broker({"pb:1"});
  Registry registry;
  const std::string order =
      R"({"id":"7","customer":"c","qty":3,"price":1.5,"paid":true,"raw":"AP4=","status":"PAID",)"
      R"("tags":["x"],"lines":[{"sku":"s","count":2}],"at":"2026-11-23T10:00:00.123Z",)"
      R"("total":{"currency":"EUR","cents":"1999"}})";
  const ProcessResult wrote = peer({"write",
                                    broker.bootstrap(),
                                    "pb",
                                    registry.url(),
                                    "protobuf",
                                    k_dir + "order.proto",
                                    "acme.Order"},
                                   order + "\n");
  INFO(wrote.err);
  REQUIRE(wrote.exit_code == 0);
  const auto decoded = decoded_values(broker, registry, "pb");
  REQUIRE(decoded.size() == 1);
  CHECK(canonical(decoded[0]) == canonical(order));

  const ProcessResult produced = evt_in(
      broker, registry, {"produce", "pb", "--value-schema", "topic#acme.Order"}, decoded[0] + "\n");
  INFO(produced.err);
  REQUIRE(produced.exit_code == 0);
  const ProcessResult read = peer({"read",
                                   broker.bootstrap(),
                                   "pb",
                                   registry.url(),
                                   "protobuf",
                                   k_dir + "order.proto",
                                   "2",
                                   "acme.Order"});
  INFO(read.err);
  REQUIRE(read.exit_code == 0);
  const auto values = split_lines(read.out);
  REQUIRE(values.size() == 2);
  CHECK(values[0] == values[1]);
  CHECK_THAT(values[1], Catch::Contains(R"("at": "2026-11-23T10:00:00.123Z")"));
  CHECK_THAT(values[1], Catch::Contains(R"("total": {"cents": "1999", "currency": "EUR"})"));
}

TEST_CASE(
    "schema: JSON Schema both ways, a record that does not match is exit 2 naming the "
    "line and the field, after the good ones") {
  LocalBroker broker({"js:1"});
  Registry registry;
  const ProcessResult wrote = peer(
      {"write", broker.bootstrap(), "js", registry.url(), "json", k_dir + "address.schema.json"},
      R"({"city":"Oslo","zip":150})"
      "\n");
  INFO(wrote.err);
  REQUIRE(wrote.exit_code == 0);
  CHECK(decoded_values(broker, registry, "js") ==
        std::vector<std::string>{R"({"city":"Oslo","zip":150})"});

  const ProcessResult bad = evt_in(broker,
                                   registry,
                                   {"produce", "js", "--value-schema", "js-value"},
                                   R"({"city":"Rome"})"
                                   "\n"
                                   R"({"city":"Pisa","zip":"x"})"
                                   "\n"
                                   R"({"city":"Bari"})"
                                   "\n");
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("line 2"));
  CHECK_THAT(bad.err, Catch::Contains("field .zip"));
  const ProcessResult skipped =
      evt_in(broker,
             registry,
             {"produce", "js", "--value-schema", "js-value@1", "--on-bad-input", "skip"},
             R"({"zip":1})"
             "\n"
             R"({"city":"Lund"})"
             "\n");
  CHECK(skipped.exit_code == 0);
  CHECK_THAT(skipped.err,
             Catch::Contains("skipped stdin line 1 (byte 0): value: field (the record): Missing "
                             "required property 'city'"));
  const ProcessResult read = peer({"read",
                                   broker.bootstrap(),
                                   "js",
                                   registry.url(),
                                   "json",
                                   k_dir + "address.schema.json",
                                   "3"});
  INFO(read.err);
  REQUIRE(read.exit_code == 0);
  CHECK(split_lines(read.out) == std::vector<std::string>{R"({"city": "Oslo", "zip": 150})",
                                                          R"({"city": "Rome"})",
                                                          R"({"city": "Lund"})"});
}

TEST_CASE("schema: Avro references, an unknown id is shown raw, warned about and counted") {
  LocalBroker broker({"cust:1"});
  Registry registry;
  REQUIRE(peer({"register", registry.url(), "addr", "avro", k_dir + "address.avsc"}).exit_code ==
          0);
  const ProcessResult registered = peer({"register",
                                         registry.url(),
                                         "cust-value",
                                         "avro",
                                         k_dir + "customer.avsc",
                                         "com.acme.common.Address=addr@1"});
  INFO(registered.err);
  REQUIRE(registered.exit_code == 0);
  const std::string customer =
      R"({"name":"bo","home":{"city":"Rome","zip":1},"work":{"com.acme.common.Address":{"city":"Pisa","zip":2}}})";
  const ProcessResult produced =
      evt_in(broker, registry, {"produce", "cust", "--value-schema", "topic"}, customer + "\n");
  INFO(produced.err);
  REQUIRE(produced.exit_code == 0);
  // A framed value with an id the registry does not have, and one that is not framed at all.
  const ProcessResult raw = evt_in(broker,
                                   registry,
                                   {"produce", "-f", "json", "cust"},
                                   R"({"value":{"base64":"AAAAA+cCBGJv"}})"
                                   "\n"
                                   R"({"value":"plain"})"
                                   "\n");
  REQUIRE(raw.exit_code == 0);
  const ProcessResult consumed =
      evt_in(broker, registry, {"consume", "cust", "-e", "-f", "json", "--decode", "value"});
  INFO(consumed.err);
  REQUIRE(consumed.exit_code == 0);
  const auto lines = split_lines(consumed.out);
  REQUIRE(lines.size() == 3);  // never dropped
  CHECK_THAT(lines[0], Catch::Contains(R"("value_decoded":)" + customer));
  CHECK_THAT(lines[1], !Catch::Contains("value_decoded"));
  CHECK_THAT(lines[1], Catch::Contains(R"("value":{"base64":"AAAAA+cCBGJv"})"));
  CHECK_THAT(lines[2], Catch::Contains(R"("value":"plain")"));
  CHECK_THAT(consumed.err,
             Catch::Contains("cust/0 offset 1: value shown raw: schema registry " + registry.url() +
                             ": schema id 999:"));
  CHECK_THAT(consumed.err,
             Catch::Contains("cust/0 offset 2: value shown raw: not in the schema "
                             "registry wire format"));
  CHECK_THAT(consumed.err, Catch::Contains("2 fields could not be decoded and were shown raw"));

  // The peer decodes what evt encoded with the reference.
  const ProcessResult read = peer(
      {"read", broker.bootstrap(), "cust", registry.url(), "avro", k_dir + "customer.avsc", "1"});
  INFO(read.err);
  CHECK(read.exit_code == 0);
  CHECK(split_lines(read.out) ==
        std::vector<std::string>{canonical(
            R"({"name":"bo","home":{"city":"Rome","zip":1},"work":{"city":"Pisa","zip":2}})")});
}

TEST_CASE("schema: a registry that is down exits 3 naming it, unknown subjects exit 5") {
  LocalBroker broker({"t:1"});
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"consume", "t", "-e", "--decode", "value"},
        std::vector<std::string>{"produce", "t", "--value-schema", "topic"}}) {
    std::vector<std::string> argv = args;
    argv.insert(argv.end(), {"--schema-registry", "http://127.0.0.1:1", "--timeout", "2s"});
    const ProcessResult result = evt::test::evt(broker, argv, evt::test::cli::input("{}\n"));
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.err, Catch::Contains("schema registry http://127.0.0.1:1 is unreachable"));
  }
  Registry registry;
  const ProcessResult missing =
      evt_in(broker, registry, {"produce", "t", "--value-schema", "topic"}, "{}\n");
  CHECK(missing.exit_code == 5);
  CHECK_THAT(missing.err, Catch::Contains("subject t-value (TopicNameStrategy)"));
  const ProcessResult none = evt::test::evt(broker, {"consume", "t", "-e", "--decode", "value"});
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.err, Catch::Contains("--decode needs a schema registry"));
}

TEST_CASE("schema: basic auth to the registry, the password from the config file's env, masked") {
  LocalBroker broker({"t:1"});
  Registry registry(/*with_auth=*/true);
  const ProcessResult refused =
      evt_in(broker, registry, {"consume", "t", "-e", "--decode", "value"});
  CHECK(refused.exit_code == 4);
  CHECK_THAT(refused.err, Catch::Contains("401"));
  TempDir dir;
  dir.write("config.yaml",
            "current-context: c\ncontexts:\n  c:\n    schema-registry:\n      url: " +
                registry.url() + "\n      username: " + registry.user() +
                "\n      password-env: SR_PASSWORD\n      decode: value\n");
  std::map<std::string, std::string> env = {{"EVT_CONFIG", dir.file("config.yaml")},
                                            {"SR_PASSWORD", registry.password()}};
  RunOptions options;
  options.env = env;
  const ProcessResult ok = evt::test::evt(broker, {"consume", "t", "-e"}, options);
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  options.env["SR_PASSWORD"] = "wrong";
  CHECK(evt::test::evt(broker, {"consume", "t", "-e"}, options).exit_code == 4);
  options.env["SR_PASSWORD"] = registry.password();
  const ProcessResult shown = evt::test::evt(broker, {"config", "show"}, options);
  CHECK(shown.exit_code == 0);
  CHECK_THAT(shown.out, Catch::Contains("schema-registry.password"));
  CHECK_THAT(shown.out, Catch::Contains("schema-registry.url"));
  CHECK_THAT(shown.out + shown.err, !Catch::Contains(registry.password()));
}

TEST_CASE("schema: replay copies framed records byte for byte, rewriting ids only when asked") {
  LocalBroker broker({"src:1", "same:1", "mapped:1"});
  const std::string framed = "AAAAAAcCBGJv";  // id 7
  const std::string other = "AAAAAAgCBGJv";   // id 8
  const ProcessResult written = evt::test::evt(
      broker,
      {"produce", "-f", "json", "src"},
      evt::test::cli::input(R"({"key":{"base64":")" + other + R"("},"value":{"base64":")" + framed +
                            "\"}}\n" + R"({"value":"text"})" + "\n"));
  REQUIRE(written.exit_code == 0);
  REQUIRE(evt::test::evt(broker, {"replay", "src", "--from", "beginning", "--into", "same"})
              .exit_code == 0);
  REQUIRE(evt::test::evt(
              broker,
              {"replay", "src", "--from", "beginning", "--into", "mapped", "--schema-id", "7=1042"})
              .exit_code == 0);
  const auto same = evt::test::cli::peer_read(broker, "same");
  const auto mapped = evt::test::cli::peer_read(broker, "mapped");
  REQUIRE(same.size() == 2);
  REQUIRE(mapped.size() == 2);
  CHECK(same[0].value == evt::test::cli::base64_decode(framed));
  CHECK(mapped[0].value ==
        "\x00\x00\x00\x04\x12"s + evt::test::cli::base64_decode(framed).substr(5));
  CHECK(mapped[0].key == evt::test::cli::base64_decode(other));  // id 8 is not mapped
  CHECK(mapped[1].value == "text");
  const ProcessResult bad = evt::test::evt(
      broker, {"replay", "src", "--from", "beginning", "--into", "mapped", "--schema-id", "x=1"});
  CHECK(bad.exit_code == 2);
  const ProcessResult decode_into = evt::test::evt(
      broker, {"replay", "src", "--from", "beginning", "--into", "mapped", "--decode", "value"});
  CHECK(decode_into.exit_code == 2);
}

namespace {

// `count` Avro records {"city":"cFIRST+i","zip":FIRST+i}, one JSON line each, for
// `produce --value-schema topic` with com.acme.common.Address.
std::string addresses(int first, int count) {
  std::string lines;
  for (int i = first; i < first + count; ++i) {
    lines += R"({"city":"c)" + std::to_string(i) + R"(","zip":)" + std::to_string(i) + "}\n";
  }
  return lines;
}

// The offsets of -f json envelopes whose value_decoded is the address written at that offset;
// fails the test on any other line.
std::multiset<std::int64_t> decoded_offsets(const std::string& out) {
  std::multiset<std::int64_t> offsets;
  for (const std::string& line : split_lines(out)) {
    INFO(line);
    const evt::test::cli::Json envelope = evt::test::cli::parse_json(line);
    REQUIRE(envelope.has("value_decoded"));
    const std::int64_t offset = envelope["offset"].integer();
    CHECK(envelope["value_decoded"]["city"].str() == "c" + std::to_string(offset));
    CHECK(envelope["value_decoded"]["zip"].integer() == offset);
    offsets.insert(offset);
  }
  return offsets;
}

// A run stopped part way and its resumed run decoded offsets 0 to count - 1 between them, each
// once.
void check_decoded_once(const std::string& stopped_out,
                        const std::string& resumed_out,
                        std::int64_t count) {
  std::multiset<std::int64_t> offsets = decoded_offsets(stopped_out);
  offsets.merge(decoded_offsets(resumed_out));
  std::multiset<std::int64_t> all;
  for (std::int64_t offset = 0; offset < count; ++offset) {
    all.insert(offset);
  }
  CHECK(offsets == all);
}

// Runs the command of a "resume with: evt SUBCOMMAND ..." hint in `err` with sh (the hint is a
// shell command), as a user would paste it.
ProcessResult run_resume_hint(const std::string& err, const std::string& subcommand) {
  std::smatch match;
  REQUIRE(
      std::regex_search(err, match, std::regex("resume with: evt " + subcommand + " ([^\\n]*)")));
  RunOptions options;
  options.env = evt::test::cli::evt_env();
  options.env["EVT"] = evt::test::evt_binary();
  options.timeout = 60s;
  return evt::test::run({"/bin/sh", "-c", "\"$EVT\" " + subcommand + " " + match[1].str()},
                        options);
}

}  // namespace

TEST_CASE(
    "schema: replay --decode stopped by SIGINT: the resume command keeps --decode and the "
    "registry, and decodes the rest") {
  LocalBroker broker({"paced:1"});
  Registry registry;
  REQUIRE(
      peer({"register", registry.url(), "paced-value", "avro", k_dir + "address.avsc"}).exit_code ==
      0);
  const ProcessResult produced =
      evt_in(broker, registry, {"produce", "paced", "--value-schema", "topic"}, addresses(0, 100));
  INFO(produced.err);
  REQUIRE(produced.exit_code == 0);

  // 20 records a second, 100 records: a SIGINT after 2 s (time for evt, under the sanitizers
  // too, to start and take over SIGINT) leaves part of the range. (Paced output to a pipe is
  // written at the end, so the test cannot wait for the first lines.)
  Process paced(evt::test::cli::evt_argv(broker,
                                         {"replay",
                                          "paced",
                                          "--from",
                                          "beginning",
                                          "--decode",
                                          "value",
                                          "--rate",
                                          "20",
                                          "--schema-registry",
                                          registry.url()}),
                evt::test::cli::evt_env());
  std::this_thread::sleep_for(2000ms);
  paced.signal(SIGINT);
  const ProcessResult stopped = paced.wait(15s);
  INFO("stderr: " << stopped.err);
  REQUIRE(stopped.exit_code == 130);
  CHECK_THAT(stopped.err, Catch::Contains(" --decode value "));
  CHECK_THAT(stopped.err, Catch::Contains(" --schema-registry " + registry.url()));

  const ProcessResult rest = run_resume_hint(stopped.err, "replay");
  INFO("resumed stderr: " << rest.err);
  REQUIRE(rest.exit_code == 0);
  // Decoded before the signal and after it: every record once.
  CHECK(decoded_offsets(stopped.out).size() < 100);
  check_decoded_once(stopped.out, rest.out, 100);
}

TEST_CASE(
    "schema: consume --decode that loses every broker: the resume command keeps --decode and "
    "the registry, and decodes the rest",
    "[mock-only]") {
  evt::test::cli::FaultCluster cluster({"lost:1"}, 1);
  Registry registry;
  REQUIRE(
      peer({"register", registry.url(), "lost-value", "avro", k_dir + "address.avsc"}).exit_code ==
      0);
  auto produce = [&](int first, int count) {
    const ProcessResult produced = cluster.evt(
        {"produce", "lost", "--value-schema", "topic", "--schema-registry", registry.url()},
        evt::test::cli::input(addresses(first, count)));
    INFO(produced.err);
    REQUIRE(produced.exit_code == 0);
  };
  produce(0, 10);

  // A range that ends past what the topic holds yet: consume waits at offset 10, a bounded run
  // that exits 3 once its broker has been gone for --timeout.
  Process consumer(cluster.argv({"consume",
                                 "lost",
                                 "-o",
                                 "0=0:20",
                                 "-f",
                                 "json",
                                 "--decode",
                                 "value",
                                 "--timeout",
                                 "2s",
                                 "--schema-registry",
                                 registry.url()}),
                   evt::test::cli::evt_env());
  REQUIRE(split_lines(consumer.read_lines(10, 20s)).size() == 10);
  cluster.fault("down 1");
  const ProcessResult stopped = consumer.wait(60s);
  INFO("stderr: " << stopped.err);
  REQUIRE(stopped.exit_code == 3);
  CHECK_THAT(stopped.err, Catch::Contains(" --decode value "));
  CHECK_THAT(stopped.err, Catch::Contains(" --schema-registry " + registry.url()));

  cluster.fault("up 1");
  produce(10, 10);
  const ProcessResult rest = run_resume_hint(stopped.err, "consume");
  INFO("resumed stderr: " << rest.err);
  REQUIRE(rest.exit_code == 0);
  check_decoded_once(stopped.out, rest.out, 20);
}

TEST_CASE(
    "schema: replay --into --schema-id stopped by SIGINT: the resume command keeps the id "
    "mapping, and the rest is copied with it") {
  LocalBroker broker({"ids:1", "ids-copy:1"});
  // 100 values framed with schema id 7, each followed by its number.
  std::string lines;
  for (int i = 0; i < 100; ++i) {
    lines += R"({"value":{"base64":")" +
             evt::test::cli::base64_encode("\0\0\0\0\x07"s + std::to_string(i)) + "\"}}\n";
  }
  const ProcessResult produced =
      evt::test::evt(broker, {"produce", "-f", "json", "ids"}, evt::test::cli::input(lines));
  INFO(produced.err);
  REQUIRE(produced.exit_code == 0);

  Process paced(evt::test::cli::evt_argv(broker,
                                         {"replay",
                                          "ids",
                                          "--from",
                                          "beginning",
                                          "--into",
                                          "ids-copy",
                                          "--schema-id",
                                          "7=1042",
                                          "--rate",
                                          "20"}),
                evt::test::cli::evt_env());
  std::this_thread::sleep_for(2000ms);  // 5 s at 20 a second: stopped part of the way
  paced.signal(SIGINT);
  const ProcessResult stopped = paced.wait(15s);
  INFO("stderr: " << stopped.err);
  REQUIRE(stopped.exit_code == 130);
  CHECK_THAT(stopped.err, Catch::Contains(" --schema-id 7=1042"));
  CHECK(evt::test::cli::peer_read(broker, "ids-copy").size() < 100);

  const ProcessResult rest = run_resume_hint(stopped.err, "replay");
  INFO("resumed stderr: " << rest.err);
  REQUIRE(rest.exit_code == 0);
  // Every record once, in order, with id 1042 (0x412) in its frame.
  const auto copied = evt::test::cli::peer_read(broker, "ids-copy");
  REQUIRE(copied.size() == 100);
  for (std::size_t i = 0; i < copied.size(); ++i) {
    CHECK(copied[i].value == "\0\0\0\x04\x12"s + std::to_string(i));
  }
}
