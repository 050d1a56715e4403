// SPDX-License-Identifier: MIT
#include "evt/kafka/metadata.hpp"

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <thread>

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include "evt/kafka/client.hpp"
#include "evt/kafka/errors.hpp"
#include "evt/kafka/offsets_requests.hpp"
#include "evt/time_spec.hpp"

namespace evt::kafka {

namespace {

int timeout_ms(const Client& client) {
  return static_cast<int>(client.timeout().count());
}

std::string seconds_text(std::chrono::milliseconds timeout) {
  return format_duration(timeout);
}

// True when SIGINT, SIGTERM or SIGHUP waits to be handled: the looping commands block them
// while they work and read them from a signalfd, so they stay pending until then.
bool stop_pending() {
  sigset_t pending;
  sigemptyset(&pending);
  if (sigpending(&pending) != 0) {
    return false;
  }
  return sigismember(&pending, SIGINT) == 1 || sigismember(&pending, SIGTERM) == 1 ||
         sigismember(&pending, SIGHUP) == 1;
}

// rd_kafka_metadata() up to the client's timeout, asked in slices of 250 ms, 500 ms, 1 s, 2 s:
// librdkafka cannot interrupt the call, and a Ctrl-C while the brokers do not answer should
// end the wait within seconds, not at --timeout. The slices grow so that brokers slower to
// answer than a slice (high latency) still answer one. RD_KAFKA_RESP_ERR__INTR when a stop
// signal is pending.
rd_kafka_resp_err_t metadata_in_slices(Client& client,
                                       int all_topics,
                                       rd_kafka_topic_t* topic,
                                       const rd_kafka_metadata_t** out) {
  using std::chrono::milliseconds;
  const auto deadline = std::chrono::steady_clock::now() + client.timeout();
  std::int64_t longest = 250;
  for (;;) {
    const auto started = std::chrono::steady_clock::now();
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - started).count();
    const int slice = static_cast<int>(std::clamp<std::int64_t>(left, 1, longest));
    longest = std::min<std::int64_t>(longest * 2, 2000);
    const rd_kafka_resp_err_t err =
        rd_kafka_metadata(client.handle(), all_topics, topic, out, slice);
    const bool retriable =
        err == RD_KAFKA_RESP_ERR__TIMED_OUT || err == RD_KAFKA_RESP_ERR__TRANSPORT;
    if (!retriable || std::chrono::steady_clock::now() >= deadline) {
      return err;
    }
    // A refused login or certificate does not get better by waiting for --timeout.
    if (client.events().auth_failed || client.events().tls_failed) {
      return err;
    }
    if (stop_pending()) {
      return RD_KAFKA_RESP_ERR__INTR;
    }
    // Every bootstrap address refused the connection or does not exist: waiting longer cannot
    // help (kcat says so at once too).
    if (client.events().all_failed_hard(client.brokers())) {
      return RD_KAFKA_RESP_ERR__TRANSPORT;
    }
    // A refused connection fails at once: do not spin while the brokers stay down.
    if (std::chrono::steady_clock::now() - started < milliseconds(50)) {
      std::this_thread::sleep_for(milliseconds(50));
    }
  }
}

Unexpected metadata_failure(Client& client, rd_kafka_resp_err_t err) {
  if (err == RD_KAFKA_RESP_ERR__INTR) {
    return fail(ErrorKind::interrupted,
                fmt::format("interrupted while waiting for {} to answer", client.brokers()));
  }
  if (client.events().auth_failed) {
    return auth_failure(client);
  }
  if (kind_for(err) == ErrorKind::unreachable) {
    if (auto causes = client.events().all_failed_hard(client.brokers())) {
      return fail(ErrorKind::unreachable,
                  fmt::format("cannot reach brokers: {}", *causes),
                  unreachable_hint());
    }
    return fail(ErrorKind::unreachable, unreachable_message(client), unreachable_hint());
  }
  return kafka_failure(err, fmt::format("cannot read metadata from {}", client.brokers()));
}

BrokerError broker_error(rd_kafka_resp_err_t err) {
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    return {};
  }
  return BrokerError{static_cast<int>(err), rd_kafka_err2name(err)};
}

TopicInfo topic_from(const rd_kafka_metadata_topic_t& raw) {
  TopicInfo topic;
  topic.name = raw.topic;
  topic.error = broker_error(raw.err);
  for (int i = 0; i < raw.partition_cnt; ++i) {
    const rd_kafka_metadata_partition_t& p = raw.partitions[i];
    PartitionInfo partition;
    partition.id = p.id;
    partition.leader = p.leader;
    partition.error = broker_error(p.err);
    partition.replicas.assign(p.replicas, p.replicas + p.replica_cnt);
    partition.isrs.assign(p.isrs, p.isrs + p.isr_cnt);
    topic.partitions.push_back(std::move(partition));
  }
  std::sort(topic.partitions.begin(),
            topic.partitions.end(),
            [](const PartitionInfo& a, const PartitionInfo& b) { return a.id < b.id; });
  return topic;
}

}  // namespace

