// SPDX-License-Identifier: MIT
#include "evt/kafka/read_errors.hpp"

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include "evt/kafka/errors.hpp"
#include "evt/kafka/metadata.hpp"
#include "evt/time_spec.hpp"

namespace evt::kafka {

namespace {

using Clock = std::chrono::steady_clock;

// How long a broker has to answer the check before the reader gives up on them all.
constexpr std::chrono::milliseconds k_last_check{1000};

std::string seconds_text(std::chrono::milliseconds duration) {
  return format_duration(duration);
}

}  // namespace

std::string where_of(const rd_kafka_message_t* message) {
  if (message->rkt == nullptr) {
    return "the consumer";
  }
  return fmt::format("{}/{}", rd_kafka_topic_name(message->rkt), message->partition);
}

ReadErrors::ReadErrors(Client& client, const Log& log, ReadPolicy policy, std::string subject)
    : m_client(client), m_log(log), m_policy(policy), m_subject(std::move(subject)) {}

void ReadErrors::once(const std::string& key, const std::string& message, bool transient) {
  if (!m_said.insert(key).second) {
    return;
  }
  if (transient && !m_policy.warn_transient) {
    m_log.info(message);
  } else {
    m_log.warning(message);
  }
}

Result<void> ReadErrors::on_error(const rd_kafka_message_t* message) {
  const rd_kafka_resp_err_t err = message->err;
  if (err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
    return {};
  }
  const std::string where = message->rkt ? where_of(message) : m_subject;
  const std::string text = rd_kafka_message_errstr(message);
  if (err == RD_KAFKA_RESP_ERR__FATAL) {
    char reason[512] = {0};
    rd_kafka_fatal_error(m_client.handle(), reason, sizeof reason);
    return fail(ErrorKind::kafka, fmt::format("{}: fatal error: {}", where, reason));
  }
  const ErrorKind kind = kind_for(err);
  if (kind == ErrorKind::not_found || kind == ErrorKind::auth) {
    return fail(kind, fmt::format("{}: {}", where, text));
  }
  once(fmt::format("{} {}", where, static_cast<int>(err)),
       fmt::format("{}: {} (retrying)", where, text));
  return {};
}

void ReadErrors::brokers_back() {
  m_down_since.reset();
  m_client.events().all_brokers_down = false;
}

Result<void> ReadErrors::on_idle() {
  ClientEvents& events = m_client.events();
  if (events.fatal) {
    char reason[512] = {0};
    rd_kafka_fatal_error(m_client.handle(), reason, sizeof reason);
    return fail(ErrorKind::kafka, fmt::format("fatal error: {}", reason));
  }
  if (events.auth_failed) {
    return auth_failure(m_client);
  }
  if (!events.all_brokers_down) {
    return {};
  }
  const auto now = Clock::now();
  if (!m_down_since) {
    m_down_since = now;
    once("all brokers down",
         m_policy.unreachable_after
             ? fmt::format("every broker is down ({}); waiting up to {} for one",
                           events.last_error_text(),
                           seconds_text(*m_policy.unreachable_after))
             : fmt::format("every broker is down ({}); waiting for one", events.last_error_text()),
         false);
    return {};
  }
  if (!m_policy.unreachable_after || now - *m_down_since < *m_policy.unreachable_after) {
    return {};
  }
  // The flag only says that every connection failed at some point: one last request tells
  // whether a broker came back while there was nothing to read.
  if (any_broker_answers(m_client, k_last_check)) {
    brokers_back();
    return {};
  }
  return fail(ErrorKind::unreachable,
              fmt::format("lost every broker of {} for {}: {}",
                          m_client.brokers(),
                          seconds_text(*m_policy.unreachable_after),
                          events.last_error_text()),
              unreachable_hint());
}

}  // namespace evt::kafka
