// SPDX-License-Identifier: MIT
// Unit tests of when evt lets Cyrus SASL scan its plugin directory.
#include "evt/kafka/sasl_plugins.hpp"

#include <catch2/catch.hpp>

TEST_CASE("sasl plugins: only SASL/GSSAPI needs Cyrus's plugins", "[sasl]") {
  CHECK(evt::kafka::uses_cyrus_sasl("sasl_plaintext", "GSSAPI"));
  CHECK(evt::kafka::uses_cyrus_sasl("SASL_SSL", "gssapi"));
  // librdkafka's default mechanism is GSSAPI, but without a SASL protocol it is never used.
  CHECK_FALSE(evt::kafka::uses_cyrus_sasl("plaintext", "GSSAPI"));
  CHECK_FALSE(evt::kafka::uses_cyrus_sasl("ssl", "GSSAPI"));
  // librdkafka implements these itself.
  CHECK_FALSE(evt::kafka::uses_cyrus_sasl("sasl_ssl", "PLAIN"));
  CHECK_FALSE(evt::kafka::uses_cyrus_sasl("sasl_ssl", "SCRAM-SHA-512"));
  CHECK_FALSE(evt::kafka::uses_cyrus_sasl("sasl_plaintext", "OAUTHBEARER"));
}
