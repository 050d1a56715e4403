// SPDX-License-Identifier: MIT
// Unit tests of replay's copy loop (ops::replay_records) over a scripted reader and a fake
// sink: what reaches the destination, what failures and reader errors do to the counts, the
// resume points and the transaction.
#include <string>

#include <catch2/catch.hpp>

#include "evt/format/record_formatter.hpp"
#include "evt/ops/replay.hpp"

#include "tests/unit/fake_reader.hpp"
#include "tests/unit/fake_sink.hpp"
#include <fcntl.h>
#include <unistd.h>

namespace {

using namespace std::chrono_literals;
using evt::Error;
using evt::ErrorKind;
using evt::Log;
using evt::Signals;
using evt::kafka::PartitionRange;
using evt::ops::replay_records;
using evt::ops::ReplaySettings;
using evt::ops::ReplaySummary;
using evt::test::FakeReader;
using evt::test::FakeSink;
using evt::test::record_at;

// The source: topic "src", partitions 0 and 1, offsets [0, 3) of each.
const std::vector<PartitionRange> k_ranges = {{"src", 0, 0, 3}, {"src", 1, 0, 3}};

ReplaySettings into_settings() {
  ReplaySettings settings;
  settings.topic = "src";
  settings.into = "dst";
  return settings;
}

ReplaySummary of_total(std::uint64_t total) {
  ReplaySummary summary;
  summary.total = total;
  return summary;
}

// An fd for output the test does not look at.
struct DevNull {
  DevNull() : fd(::open("/dev/null", O_WRONLY | O_CLOEXEC)) { REQUIRE(fd >= 0); }
  ~DevNull() { ::close(fd); }
  int fd;
};

evt::Record with_header(evt::Record record, std::string name, evt::Bytes value) {
  record.headers.push_back(evt::Header{std::move(name), std::move(value)});
  record.key = "k" + std::to_string(record.offset);
  return record;
}

}  // namespace

TEST_CASE("replay loop: records copied exactly, with the added and mark headers",
          "[unit][replay]") {
  FakeReader reader({with_header(record_at("src", 0, 0, "a"), "h", std::nullopt),
                     FakeReader::Idle{},
                     record_at("src", 1, 0, "b"),
                     FakeReader::End{}});
  FakeSink sink;
  ReplaySettings settings = into_settings();
  settings.mark = true;
  settings.headers = {evt::Header{"added", std::string("x")}};
  Signals signals;
  DevNull out;
  const Log log(out.fd);
  auto summary =
      replay_records(reader, k_ranges, &sink, settings, 1s, log, signals, out.fd, of_total(6));
  REQUIRE(summary);
  CHECK_FALSE(summary->stop);
  CHECK(summary->read == 2);
  CHECK(summary->written == 2);
  CHECK(summary->failed == 0);
  REQUIRE(sink.sent.size() == 2);
  const FakeSink::Sent& first = sink.sent[0];
  CHECK(first.topic == "dst");
  CHECK(first.partition == evt::kafka::k_any_partition);
  CHECK(first.key == evt::Bytes("k0"));
  CHECK(first.value == evt::Bytes("a"));
  CHECK(first.timestamp == 1'600'000'000'000);
  REQUIRE(first.headers.size() == 3);
  CHECK(first.headers[0] == evt::Header{"h", std::nullopt});
  CHECK(first.headers[1] == evt::Header{"added", std::string("x")});
  CHECK(first.headers[2] == evt::Header{"evt-replay-source", std::string("src/0/0")});
  CHECK(sink.sent[1].headers.back() == evt::Header{"evt-replay-source", std::string("src/1/0")});
  // The reader's end came before the ranges' ends: what is left is where a rerun resumes.
  CHECK_FALSE(summary->complete);
  CHECK(summary->resume == std::map<std::int32_t, std::int64_t>{{0, 1}, {1, 1}});
}

TEST_CASE("replay loop: a record the destination fails is counted, named and resumed from",
          "[unit][replay]") {
  FakeReader reader({record_at("src", 0, 0, "a"),
                     record_at("src", 0, 1, "bad"),
                     record_at("src", 0, 2, "c"),
                     record_at("src", 1, 0, "d"),
                     record_at("src", 1, 1, "e"),
                     record_at("src", 1, 2, "f"),
                     FakeReader::End{}});
  FakeSink sink;
  sink.fail_values = {"bad"};
  sink.refuse_values = {"e"};
  Signals signals;
  DevNull out;
  const Log log(out.fd);
  auto summary = replay_records(
      reader, k_ranges, &sink, into_settings(), 1s, log, signals, out.fd, of_total(6));
  REQUIRE(summary);
  CHECK(summary->read == 6);
  CHECK(summary->written == 4);
  CHECK(summary->failed == 2);
  CHECK_FALSE(summary->complete);
  // Per partition, the first record not delivered.
  CHECK(summary->resume == std::map<std::int32_t, std::int64_t>{{0, 1}, {1, 1}});
  CHECK(evt::ops::describe_failures(*summary) ==
        "2 of 6 records not delivered (Broker: fake failure: 1; record of 1 bytes is too "
        "large: 1)");
}

