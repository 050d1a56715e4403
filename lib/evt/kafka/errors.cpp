// SPDX-License-Identifier: MIT
#include "evt/kafka/errors.hpp"

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

namespace evt::kafka {

ErrorKind kind_for(rd_kafka_resp_err_t err) {
  switch (err) {
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR__RESOLVE:
    case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
      return ErrorKind::unreachable;
    case RD_KAFKA_RESP_ERR__AUTHENTICATION:
    case RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED:
    case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_DELEGATION_TOKEN_AUTHORIZATION_FAILED:
      return ErrorKind::auth;
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
    case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
    case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
    case RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND:
    case RD_KAFKA_RESP_ERR__UNKNOWN_GROUP:
      return ErrorKind::not_found;
    case RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE:
    case RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION:
      return ErrorKind::unsupported;
    case RD_KAFKA_RESP_ERR__INVALID_ARG:
      return ErrorKind::usage;
    default:
      return ErrorKind::kafka;
  }
}

std::string unreachable_hint() {
  return "check -b/--brokers or the context (evt config show); for a local broker run "
         "'evt broker --detach'";
}

Unexpected kafka_failure(rd_kafka_resp_err_t err, const std::string& what, std::string hint) {
  const ErrorKind kind = kind_for(err);
  if (hint.empty() && kind == ErrorKind::unreachable) {
    hint = unreachable_hint();
  }
  return fail(kind, fmt::format("{}: {}", what, rd_kafka_err2str(err)), std::move(hint));
}

}  // namespace evt::kafka