Unexpected auth_failure(Client& client) {
  std::string why = client.events().last_error_text();
  // "[thrd:sasl_plaintext://host:port/bootstrap]: sasl_plaintext://...": the thread is noise.
  if (why.starts_with("[thrd:")) {
    const std::size_t end = why.find("]: ");
    why = end == std::string::npos ? why : why.substr(end + 3);
  }
  // The broker's answer names the mechanism only for some (SCRAM): evt always does.
  std::string mechanism = "GSSAPI";  // librdkafka's default
  for (const char* key : {"sasl.mechanism", "sasl.mechanisms"}) {
    const auto found = client.config().properties.find(key);
    if (found != client.config().properties.end()) {
      mechanism = found->second.value;
    }
  }
  return fail(ErrorKind::auth,
              fmt::format("authentication with {} failed (SASL mechanism {}): {}",
                          client.brokers(),
                          mechanism,
                          why),
              why.find("SCRAM") != std::string::npos
                  ? "check the SASL settings of the context (evt config show); Apache Kafka "
                    "4 refuses every SCRAM login of librdkafka 2.0.2, right password or not "
                    "(a nonce bug fixed in librdkafka 2.6.1): use PLAIN over TLS there"
                  : "check the SASL/TLS settings of the context (evt config show)");
}

std::string unreachable_message(const Client& client) {
  std::string message = fmt::format(
      "cannot reach brokers {} within {}", client.brokers(), seconds_text(client.timeout()));
  // Reachable, but the TLS handshake failed: say so without -v (a wrong or missing CA).
  Client& events_owner = const_cast<Client&>(client);
  if (events_owner.events().tls_failed) {
    std::string why;
    {
      std::lock_guard lock(events_owner.events().mutex);
      why = events_owner.events().tls_error;
    }
    message += fmt::format(
        ": the TLS handshake failed ({}); is the broker's certificate signed by a CA in "
        "ssl.ca.location?",
        why);
  }
  return message;
}

bool any_broker_answers(Client& client, std::chrono::milliseconds timeout) {
  const rd_kafka_metadata_t* raw = nullptr;
  const rd_kafka_resp_err_t err =
      rd_kafka_metadata(client.handle(), 0, nullptr, &raw, static_cast<int>(timeout.count()));
  MetadataPtr metadata(raw);
  return err == RD_KAFKA_RESP_ERR_NO_ERROR;
}

Result<ClusterInfo> fetch_cluster(Client& client, TopicSelection topics) {
  const rd_kafka_metadata_t* raw = nullptr;
  const rd_kafka_resp_err_t err =
      metadata_in_slices(client, topics == TopicSelection::all ? 1 : 0, nullptr, &raw);
  if (err) {
    return metadata_failure(client, err);
  }
  MetadataPtr metadata(raw);
  ClusterInfo cluster;
  for (int i = 0; i < raw->broker_cnt; ++i) {
    cluster.brokers.push_back(
        BrokerInfo{raw->brokers[i].id, raw->brokers[i].host, raw->brokers[i].port});
  }
  std::sort(cluster.brokers.begin(),
            cluster.brokers.end(),
            [](const BrokerInfo& a, const BrokerInfo& b) { return a.id < b.id; });
  if (topics == TopicSelection::all) {
    for (int i = 0; i < raw->topic_cnt; ++i) {
      cluster.topics.push_back(topic_from(raw->topics[i]));
    }
    std::sort(cluster.topics.begin(),
              cluster.topics.end(),
              [](const TopicInfo& a, const TopicInfo& b) { return a.name < b.name; });
  }
  if (char* id = rd_kafka_clusterid(client.handle(), 0)) {
    cluster.cluster_id = id;
    rd_kafka_mem_free(client.handle(), id);
  }
  cluster.controller = rd_kafka_controllerid(client.handle(), 0);
  return cluster;
}

