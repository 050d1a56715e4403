#!/usr/bin/python3
"""An independent Kafka client for evt's tests: reads with confluent-kafka, writes with
kafka-python (confluent-kafka 1.7 crashes reading null header values; kafka-python cannot write
them, so each does what it can). Against a real Apache Kafka 4 (the kafka tier) it runs under the
venv of scripts/kafka.sh, whose confluent-kafka 2.x does both (Debian's kafka-python 2.0.2 speaks
request versions Kafka 4 removed), and then writes with confluent-kafka too.

  peer.py read BROKERS TOPIC        every record up to the current end, one JSON line each:
                                    {"partition","offset","timestamp","key","value","headers"}
                                    bytes as {"b64": "..."} or null
  peer.py write BROKERS TOPIC       JSON lines on stdin, same shape (partition/timestamp optional)
  peer.py partition-for KEY N       the partition the Java client's murmur2 picks for KEY
  peer.py recreate BROKERS NAME:PARTITIONS...
                                    deletes each topic if it exists, creates it anew and waits
                                    until every partition has a leader (real brokers only)
  peer.py delete BROKERS NAME...    deletes topics that exist (real brokers only)
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
    import time
    deadline = time.monotonic() + 30
    while ends:
        m = c.poll(0.5)
        if m is None:
            # A partition can end in a transaction marker, which is no message: its position
            # then reaches the end without a record there.
            for tp in c.position([TopicPartition(topic, p) for p in list(ends)]):
                if tp.offset >= ends[tp.partition]:
                    del ends[tp.partition]
            if ends and time.monotonic() > deadline:
                raise SystemExit("peer: timed out reading %s" % topic)
            continue
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
    try:
        from kafka import KafkaProducer
    except ImportError:
        return write_confluent(brokers, topic)
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


def write_confluent(brokers, topic):
    from confluent_kafka import Producer
    # murmur2_random: the Java client's partitioner, as kafka-python's default.
    p = Producer({"bootstrap.servers": brokers, "acks": "all", "linger.ms": 5,
                  "partitioner": "murmur2_random", "enable.idempotence": False})
    errors = []

    def report(err, _msg):
        if err is not None:
            errors.append(str(err))

    for line in sys.stdin:
        if not line.strip():
            continue
        r = json.loads(line)
        kwargs = {"key": dec(r.get("key")), "value": dec(r.get("value")), "on_delivery": report}
        headers = [(k, dec(v)) for k, v in r.get("headers", [])]
        if headers:
            kwargs["headers"] = headers
        if r.get("partition") is not None:
            kwargs["partition"] = r["partition"]
        if r.get("timestamp") is not None:
            kwargs["timestamp"] = r["timestamp"]
        p.produce(topic, **kwargs)
        p.poll(0)
    if p.flush(30) != 0:
        raise SystemExit("peer: records still undelivered after 30 s")
    if errors:
        raise SystemExit("peer: delivery failed: %s" % errors[0])


def wait_for(predicate, what, seconds=30):
    import time
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit("peer: timed out waiting for %s" % what)
        time.sleep(0.05)


def delete(brokers, names):
    from confluent_kafka.admin import AdminClient
    a = AdminClient({"bootstrap.servers": brokers})
    existing = set(a.list_topics(timeout=10).topics)
    doomed = [n for n in names if n in existing]
    if doomed:
        for n, f in a.delete_topics(doomed, operation_timeout=30).items():
            try:
                f.result()
            except Exception as e:  # noqa: BLE001 - a topic deleted meanwhile is fine
                if "UNKNOWN_TOPIC" not in str(e):
                    raise SystemExit("peer: delete %s: %s" % (n, e))
        wait_for(lambda: not (set(doomed) & set(a.list_topics(timeout=10).topics)),
                 "deletion of %s" % doomed)
    return a


def recreate(brokers, specs):
    from confluent_kafka.admin import NewTopic
    wanted = {}
    for s in specs:
        name, _, n = s.rpartition(":")
        wanted[name] = int(n)
    a = delete(brokers, list(wanted))

    def create_missing():
        existing = set(a.list_topics(timeout=10).topics)
        todo = [NewTopic(n, num_partitions=c, replication_factor=1)
                for n, c in wanted.items() if n not in existing]
        if not todo:
            return True
        for n, f in a.create_topics(todo, operation_timeout=30).items():
            try:
                f.result()
            except Exception as e:  # noqa: BLE001 - retried: a deletion may still be settling
                if "already exists" not in str(e).lower() and "marked for deletion" not in str(e):
                    raise SystemExit("peer: create %s: %s" % (n, e))
        return False

    wait_for(create_missing, "creation of %s" % list(wanted))

    def ready():
        md = a.list_topics(timeout=10).topics
        return all(n in md and len(md[n].partitions) == c and
                   all(p.leader >= 0 for p in md[n].partitions.values())
                   for n, c in wanted.items())

    wait_for(ready, "leaders of %s" % list(wanted))


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
    elif cmd == "recreate":
        recreate(sys.argv[2], sys.argv[3:])
    elif cmd == "delete":
        delete(sys.argv[2], sys.argv[3:])
    elif cmd == "commit":
        commit(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    else:
        raise SystemExit(__doc__)
