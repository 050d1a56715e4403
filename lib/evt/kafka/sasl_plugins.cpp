// SPDX-License-Identifier: MIT
#include "evt/kafka/sasl_plugins.hpp"

#include <atomic>
#include <cstdlib>
#include <string>

#include <librdkafka/rdkafka.h>

#include <strings.h>

namespace evt::kafka {

namespace {

// A directory every Linux system has whose entries are never plugins: Cyrus only loads names
// ending in .so or .la, and these are file descriptor numbers. A missing directory would do
// too, but Cyrus reports that to syslog.
constexpr const char* k_directory_without_plugins = "/proc/self/fdinfo";

std::string conf_value(const rd_kafka_conf_t* conf, const char* name) {
  char value[256] = {0};
  std::size_t size = sizeof value;
  if (rd_kafka_conf_get(conf, name, value, &size) != RD_KAFKA_CONF_OK) {
    return "";
  }
  return value;
}

}  // namespace

bool uses_cyrus_sasl(const char* security_protocol, const char* sasl_mechanisms) {
  return strncasecmp(security_protocol, "sasl_", 5) == 0 &&
         strcasecmp(sasl_mechanisms, "GSSAPI") == 0;
}

void skip_sasl_plugin_scan_unless_needed(const rd_kafka_conf_t* conf) {
  static std::atomic<bool> first_handle{true};
  if (!first_handle.exchange(false)) {
    return;
  }
  const std::string protocol = conf_value(conf, "security.protocol");
  const std::string mechanisms = conf_value(conf, "sasl.mechanisms");
  if (uses_cyrus_sasl(protocol.c_str(), mechanisms.c_str())) {
    return;
  }
  // Never overrides the user's own SASL_PATH (the last argument).
  ::setenv("SASL_PATH", k_directory_without_plugins, 0);
}

}  // namespace evt::kafka
