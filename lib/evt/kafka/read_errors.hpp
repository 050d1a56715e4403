// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "evt/error.hpp"
#include "evt/kafka/client.hpp"
#include "evt/kafka/rdkafka_fwd.hpp"
#include "evt/kafka/record_reader.hpp"

namespace evt::kafka {

/// The one error policy of the readers (ReadPolicy says what a subcommand may choose):
/// - not found, refused authorization and fatal client errors end the read;
/// - transient errors are left to the client's retries and logged once per partition;
/// - when every broker is down (ClientEvents::all_brokers_down) and nothing arrives for
///   `unreachable_after`, the read ends with `unreachable`, unless a broker still answers.
/// Offsets out of range are the readers' own business (they know the range).
class ReadErrors {
 public:
  /// `subject`: what an error that names no partition is said of (a group member's errors are
  /// the group's, e.g. group authorization failed).
  ReadErrors(Client& client,
             const Log& log,
             ReadPolicy policy,
             std::string subject = "the consumer");

  /// An error message of a partition (or of the consumer when it names none).
  Result<void> on_error(const rd_kafka_message_t* message);
  /// A record arrived: the brokers are there.
  void on_record() {
    if (m_down_since) {
      brokers_back();
    }
  }
  /// Nothing arrived within a wait: fails once every broker has been down long enough.
  Result<void> on_idle();
  /// Says `message` once per `key` (a partition and what happened there), as a warning or, when
  /// transient errors are quiet, in the -v log.
  void once(const std::string& key, const std::string& message, bool transient = true);

 private:
  void brokers_back();

  Client& m_client;
  const Log& m_log;
  ReadPolicy m_policy;
  std::string m_subject;
  std::set<std::string> m_said;
  std::optional<std::chrono::steady_clock::time_point> m_down_since;
};

/// "topic/partition" of a message, or "the consumer" when it belongs to no partition.
std::string where_of(const rd_kafka_message_t* message);

}  // namespace evt::kafka
