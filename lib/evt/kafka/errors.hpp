// SPDX-License-Identifier: MIT
// Internal to lib/evt/kafka: includes librdkafka, so no code outside lib/evt/kafka includes it
// (tests/unit/librdkafka_boundary_test.cpp).
#pragma once

#include <string>

#include <librdkafka/rdkafka.h>

#include "evt/error.hpp"

namespace evt::kafka {

/// Classifies a librdkafka error for the exit code: unreachable, auth, not_found, unsupported,
/// or plain kafka.
ErrorKind kind_for(rd_kafka_resp_err_t err);

/// An Error of the right kind whose message is "<what>: <librdkafka's description>".
Unexpected kafka_failure(rd_kafka_resp_err_t err, const std::string& what, std::string hint = {});

/// The hint shown when no broker answers.
std::string unreachable_hint();

}  // namespace evt::kafka