TEST_CASE("replay loop: a reader's error stops the copy, and what was read is still delivered",
          "[unit][replay]") {
  FakeReader reader({record_at("src", 0, 0, "a"),
                     record_at("src", 0, 1, "b"),
                     Error{ErrorKind::auth, "src/1: Broker: Topic authorization failed", {}},
                     record_at("src", 0, 2, "never")});
  FakeSink sink;
  Signals signals;
  DevNull out;
  const Log log(out.fd);
  auto summary = replay_records(
      reader, k_ranges, &sink, into_settings(), 1s, log, signals, out.fd, of_total(6));
  REQUIRE(summary);
  REQUIRE(summary->stop);
  CHECK(summary->stop->kind == ErrorKind::auth);
  CHECK(summary->stop->message == "src/1: Broker: Topic authorization failed");
  CHECK(sink.sent.size() == 2);
  CHECK(summary->written == 2);
  CHECK_FALSE(summary->complete);
  CHECK(summary->resume == std::map<std::int32_t, std::int64_t>{{0, 2}, {1, 0}});
}

TEST_CASE("replay loop: a transaction whose commit fails is aborted, and says why",
          "[unit][replay]") {
  FakeReader reader({record_at("src", 0, 0, "a"),
                     record_at("src", 0, 1, "b"),
                     record_at("src", 0, 2, "c"),
                     FakeReader::End{}});
  FakeSink sink;
  sink.is_transactional = true;
  sink.commit_error =
      Error{ErrorKind::kafka, "cannot commit the transaction: Broker: Producer fenced", {}};
  Signals signals;
  DevNull out;
  const Log log(out.fd);
  const std::vector<PartitionRange> ranges = {{"src", 0, 0, 3}};
  auto summary =
      replay_records(reader, ranges, &sink, into_settings(), 1s, log, signals, out.fd, of_total(3));
  REQUIRE(summary);
  CHECK(sink.commits == 1);
  CHECK(sink.aborts == 1);
  CHECK(summary->transaction_aborted);
  CHECK(summary->failed == 3);
  CHECK(summary->written == 0);
  CHECK(summary->resume == std::map<std::int32_t, std::int64_t>{{0, 0}});
  CHECK(evt::ops::describe_failures(*summary) ==
        "3 of 3 records not delivered; the transaction was aborted (cannot commit the "
        "transaction: Broker: Producer fenced)");
}

TEST_CASE("replay loop: a failed record aborts the transaction without a commit",
          "[unit][replay]") {
  FakeReader reader(
      {record_at("src", 0, 0, "a"), record_at("src", 0, 1, "bad"), FakeReader::End{}});
  FakeSink sink;
  sink.is_transactional = true;
  sink.fail_values = {"bad"};
  Signals signals;
  DevNull out;
  const Log log(out.fd);
  const std::vector<PartitionRange> ranges = {{"src", 0, 0, 2}};
  auto summary =
      replay_records(reader, ranges, &sink, into_settings(), 1s, log, signals, out.fd, of_total(2));
  REQUIRE(summary);
  CHECK(sink.commits == 0);
  CHECK(sink.aborts == 1);
  CHECK(summary->transaction_aborted);
  CHECK_FALSE(summary->transaction_error);
  CHECK(summary->failed == 2);
}

TEST_CASE("replay loop: to stdout through the formatter, in the reader's order", "[unit][replay]") {
  FakeReader reader({record_at("src", 1, 0, "b"), record_at("src", 0, 0, "a"), FakeReader::End{}});
  int fds[2];
  REQUIRE(::pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0);
  ReplaySettings settings;
  settings.topic = "src";
  settings.formatter = evt::format::make_value_formatter("\n", std::nullopt);
  Signals signals;
  const Log log(fds[1]);
  auto summary =
      replay_records(reader, k_ranges, nullptr, settings, 1s, log, signals, fds[1], of_total(6));
  REQUIRE(summary);
  CHECK(summary->written == 2);
  char text[64] = {0};
  CHECK(::read(fds[0], text, sizeof text) == 4);
  CHECK(std::string(text) == "b\na\n");
  ::close(fds[0]);
  ::close(fds[1]);
}
