// SPDX-License-Identifier: MIT
#include "evt/kafka/delivery_sink.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "evt/plural.hpp"
#include "evt/time_spec.hpp"

namespace evt::kafka {

namespace {

using Clock = std::chrono::steady_clock;

// One round of the drain: how long reports are served before signals are looked at again.
constexpr std::chrono::milliseconds k_round{100};
// The wait before any signal: in effect none (each record has its message timeout).
constexpr std::chrono::hours k_unbounded{24};

}  // namespace

DrainOutcome DeliverySink::drain(Signals& signals, const DrainOptions& options) {
  DrainOutcome outcome;
  outcome.interrupted = options.interrupted;
  // The signals that stopped the input are spent: one more bounds the wait, if it was not
  // bounded yet; the one after that gives up.
  int allowed = signals.count();
  auto deadline = Clock::now() + (options.interrupted ? Clock::duration(options.timeout)
                                                      : Clock::duration(k_unbounded));
  const auto announce = [&] {
    if (options.announce && stats().outstanding() > 0) {
      options.announce(stats().outstanding());
    }
  };
  if (options.interrupted) {
    announce();
  }
  while (stats().outstanding() > 0) {
    flush(k_round);
    if (options.served) {
      options.served();
    }
    const int received = signals.check();
    if (received > allowed && allowed == 0) {
      allowed = 1;
      outcome.interrupted = true;
      deadline = std::min(deadline, Clock::now() + options.timeout);
      announce();
    }
    if (received > allowed || Clock::now() > deadline) {
      outcome.interrupted = true;
      outcome.abandoned = true;
      purge();
      break;
    }
  }
  poll(std::chrono::milliseconds(0));
  if (options.served) {
    options.served();
  }
  return outcome;
}

TransactionEnd DeliverySink::end_transaction(bool commit,
                                             std::chrono::milliseconds timeout,
                                             const Log& log) {
  TransactionEnd end;
  if (commit) {
    auto committed = commit_transaction(timeout);
    if (committed) {
      end.committed = true;
      return end;
    }
    end.error = committed.error();
  }
  if (auto aborted = abort_transaction(timeout); !aborted) {
    log.warning(aborted.error().message);
  }
  return end;
}

std::string describe_undelivered(std::uint64_t undelivered,
                                 std::uint64_t of,
                                 const std::map<std::string, std::uint64_t>& reasons) {
  std::string text = fmt::format(
      "{} of {} not delivered", undelivered, plural(static_cast<std::int64_t>(of), "record"));
  std::string list;
  for (const auto& [reason, count] : reasons) {
    list += fmt::format("{}{}: {}", list.empty() ? "" : "; ", reason, count);
  }
  if (!list.empty()) {
    text += fmt::format(" ({})", list);
  }
  return text;
}

std::string describe_draining(std::uint64_t queued,
                              std::chrono::milliseconds timeout,
                              bool by_sigint) {
  const auto count = static_cast<std::int64_t>(queued);
  return fmt::format("interrupted: delivering {} queued {} for up to {} ({} again to abandon {})",
                     count,
                     noun_for(count, "record"),
                     format_duration(timeout),
                     by_sigint ? "Ctrl-C" : "signal",
                     count == 1 ? "it" : "them");
}

}  // namespace evt::kafka
