// SPDX-License-Identifier: MIT
// The floor for produce benchmarks: stdin lines into a topic with librdkafka and nothing else
// (big reads, memchr, rd_kafka_produce with F_COPY, delivery reports every 1024 records).
// Usage: floor_produce BROKERS TOPIC
#include <cstdio>
#include <cstring>
#include <vector>

#include <librdkafka/rdkafka.h>

#include <unistd.h>

namespace {
int g_failed = 0;
void on_delivery(rd_kafka_t*, const rd_kafka_message_t* message, void*) {
  if (message->err) {
    ++g_failed;
  }
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: floor_produce BROKERS TOPIC\n");
    return 2;
  }
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], error, sizeof error);
  rd_kafka_conf_set(conf, "queue.buffering.max.messages", "200000", error, sizeof error);
  rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
  rd_kafka_topic_t* topic = rd_kafka_topic_new(rk, argv[2], nullptr);
  std::vector<char> buffer(4 << 20);
  std::size_t used = 0;
  long sent = 0;
  for (;;) {
    const ssize_t got = ::read(0, buffer.data() + used, buffer.size() - used);
    if (got <= 0) {
      break;
    }
    used += static_cast<std::size_t>(got);
    char* start = buffer.data();
    char* end = buffer.data() + used;
    while (char* newline = static_cast<char*>(std::memchr(start, '\n', end - start))) {
      while (rd_kafka_produce(topic,
                              RD_KAFKA_PARTITION_UA,
                              RD_KAFKA_MSG_F_COPY,
                              start,
                              newline - start,
                              nullptr,
                              0,
                              nullptr) != 0) {
        rd_kafka_poll(rk, 10);
      }
      if (++sent % 1024 == 0) {
        rd_kafka_poll(rk, 0);
      }
      start = newline + 1;
    }
    used = end - start;
    std::memmove(buffer.data(), start, used);
  }
  rd_kafka_flush(rk, 60000);
  rd_kafka_topic_destroy(topic);
  rd_kafka_destroy(rk);
  return g_failed ? 1 : 0;
}
