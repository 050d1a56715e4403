// SPDX-License-Identifier: MIT
// The real producer and consumer code against librdkafka's in-process mock cluster.
#include <algorithm>
#include <set>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>

#include "evt/format/envelope.hpp"
#include "evt/format/record_formatter.hpp"
#include "evt/kafka/consumer.hpp"
#include "evt/kafka/metadata.hpp"
#include "evt/kafka/range_resolver.hpp"
#include "evt/ops/consume.hpp"
#include "evt/ops/produce.hpp"

#include "tests/support/mock_fixture.hpp"

namespace {

using evt::test::InputFile;
using evt::test::MockFixture;
using evt::test::OutputFile;

evt::ops::ProduceSummary produce_lines(MockFixture& mock,
                                       const std::string& topic,
                                       const std::string& input,
                                       evt::ops::ProduceSettings settings = {}) {
  settings.topic = topic;
  InputFile in(input);
  OutputFile out;
  auto summary =
      evt::ops::produce(settings, mock.config(), mock.log(), mock.signals(), in.fd(), out.fd());
  REQUIRE(summary);
  return *summary;
}

std::string consume_all(MockFixture& mock,
                        const std::string& topic,
                        std::shared_ptr<evt::format::RecordFormatter> formatter) {
  evt::ops::ConsumeSettings settings;
  settings.topics = {topic};
  settings.exit_at_end = true;
  settings.formatter = std::move(formatter);
  OutputFile out;
  auto summary = evt::ops::consume(settings, mock.config(), mock.log(), mock.signals(), out.fd());
  REQUIRE(summary);
  return out.text();
}

std::vector<std::string> sorted_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

}  // namespace

TEST_CASE("mock: lines produced are consumed back, empty lines included", "[mock]") {
  MockFixture mock;
  REQUIRE(mock.cluster().create_topic("lines", 3));
  const auto summary = produce_lines(mock, "lines", "a\nb\n\nc\n");
  CHECK(summary.read == 4);
  CHECK(summary.delivery.delivered == 4);
  CHECK(summary.delivery.failed == 0);
  const std::string out =
      consume_all(mock, "lines", evt::format::make_value_formatter("\n", std::nullopt));
  CHECK(sorted_lines(out) == std::vector<std::string>{"", "a", "b", "c"});
}

TEST_CASE("mock: envelopes round-trip exactly, binary, nulls and headers included", "[mock]") {
  MockFixture mock;
  REQUIRE(mock.cluster().create_topic("env", 2));
  const std::string input =
      R"({"partition":0,"timestamp":1500000000123,"key":null,"value":"","headers":[{"name":"h","value":null},{"name":"h","value":{"base64":"AP8="}}]})"
      "\n"
      R"({"partition":1,"timestamp":1500000000456,"key":{"base64":"/w=="},"value":null,"headers":[]})"
      "\n";
  evt::ops::ProduceSettings settings;
  settings.format = evt::ops::InputFormat::json;
  const auto summary = produce_lines(mock, "env", input, settings);
  REQUIRE(summary.delivery.delivered == 2);
  const std::string out = consume_all(mock, "env", evt::format::make_envelope_formatter());
  CHECK(
      out ==
      R"({"topic":"env","partition":0,"offset":0,"timestamp":1500000000123,"timestamp_type":"create","key":null,"value":"","headers":[{"name":"h","value":null},{"name":"h","value":{"base64":"AP8="}}]})"
      "\n"
      R"({"topic":"env","partition":1,"offset":0,"timestamp":1500000000456,"timestamp_type":"create","key":{"base64":"/w=="},"value":null,"headers":[]})"
      "\n");
}

TEST_CASE("mock: transient produce errors are retried without loss or duplicates", "[mock]") {
  MockFixture mock;
  REQUIRE(mock.cluster().create_topic("retry", 1));
  // Errors the broker returns before appending: any duplicate would be evt's own.
  REQUIRE(mock.cluster().fail_requests(0, 3, 6 /* NOT_LEADER_OR_FOLLOWER */));
  REQUIRE(mock.cluster().fail_requests(0, 2, 7 /* REQUEST_TIMED_OUT */));
  std::string input;
  for (int i = 0; i < 2000; ++i) {
    input += std::to_string(i) + "\n";
  }
  const auto summary = produce_lines(mock, "retry", input);
  CHECK(summary.delivery.delivered == 2000);
  CHECK(summary.delivery.failed == 0);
  const std::string out =
      consume_all(mock, "retry", evt::format::make_value_formatter("\n", std::nullopt));
  CHECK(out == input);  // one partition: order preserved, nothing lost or doubled
}

TEST_CASE("mock: a broker down past the delivery timeout gives the exact failure count", "[mock]") {
  MockFixture mock;
  REQUIRE(mock.cluster().create_topic("down", 1));
  // Learn the topic first, then take the broker away.
  REQUIRE(produce_lines(mock, "down", "warm-up\n").delivery.delivered == 1);
  REQUIRE(mock.cluster().broker_down(1));
  mock.config().timeout = std::chrono::milliseconds(1500);
  mock.config().timeout_given = true;
  evt::ops::ProduceSettings settings;
  settings.topic = "down";
  InputFile in("x\ny\nz\n");
  OutputFile out;
  auto summary =
      evt::ops::produce(settings, mock.config(), mock.log(), mock.signals(), in.fd(), out.fd());
  REQUIRE(mock.cluster().broker_up(1));
  // Either the reachability check fails up front (nothing read), or every record read is
  // reported failed: never a silent success.
  if (summary) {
    CHECK(summary->read == 3);
    CHECK(summary->delivery.failed == 3);
    CHECK(summary->delivery.delivered == 0);
    CHECK_THAT(evt::ops::describe_failures(*summary), Catch::Contains("3 of 3 records"));
  } else {
    CHECK(summary.error().kind == evt::ErrorKind::unreachable);
  }
}

