// SPDX-License-Identifier: MIT
// Unit tests of consume's loop (ops::consume_records) over a scripted reader: what reaches the
// output, when it stops, what a group commits, and what an error says.
#include <string>

#include <catch2/catch.hpp>

#include "evt/format/record_filter.hpp"
#include "evt/format/record_formatter.hpp"
#include "evt/io/output.hpp"
#include "evt/ops/consume.hpp"

#include "tests/unit/fake_reader.hpp"
#include <fcntl.h>
#include <unistd.h>

namespace {

using evt::Error;
using evt::ErrorKind;
using evt::Signals;
using evt::io::Output;
using evt::kafka::PartitionRange;
using evt::kafka::TopicPartition;
using evt::ops::consume_records;
using evt::ops::ConsumeSettings;
using evt::test::FakeReader;
using evt::test::record_at;
using Step = FakeReader::Step;

ConsumeSettings value_settings() {
  ConsumeSettings settings;
  settings.topics = {"t"};
  settings.formatter = evt::format::make_value_formatter("\n", std::nullopt);
  return settings;
}

// A pipe whose read end the test drains.
struct Pipe {
  Pipe() { REQUIRE(::pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0); }
  ~Pipe() {
    ::close(fds[0]);
    if (fds[1] >= 0) {
      ::close(fds[1]);
    }
  }
  std::string drain() {
    std::string text;
    char chunk[4096];
    ssize_t got = 0;
    while ((got = ::read(fds[0], chunk, sizeof chunk)) > 0) {
      text.append(chunk, static_cast<std::size_t>(got));
    }
    return text;
  }
  int fds[2] = {-1, -1};
};

}  // namespace

TEST_CASE("consume loop: every record through the formatter, until the reader's end",
          "[unit][consume]") {
  FakeReader reader({record_at("t", 0, 0, "a"),
                     record_at("t", 1, 5, "b"),
                     FakeReader::Idle{},
                     record_at("t", 0, 1, "c"),
                     FakeReader::End{},
                     record_at("t", 0, 2, "x")});
  Signals signals;
  Pipe pipe;
  Output output(pipe.fds[1]);
  auto summary = consume_records(reader, value_settings(), signals, output);
  REQUIRE(summary);
  CHECK(summary->written == 3);
  CHECK_FALSE(summary->interrupted);
  CHECK(pipe.drain() == "a\nb\nc\n");
}

TEST_CASE("consume loop: -c stops after N records, --idle-timeout after a quiet spell",
          "[unit][consume]") {
  Signals signals;
  {
    FakeReader reader(
        {record_at("t", 0, 0, "a"), record_at("t", 0, 1, "b"), record_at("t", 0, 2, "c")});
    ConsumeSettings settings = value_settings();
    settings.count = 2;
    Pipe pipe;
    Output output(pipe.fds[1]);
    auto summary = consume_records(reader, settings, signals, output);
    REQUIRE(summary);
    CHECK(pipe.drain() == "a\nb\n");
  }
  {
    FakeReader reader({record_at("t", 0, 0, "a"),
                       FakeReader::Idle{},
                       FakeReader::Idle{},
                       record_at("t", 0, 1, "late")});
    ConsumeSettings settings = value_settings();
    settings.idle_timeout = std::chrono::milliseconds(0);
    Pipe pipe;
    Output output(pipe.fds[1]);
    auto summary = consume_records(reader, settings, signals, output);
    REQUIRE(summary);
    CHECK(summary->idle);
    CHECK(pipe.drain() == "a\n");
  }
}

TEST_CASE("consume loop: a reader's error keeps what was written and says how to resume",
          "[unit][consume]") {
  FakeReader reader({record_at("t", 0, 40, "a"),
                     record_at("t", 2, 7, "b"),
                     Error{ErrorKind::unreachable, "lost every broker of b:9092 for 5s", ""}});
  reader.left = {PartitionRange{"t", 0, 41, 100}, PartitionRange{"t", 2, 8, 20}};
  ConsumeSettings settings = value_settings();
  settings.resume = {"evt consume", {"-f", "json", "-e", "-b", "b:9092"}};
  Signals signals;
  Pipe pipe;
  Output output(pipe.fds[1]);
  auto summary = consume_records(reader, settings, signals, output);
  REQUIRE_FALSE(summary);
  CHECK(summary.error().kind == ErrorKind::unreachable);
  CHECK(summary.error().message == "lost every broker of b:9092 for 5s (2 records written)");
  CHECK(summary.error().hint ==
        "resume with: evt consume t -f json -e -b b:9092 -o 0=41:100 -o 2=8:20 -p 0 -p 2");
  CHECK(pipe.drain() == "a\nb\n");
}

