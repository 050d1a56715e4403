// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace evt {
class Signals;
}  // namespace evt

namespace evt::kafka {

/// How the producer behaves; the defaults are evt's documented defaults. Free of librdkafka
/// types so that cmd/ can fill it in.
struct ProducerOptions {
  std::string compression = "none";  ///< none|gzip|snappy|lz4|zstd
  std::string acks = "all";          ///< all|1|0
  bool idempotence = true;
  std::string partitioner = "murmur2_random";
  std::optional<std::string> transactional_id;
  /// Which delivery reports to keep: the run's counts are kept whatever this says.
  enum class Reports { none, failures, all };
  Reports reports = Reports::none;
  /// While send() waits for room in a full queue, a signal here ends the wait: send() fails
  /// with kind `interrupted` (without it, Ctrl-C waited until queued records expired).
  Signals* interrupt = nullptr;
};

/// The outcome of one record, as its delivery report said.
struct DeliveryReport {
  std::uint64_t input = 0;  ///< the record's input sequence number, as sent
  std::string topic;
  std::int32_t partition = -1;
  std::int64_t offset = -1;
  std::int64_t timestamp = -1;
  std::string error;              ///< why it failed; empty when delivered
  bool possibly_written = false;  ///< failed, but the broker may have stored it (late answer)

  bool failed() const { return !error.empty(); }
};

/// Counts of what happened to the records handed to the producer.
struct DeliveryStats {
  std::uint64_t queued = 0;
  std::uint64_t delivered = 0;
  std::uint64_t failed = 0;
  std::map<std::string, std::uint64_t> failures;  ///< failed records per reason
  std::uint64_t first_failed_input = 0;           ///< 0 when none failed

  std::uint64_t outstanding() const { return queued - delivered - failed; }
};

}  // namespace evt::kafka
