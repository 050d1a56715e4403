// SPDX-License-Identifier: MIT
// Unit tests of produce's and replay's one decision of their exit status (ops::produce_outcome,
// ops::replay_outcome): from a run's summary to success or the error whose kind maps to the
// documented exit code.
#include <string>

#include <catch2/catch.hpp>

#include "evt/ops/produce.hpp"
#include "evt/ops/replay.hpp"

namespace {

using evt::Error;
using evt::ErrorKind;
using evt::ExitCode;
using evt::ops::ProduceSummary;
using evt::ops::ReplaySummary;

// 10 records read: `delivered` delivered, `failed` failed, the rest still queued.
ProduceSummary produced(std::uint64_t delivered, std::uint64_t failed) {
  ProduceSummary summary;
  summary.read = 10;
  summary.delivery.queued = 10;
  summary.delivery.delivered = delivered;
  summary.delivery.failed = failed;
  if (failed > 0) {
    summary.delivery.failures["Broker: Message size too large"] = failed;
  }
  return summary;
}

ExitCode exit_of(const evt::Result<void>& outcome) {
  return outcome ? ExitCode::ok : evt::exit_code_for(outcome.error().kind);
}

}  // namespace

TEST_CASE("produce outcome: everything delivered is success, with or without a signal",
          "[unit][produce]") {
  ProduceSummary summary = produced(10, 0);
  CHECK(exit_of(evt::ops::produce_outcome(summary)) == ExitCode::ok);
  summary.interrupted = true;  // the signal came once everything was read and delivered
  CHECK(exit_of(evt::ops::produce_outcome(summary)) == ExitCode::ok);
}

TEST_CASE("produce outcome: records not delivered are exit 1, counted", "[unit][produce]") {
  const auto outcome = evt::ops::produce_outcome(produced(7, 3));
  REQUIRE_FALSE(outcome);
  CHECK(exit_of(outcome) == ExitCode::failure);
  CHECK(outcome.error().message ==
        "3 of 10 records not delivered (Broker: Message size too large: 3)");
}

TEST_CASE("produce outcome: a signal that leaves records undelivered is exit 130, counted",
          "[unit][produce]") {
  ProduceSummary summary = produced(6, 1);  // 3 still queued when the wait was abandoned
  summary.interrupted = true;
  const auto outcome = evt::ops::produce_outcome(summary);
  REQUIRE_FALSE(outcome);
  CHECK(exit_of(outcome) == ExitCode::interrupted);
  CHECK(outcome.error().message ==
        "interrupted: 4 of 10 records not delivered (Broker: Message size too large: 1)");
  summary.transaction_aborted = true;
  const auto aborted = evt::ops::produce_outcome(summary);
  REQUIRE_FALSE(aborted);
  CHECK(exit_of(aborted) == ExitCode::interrupted);
  CHECK(aborted.error().message == "interrupted: transaction aborted, 10 records not committed");
  CHECK(evt::ops::undelivered(summary) == 10);
}

TEST_CASE("produce outcome: the error that ended the run is the outcome, as it is",
          "[unit][produce]") {
  ProduceSummary summary = produced(5, 0);
  summary.interrupted = true;
  summary.stop = Error{ErrorKind::unreachable, "cannot reach brokers", "check -b"};
  const auto outcome = evt::ops::produce_outcome(summary);
  REQUIRE_FALSE(outcome);
  CHECK(outcome.error().kind == ErrorKind::unreachable);
  CHECK(outcome.error().message == "cannot reach brokers");
  CHECK(outcome.error().hint == "check -b");
}

TEST_CASE("replay outcome: complete, or ended by its reader, is success", "[unit][replay]") {
  ReplaySummary summary;
  summary.total = summary.read = summary.written = 10;
  CHECK(exit_of(evt::ops::replay_outcome(summary, false, "resume")) == ExitCode::ok);
  ReplaySummary closed;
  closed.total = 10;
  closed.written = 2;
  closed.complete = false;
  closed.output_closed = true;  // `| head -2`
  CHECK(exit_of(evt::ops::replay_outcome(closed, false, "resume")) == ExitCode::ok);
}

TEST_CASE("replay outcome: interrupted is exit 130 and counts what was not delivered",
          "[unit][replay]") {
  ReplaySummary summary;
  summary.total = 100;
  summary.read = 10;
  summary.written = 7;
  summary.complete = false;
  summary.interrupted = true;
  auto outcome = evt::ops::replay_outcome(summary, false, "resume with: evt replay t --from 0=7");
  REQUIRE_FALSE(outcome);
  CHECK(exit_of(outcome) == ExitCode::interrupted);
  CHECK(outcome.error().message == "interrupted after 7 of 100 records");
  CHECK(outcome.error().hint == "resume with: evt replay t --from 0=7");
  // Records a second signal abandoned are counted; still 130, as produce.
  summary.failed = 3;
  summary.failures["Local: Purged in queue"] = 3;
  outcome = evt::ops::replay_outcome(summary, false, "resume");
  REQUIRE_FALSE(outcome);
  CHECK(exit_of(outcome) == ExitCode::interrupted);
  CHECK(outcome.error().message ==
        "interrupted after 7 of 100 records; 3 of 10 records not delivered (Local: Purged in "
        "queue: 3)");
  // From an --input file there is no range total.
  summary.failed = 0;
  outcome = evt::ops::replay_outcome(summary, true, "first line not written: 8");
  REQUIRE_FALSE(outcome);
  CHECK(outcome.error().message == "interrupted after 7 records");
}

TEST_CASE("replay outcome: records not delivered without a signal are exit 1, resumable",
          "[unit][replay]") {
  ReplaySummary summary;
  summary.total = summary.read = 10;
  summary.written = 9;
  summary.failed = 1;
  summary.failures["Broker: Message size too large"] = 1;
  summary.complete = false;
  const auto outcome = evt::ops::replay_outcome(summary, false, "resume with: X");
  REQUIRE_FALSE(outcome);
  CHECK(exit_of(outcome) == ExitCode::failure);
  CHECK(outcome.error().message ==
        "1 of 10 records not delivered (Broker: Message size too large: 1)");
  CHECK(outcome.error().hint == "resume with: X");
}

TEST_CASE("replay outcome: the source's error says what was written and how to go on",
          "[unit][replay]") {
  ReplaySummary summary;
  summary.total = 10;
  summary.read = summary.written = 4;
  summary.complete = false;
  summary.stop = Error{ErrorKind::unreachable, "every broker gone", "check the cluster"};
  const auto outcome = evt::ops::replay_outcome(summary, false, "resume with: X");
  REQUIRE_FALSE(outcome);
  CHECK(outcome.error().kind == ErrorKind::unreachable);
  CHECK(outcome.error().message == "every broker gone (4 records written)");
  CHECK(outcome.error().hint == "check the cluster; then resume with: X");
}