Result<TopicInfo> fetch_topic(Client& client, const std::string& topic) {
  TopicPtr handle(rd_kafka_topic_new(client.handle(), topic.c_str(), nullptr));
  const auto deadline = std::chrono::steady_clock::now() + client.timeout();
  for (;;) {
    const rd_kafka_metadata_t* raw = nullptr;
    const rd_kafka_resp_err_t err = metadata_in_slices(client, 0, handle.get(), &raw);
    if (err) {
      return metadata_failure(client, err);
    }
    MetadataPtr metadata(raw);
    if (raw->topic_cnt < 1) {
      return fail(ErrorKind::not_found,
                  fmt::format("topic \"{}\" not found on {}", topic, client.brokers()),
                  "list topics with 'evt inspect topics'");
    }
    TopicInfo info = topic_from(raw->topics[0]);
    const rd_kafka_resp_err_t topic_err = raw->topics[0].err;
    // A topic being auto-created answers LEADER_NOT_AVAILABLE for a moment; ask again.
    if (topic_err == RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE &&
        std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    if (topic_err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
        (topic_err == RD_KAFKA_RESP_ERR_NO_ERROR && info.partitions.empty())) {
      return fail(ErrorKind::not_found,
                  fmt::format("topic \"{}\" not found on {}", topic, client.brokers()),
                  "list topics with 'evt inspect topics'");
    }
    if (topic_err) {
      if (kind_for(topic_err) == ErrorKind::auth) {
        return fail(
            ErrorKind::auth,
            fmt::format(
                "not authorized to access topic \"{}\": {}", topic, rd_kafka_err2str(topic_err)));
      }
      return kafka_failure(topic_err, fmt::format("topic \"{}\"", topic));
    }
    return info;
  }
}

Result<Watermarks> query_watermarks(Client& client,
                                    const std::string& topic,
                                    std::int32_t partition) {
  Watermarks marks;
  const rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(
      client.handle(), topic.c_str(), partition, &marks.low, &marks.high, timeout_ms(client));
  if (err) {
    if (kind_for(err) == ErrorKind::unreachable) {
      return fail(ErrorKind::unreachable, unreachable_message(client), unreachable_hint());
    }
    return kafka_failure(err, fmt::format("cannot read the offsets of {}/{}", topic, partition));
  }
  return marks;
}

}  // namespace evt::kafka

namespace evt::kafka {

namespace {

// librdkafka 2.0.2 matches each partition of a ListOffsets response against the request list
// by a linear search (rd_kafka_topic_partition_list_find), so one request for n partitions
// costs n^2 string compares: 80 ms for 2,560 partitions. Above k_partitions_in_one_request,
// requests of k_partitions_per_request (64 measured fastest: smaller ones cost more round
// trips), sent concurrently, keep that linear in n. Up to it, the quadratic part is cheaper than
// the threads and round trips of more requests (400 instead of 550 us for 144 partitions).
constexpr std::size_t k_partitions_in_one_request = 256;
constexpr std::size_t k_partitions_per_request = 64;
constexpr std::size_t k_concurrent_requests = 8;

// One ListOffsets question: `which` is -2 (earliest, the low watermark) or -1 (latest, the high).
struct WatermarkQuery {
  std::int64_t which = -1;
  PartitionListPtr list;
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
};

}  // namespace

std::vector<PartitionListPtr> offsets_requests(const std::vector<TopicPartition>& partitions,
                                               std::int64_t which) {
  std::vector<PartitionListPtr> requests;
  const std::size_t chunk = partitions.size() <= k_partitions_in_one_request
                                ? k_partitions_in_one_request
                                : k_partitions_per_request;
  for (std::size_t first = 0; first < partitions.size(); first += chunk) {
    const std::size_t last = std::min(partitions.size(), first + chunk);
    PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(last - first)));
    for (std::size_t i = first; i < last; ++i) {
      rd_kafka_topic_partition_list_add(
          list.get(), partitions[i].topic.c_str(), partitions[i].partition)
          ->offset = which;
    }
    requests.push_back(std::move(list));
  }
  return requests;
}

Result<std::map<TopicPartition, Watermarks>> query_all_watermarks(
    Client& client, const std::vector<TopicPartition>& partitions) {
  std::map<TopicPartition, Watermarks> result;
  if (partitions.empty()) {
    return result;
  }
  // ListOffsets with the special timestamps -2 (earliest) and -1 (latest) answers the low and
  // high watermarks of many partitions at once, grouped by leader.
  std::vector<WatermarkQuery> queries;
  for (const std::int64_t which : {std::int64_t{-2}, std::int64_t{-1}}) {
    for (PartitionListPtr& list : offsets_requests(partitions, which)) {
      queries.push_back(WatermarkQuery{which, std::move(list)});
    }
  }
  const int timeout = timeout_ms(client);
  auto ask = [&](std::size_t from, std::size_t step) {
    for (std::size_t i = from; i < queries.size(); i += step) {
      queries[i].err = rd_kafka_offsets_for_times(client.handle(), queries[i].list.get(), timeout);
    }
  };
  const std::size_t threads = std::min(queries.size(), k_concurrent_requests);
  {
    std::vector<std::jthread> workers;
    for (std::size_t t = 1; t < threads; ++t) {
      workers.emplace_back(ask, t, threads);
    }
    ask(0, threads);
  }
  for (const WatermarkQuery& query : queries) {
    if (query.err) {
      if (kind_for(query.err) == ErrorKind::unreachable) {
        return fail(ErrorKind::unreachable, unreachable_message(client), unreachable_hint());
      }
      return kafka_failure(query.err, "cannot read watermarks");
    }
    for (int i = 0; i < query.list->cnt; ++i) {
      const rd_kafka_topic_partition_t& p = query.list->elems[i];
      if (p.err) {
        return kafka_failure(p.err,
                             fmt::format("cannot read the offsets of {}/{}", p.topic, p.partition));
      }
      Watermarks& marks = result[{p.topic, p.partition}];
      (query.which == -2 ? marks.low : marks.high) = p.offset;
    }
  }
  return result;
}

}  // namespace evt::kafka
