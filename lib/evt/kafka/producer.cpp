// SPDX-License-Identifier: MIT
#include "evt/kafka/producer.hpp"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <optional>

#include <fmt/format.h>

#include "evt/format/escapes.hpp"
#include "evt/kafka/errors.hpp"
#include "evt/kafka/metadata.hpp"
#include "evt/signals.hpp"

namespace evt::kafka {

namespace {

std::string acks_value(const std::string& acks) {
  return acks == "all" ? "-1" : acks;
}

// librdkafka 2.0.2 stores a produced timestamp of 0 as the current time (rd_kafka_msg_new0:
// `if (timestamp) ... else now`) and has no call to change a message's timestamp afterwards.
// Its on_send interceptor runs inside the produce call, on the producing thread, after that
// choice and before the message is queued, and gets the message as an rd_kafka_message_t: the
// first member of librdkafka's private rd_kafka_msg_t, whose timestamp field is the one
// rd_kafka_message_timestamp() returns and the batch writer sends. That field's offset is found
// here by asking rd_kafka_message_timestamp() itself about a scratch buffer, so it is the one the
// linked librdkafka uses, whatever its version; each write is checked with the same call.
std::optional<std::size_t> find_timestamp_offset() {
  constexpr std::size_t k_scratch_size = 1024;  // rd_kafka_msg_t is about 200 bytes
  alignas(std::max_align_t) static unsigned char scratch[k_scratch_size];
  const auto reads_back = [&](std::size_t offset, std::int64_t probe) {
    std::memset(scratch, 0, sizeof scratch);  // err = 0: the call reads the timestamp
    std::memcpy(scratch + offset, &probe, sizeof probe);
    return rd_kafka_message_timestamp(reinterpret_cast<rd_kafka_message_t*>(scratch), nullptr) ==
           probe;
  };
  std::optional<std::size_t> found;
  for (std::size_t offset = sizeof(rd_kafka_message_t);
       offset + sizeof(std::int64_t) <= k_scratch_size;
       offset += alignof(std::int64_t)) {
    if (reads_back(offset, 0x0123'4567'89ab'cdefLL) && reads_back(offset, -0x0fed'cba9'8765LL)) {
      if (found) {
        return std::nullopt;  // two candidates: not understood, so never written
      }
      found = offset;
    }
  }
  return found;
}

std::optional<std::size_t> timestamp_offset() {
  static const std::optional<std::size_t> offset = find_timestamp_offset();
  return offset;
}

// The bytes librdkafka counts for a header (rd_kafka_header_add: varint lengths plus data).
std::size_t varint_size(std::uint64_t value) {
  std::size_t size = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++size;
  }
  return size;
}

// What librdkafka adds to a record's key, value and headers when it checks message.max.bytes
// (RD_KAFKAP_MESSAGE_V2_MAX_OVERHEAD: the varint fields at their widest, and the attributes).
constexpr std::int64_t k_record_overhead = 5 + 1 + 10 + 5 + 5 + 5 + 5;

}  // namespace

namespace {
// 8 MiB, or enough for one record of message.max.bytes when -X raised it past that.
std::string queue_kbytes(const config::ResolvedConfig& config) {
  long long kbytes = 8192;
  const auto max = config.properties.find("message.max.bytes");
  if (max != config.properties.end()) {
    kbytes = std::max(kbytes, std::atoll(max->second.value.c_str()) / 1024 + 1);
  }
  return std::to_string(kbytes);
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
  // Throughput settings, each measured in bench/; every one can be overridden with -X. Nagle's
  // algorithm would hold small produce requests back; linger.ms 5 fills batches from a pipe.
  spec.defaults = {
      {"socket.nagle.disable", "true"},
      // The queue bounds memory when the brokers are slower than the input: at most 20k
      // records or 8 MiB of them wait or fly, and reading the input pauses. librdkafka keeps
      // about 330 bytes per record besides its bytes, so at its own default (100k) 1M x 100 B
      // from a pipe peaked at 29 to 50 MiB, as kcat does (14 to 41); at 20k it is 21 MiB flat,
      // with the same wall time (bench/ memory-produce; tests/cli/test_memory.cpp). A record
      // larger than the byte bound raises it (below), else it could never be queued.
      {"queue.buffering.max.messages", "20000"},
      {"queue.buffering.max.kbytes", queue_kbytes(config)},
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
  spec.customize = [raw = producer.get()](rd_kafka_conf_t* conf) {
    rd_kafka_conf_set_dr_msg_cb(conf, &Producer::on_delivery);
    rd_kafka_conf_interceptor_add_on_new(conf, "evt-timestamp-zero", &Producer::on_new, raw);
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

rd_kafka_topic_t* Producer::topic(std::string_view name) {
  return m_topics.get(m_client->handle(), name);
}

rd_kafka_resp_err_t Producer::on_new(rd_kafka_t* rk,
                                     const rd_kafka_conf_t* conf,
                                     void* opaque,
                                     char* errstr,
                                     std::size_t errstr_size) {
  (void)conf;
  (void)errstr;
  (void)errstr_size;
  return rd_kafka_interceptor_add_on_send(rk, "evt-timestamp-zero", &Producer::on_send, opaque);
}

rd_kafka_resp_err_t Producer::on_send(rd_kafka_t* rk, rd_kafka_message_t* message, void* opaque) {
  (void)rk;
  auto* producer = static_cast<Producer*>(opaque);
  ZeroTimestamp& zero = producer->m_zero_timestamp;
  if (!zero.wanted) {
    return RD_KAFKA_RESP_ERR_NO_ERROR;
  }
  zero.wanted = false;
  const std::optional<std::size_t> offset = timestamp_offset();
  if (offset) {
    // Only a field that holds what librdkafka reports as the timestamp is written.
    unsigned char* field = reinterpret_cast<unsigned char*>(message) + *offset;
    std::int64_t stored = 0;
    std::memcpy(&stored, field, sizeof stored);
    if (stored == rd_kafka_message_timestamp(message, nullptr)) {
      const std::int64_t zero_value = 0;
      std::memcpy(field, &zero_value, sizeof zero_value);
      if (rd_kafka_message_timestamp(message, nullptr) == 0) {
        zero.applied = true;
        return RD_KAFKA_RESP_ERR_NO_ERROR;
      }
      std::memcpy(field, &stored, sizeof stored);
    }
  }
  // Not understood: rather than let it go out stamped "now", send it to a partition that cannot
  // exist, so that it fails (send() says why) instead of being stored with the wrong time.
  message->partition = INT32_MAX;
  return RD_KAFKA_RESP_ERR_NO_ERROR;
}

bool Producer::can_send_timestamp_zero() {
  return timestamp_offset().has_value();
}

void Producer::on_delivery(rd_kafka_t* rk, const rd_kafka_message_t* message, void* opaque) {
  (void)rk;
  // `opaque` is the handle's opaque, the Client; the Client carries its Producer.
  auto* client = static_cast<Client*>(opaque);
  auto* producer = static_cast<Producer*>(client->user_data());
  const auto input =
      static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(message->_private));
  DeliveryStats& stats = producer->m_stats;
  // A record that timed out (or was purged) while its request awaited the broker's answer may
  // be in the topic all the same: say so, so that nobody re-sends it believing it lost.
  const bool possibly_written =
      message->err && rd_kafka_message_status(message) == RD_KAFKA_MSG_STATUS_POSSIBLY_PERSISTED;
  std::string reason;
  if (message->err) {
    ++stats.failed;
    reason = rd_kafka_err2str(message->err);
    if (possibly_written) {
      reason += ", may have been written";
    }
    ++stats.failures[reason];
    if (stats.first_failed_input == 0 || input < stats.first_failed_input) {
      stats.first_failed_input = input;
    }
  } else {
    ++stats.delivered;
  }
  const ProducerOptions::Reports kept = producer->m_options.reports;
  if (kept == ProducerOptions::Reports::all ||
      (kept == ProducerOptions::Reports::failures && message->err)) {
    rd_kafka_timestamp_type_t type;
    producer->m_reports.push_back(
        DeliveryReport{input,
                       rd_kafka_topic_name(message->rkt),
                       message->partition,
                       message->offset,
                       rd_kafka_message_timestamp(message, &type),
                       message->err ? rd_kafka_err2str(message->err) : std::string(),
                       possibly_written});
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
  for (std::size_t i = 0; i < header_count; ++i) {
    // librdkafka keeps such a name whole, but hands header names to consumers (evt's, kcat's,
    // the Python client's) as C strings: it would come back cut at the NUL.
    if (headers[i].name.find('\0') != std::string_view::npos) {
      return fail(ErrorKind::usage,
                  fmt::format("header name \"{}\" holds a NUL byte, which Kafka clients cannot "
                              "read back",
                              format::escape_for_display(headers[i].name)));
    }
  }
  if (timestamp == 0 && !can_send_timestamp_zero()) {
    return fail(ErrorKind::usage,
                "timestamp 0 cannot be sent: this librdkafka stores it as the current time");
  }
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
      m_zero_timestamp = ZeroTimestamp{timestamp == 0, false};
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
      const bool zero_lost = timestamp == 0 && !m_zero_timestamp.applied;
      m_zero_timestamp = ZeroTimestamp{};
      if (zero_lost && err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        if (!err) {
          ++m_stats.queued;  // queued to a partition that does not exist: it will fail
        }
        return fail(ErrorKind::internal,
                    "cannot keep timestamp 0: librdkafka would store the current time",
                    "report this as a bug of evt, with the output of 'evt --version'");
      }
    }
    if (!err) {
      ++m_stats.queued;
      return {};
    }
    if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      if (m_stats.outstanding() == 0) {
        // Nothing of ours is queued, so this record alone exceeds the queue's byte bound (a
        // -X queue.buffering.max.kbytes below the record): waiting would never end.
        return fail(ErrorKind::usage,
                    fmt::format("record of {} bytes does not fit in the producer's queue",
                                key.size + value.size),
                    "raise -X queue.buffering.max.kbytes (KiB) above the record's size");
      }
      if (m_options.interrupt && m_options.interrupt->check() > 0) {
        return fail(ErrorKind::interrupted,
                    "interrupted while waiting for room in the producer's queue");
      }
      rd_kafka_poll(m_client->handle(), 10);
      continue;
    }
    if (err == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE) {
      std::size_t header_bytes = 0;
      for (std::size_t i = 0; i < header_count; ++i) {
        const std::size_t value_size = headers[i].value.is_null() ? 0 : headers[i].value.size;
        header_bytes += varint_size(headers[i].name.size()) + headers[i].name.size() +
                        varint_size(value_size) + value_size;
      }
      const std::size_t size = key.size + value.size + header_bytes;
      return fail(ErrorKind::usage,
                  fmt::format("record of {} bytes (key, value and headers) is too large: with "
                              "librdkafka's {}-byte record overhead, message.max.bytes ({}) "
                              "allows at most {} bytes",
                              size,
                              k_record_overhead,
                              m_max_message_bytes,
                              std::max<std::int64_t>(m_max_message_bytes - k_record_overhead, 0)),
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
