// SPDX-License-Identifier: MIT
// Unit tests of produce's loop (ops::produce_into) over a fake sink: what is sent, how a
// failed record is counted and named, and how the transaction ends.
#include <string>

#include <catch2/catch.hpp>

#include "evt/ops/produce.hpp"

#include "tests/unit/fake_sink.hpp"
#include <fcntl.h>
#include <unistd.h>

namespace {

using namespace std::chrono_literals;
using evt::Error;
using evt::ErrorKind;
using evt::Log;
using evt::Signals;
using evt::ops::produce_into;
using evt::ops::ProduceSettings;
using evt::ops::ProduceSummary;
using evt::test::FakeSink;

// Runs produce_into with `input` on stdin.
evt::Result<ProduceSummary> produce_lines(FakeSink& sink,
                                          const ProduceSettings& settings,
                                          const std::string& input) {
  int in[2];
  REQUIRE(::pipe2(in, O_CLOEXEC) == 0);
  REQUIRE(::write(in[1], input.data(), input.size()) == static_cast<ssize_t>(input.size()));
  ::close(in[1]);
  const int out = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  REQUIRE(out >= 0);
  const Log log(out);
  Signals signals;
  auto summary = produce_into(sink, settings, 1s, log, signals, in[0], out);
  ::close(in[0]);
  ::close(out);
  return summary;
}

ProduceSettings to_topic() {
  ProduceSettings settings;
  settings.topic = "t";
  return settings;
}

}  // namespace

TEST_CASE("produce loop: each line sent with its input number, the -H headers added",
          "[unit][produce]") {
  FakeSink sink;
  ProduceSettings settings = to_topic();
  settings.headers = {evt::Header{"h", std::string("v")}};
  settings.key = "k";
  auto summary = produce_lines(sink, settings, "a\nb\n");
  REQUIRE(summary);
  CHECK_FALSE(summary->stop);
  CHECK(summary->read == 2);
  CHECK(summary->delivery.delivered == 2);
  REQUIRE(sink.sent.size() == 2);
  CHECK(sink.sent[0].topic == "t");
  CHECK(sink.sent[0].partition == evt::kafka::k_any_partition);
  CHECK(sink.sent[0].key == evt::Bytes("k"));
  CHECK(sink.sent[1].value == evt::Bytes("b"));
  CHECK(sink.sent[1].input == 2);
  CHECK(sink.sent[1].headers == std::vector<evt::Header>{{"h", std::string("v")}});
}

TEST_CASE("produce loop: a record the brokers fail is counted and named by its input number",
          "[unit][produce]") {
  FakeSink sink;
  sink.fail_values = {"b"};
  auto summary = produce_lines(sink, to_topic(), "a\nb\nc\n");
  REQUIRE(summary);
  CHECK_FALSE(summary->stop);
  CHECK(summary->read == 3);
  CHECK(summary->delivery.delivered == 2);
  CHECK(summary->delivery.failed == 1);
  CHECK(evt::ops::describe_failures(*summary) ==
        "1 of 3 records not delivered (Broker: fake failure: 1); first failed input record: 2");
}

TEST_CASE("produce loop: a record the sink refuses is bad input: the run stops there",
          "[unit][produce]") {
  FakeSink sink;
  sink.refuse_values = {"b"};
  auto summary = produce_lines(sink, to_topic(), "a\nb\nc\n");
  REQUIRE(summary);
  REQUIRE(summary->stop);
  CHECK(summary->stop->kind == ErrorKind::usage);
  CHECK_THAT(summary->stop->message, Catch::Contains("stdin line 2"));
  CHECK(sink.sent.size() == 1);
  CHECK(summary->delivery.delivered == 1);  // what was read before is delivered
}

TEST_CASE("produce loop: the transaction commits a clean run, aborts any other",
          "[unit][produce]") {
  FakeSink sink;
  sink.is_transactional = true;
  SECTION("clean: committed") {
    auto summary = produce_lines(sink, to_topic(), "a\n");
    REQUIRE(summary);
    CHECK(sink.begins == 1);
    CHECK(sink.commits == 1);
    CHECK_FALSE(summary->transaction_aborted);
    CHECK_FALSE(summary->stop);
  }
  SECTION("a failed record: aborted, never committed") {
    sink.fail_values = {"a"};
    auto summary = produce_lines(sink, to_topic(), "a\n");
    REQUIRE(summary);
    CHECK(sink.commits == 0);
    CHECK(sink.aborts == 1);
    CHECK(summary->transaction_aborted);
  }
  SECTION("a commit that fails is the run's error") {
    sink.commit_error = Error{ErrorKind::kafka, "cannot commit the transaction: fenced", {}};
    auto summary = produce_lines(sink, to_topic(), "a\n");
    REQUIRE(summary);
    CHECK(sink.aborts == 1);
    CHECK(summary->transaction_aborted);
    REQUIRE(summary->stop);
    CHECK(summary->stop->message == "cannot commit the transaction: fenced");
  }
}