TEST_CASE("consume loop: a failed output is an I/O error, a reader that left is a quiet stop",
          "[unit][consume]") {
  Signals signals;
  {
    FakeReader reader({record_at("t", 0, 0, "a"), record_at("t", 0, 1, "b")});
    const int full = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
    REQUIRE(full >= 0);
    Output output(full);
    auto summary = consume_records(reader, value_settings(), signals, output);
    ::close(full);
    REQUIRE_FALSE(summary);
    CHECK(summary.error().kind == ErrorKind::io);
    CHECK(summary.error().message == "cannot write to stdout: No space left on device");
  }
  {
    FakeReader reader({record_at("t", 0, 0, "a"), FakeReader::Idle{}, record_at("t", 0, 1, "b")});
    Pipe pipe;
    ::close(pipe.fds[0]);
    pipe.fds[0] = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    Output output(pipe.fds[1]);
    auto summary = consume_records(reader, value_settings(), signals, output);
    REQUIRE(summary);
    CHECK(summary->output_closed);
    CHECK(summary->written == 1);
  }
}

TEST_CASE("consume loop: a group commits what was written, nothing before it is flushed",
          "[unit][consume]") {
  FakeReader reader({record_at("t", 0, 10, "a"),
                     record_at("t", 1, 3, "b"),
                     record_at("t", 0, 11, "c"),
                     FakeReader::Idle{}});
  ConsumeSettings settings = value_settings();
  settings.group.emplace(1, 'g');  // (= "g" trips a GCC 12 -Wrestrict false positive)
  Signals signals;
  const int fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  Output output(fd);
  auto summary = consume_records(reader, settings, signals, output);
  ::close(fd);
  REQUIRE(summary);
  CHECK(reader.committed == std::map<TopicPartition, std::int64_t>{{{"t", 0}, 12}, {{"t", 1}, 4}});
}

TEST_CASE("consume loop: filters run before formatting, -c counts the records that match",
          "[unit][consume]") {
  evt::format::FilterSpec spec;
  spec.value_patterns = {"^k"};
  auto filter = evt::format::RecordFilter::compile(spec);
  REQUIRE(filter);
  Signals signals;
  {
    FakeReader reader({record_at("t", 0, 0, "a"),
                       record_at("t", 0, 1, "k1"),
                       record_at("t", 0, 2, "b"),
                       record_at("t", 0, 3, "k2"),
                       record_at("t", 0, 4, "k3")});
    ConsumeSettings settings = value_settings();
    settings.filter = std::move(*filter);
    settings.count = 2;
    Pipe pipe;
    Output output(pipe.fds[1]);
    auto summary = consume_records(reader, settings, signals, output);
    REQUIRE(summary);
    CHECK(summary->written == 2);
    CHECK(summary->filtered == 2);
    CHECK(pipe.drain() == "k1\nk2\n");
  }
  {
    // A group commits past the records the filters skipped too.
    auto group_filter = evt::format::RecordFilter::compile(spec);
    REQUIRE(group_filter);
    FakeReader reader({record_at("t", 0, 7, "a"),
                       record_at("t", 1, 2, "k"),
                       record_at("t", 0, 8, "b"),
                       FakeReader::Idle{}});
    ConsumeSettings settings = value_settings();
    settings.filter = std::move(*group_filter);
    settings.group.emplace(1, 'g');
    const int fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    Output output(fd);
    auto summary = consume_records(reader, settings, signals, output);
    ::close(fd);
    REQUIRE(summary);
    CHECK(summary->written == 1);
    CHECK(reader.committed == std::map<TopicPartition, std::int64_t>{{{"t", 0}, 9}, {{"t", 1}, 3}});
  }
}
