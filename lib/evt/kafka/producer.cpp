// SPDX-License-Identifier: MIT
#include "evt/kafka/producer.hpp"

#include <cstdlib>

#include <fmt/format.h>

#include "evt/kafka/errors.hpp"
#include "evt/kafka/metadata.hpp"

namespace evt::kafka {

namespace {

std::string acks_value(const std::string& acks) {
  return acks == "all" ? "-1" : acks;
}

}  // namespace

Result<std::unique_ptr<Producer>> Producer::create(const config::ResolvedConfig& config,
                                                   const Log& log,
                                                   const ProducerOptions& options) {
  std::unique_ptr<Producer> producer(new Producer());
  producer->m_options = options;

  ClientSpec spec;
  spec.role = Role::producer;
  spec.config = &config;
  spec.log = &log;
  // Throughput settings (librdkafka-notes.md §4.1); every one can be overridden by the user.
  spec.defaults = {
      {"socket.nagle.disable", "true"},
      // The queue bounds memory when the brokers are slower than the input: at most 100k
      // records or 32 MiB of them wait or fly (peak RSS under 64 MiB), and reading the input
      // pauses. More buys no throughput (bench/, 1M x 100 B: same wall time at 50k to 200k).
      {"queue.buffering.max.messages", "100000"},
      {"queue.buffering.max.kbytes", "32768"},
      {"linger.ms", "5"},
      {"message.timeout.ms",
       std::to_string(config.timeout_given ? config.timeout.count() : 60'000)},
      {"compression.codec", options.compression},
      {"acks", acks_value(options.acks)},
      {"enable.idempotence", options.idempotence ? "true" : "false"},
      {"partitioner", options.partitioner},
  };
  if (options.transactional_id) {
    spec.required["transactional.id"] = *options.transactional_id;
  }
  // With compression, the brokers' API versions (librdkafka's "feature" debug lines, logged
  // once per connection) tell whether librdkafka 2.0.2 will really compress: see client.cpp.
  const bool compressing = options.compression != "none";
  const bool own_debug = compressing && !config.properties.count("debug");
  if (own_debug) {
    spec.defaults["debug"] = "feature";
  }
  spec.customize = [](rd_kafka_conf_t* conf) {
    rd_kafka_conf_set_dr_msg_cb(conf, &Producer::on_delivery);
  };
  spec.prepare = [&](ClientEvents& events) {
    events.compression = options.compression;
    events.feature_debug_is_evts = own_debug;
  };
  auto client = Client::create(spec);
  if (!client) {
    return std::move(client).take_error();
  }
  producer->m_client = std::move(*client);
  producer->m_client->set_user_data(producer.get());

  char value[64] = {0};
  std::size_t size = sizeof value;
  rd_kafka_conf_t* conf = const_cast<rd_kafka_conf_t*>(rd_kafka_conf(producer->m_client->handle()));
  if (rd_kafka_conf_get(conf, "message.max.bytes", value, &size) == RD_KAFKA_CONF_OK) {
    producer->m_max_message_bytes = std::atoll(value);
  }
  return producer;
}

Producer::~Producer() {
  m_topics.clear();
  if (m_client) {
    m_client->destroy();
  }
}

rd_kafka_topic_t* Producer::topic(const std::string& name) {
  auto it = m_topics.find(name);
  if (it != m_topics.end()) {
    return it->second.get();
  }
  rd_kafka_topic_t* handle = rd_kafka_topic_new(m_client->handle(), name.c_str(), nullptr);
  m_topics.emplace(name, TopicPtr(handle));
  return handle;
}

void Producer::on_delivery(rd_kafka_t* rk, const rd_kafka_message_t* message, void* opaque) {
  (void)rk;
  // `opaque` is the handle's opaque, the Client; the Client carries its Producer.
  auto* client = static_cast<Client*>(opaque);
  auto* producer = static_cast<Producer*>(client->user_data());
  const auto input =
      static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(message->_private));
  DeliveryStats& stats = producer->m_stats;
  if (message->err) {
    ++stats.failed;
    // A record that timed out (or was purged) while its request awaited the broker's answer
    // may be in the topic all the same: say so, so that nobody re-sends it believing it lost.
    std::string reason = rd_kafka_err2str(message->err);
    if (rd_kafka_message_status(message) == RD_KAFKA_MSG_STATUS_POSSIBLY_PERSISTED) {
      reason += ", may have been written";
    }
    ++stats.failures[reason];
    if (stats.first_failed_input == 0 || input < stats.first_failed_input) {
      stats.first_failed_input = input;
    }
  } else {
    ++stats.delivered;
  }
  if (producer->m_options.keep_reports) {
    rd_kafka_timestamp_type_t type;
    producer->m_reports.push_back(DeliveryReport{
        input,
        rd_kafka_topic_name(message->rkt),
        message->partition,
        message->offset,
        rd_kafka_message_timestamp(message, &type),
        message->err,
        message->err &&
            rd_kafka_message_status(message) == RD_KAFKA_MSG_STATUS_POSSIBLY_PERSISTED});
  }
}

Result<void> Producer::send(rd_kafka_topic_t* topic,
                            std::int32_t partition,
                            BytesView key,
                            BytesView value,
                            const HeaderView* headers,
                            std::size_t header_count,
                            std::int64_t timestamp,
                            std::uint64_t input) {
  void* opaque = reinterpret_cast<void*>(static_cast<std::uintptr_t>(input));
  // librdkafka copies non-null empty payloads as empty (not null), which keeps the distinction.
  const bool simple = header_count == 0 && timestamp < 0;
  for (;;) {
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
    if (simple) {
      if (rd_kafka_produce(topic,
                           partition,
                           RD_KAFKA_MSG_F_COPY,
                           const_cast<char*>(value.data),
                           value.size,
                           key.data,
                           key.size,
                           opaque) != 0) {
        err = rd_kafka_last_error();
      }
    } else {
      rd_kafka_headers_t* list = nullptr;
      if (header_count > 0) {
        list = rd_kafka_headers_new(header_count);
        for (std::size_t i = 0; i < header_count; ++i) {
          rd_kafka_header_add(
              list,
              headers[i].name.data(),
              static_cast<ssize_t>(headers[i].name.size()),
              headers[i].value.data,
              headers[i].value.is_null() ? 0 : static_cast<ssize_t>(headers[i].value.size));
        }
      }
      err = rd_kafka_producev(m_client->handle(),
                              RD_KAFKA_V_RKT(topic),
                              RD_KAFKA_V_PARTITION(partition),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                              RD_KAFKA_V_VALUE(const_cast<char*>(value.data), value.size),
                              RD_KAFKA_V_KEY(key.data, key.size),
                              RD_KAFKA_V_HEADERS(list),
                              RD_KAFKA_V_TIMESTAMP(timestamp < 0 ? 0 : timestamp),
                              RD_KAFKA_V_OPAQUE(opaque),
                              RD_KAFKA_V_END);
      if (err && list) {
        rd_kafka_headers_destroy(list);  // ownership passes to librdkafka only on success
      }
    }
    if (!err) {
      ++m_stats.queued;
      return {};
    }
    if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      rd_kafka_poll(m_client->handle(), 10);
      continue;
    }
    if (err == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE) {
      return fail(ErrorKind::usage,
                  fmt::format("record of {} bytes is larger than message.max.bytes ({})",
                              value.size + key.size,
                              m_max_message_bytes),
                  "raise it with -X message.max.bytes=N (the broker must accept it too)");
    }
    return kafka_failure(err,
                         fmt::format("cannot queue record for {}", rd_kafka_topic_name(topic)));
  }
}

void Producer::poll(int timeout_ms) {
  rd_kafka_poll(m_client->handle(), timeout_ms);
}

bool Producer::flush(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (m_stats.outstanding() > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return false;
    }
    rd_kafka_flush(m_client->handle(), static_cast<int>(std::min<long long>(left.count(), 100)));
  }
  return true;
}

