// SPDX-License-Identifier: MIT
// The floor for consume benchmarks: every partition of a topic from the beginning to the high
// watermark as it was at start, values to stdout, with librdkafka and no formatting at all.
// Usage: floor_consume BROKERS TOPIC
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <librdkafka/rdkafka.h>

#include <unistd.h>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: floor_consume BROKERS TOPIC\n");
    return 2;
  }
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], error, sizeof error);
  rd_kafka_conf_set(conf, "queued.min.messages", "1000000", error, sizeof error);
  rd_kafka_conf_set(conf, "fetch.wait.max.ms", "100", error, sizeof error);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof error);
  rd_kafka_topic_t* topic = rd_kafka_topic_new(rk, argv[2], nullptr);
  const rd_kafka_metadata_t* metadata = nullptr;
  if (rd_kafka_metadata(rk, 0, topic, &metadata, 10000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return 1;
  }
  rd_kafka_queue_t* queue = rd_kafka_queue_new(rk);
  const int partitions = metadata->topics[0].partition_cnt;
  std::vector<int64_t> ends(partitions);
  int open = 0;
  for (int p = 0; p < partitions; ++p) {
    int64_t low = 0, high = 0;
    rd_kafka_query_watermark_offsets(rk, argv[2], p, &low, &high, 10000);
    ends[p] = high;
    if (high > low) {
      rd_kafka_consume_start_queue(topic, p, low, queue);
      ++open;
    }
  }
  rd_kafka_metadata_destroy(metadata);
  std::string out;
  out.reserve(2 << 20);
  std::vector<rd_kafka_message_t*> batch(4096);
  while (open > 0) {
    rd_kafka_message_t* first = rd_kafka_consume_queue(queue, 1000);
    if (!first) {
      continue;
    }
    batch[0] = first;
    const ssize_t more = rd_kafka_consume_batch_queue(queue, 0, batch.data() + 1, batch.size() - 1);
    const ssize_t count = 1 + (more > 0 ? more : 0);
    for (ssize_t i = 0; i < count; ++i) {
      rd_kafka_message_t* m = batch[i];
      if (!m->err && m->offset < ends[m->partition]) {
        out.append(static_cast<const char*>(m->payload), m->len);
        out.push_back('\n');
        if (m->offset + 1 == ends[m->partition]) {
          rd_kafka_consume_stop(topic, m->partition);
          --open;
        }
      }
      rd_kafka_message_destroy(m);
    }
    if (out.size() > (1 << 20)) {
      (void)!::write(1, out.data(), out.size());
      out.clear();
    }
  }
  (void)!::write(1, out.data(), out.size());
  rd_kafka_queue_destroy(queue);
  rd_kafka_topic_destroy(topic);
  rd_kafka_destroy(rk);
  return 0;
}
