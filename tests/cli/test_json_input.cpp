// SPDX-License-Identifier: MIT
// CLI tier, issue 23: `evt produce -f json` takes a key or value written as JSON (an object, an
// array, a number, true or false), as kcat and kcl users write JSON values, and stores its text
// byte for byte as the line has it; what reads it back (an independent client, consume -f json,
// consume --json-values) sees exactly that text.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/cli/cli_support.hpp"
#include "tests/support/process.hpp"

namespace {

using evt::test::LocalBroker;
using evt::test::ProcessResult;
using evt::test::cli::Bytes;
using evt::test::cli::input;
using evt::test::cli::keys_of;
using evt::test::cli::parse_envelopes;
using evt::test::cli::parse_json;
using evt::test::cli::peer_read;
using evt::test::cli::split_lines;
using evt::test::cli::values_of;

}  // namespace

TEST_CASE("json input: a JSON key or value is stored as its text, byte for byte",
          "[cli][produce]") {
  LocalBroker broker({"jv:1", "jv2:1"});
  const std::string lines =
      "{\"value\":{\"id\":1}}\n"
      "{\"key\":7,\"value\":[1, 2.50, {\"name\":\"caf\\u00e9\"}]}\n"
      "{\"value\": { \"spaced\" : true } }\n"
      "{\"key\":false,\"value\":-0.0}\n"
      "{\"value\":{\"base64\":\"aGk=\"}}\n"  // the base64 form stays the base64 form
      "{\"value\":{\"base64\":\"aGk=\",\"type\":\"text\"}}\n";
  const ProcessResult produced =
      evt::test::evt(broker, {"produce", "jv", "-f", "json", "-v"}, input(lines));
  INFO("stderr: " << produced.err);
  REQUIRE(produced.exit_code == 0);
  CHECK_THAT(produced.err, Catch::Contains("6 records read, 6 delivered"));

  const std::vector<Bytes> values = {R"({"id":1})",
                                     R"([1, 2.50, {"name":"caf\u00e9"}])",
                                     R"({ "spaced" : true })",
                                     "-0.0",
                                     "hi",
                                     R"({"base64":"aGk=","type":"text"})"};
  const std::vector<Bytes> keys = {
      std::nullopt, "7", std::nullopt, "false", std::nullopt, std::nullopt};
  const auto records = peer_read(broker, "jv");  // an independent client
  CHECK(values_of(records) == values);
  CHECK(keys_of(records) == keys);

  // consume -f json: the value is a string holding that text.
  const ProcessResult consumed = evt::test::evt(broker, {"consume", "jv", "-e", "-f", "json"});
  INFO("consume stderr: " << consumed.err);
  REQUIRE(consumed.exit_code == 0);
  const auto envelopes = parse_envelopes(consumed.out);
  REQUIRE(envelopes.size() == 6);
  CHECK(parse_json(split_lines(consumed.out)[0])["value"].str() == R"({"id":1})");
  for (std::size_t i = 0; i < envelopes.size(); ++i) {
    CHECK(envelopes[i].record.value == values[i]);
    CHECK(envelopes[i].record.key == keys[i]);
  }

  // --json-values: what is compact JSON is embedded as JSON, the rest stays a string.
  const ProcessResult embedded =
      evt::test::evt(broker, {"consume", "jv", "-e", "-f", "json", "--json-values"});
  REQUIRE(embedded.exit_code == 0);
  const auto embedded_lines = split_lines(embedded.out);
  REQUIRE(embedded_lines.size() == 6);
  CHECK_THAT(embedded_lines[0], Catch::Contains(R"("key":null,"value_json":{"id":1},)"));
  CHECK_THAT(embedded_lines[2], Catch::Contains(R"("value":"{ \"spaced\" : true }")"));
  CHECK_THAT(embedded_lines[3], Catch::Contains(R"("key_json":false,)"));

  // And back: produce -f json of that output writes the same bytes again.
  const ProcessResult copied =
      evt::test::evt(broker, {"produce", "jv2", "-f", "json"}, input(consumed.out));
  INFO("copy stderr: " << copied.err);
  REQUIRE(copied.exit_code == 0);
  CHECK(values_of(peer_read(broker, "jv2")) == values);
}

TEST_CASE("json input: the base64 form must hold a string", "[cli][produce]") {
  LocalBroker broker({"jb:1"});
  const ProcessResult result =
      evt::test::evt(broker,
                     {"produce", "jb", "-f", "json"},
                     input("{\"value\":\"ok\"}\n{\"value\":{\"base64\":1}}\n"));
  INFO("stderr: " << result.err);
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err,
             Catch::Contains("stdin line 2") &&
                 Catch::Contains("an object whose only member is \"base64\" is the base64 form"));
  CHECK(values_of(peer_read(broker, "jb")) == std::vector<Bytes>{"ok"});
}
