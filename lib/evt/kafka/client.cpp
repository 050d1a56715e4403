// SPDX-License-Identifier: MIT
#include "evt/kafka/client.hpp"

#include <cstdio>
#include <cstring>

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include "evt/kafka/errors.hpp"
#include "evt/kafka/sasl_plugins.hpp"
#include "evt/spellcheck.hpp"

#include <syslog.h>

namespace evt::kafka {

namespace {

void warn_uncompressed(const Client* client, const std::string& why) {
  ClientEvents& events = const_cast<Client*>(client)->events();
  if (events.compression_ignored.exchange(true)) {
    return;
  }
  const Log& log = client->log();
  log.warning(
      fmt::format("-z {} is not applied: {}, so librdkafka 2.0.2 sends the records uncompressed",
                  events.compression,
                  why));
  if (log.verbosity() >= 0) {
    log.hint(events.compression == "zstd"
                 ? "this broker is older than Kafka 2.1; use -z gzip, snappy or lz4 with it"
                 : "-z zstd still compresses on brokers without Produce v0 (KIP-896)");
  }
}

// One line of librdkafka's API version list: "  ApiKey Produce (0) Versions 3..13".
void check_compression(Client* client, const char* message) {
  const char* key = std::strstr(message, "ApiKey ");
  if (!key) {
    return;
  }
  int api = -1;
  int low = -1;
  int high = -1;
  const char* paren = std::strchr(key, '(');
  if (!paren || std::sscanf(paren, "(%d) Versions %d..%d", &api, &low, &high) != 3) {
    return;
  }
  ClientEvents& events = client->events();
  const std::string& codec = events.compression;
  std::string broker(message, static_cast<std::size_t>(key - message));
  while (!broker.empty() && (broker.back() == ' ' || broker.back() == ':')) {
    broker.pop_back();
  }
  // The checks of rdkafka_msgset_writer.c in 2.0.2: the codec's Produce version (0; zstd 7)
  // must be listed, and lz4 and zstd need their feature (FindCoordinator v0; Fetch v10).
  if (api == 0) {
    events.produce_min = low;
    events.produce_max = high;
    if (codec != "zstd" && low > 0) {
      warn_uncompressed(client,
                        fmt::format("the broker {} lists Produce v{}..v{}, not v0, by which "
                                    "librdkafka 2.0.2 decides that it may use {}",
                                    broker,
                                    low,
                                    high,
                                    codec));
    }
  } else if (api == 1 && codec == "zstd" &&
             (events.produce_min > 7 || events.produce_max < 7 || low > 10 || high < 10)) {
    warn_uncompressed(
        client,
        fmt::format("the broker {} lacks Produce v7 or Fetch v10, which zstd needs", broker));
  } else if (api == 10 && codec == "lz4" && low > 0) {
    warn_uncompressed(client,
                      fmt::format("the broker {} lists FindCoordinator v{}..v{}, not v0, by which "
                                  "librdkafka 2.0.2 decides that it may use lz4",
                                  broker,
                                  low,
                                  high));
  }
}

// "[thrd:...]: 127.0.0.1:1/bootstrap: Connect to ipv4#127.0.0.1:1 failed: Connection refused
// (after 0ms in state CONNECT)" and "h:9092/bootstrap: Failed to resolve 'h:9092': Name or service
// not known (...)": librdkafka's FAIL log lines, the only report of them while evt waits in
// rd_kafka_metadata() (error_cb is served only by polling).
void record_broker_failure(ClientEvents& events, std::string_view message) {
  if (message.starts_with("[thrd:")) {  // "[thrd:127.0.0.1:1/bootstrap]: " first
    const std::size_t end = message.find("]: ");
    message.remove_prefix(end == std::string_view::npos ? message.size() : end + 3);
  }
  const std::size_t colon = message.find(": ");
  if (colon == std::string_view::npos) {
    return;
  }
  std::string_view name = message.substr(0, colon);
  name = name.substr(0, name.find('/'));
  std::string_view cause = message.substr(colon + 2);
  cause = cause.substr(0, cause.find(" (after"));
  const bool refused = cause.find("Connection refused") != std::string_view::npos;
  const bool no_such_name = cause.find("Failed to resolve") != std::string_view::npos &&
                            (cause.find("Name or service not known") != std::string_view::npos ||
                             cause.find("No address associated") != std::string_view::npos);
  if (const std::size_t failed = cause.find("failed: ");
      refused && failed != std::string_view::npos) {
    cause.remove_prefix(failed + 8);  // "Connect to ipv4#127.0.0.1:1 failed: " says no more
  }
  std::lock_guard lock(events.mutex);
  events.broker_failures[std::string(name)] =
      ClientEvents::BrokerFailure{refused || no_such_name, std::string(cause)};
}

void on_log(const rd_kafka_t* rk, int level, const char* facility, const char* message) {
  auto* client = static_cast<Client*>(rd_kafka_opaque(rk));
  if (!client) {
    return;
  }
  if (facility && message && std::string_view(facility) == "FAIL") {
    record_broker_failure(client->events(), message);
  }
  const Log& log = client->log();
  ClientEvents& events = client->events();
  // librdkafka 2.0.2 compresses with gzip, snappy or lz4 only if the broker lists Produce v0
  // (zstd: Produce v7 and Fetch v10); otherwise it sends the batch uncompressed, saying so only
  // in a debug line (its once-a-day notice stays silent on a machine up for less than a day).
  // A -z that is silently ignored is a lie: check each broker's versions as they arrive.
  if (events.compression != "none" && std::strcmp(facility, "APIVERSION") == 0) {
    check_compression(client, message);
  }
  // A refused SASL login is reported through error_cb too, but that event waits in a queue
  // nobody serves while evt waits for metadata: without this, wrong credentials would end as
  // "cannot reach brokers" (exit 3) instead of an authentication failure (exit 4).
  if (std::strstr(message, "SASL authentication error") != nullptr ||
      std::strstr(message, "SASL authentication failed") != nullptr) {
    {
      std::lock_guard lock(events.mutex);
      events.last_error = message;
    }
    events.auth_failed = true;
  }
  // "SSL handshake failed: ...: certificate verify failed: broker certificate could not be
  // verified, verify that ssl.ca.location is correctly configured or root CA certificates are
  // installed (...)": kept for the "cannot reach brokers" error, which is all a user sees
  // without -v.
  if (const char* handshake = std::strstr(message, "SSL handshake failed")) {
    std::string why = handshake;
    const std::size_t after = why.find(" (after ");
    if (after != std::string::npos) {
      why.resize(after);
    }
    {
      std::lock_guard lock(events.mutex);
      events.tls_error = std::move(why);
    }
    events.tls_failed = true;
  }
  if (events.feature_debug_is_evts &&
      (std::strcmp(facility, "APIVERSION") == 0 || std::strcmp(facility, "FEATURE") == 0)) {
    return;
  }
  // librdkafka's own connection chatter is noise next to evt's error messages: show it with -v.
  if (level <= LOG_WARNING && log.verbosity() >= 1) {
    log.info(fmt::format("librdkafka {}: {}", facility, message));
  } else if (level > LOG_WARNING && log.verbosity() >= 2) {
    log.debug(fmt::format("librdkafka {}: {}", facility, message));
  }
}

void on_error(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
  (void)rk;
  auto* client = static_cast<Client*>(opaque);
  if (!client) {
    return;
  }
  ClientEvents& events = client->events();
  const auto code = static_cast<rd_kafka_resp_err_t>(err);
  if (code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
    events.all_brokers_down = true;
  } else if (code == RD_KAFKA_RESP_ERR__FATAL) {
    events.fatal = true;
  } else if (code == RD_KAFKA_RESP_ERR__AUTHENTICATION ||
             code == RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED) {
    events.auth_failed = true;
  }
  {
    std::lock_guard lock(events.mutex);
    events.last_error = reason ? reason : rd_kafka_err2str(code);
  }
  client->log().debug(fmt::format("librdkafka error: {}", reason ? reason : ""));
}

Result<void> set_property(rd_kafka_conf_t* conf,
                          const std::string& name,
                          const std::string& value,
                          const char* origin) {
  char reason[512] = {0};
  const rd_kafka_conf_res_t res =
      rd_kafka_conf_set(conf, name.c_str(), value.c_str(), reason, sizeof reason);
  if (res == RD_KAFKA_CONF_OK) {
    return {};
  }
  if (res == RD_KAFKA_CONF_UNKNOWN) {
    std::string hint;
    if (auto suggestion = closest_match(name, known_properties())) {
      hint = fmt::format("did you mean \"{}\"?", *suggestion);
    } else {
      hint = "the librdkafka properties are listed in librdkafka's CONFIGURATION.md";
    }
    return fail(ErrorKind::usage,
                fmt::format("unknown property \"{}\" ({})", name, origin),
                std::move(hint));
  }
  const bool secret = config::is_secret_property(name);
  return fail(ErrorKind::usage,
              fmt::format("invalid value {} for property \"{}\" ({}): {}",
                          secret ? std::string("(hidden)") : "\"" + value + "\"",
                          name,
                          origin,
                          reason));
}

const char* origin_of(config::Source source) {
  switch (source) {
    case config::Source::file:
      return "from the config file";
    case config::Source::env:
      return "from the environment";
    case config::Source::flag:
      return "from a flag";
    case config::Source::property_flag:
      return "from -X";
    case config::Source::local_broker:
      return "from the local broker";
    case config::Source::default_value:
      return "default";
  }
  return "";
}

}  // namespace

Result<std::unique_ptr<Client>> Client::create(const ClientSpec& spec) {
  std::unique_ptr<Client> client(new Client());
  client->m_log = spec.log;
  client->m_config = spec.config;

  ConfPtr conf(rd_kafka_conf_new());
  for (const auto& [name, value] : spec.defaults) {
    EVT_TRY(set_property(conf.get(), name, value, "evt default"));
  }
  for (const auto& [name, setting] : spec.config->properties) {
    EVT_TRY(set_property(conf.get(), name, setting.value, origin_of(setting.source)));
  }
  for (const auto& [name, value] : spec.required) {
    EVT_TRY(set_property(conf.get(), name, value, "required by evt"));
  }
  // The Client lives at a stable heap address and outlives its handle (declared last).
  rd_kafka_conf_set_opaque(conf.get(), client.get());
  rd_kafka_conf_set_log_cb(conf.get(), on_log);
  rd_kafka_conf_set_error_cb(conf.get(), on_error);
  if (spec.customize) {
    spec.customize(conf.get());
  }
  if (spec.prepare) {
    spec.prepare(client->m_events);
  }
  skip_sasl_plugin_scan_unless_needed(conf.get());
  char reason[512] = {0};
  rd_kafka_t* rk = rd_kafka_new(spec.role == Role::producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER,
                                conf.get(),
                                reason,
                                sizeof reason);
  if (!rk) {
    return fail(ErrorKind::usage, fmt::format("cannot create the Kafka client: {}", reason));
  }
  conf.release();  // rd_kafka_new took ownership
  client->m_handle = KafkaPtr(rk);
  return client;
}

std::optional<std::string> ClientEvents::all_failed_hard(const std::string& bootstrap) {
  std::lock_guard lock(mutex);
  std::string causes;
  std::size_t start = 0;
  while (start <= bootstrap.size()) {
    std::size_t end = bootstrap.find(',', start);
    if (end == std::string::npos) {
      end = bootstrap.size();
    }
    std::string address = bootstrap.substr(start, end - start);
    start = end + 1;
    while (!address.empty() && address.front() == ' ') {
      address.erase(0, 1);
    }
    while (!address.empty() && address.back() == ' ') {
      address.pop_back();
    }
    if (const std::size_t scheme = address.find("://"); scheme != std::string::npos) {
      address.erase(0, scheme + 3);
    }
    if (address.empty()) {
      continue;
    }
    const auto found = broker_failures.find(address);
    if (found == broker_failures.end() || !found->second.hard) {
      return std::nullopt;  // not tried yet, or it may still answer
    }
    causes += (causes.empty() ? "" : "; ") + address + ": " + found->second.cause;
  }
  if (causes.empty()) {
    return std::nullopt;
  }
  return causes;
}

const std::vector<std::string>& known_properties() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> result;
    char* buffer = nullptr;
    std::size_t size = 0;
    FILE* stream = open_memstream(&buffer, &size);
    if (!stream) {
      return result;
    }
    rd_kafka_conf_properties_show(stream);
    std::fclose(stream);
    std::string_view text(buffer, size);
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string_view::npos) {
        end = text.size();
      }
      std::string_view line = text.substr(start, end - start);
      start = end + 1;
      const std::size_t bar = line.find(" |");
      if (bar == std::string_view::npos || line.empty() || line[0] == ' ' || line[0] == '-') {
        continue;
      }
      std::string name(line.substr(0, bar));
      while (!name.empty() && name.back() == ' ') {
        name.pop_back();
      }
      if (!name.empty() && name != "Property") {
        result.push_back(std::move(name));
      }
    }
    std::free(buffer);
    return result;
  }();
  return names;
}

Result<void> validate_property(const std::string& name, const std::string& value) {
  ConfPtr conf(rd_kafka_conf_new());
  return set_property(conf.get(), name, value, "from -X");
}

std::string librdkafka_version() {
  return rd_kafka_version_str();
}

std::string librdkafka_features() {
  ConfPtr conf(rd_kafka_conf_new());
  char features[512] = {0};
  std::size_t size = sizeof features;
  if (rd_kafka_conf_get(conf.get(), "builtin.features", features, &size) != RD_KAFKA_CONF_OK) {
    return "";
  }
  return features;
}

}  // namespace evt::kafka
