// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "evt/config/resolve.hpp"
#include "evt/error.hpp"
#include "evt/kafka/producer_types.hpp"
#include "evt/log.hpp"
#include "evt/record.hpp"
#include "evt/signals.hpp"

namespace evt::kafka {

/// The partition of a record the partitioner places (by key).
inline constexpr std::int32_t k_any_partition = -1;

/// One record to deliver. Views: the sink copies what it keeps before send() returns.
struct OutgoingRecord {
  std::string_view topic;
  std::int32_t partition = k_any_partition;
  BytesView key;
  BytesView value;
  const HeaderView* headers = nullptr;
  std::size_t header_count = 0;
  std::int64_t timestamp = -1;  ///< -1: the producer's clock
  std::uint64_t input = 0;      ///< the caller's number for it, given back in its report
};

/// How a drain waits (see DeliverySink::drain).
struct DrainOptions {
  /// How long the wait lasts once a signal arrived (--timeout).
  std::chrono::milliseconds timeout{0};
  /// A signal already stopped the input: the wait is bounded from the start.
  bool interrupted = false;
  /// Called when a signal bounds the wait with records outstanding (their number): the place
  /// to say what is being delivered. May be empty.
  std::function<void(std::uint64_t outstanding)> announce;
  /// Called after each round of delivery reports served (to write or count them). May be empty.
  std::function<void()> served;
};

/// How a drain ended.
struct DrainOutcome {
  bool interrupted = false;  ///< a signal arrived before or during the drain
  bool abandoned = false;    ///< what was left was dropped (counted as failed)
};

/// How a transaction ended.
struct TransactionEnd {
  bool committed = false;
  std::optional<Error> error;  ///< why the commit failed (the transaction was then aborted)
};

/// Where produce and replay deliver records: the seam between their loops and a Kafka producer.
/// The real sink wraps kafka::Producer (open_delivery_sink); tests give the loops a fake. Every
/// record sent ends as delivered or failed in stats(): a sink never loses count.
///
/// The primitives are virtual; the policies over them (drain, end_transaction) are not, so a
/// fake sink runs the same policies as the real one.
class DeliverySink {
 public:
  virtual ~DeliverySink() = default;

  /// Queues one record, serving delivery reports while the queue is full. Fails only when the
  /// record can never be queued: kind `usage` when the record itself is the problem (too
  /// large, a header name with a NUL), any other kind when no record can be (fatal errors).
  virtual Result<void> send(const OutgoingRecord& record) = 0;
  /// Serves delivery reports for up to `wait`.
  virtual void poll(std::chrono::milliseconds wait) = 0;
  /// Serves reports until nothing is outstanding or `timeout` passes; true when all completed.
  virtual bool flush(std::chrono::milliseconds timeout) = 0;
  /// Drops everything not yet delivered; each dropped record counts as failed.
  virtual void purge() = 0;

  /// The counts so far.
  virtual const DeliveryStats& stats() const = 0;
  /// The reports served so far that ProducerOptions::reports asked to keep; the caller clears.
  virtual std::vector<DeliveryReport>& reports() = 0;

  virtual bool transactional() const = 0;
  /// Initialises transactions and begins one (transactional sinks only).
  virtual Result<void> begin_transaction() = 0;
  virtual Result<void> commit_transaction(std::chrono::milliseconds timeout) = 0;
  virtual Result<void> abort_transaction(std::chrono::milliseconds timeout) = 0;

  /// Fails with the right exit kind when the cluster (or `topic`, unless empty) is not there.
  virtual Result<void> check_reachable(const std::string& topic) = 0;
  /// The number of partitions of `topic`.
  virtual Result<std::int32_t> partition_count(const std::string& topic) = 0;
  /// The largest record the producer sends (message.max.bytes).
  virtual std::int64_t max_message_bytes() const = 0;

  /// Waits for what is outstanding. Unbounded while no signal arrived (a slow cluster is not
  /// a failure; the producer's message timeout bounds each record). The first signal bounds
  /// the wait by `timeout` (and `announce`s it); a second signal, or the deadline, drops
  /// what is left, which counts as failed.
  DrainOutcome drain(Signals& signals, const DrainOptions& options);

  /// Ends the transaction: commits when `commit` (aborting when the commit fails), else
  /// aborts. The commit's failure is the outcome's error; an abort's failure is warned about
  /// (the run already fails for what made it abort), never dropped.
  TransactionEnd end_transaction(bool commit, std::chrono::milliseconds timeout, const Log& log);
};

/// A sink over a new producer of the cluster `config` describes.
Result<std::unique_ptr<DeliverySink>> open_delivery_sink(const config::ResolvedConfig& config,
                                                         const Log& log,
                                                         const ProducerOptions& options);

/// "3 of 1000 records not delivered (Broker: Message size too large: 3)": the one way produce
/// and replay say what was lost.
std::string describe_undelivered(std::uint64_t undelivered,
                                 std::uint64_t of,
                                 const std::map<std::string, std::uint64_t>& reasons);

/// "interrupted: delivering 12000 queued records for up to 10s (Ctrl-C again to abandon them)":
/// what produce and replay answer to the signal that bounds their drain (DrainOptions::announce).
std::string describe_draining(std::uint64_t queued,
                              std::chrono::milliseconds timeout,
                              bool by_sigint);

}  // namespace evt::kafka
