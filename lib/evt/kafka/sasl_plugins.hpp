// SPDX-License-Identifier: MIT
#pragma once

#include "evt/kafka/rdkafka_fwd.hpp"

namespace evt::kafka {

/// librdkafka initialises Cyrus SASL in the process's first rd_kafka_new, and Cyrus then dlopens
/// every plugin in its plugin directory (nine libraries and Berkeley DB on Debian): 0.7 ms and a
/// fifth of a short command's instructions. Only SASL/GSSAPI (Kerberos) uses Cyrus; PLAIN, SCRAM
/// and OAUTHBEARER are built into librdkafka. Call this before creating a handle from `conf`:
/// unless `conf` asks for GSSAPI or the user set SASL_PATH, the scan is pointed at a directory
/// that holds no plugins. Only the first call in a process does anything; later handles are
/// created after the one-time initialisation has happened.
void skip_sasl_plugin_scan_unless_needed(const rd_kafka_conf_t* conf);

/// Whether a client with these settings authenticates through Cyrus SASL (GSSAPI).
bool uses_cyrus_sasl(const char* security_protocol, const char* sasl_mechanisms);

}  // namespace evt::kafka
