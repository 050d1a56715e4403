// SPDX-License-Identifier: MIT
// The real producer and consumer code against librdkafka's in-process mock cluster.
#include <algorithm>
#include <atomic>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "evt/format/envelope.hpp"
#include "evt/format/record_formatter.hpp"
#include "evt/kafka/consumer.hpp"
#include "evt/kafka/metadata.hpp"
#include "evt/kafka/range_resolver.hpp"
#include "evt/ops/consume.hpp"
#include "evt/ops/produce.hpp"

#include "tests/support/mock_fixture.hpp"
#include <sys/ioctl.h>
#include <unistd.h>

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
  mock.config().timeout = std::chrono::milliseconds(1500);
  mock.config().timeout_given = true;
  evt::ops::ProduceSettings settings;
  settings.topic = "down";
  settings.report = true;  // one line per delivery report, as it arrives
  // Input from a pipe: three records go while the broker is up and are acknowledged; then the
  // broker goes down and three more are read, which must all be counted as not delivered.
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  OutputFile out;
  std::atomic<bool> acknowledged{false};
  std::thread writer([&] {  // (no Catch2 assertions in this thread: they are not thread-safe)
    auto write = [&](const std::string& text) {
      (void)!::write(pipe_fds[1], text.data(), text.size());
    };
    write("a\nb\nc\n");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      const std::string reports = out.text();
      if (std::count(reports.begin(), reports.end(), '\n') == 3) {
        acknowledged = reports.find("\"error\"") == std::string::npos;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    (void)mock.cluster().broker_down(1);
    write("x\ny\nz\n");
    ::close(pipe_fds[1]);
  });
  auto summary =
      evt::ops::produce(settings, mock.config(), mock.log(), mock.signals(), pipe_fds[0], out.fd());
  writer.join();
  ::close(pipe_fds[0]);
  REQUIRE(mock.cluster().broker_up(1));
  REQUIRE(acknowledged);  // the fault came after delivery had started
  REQUIRE(summary);
  CHECK(summary->read == 6);
  CHECK(summary->delivery.delivered == 3);
  CHECK(summary->delivery.failed == 3);
  CHECK(summary->delivery.outstanding() == 0);
  CHECK_THAT(evt::ops::describe_failures(*summary), Catch::StartsWith("3 of 6 records"));
  // The report agrees record by record: inputs 1-3 delivered, 4-6 failed.
  const std::vector<std::string> reports = sorted_lines(out.text());
  REQUIRE(reports.size() == 6);
  for (std::size_t i = 0; i < 6; ++i) {
    INFO(reports[i]);
    CHECK_THAT(reports[i], Catch::StartsWith("{\"input\":" + std::to_string(i + 1) + ","));
    CHECK((reports[i].find("\"error\"") != std::string::npos) == (i >= 3));
  }
  // And the topic holds exactly the three delivered.
  const std::string stored =
      consume_all(mock, "down", evt::format::make_value_formatter("\n", std::nullopt));
  CHECK(stored == "a\nb\nc\n");
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
  REQUIRE(mock.cluster().create_topic("busy", 1));
  // 20,000 records of 100 bytes: more than evt buffers (1 MiB) and a pipe holds (64 KiB), so
  // the consumer blocks on its output mid-range, after it has taken its snapshot of the end,
  // and the test knows that the records written from then on came after the snapshot.
  std::string initial;
  for (int i = 1; i <= 20000; ++i) {
    initial += fmt::format("{:06}{}\n", i, std::string(93, '.'));
  }
  REQUIRE(produce_lines(mock, "busy", initial).delivery.delivered == 20000);
  evt::ops::ConsumeSettings settings;
  settings.topics = {"busy"};
  settings.exit_at_end = true;
  settings.formatter = evt::format::make_value_formatter("\n", std::nullopt);
  auto consumer_config = mock.config();
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  std::optional<evt::Result<evt::ops::ConsumeSummary>> summary;
  std::thread consumer([&] {  // (no Catch2 assertions in this thread: they are not thread-safe)
    summary.emplace(
        evt::ops::consume(settings, consumer_config, mock.log(), mock.signals(), pipe_fds[1]));
    ::close(pipe_fds[1]);
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  int queued = 0;
  while ((::ioctl(pipe_fds[0], FIONREAD, &queued) != 0 || queued < 65536) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const bool blocked = queued >= 65536;
  // Now the topic gets busy: 2,000 more records while the consumer is still at work.
  std::string more;
  for (int i = 0; i < 2000; ++i) {
    more += fmt::format("w{:05}\n", i);
  }
  if (blocked) {
    REQUIRE(produce_lines(mock, "busy", more).delivery.delivered == 2000);
  }
  std::string printed;
  char buffer[65536];
  for (ssize_t got; (got = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) {
    printed.append(buffer, static_cast<std::size_t>(got));
  }
  consumer.join();
  ::close(pipe_fds[0]);
  REQUIRE(blocked);  // the consumer was mid-range when the writes came
  REQUIRE(summary);
  REQUIRE(*summary);
  // Exactly the 20,000 records that were there when it started, in order; none of the 2,000.
  CHECK((*summary)->written == 20000);
  CHECK(printed == initial);
  CHECK(consume_all(mock, "busy", evt::format::make_value_formatter("\n", std::nullopt)) ==
        initial + more);
}

TEST_CASE("compression a broker makes librdkafka drop is warned about once, with the way out",
          "[mock]") {
  MockFixture mock;
  REQUIRE(mock.cluster().create_topic("zdrop", 1));
  std::string lines;
  for (int i = 0; i < 3000; ++i) {
    lines += "record " + std::to_string(i) + "\n";
  }
  // What one produce -z CODEC says on stderr (warnings on, as by default).
  auto produce_with = [&](const std::string& codec) {
    evt::ops::ProduceSettings settings;
    settings.topic = "zdrop";
    settings.producer.compression = codec;
    InputFile in(lines);
    OutputFile out;
    OutputFile err;
    const evt::Log log(err.fd(), 0, false);
    auto summary =
        evt::ops::produce(settings, mock.config(), log, mock.signals(), in.fd(), out.fd());
    REQUIRE(summary);
    CHECK(summary->delivery.delivered == 3000);
    return err.text();
  };
  SECTION("a broker that lists Produce v0 (as Kafka 4 still does): no warning") {
    CHECK(produce_with("gzip").empty());
    CHECK(produce_with("lz4").empty());
    CHECK(produce_with("zstd").empty());
  }
  SECTION("Produce v3..v7 only: gzip, snappy and lz4 are dropped, zstd is kept") {
    REQUIRE(mock.cluster().set_api_versions(0, 3, 7));
    for (const std::string codec : {"gzip", "snappy", "lz4"}) {
      const std::string warned = produce_with(codec);
      INFO(warned);
      CHECK_THAT(warned, Catch::StartsWith("evt: warning: -z " + codec + " is not applied: "));
      CHECK_THAT(warned, Catch::Contains("lists Produce v3..v7, not v0"));
      CHECK_THAT(warned, Catch::Contains("hint: -z zstd still compresses"));
      // Once, however many brokers and batches.
      CHECK(std::count(warned.begin(), warned.end(), '\n') == 2);
    }
    CHECK(produce_with("zstd").empty());
  }
  SECTION("Produce up to v6: zstd is dropped") {
    REQUIRE(mock.cluster().set_api_versions(0, 0, 6));
    const std::string warned = produce_with("zstd");
    CHECK_THAT(warned, Catch::StartsWith("evt: warning: -z zstd is not applied: "));
    CHECK_THAT(warned, Catch::Contains("lacks Produce v7 or Fetch v10"));
    CHECK(produce_with("gzip").empty());
  }
}
