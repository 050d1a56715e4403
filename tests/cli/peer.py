#!/usr/bin/python3
"""An independent Kafka client for evt's tests: reads with confluent-kafka, writes with
kafka-python (confluent-kafka 1.7 crashes reading null header values; kafka-python cannot write
them, so each does what it can).

  peer.py read BROKERS TOPIC        every record up to the current end, one JSON line each:
                                    {"partition","offset","timestamp","key","value","headers"}
                                    bytes as {"b64": "..."} or null
  peer.py write BROKERS TOPIC       JSON lines on stdin, same shape (partition/timestamp optional)
  peer.py partition-for KEY N       the partition the Java client's murmur2 picks for KEY
  peer.py commit BROKERS GROUP TOPIC P=OFFSET...
                                    commits offsets for GROUP (not as a member: the group must
                                    have no members, e.g. a new one)
"""
import base64
import json
import sys


def enc(b):
    return None if b is None else {"b64": base64.b64encode(b).decode()}


def dec(v):
    return None if v is None else base64.b64decode(v["b64"])


def read(brokers, topic):
    from confluent_kafka import Consumer, TopicPartition
    c = Consumer({"bootstrap.servers": brokers, "group.id": "evt-peer", "enable.auto.commit": False,
                  "enable.partition.eof": False, "fetch.wait.max.ms": 50})
    md = c.list_topics(topic, timeout=10)
    parts = sorted(md.topics[topic].partitions.keys())
    ends = {}
    assign = []
    for p in parts:
        lo, hi = c.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
        if hi > lo:
            ends[p] = hi
            assign.append(TopicPartition(topic, p, lo))
    c.assign(assign)
    out = []
    while ends:
        m = c.poll(5)
        if m is None:
            raise SystemExit("peer: timed out reading %s" % topic)
        if m.error():
            raise SystemExit("peer: %s" % m.error())
        p = m.partition()
        if p not in ends:
            continue
        if m.offset() >= ends[p]:
            continue
        hdrs = m.headers() or []
        out.append({"partition": p, "offset": m.offset(), "timestamp": m.timestamp()[1],
                    "key": enc(m.key()), "value": enc(m.value()),
                    "headers": [[k, enc(v)] for k, v in hdrs]})
        if m.offset() + 1 >= ends[p]:
            del ends[p]
    c.close()
    out.sort(key=lambda r: (r["partition"], r["offset"]))
    for r in out:
        print(json.dumps(r, sort_keys=True))


def write(brokers, topic):
    from kafka import KafkaProducer
    p = KafkaProducer(bootstrap_servers=brokers, acks="all", linger_ms=5)
    futures = []
    for line in sys.stdin:
        if not line.strip():
            continue
        r = json.loads(line)
        headers = [(k, dec(v)) for k, v in r.get("headers", [])]
        if any(v is None for _, v in headers):
            raise SystemExit("peer: kafka-python cannot write null header values")
        futures.append(p.send(topic, key=dec(r.get("key")), value=dec(r.get("value")),
                              partition=r.get("partition"), timestamp_ms=r.get("timestamp"),
                              headers=headers or None))
    for f in futures:
        f.get(timeout=30)
    p.flush()
    p.close()


def partition_for(key, n):
    from kafka.partitioner.default import murmur2
    print((murmur2(key.encode()) & 0x7fffffff) % int(n))


def commit(brokers, group, topic, specs):
    from confluent_kafka import Consumer, TopicPartition
    c = Consumer({"bootstrap.servers": brokers, "group.id": group, "enable.auto.commit": False})
    offsets = [TopicPartition(topic, int(p), int(o)) for p, o in (s.split("=") for s in specs)]
    for tp in c.commit(offsets=offsets, asynchronous=False):
        if tp.error:
            raise SystemExit("peer: commit %s/%d: %s" % (tp.topic, tp.partition, tp.error))
    c.close()


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "read":
        read(sys.argv[2], sys.argv[3])
    elif cmd == "write":
        write(sys.argv[2], sys.argv[3])
    elif cmd == "partition-for":
        partition_for(sys.argv[2], sys.argv[3])
    elif cmd == "commit":
        commit(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    else:
        raise SystemExit(__doc__)
