// SPDX-License-Identifier: MIT
// Unit tests of the DeliverySink's policies over a fake sink: the drain under signals and a
// deadline, the transaction's end, and the failure text produce and replay share.
#include "evt/kafka/delivery_sink.hpp"

#include <chrono>
#include <string>

#include <catch2/catch.hpp>

#include "tests/unit/fake_sink.hpp"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

namespace {

using namespace std::chrono_literals;
using evt::Error;
using evt::ErrorKind;
using evt::Log;
using evt::Signals;
using evt::kafka::DrainOptions;
using evt::kafka::OutgoingRecord;
using evt::test::FakeSink;

// Blocks the signals for the test's life, so that raised ones wait in the signalfd.
struct BlockedSignals {
  BlockedSignals() {
    pthread_sigmask(SIG_SETMASK, nullptr, &before);
    Signals::block();
  }
  ~BlockedSignals() {
    // Drop what is still pending before unblocking, or it would end the test binary.
    Signals drain;
    drain.check();
    pthread_sigmask(SIG_SETMASK, &before, nullptr);
  }
  sigset_t before;
};

void raise_signal(Signals& signals) {
  REQUIRE(pthread_kill(pthread_self(), SIGHUP) == 0);
  // check() in the drain must see it: wait until the signalfd is readable.
  pollfd fds[1] = {{signals.fd(), POLLIN, 0}};
  REQUIRE(::poll(fds, 1, 1000) == 1);
}

void send_values(FakeSink& sink, std::initializer_list<const char*> values) {
  std::uint64_t input = 0;
  for (const char* value : values) {
    OutgoingRecord record;
    record.topic = "t";
    record.value = evt::BytesView::of(std::string_view(value));
    record.input = ++input;
    REQUIRE(sink.send(record));
  }
}

// A log whose lines the test reads.
struct CapturedLog {
  CapturedLog() { REQUIRE(::pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0); }
  ~CapturedLog() {
    ::close(fds[0]);
    ::close(fds[1]);
  }
  std::string text() {
    std::string out;
    char chunk[4096];
    ssize_t got = 0;
    while ((got = ::read(fds[0], chunk, sizeof chunk)) > 0) {
      out.append(chunk, static_cast<std::size_t>(got));
    }
    return out;
  }
  int fds[2] = {-1, -1};
};

}  // namespace

TEST_CASE("sink drain: waits for every record, however long, while no signal arrives",
          "[unit][sink]") {
  BlockedSignals blocked;
  Signals signals;
  FakeSink sink;
  sink.hold = true;
  sink.on_flush = [&](int flush) { sink.hold = flush < 5; };
  send_values(sink, {"a", "b", "c"});
  int served = 0;
  DrainOptions options;
  options.timeout = 0ms;  // only a signal would make it count
  options.served = [&] { ++served; };
  const auto outcome = sink.drain(signals, options);
  CHECK_FALSE(outcome.interrupted);
  CHECK_FALSE(outcome.abandoned);
  CHECK(sink.stats().delivered == 3);
  CHECK(sink.purges == 0);
  CHECK(served == 6);  // after each of the 5 rounds, and once at the end
}

TEST_CASE("sink drain: after a signal the wait lasts --timeout, then the rest counts as failed",
          "[unit][sink]") {
  BlockedSignals blocked;
  Signals signals;
  FakeSink sink;
  sink.hold = true;
  send_values(sink, {"a", "b"});
  std::uint64_t announced = 0;
  DrainOptions options;
  options.timeout = 50ms;
  options.interrupted = true;
  options.announce = [&](std::uint64_t outstanding) { announced = outstanding; };
  const auto started = std::chrono::steady_clock::now();
  const auto outcome = sink.drain(signals, options);
  CHECK(std::chrono::steady_clock::now() - started >= 50ms);
  CHECK(outcome.interrupted);
  CHECK(outcome.abandoned);
  CHECK(announced == 2);
  CHECK(sink.purges == 1);
  CHECK(sink.stats().failed == 2);
  CHECK(sink.stats().outstanding() == 0);
}

TEST_CASE("sink drain: the first signal bounds the wait and says so, the second stops it now",
          "[unit][sink]") {
  BlockedSignals blocked;
  Signals signals;
  FakeSink sink;
  sink.hold = true;
  send_values(sink, {"a", "b", "c"});
  int announcements = 0;
  sink.on_flush = [&](int flush) {
    if (flush == 2 || flush == 4) {
      raise_signal(signals);
    }
  };
  DrainOptions options;
  options.timeout = std::chrono::hours(1);
  options.announce = [&](std::uint64_t) { ++announcements; };
  const auto outcome = sink.drain(signals, options);
  CHECK(outcome.interrupted);
  CHECK(outcome.abandoned);
  CHECK(announcements == 1);
  CHECK(sink.flushes == 4);
  CHECK(sink.stats().failed == 3);
  CHECK(sink.stats().failures.at("Local: Purged in queue") == 3);
}

TEST_CASE("sink transaction end: commit, or abort, keeping the commit's error", "[unit][sink]") {
  CapturedLog captured;
  const Log log(captured.fds[1]);
  SECTION("a clean run commits") {
    FakeSink sink;
    const auto end = sink.end_transaction(true, 1s, log);
    CHECK(end.committed);
    CHECK_FALSE(end.error);
    CHECK(sink.commits == 1);
    CHECK(sink.aborts == 0);
  }
  SECTION("a commit that fails is the outcome's error, and the transaction is aborted") {
    FakeSink sink;
    sink.commit_error = Error{ErrorKind::kafka, "cannot commit the transaction: fenced", {}};
    const auto end = sink.end_transaction(true, 1s, log);
    CHECK_FALSE(end.committed);
    REQUIRE(end.error);
    CHECK(end.error->message == "cannot commit the transaction: fenced");
    CHECK(sink.aborts == 1);
  }
  SECTION("a run that failed aborts; an abort that fails is said, not dropped") {
    FakeSink sink;
    sink.abort_error = Error{ErrorKind::kafka, "cannot abort the transaction: timed out", {}};
    const auto end = sink.end_transaction(false, 1s, log);
    CHECK_FALSE(end.committed);
    CHECK_FALSE(end.error);
    CHECK(sink.commits == 0);
    CHECK(sink.aborts == 1);
    CHECK_THAT(captured.text(), Catch::Contains("cannot abort the transaction: timed out"));
  }
}

TEST_CASE("sink failure text: counts of the records read, each reason with its count",
          "[unit][sink]") {
  CHECK(evt::kafka::describe_undelivered(0, 5, {}) == "0 of 5 records not delivered");
  CHECK(evt::kafka::describe_undelivered(3, 1, {}) == "3 of 1 record not delivered");
  CHECK(evt::kafka::describe_undelivered(3, 10, {{"Broker: a", 1}, {"Local: b", 2}}) ==
        "3 of 10 records not delivered (Broker: a: 1; Local: b: 2)");
}
