// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "evt/config/resolve.hpp"
#include "evt/error.hpp"
#include "evt/kafka/handles.hpp"
#include "evt/kafka/rdkafka_fwd.hpp"
#include "evt/kafka/version.hpp"
#include "evt/log.hpp"

namespace evt::kafka {

enum class Role { producer, consumer };

/// What librdkafka's error and log callbacks observed. Callbacks only record here (they run on
/// librdkafka's threads, through C frames, so they never throw); the owning loop decides.
struct ClientEvents {
  std::atomic<bool> all_brokers_down{false};
  std::atomic<bool> fatal{false};
  std::atomic<bool> auth_failed{false};
  std::atomic<bool> compression_ignored{false};  ///< -z was not applied (warned once)
  std::atomic<bool> tls_failed{false};           ///< a TLS handshake failed (tls_error says why)
  std::string tls_error;                         ///< guarded by `mutex`
  /// The producer's compression.codec, for the check against each broker's API versions
  /// (set before the handle exists; read by the log callback).
  std::string compression = "none";
  /// evt asked for librdkafka's "feature" debug log only to read the brokers' API versions:
  /// those lines are not the user's -vv output.
  bool feature_debug_is_evts = false;
  std::atomic<int> produce_min{-1}, produce_max{-1};
  std::mutex mutex;
  std::string last_error;  ///< the newest error_cb text, guarded by `mutex`

  std::string last_error_text() {
    std::lock_guard lock(mutex);
    return last_error;
  }

  /// The newest connection failure of each broker (by name, "host:port"), from librdkafka's
  /// log; `hard` when it cannot answer by retrying soon: connection refused, or a name that
  /// DNS says does not exist. Guarded by `mutex`.
  struct BrokerFailure {
    bool hard = false;
    std::string cause;
  };
  std::map<std::string, BrokerFailure> broker_failures;

  /// When every address of `bootstrap` ("h:p,h:p") has failed hard, what each said
  /// ("127.0.0.1:1: Connection refused"); nullopt while any may still answer.
  std::optional<std::string> all_failed_hard(const std::string& bootstrap);
};

/// Everything needed to build a librdkafka client.
struct ClientSpec {
  Role role = Role::producer;
  const config::ResolvedConfig* config = nullptr;
  const Log* log = nullptr;
  /// Defaults chosen by evt for this use; any user setting (file, env, flag, -X) overrides them.
  std::map<std::string, std::string> defaults;
  /// Settings evt needs regardless of the user's (applied last).
  std::map<std::string, std::string> required;
  /// Called on the conf before the handle is created (to install callbacks).
  std::function<void(rd_kafka_conf_t*)> customize;
  /// Called on the client's events before the handle exists (what the log callback checks).
  std::function<void(ClientEvents&)> prepare;
};

/// An rd_kafka_t plus the events its callbacks record. Not copyable; lives at a stable address
/// because librdkafka holds a pointer to `events`.
class Client {
 public:
  static Result<std::unique_ptr<Client>> create(const ClientSpec& spec);

  rd_kafka_t* handle() const { return m_handle.get(); }
  ClientEvents& events() { return m_events; }
  const Log& log() const { return *m_log; }
  const config::ResolvedConfig& config() const { return *m_config; }
  std::chrono::milliseconds timeout() const { return m_config->timeout; }
  std::string brokers() const { return m_config->brokers(); }

  /// Per-role data for callbacks (the producer's delivery-report target).
  void set_user_data(void* data) { m_user_data = data; }
  void* user_data() const { return m_user_data; }

  /// Releases the handle first (callers destroy their topics and queues before this).
  void destroy() { m_handle.reset(); }

  ~Client() = default;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

 private:
  Client() = default;

  ClientEvents m_events;
  const Log* m_log = nullptr;
  const config::ResolvedConfig* m_config = nullptr;
  void* m_user_data = nullptr;
  KafkaPtr m_handle;
};

/// Every property name librdkafka knows (global and topic), for did-you-mean on -X.
const std::vector<std::string>& known_properties();

/// Checks a property name and value without creating a client; a usage error names the key.
Result<void> validate_property(const std::string& name, const std::string& value);

}  // namespace evt::kafka
