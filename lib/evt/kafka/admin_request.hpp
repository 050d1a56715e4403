// SPDX-License-Identifier: MIT
// Internal to lib/evt/kafka: runs one librdkafka admin request and waits for its result event.
#pragma once

#include <string>

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include "evt/error.hpp"
#include "evt/kafka/client.hpp"
#include "evt/kafka/errors.hpp"
#include "evt/kafka/handles.hpp"

namespace evt::kafka {

/// Defined in admin.cpp: a failed admin request as an Error of the right kind with the
/// broker's message in full ("the broker does not support <what>" when unsupported).
Unexpected request_failure(rd_kafka_resp_err_t err,
                           const std::string& what,
                           const std::string& detail);

/// The broker's answer for one resource of a request (a topic, a group, a partition) as an
/// Error: its message in full, and the error's name for searching Kafka's documentation.
inline Error broker_refusal(rd_kafka_resp_err_t err, const std::string& what, const char* message) {
  const std::string text = message && *message ? message : rd_kafka_err2str(err);
  return Error{kind_for(err), fmt::format("{}: {} ({})", what, text, rd_kafka_err2name(err)), {}};
}

struct AdminRequestOptions {
  bool validate_only = false;
  /// Let the broker finish the operation (topic created on all replicas, ...) before answering.
  bool wait_for_operation = false;
};

/// Sends one admin request (`send(options, queue)`) bounded by the client's --timeout and
/// returns its result event; the event's own error becomes an Error naming `what`.
template <typename Send>
Result<EventPtr> run_admin_request(Client& client,
                                   rd_kafka_admin_op_t op,
                                   const std::string& what,
                                   const AdminRequestOptions& request,
                                   Send send) {
  AdminOptionsPtr options(rd_kafka_AdminOptions_new(client.handle(), op));
  char reason[256];
  const int timeout = static_cast<int>(client.timeout().count());
  rd_kafka_AdminOptions_set_request_timeout(options.get(), timeout, reason, sizeof reason);
  if (request.wait_for_operation) {
    rd_kafka_AdminOptions_set_operation_timeout(options.get(), timeout, reason, sizeof reason);
  }
  if (request.validate_only &&
      rd_kafka_AdminOptions_set_validate_only(options.get(), 1, reason, sizeof reason)) {
    return fail(ErrorKind::internal, fmt::format("{}: {}", what, reason));
  }
  QueuePtr queue(rd_kafka_queue_new(client.handle()));
  send(options.get(), queue.get());
  // The request timeout bounds the call; allow a little more for the event to arrive.
  EventPtr event(rd_kafka_queue_poll(queue.get(), timeout + 2000));
  if (!event) {
    return fail(ErrorKind::unreachable,
                fmt::format("{}: no answer from {} within the timeout", what, client.brokers()),
                unreachable_hint());
  }
  const rd_kafka_resp_err_t err = rd_kafka_event_error(event.get());
  if (err) {
    return request_failure(err, what, rd_kafka_event_error_string(event.get()));
  }
  return event;
}

}  // namespace evt::kafka