TEST_CASE("mock: a topic the broker says does not exist is not_found", "[mock]") {
  MockFixture mock;
  REQUIRE(mock.cluster().set_topic_error("ghost", 3 /* UNKNOWN_TOPIC_OR_PART */));
  evt::ops::ConsumeSettings settings;
  settings.topics = {"ghost"};
  settings.exit_at_end = true;
  settings.formatter = evt::format::make_value_formatter("\n", std::nullopt);
  OutputFile out;
  auto summary = evt::ops::consume(settings, mock.config(), mock.log(), mock.signals(), out.fd());
  REQUIRE_FALSE(summary);
  CHECK(summary.error().kind == evt::ErrorKind::not_found);
}

TEST_CASE("mock: @TIME is found from record timestamps when the broker cannot answer", "[mock]") {
  MockFixture mock;
  REQUIRE(mock.cluster().create_topic("times", 1));
  std::string input;
  for (int i = 0; i < 100; ++i) {
    input += R"({"value":")" + std::to_string(i) + R"(","timestamp":)" +
             std::to_string(1'000'000 + i * 10) + "}\n";
  }
  evt::ops::ProduceSettings settings;
  settings.format = evt::ops::InputFormat::json;
  REQUIRE(produce_lines(mock, "times", input, settings).delivery.delivered == 100);

  auto consumer = evt::kafka::Consumer::create(mock.config(), mock.log(), {});
  REQUIRE(consumer);
  const evt::kafka::Watermarks marks{0, 100};
  for (const auto& [time, expected] :
       std::vector<std::pair<std::int64_t, std::int64_t>>{{0, 0},
                                                          {1'000'000, 0},
                                                          {1'000'001, 1},
                                                          {1'000'500, 50},
                                                          {1'000'990, 99},
                                                          {1'000'991, 100},
                                                          {9'999'999, 100}}) {
    auto offset = evt::kafka::find_offset_for_time(**consumer, "times", 0, marks, time);
    REQUIRE(offset);
    CHECK(*offset == expected);
  }
}

TEST_CASE("mock: @TIME is the first record at or after TIME even when timestamps go back",
          "[mock]") {
  // Producers set timestamps: they need not grow with offsets. Kafka answers the earliest offset
  // whose timestamp is >= TIME; a binary search alone would skip offset 1 (5000) for @4500.
  MockFixture mock;
  REQUIRE(mock.cluster().create_topic("skew", 1));
  std::string input;
  for (const std::int64_t timestamp : {1000, 5000, 2000, 3000, 4000, 6000}) {
    input += R"({"value":"v","timestamp":)" + std::to_string(timestamp) + "}\n";
  }
  evt::ops::ProduceSettings settings;
  settings.format = evt::ops::InputFormat::json;
  REQUIRE(produce_lines(mock, "skew", input, settings).delivery.delivered == 6);
  auto consumer = evt::kafka::Consumer::create(mock.config(), mock.log(), {});
  REQUIRE(consumer);
  const evt::kafka::Watermarks marks{0, 6};
  for (const auto& [time, expected] :
       std::vector<std::pair<std::int64_t, std::int64_t>>{{0, 0},
                                                          {1000, 0},
                                                          {1001, 1},
                                                          {2500, 1},
                                                          {4500, 1},
                                                          {5000, 1},
                                                          {5001, 5},
                                                          {6000, 5},
                                                          {6001, 6}}) {
    INFO("@" << time);
    auto offset = evt::kafka::find_offset_for_time(**consumer, "skew", 0, marks, time);
    REQUIRE(offset);
    CHECK(*offset == expected);
  }
  // And the consume path, from a range: @4500 starts at offset 1.
  evt::ops::ConsumeSettings consume;
  consume.topics = {"skew"};
  consume.exit_at_end = true;
  consume.formatter = evt::format::make_layout_formatter("%o %T\n").value();
  auto spec = evt::parse_offset_spec({"@4500"}, 0);
  REQUIRE(spec);
  consume.offsets = *spec;
  OutputFile out;
  auto summary = evt::ops::consume(consume, mock.config(), mock.log(), mock.signals(), out.fd());
  REQUIRE(summary);
  CHECK(out.text() == "1 5000\n2 2000\n3 3000\n4 4000\n5 6000\n");
}

TEST_CASE("mock: -e snapshots the end, so a topic still being written does not keep it running",
          "[mock]") {
  MockFixture mock;
  REQUIRE(mock.cluster().create_topic("busy", 2));
  REQUIRE(produce_lines(mock, "busy", "1\n2\n3\n4\n").delivery.delivered == 4);
  evt::ops::ConsumeSettings settings;
  settings.topics = {"busy"};
  settings.exit_at_end = true;
  settings.formatter = evt::format::make_value_formatter("\n", std::nullopt);
  auto consumer_config = mock.config();
  OutputFile out;
  // Keep writing while consuming: the consumer must stop at what was there when it started.
  // (No Catch2 assertions in this thread: they are not thread-safe.)
  std::thread writer([&] {
    evt::ops::ProduceSettings more;
    more.topic = "busy";
    InputFile in(std::string(20000, '\n'));
    OutputFile ignored;
    (void)evt::ops::produce(more, mock.config(), mock.log(), mock.signals(), in.fd(), ignored.fd());
  });
  auto summary = evt::ops::consume(settings, consumer_config, mock.log(), mock.signals(), out.fd());
  writer.join();
  REQUIRE(summary);
  CHECK(summary->written >= 4);
}
