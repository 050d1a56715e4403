// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "evt/config/resolve.hpp"
#include "evt/error.hpp"
#include "evt/format/field_decoder.hpp"
#include "evt/format/record_parser.hpp"
#include "evt/kafka/producer_types.hpp"
#include "evt/log.hpp"
#include "evt/record.hpp"
#include "evt/signals.hpp"

namespace evt::kafka {
class DeliverySink;
}

namespace evt::ops {

enum class InputFormat { lines, json, layout, raw };
enum class BadInput { fail, skip };

/// Everything `evt produce` was asked to do, already validated by the command layer.
struct ProduceSettings {
  std::string topic;               ///< empty: each record names its topic (json, %t)
  std::vector<std::string> files;  ///< empty: stdin; "-" is stdin
  InputFormat format = InputFormat::lines;
  std::string layout;              ///< for InputFormat::layout
  format::LineOptions lines;       ///< for InputFormat::lines
  std::optional<std::string> key;  ///< fixed key for every record
  std::vector<Header> headers;     ///< added to every record
  std::int32_t partition = -1;     ///< -1: per record, else the partitioner
  bool null_empty = false;         ///< empty value -> null (tombstone)
  std::optional<std::uint64_t> count;
  std::optional<double> rate;  ///< records per second
  BadInput on_bad_input = BadInput::fail;
  bool report = false;                            ///< one JSON line per delivery on stdout
  std::shared_ptr<format::FieldEncoder> encoder;  ///< --key-schema/--value-schema, or null
  /// On the first signal, say what is still being delivered (stderr a terminal, or -v).
  bool announce_flush = false;
  kafka::ProducerOptions producer;
};

/// What happened. `stop` says why reading stopped early, if it did.
struct ProduceSummary {
  std::uint64_t read = 0;     ///< records read and handed to the producer
  std::uint64_t skipped = 0;  ///< bad records skipped (--on-bad-input skip)
  kafka::DeliveryStats delivery;
  bool interrupted = false;
  std::optional<Error> stop;  ///< bad input, or a Kafka error that ended the run
  bool transaction_aborted = false;
};

/// Reads records from the files (or stdin) and produces them, streaming: each record is sent as
/// soon as it is complete. Returns an error only when nothing could start (bad settings,
/// unreachable brokers); everything after that is in the summary.
Result<ProduceSummary> produce(const ProduceSettings& settings,
                               const config::ResolvedConfig& config,
                               const Log& log,
                               Signals& signals,
                               int input_fd,
                               int output_fd);

/// produce()'s work once its sink is open: reads, sends, drains and ends the transaction.
/// `timeout` bounds the drain after a signal and the transaction's end.
Result<ProduceSummary> produce_into(kafka::DeliverySink& sink,
                                    const ProduceSettings& settings,
                                    std::chrono::milliseconds timeout,
                                    const Log& log,
                                    Signals& signals,
                                    int input_fd,
                                    int output_fd);

/// "3 of 1000 records not delivered (Broker: Message size too large: 3)".
std::string describe_failures(const ProduceSummary& summary);

/// Records read but not delivered: failed, still queued when the run ended, or every record
/// read when the transaction was aborted.
std::uint64_t undelivered(const ProduceSummary& summary);

/// What a run amounts to: produce's one decision of its exit status. The error that ended it
/// (the input, the brokers, the transaction's commit) as it is; interrupted (130) when a signal
/// left records undelivered, counting them; not delivered (1) when any record was not; else
/// success (also after a signal, when everything read was delivered).
Result<void> produce_outcome(const ProduceSummary& summary);

}  // namespace evt::ops