void Producer::purge() {
  rd_kafka_purge(m_client->handle(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  // Purged records get their (failed) delivery reports on the next poll.
  for (int i = 0; i < 50 && m_stats.outstanding() > 0; ++i) {
    rd_kafka_poll(m_client->handle(), 10);
  }
}

namespace {

Result<void> transaction_result(rd_kafka_error_t* raw, const char* what) {
  KafkaErrorPtr error(raw);
  if (!error) {
    return {};
  }
  const rd_kafka_resp_err_t code = rd_kafka_error_code(error.get());
  return fail(kind_for(code) == ErrorKind::kafka ? ErrorKind::kafka : kind_for(code),
              fmt::format("{}: {}", what, rd_kafka_error_string(error.get())));
}

}  // namespace

Result<void> Producer::begin_transaction() {
  EVT_TRY(transaction_result(
      rd_kafka_init_transactions(m_client->handle(), static_cast<int>(m_client->timeout().count())),
      "cannot initialise transactions"));
  return transaction_result(rd_kafka_begin_transaction(m_client->handle()),
                            "cannot begin the transaction");
}

Result<void> Producer::commit_transaction(std::chrono::milliseconds timeout) {
  return transaction_result(
      rd_kafka_commit_transaction(m_client->handle(), static_cast<int>(timeout.count())),
      "cannot commit the transaction");
}

Result<void> Producer::abort_transaction(std::chrono::milliseconds timeout) {
  return transaction_result(
      rd_kafka_abort_transaction(m_client->handle(), static_cast<int>(timeout.count())),
      "cannot abort the transaction");
}

Result<void> Producer::check_reachable(const std::string& topic_name) {
  if (topic_name.empty()) {
    auto cluster = fetch_cluster(*m_client, TopicSelection::none);
    if (!cluster) {
      return std::move(cluster).take_error();
    }
    return {};
  }
  auto info = fetch_topic(*m_client, topic_name);
  if (!info) {
    return std::move(info).take_error();
  }
  return {};
}

Result<std::int32_t> Producer::partition_count(const std::string& topic_name) {
  auto info = fetch_topic(*m_client, topic_name);
  if (!info) {
    return std::move(info).take_error();
  }
  return static_cast<std::int32_t>(info->partitions.size());
}

}  // namespace evt::kafka
