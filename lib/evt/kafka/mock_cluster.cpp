// SPDX-License-Identifier: MIT
#include "evt/kafka/mock_cluster.hpp"

#include <cctype>
#include <cstdlib>

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include "evt/kafka/handles.hpp"
#include "evt/kafka/sasl_plugins.hpp"

namespace evt::kafka {

struct MockCluster::Impl {
  KafkaPtr host;
  rd_kafka_mock_cluster_t* cluster = nullptr;
  const Log* log = nullptr;

  ~Impl() {
    // The cluster must go before the rd_kafka_t that hosts it.
    if (cluster) {
      rd_kafka_mock_cluster_destroy(cluster);
    }
  }
};

namespace {

void quiet_log(const rd_kafka_t* rk, int level, const char* facility, const char* message) {
  auto* log = static_cast<const Log*>(rd_kafka_opaque(rk));
  if (log && log->verbosity() >= 2 && level <= 6) {
    log->debug(fmt::format("mock {}: {}", facility, message));
  }
}

Result<void> check(rd_kafka_resp_err_t err, const std::string& what) {
  if (err) {
    return fail(ErrorKind::kafka, fmt::format("{}: {}", what, rd_kafka_err2str(err)));
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<MockCluster>> MockCluster::start(int broker_count, const Log& log) {
  if (broker_count < 1 || broker_count > 16) {
    return fail(ErrorKind::usage, fmt::format("--nodes {} is out of range (1..16)", broker_count));
  }
  std::unique_ptr<MockCluster> mock(new MockCluster());
  mock->m_impl = std::make_unique<Impl>();
  mock->m_broker_count = broker_count;
  mock->m_impl->log = &log;

  ConfPtr conf(rd_kafka_conf_new());
  char reason[512];
  // The mock's listeners take their socket settings from the handle that hosts them (librdkafka
  // 2.0.2's rdkafka_mock.c): without nagle disabled here, small responses wait on Nagle's
  // algorithm.
  rd_kafka_conf_set(conf.get(), "socket.nagle.disable", "true", reason, sizeof reason);
  // Allow large produce requests (up to the default fetch/produce sizes of real clients).
  rd_kafka_conf_set(conf.get(), "receive.message.max.bytes", "1000000000", reason, sizeof reason);
  rd_kafka_conf_set_opaque(conf.get(), const_cast<Log*>(&log));
  rd_kafka_conf_set_log_cb(conf.get(), quiet_log);
  skip_sasl_plugin_scan_unless_needed(conf.get());
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), reason, sizeof reason);
  if (!rk) {
    return fail(ErrorKind::internal, fmt::format("cannot create the mock host: {}", reason));
  }
  conf.release();
  mock->m_impl->host = KafkaPtr(rk);
  mock->m_impl->cluster = rd_kafka_mock_cluster_new(rk, broker_count);
  if (!mock->m_impl->cluster) {
    return fail(ErrorKind::internal, "cannot start the mock cluster");
  }
  return mock;
}

MockCluster::~MockCluster() = default;

std::string MockCluster::bootstrap() const {
  return rd_kafka_mock_cluster_bootstraps(m_impl->cluster);
}

Result<void> MockCluster::create_topic(const std::string& name, int partitions, int replication) {
  if (replication < 1) {
    replication = std::min(3, m_broker_count);
  }
  return check(rd_kafka_mock_topic_create(m_impl->cluster, name.c_str(), partitions, replication),
               fmt::format("cannot create topic \"{}\"", name));
}

Result<void> MockCluster::broker_down(std::int32_t broker) {
  return check(rd_kafka_mock_broker_set_down(m_impl->cluster, broker),
               fmt::format("cannot take broker {} down", broker));
}

Result<void> MockCluster::broker_up(std::int32_t broker) {
  return check(rd_kafka_mock_broker_set_up(m_impl->cluster, broker),
               fmt::format("cannot bring broker {} up", broker));
}

Result<void> MockCluster::broker_rtt(std::int32_t broker, int rtt_ms) {
  return check(rd_kafka_mock_broker_set_rtt(m_impl->cluster, broker, rtt_ms),
               fmt::format("cannot set the latency of broker {}", broker));
}

Result<void> MockCluster::fail_requests(std::int16_t api_key, int count, int error_code) {
  std::vector<rd_kafka_resp_err_t> errors(static_cast<std::size_t>(count),
                                          static_cast<rd_kafka_resp_err_t>(error_code));
  rd_kafka_mock_push_request_errors_array(m_impl->cluster, api_key, errors.size(), errors.data());
  return {};
}

Result<void> MockCluster::set_leader(const std::string& topic,
                                     std::int32_t partition,
                                     std::int32_t broker) {
  return check(
      rd_kafka_mock_partition_set_leader(m_impl->cluster, topic.c_str(), partition, broker),
      fmt::format("cannot move the leader of {}/{}", topic, partition));
}

Result<void> MockCluster::set_api_versions(std::int16_t api_key,
                                           std::int16_t min,
                                           std::int16_t max) {
  return check(rd_kafka_mock_set_apiversion(m_impl->cluster, api_key, min, max),
               fmt::format("cannot set the versions of API {}", api_key));
}

Result<void> MockCluster::set_topic_error(const std::string& topic, int error_code) {
  rd_kafka_mock_topic_set_error(
      m_impl->cluster, topic.c_str(), static_cast<rd_kafka_resp_err_t>(error_code));
  return {};
}

Result<std::int16_t> api_key_by_name(const std::string& name) {
  static const std::pair<const char*, std::int16_t> k_keys[] = {
      {"Produce", 0},
      {"Fetch", 1},
      {"ListOffsets", 2},
      {"Metadata", 3},
      {"OffsetCommit", 8},
      {"OffsetFetch", 9},
      {"FindCoordinator", 10},
      {"JoinGroup", 11},
      {"Heartbeat", 12},
      {"LeaveGroup", 13},
      {"SyncGroup", 14},
      {"ApiVersion", 18},
      {"InitProducerId", 22},
      {"AddPartitionsToTxn", 24},
      {"AddOffsetsToTxn", 25},
      {"EndTxn", 26},
      {"TxnOffsetCommit", 28},
  };
  for (const auto& [key_name, key] : k_keys) {
    if (strcasecmp(key_name, name.c_str()) == 0) {
      return key;
    }
  }
  return fail(ErrorKind::usage,
              fmt::format("unknown request type \"{}\" (known: Produce, Fetch, ListOffsets, "
                          "Metadata, OffsetCommit, OffsetFetch, FindCoordinator, JoinGroup, "
                          "Heartbeat, SyncGroup, InitProducerId, EndTxn, ...)",
                          name));
}

Result<int> error_code_by_name(const std::string& name) {
  if (!name.empty() && (std::isdigit(static_cast<unsigned char>(name[0])) || name[0] == '-')) {
    return std::atoi(name.c_str());
  }
  const rd_kafka_err_desc* descriptions = nullptr;
  std::size_t count = 0;
  rd_kafka_get_err_descs(&descriptions, &count);
  std::string wanted = name;
  if (wanted == "NOT_LEADER_OR_FOLLOWER") {
    wanted = "NOT_LEADER_FOR_PARTITION";  // the newer Kafka name of the same code (6)
  }
  for (std::size_t i = 0; i < count; ++i) {
    if (descriptions[i].name && strcasecmp(descriptions[i].name, wanted.c_str()) == 0) {
      return descriptions[i].code;
    }
  }
  return fail(
      ErrorKind::usage,
      fmt::format("unknown Kafka error \"{}\" (use a name like REQUEST_TIMED_OUT or a code)",
                  name));
}

}  // namespace evt::kafka
