"""The independent client of the kafka tier's real-broker-only tests (tests/kafka/*.cpp): what
evt is checked against, with confluent-kafka 2.x (its own, newer librdkafka) from the venv that
scripts/kafka.sh installs. Every wait is bounded. Bytes are printed as UTF-8 text (tests use
text), None as null.

  kclient.py create BROKERS TOPIC PARTITIONS [KEY=VALUE...]   a topic with configs (deleted first)
  kclient.py txn BROKERS TOPIC ID                  committed c1 c2, aborted a1 a2, committed c3
  kclient.py read BROKERS TOPIC ISOLATION           values up to the end, one JSON line each:
                                                    {"partition","offset","key","value"}
  kclient.py offsets-for BROKERS TOPIC TIME_MS     {"P": offset} from ListOffsets by time
  kclient.py join BROKERS GROUP TOPIC PROTOCOL N   a group member (PROTOCOL classic|consumer)
                                                    that reads N records, commits them, prints
                                                    "ready" and stays until stdin closes
  kclient.py describe BROKERS GROUP                DescribeConsumerGroups as JSON
  kclient.py delete-records BROKERS TOPIC P OFFSET moves the log start of P to OFFSET (as
                                                    retention does when it deletes a segment)
  kclient.py compacted BROKERS TOPIC               waits (bounded) until the log cleaner has
                                                    removed every older copy of a key
"""
import json
import sys
import time


def admin(brokers):
    from confluent_kafka.admin import AdminClient
    return AdminClient({"bootstrap.servers": brokers})


def text(b):
    return None if b is None else b.decode("utf-8", "replace")


def wait_for(predicate, what, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        got = predicate()
        if got:
            return got
        if time.monotonic() > deadline:
            raise SystemExit("kclient: timed out waiting for %s" % what)
        time.sleep(0.1)


def create(brokers, topic, partitions, configs):
    from confluent_kafka.admin import NewTopic
    a = admin(brokers)
    if topic in a.list_topics(timeout=10).topics:
        for f in a.delete_topics([topic], operation_timeout=30).values():
            f.result()
        wait_for(lambda: topic not in a.list_topics(timeout=10).topics, "deletion")
    conf = dict(c.split("=", 1) for c in configs)

    def made():
        try:
            for f in a.create_topics([NewTopic(topic, int(partitions), 1, config=conf)],
                                     operation_timeout=30).values():
                f.result()
            return True
        except Exception as e:  # noqa: BLE001 - a deletion may still be settling
            if "already exists" in str(e).lower() or "marked for deletion" in str(e):
                return False
            raise SystemExit("kclient: create %s: %s" % (topic, e))

    wait_for(made, "creation of " + topic)
    wait_for(lambda: topic in a.list_topics(timeout=10).topics and all(
        p.leader >= 0 for p in a.list_topics(timeout=10).topics[topic].partitions.values()),
        "leaders of " + topic)


def txn(brokers, topic, txn_id):
    from confluent_kafka import Producer
    p = Producer({"bootstrap.servers": brokers, "transactional.id": txn_id})
    p.init_transactions(30)
    for values, commit in ((["c1", "c2"], True), (["a1", "a2"], False), (["c3"], True)):
        p.begin_transaction()
        for v in values:
            p.produce(topic, value=v.encode(), partition=0)
        p.flush(30)
        if commit:
            p.commit_transaction(30)
        else:
            p.abort_transaction(30)


def read(brokers, topic, isolation):
    from confluent_kafka import Consumer, TopicPartition
    c = Consumer({"bootstrap.servers": brokers, "group.id": "kclient-reader",
                  "enable.auto.commit": False, "isolation.level": isolation,
                  "auto.offset.reset": "earliest"})
    md = c.list_topics(topic, timeout=10)
    parts = sorted(md.topics[topic].partitions)
    ends = {}
    for p in parts:
        lo, hi = c.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
        if hi > lo:
            ends[p] = hi
    c.assign([TopicPartition(topic, p, 0) for p in ends])
    out = []
    # A read_committed reader stops at the last stable offset: the end it sees is reached when
    # its position passes the last record, or nothing arrives for a while.
    deadline = time.monotonic() + 30
    while ends and time.monotonic() < deadline:
        m = c.poll(1)
        if m is None:
            done = [p for p in ends
                    if c.position([TopicPartition(topic, p)])[0].offset >= ends[p]]
            for p in done:
                del ends[p]
            continue
        if m.error():
            raise SystemExit("kclient: %s" % m.error())
        out.append({"partition": m.partition(), "offset": m.offset(), "key": text(m.key()),
                    "value": text(m.value())})
        if m.offset() + 1 >= ends.get(m.partition(), 0):
            ends.pop(m.partition(), None)
    c.close()
    for r in sorted(out, key=lambda r: (r["partition"], r["offset"])):
        print(json.dumps(r, sort_keys=True))


def offsets_for(brokers, topic, time_ms):
    from confluent_kafka import Consumer, TopicPartition
    c = Consumer({"bootstrap.servers": brokers, "group.id": "kclient-times"})
    parts = sorted(c.list_topics(topic, timeout=10).topics[topic].partitions)
    got = c.offsets_for_times([TopicPartition(topic, p, int(time_ms)) for p in parts], timeout=10)
    print(json.dumps({str(tp.partition): tp.offset for tp in got}, sort_keys=True))
    c.close()


def join(brokers, group, topic, protocol, n):
    from confluent_kafka import Consumer
    conf = {"bootstrap.servers": brokers, "group.id": group, "enable.auto.commit": False,
            "auto.offset.reset": "earliest"}
    if protocol == "consumer":
        conf["group.protocol"] = "consumer"
    else:
        conf["session.timeout.ms"] = 10000
    c = Consumer(conf)
    c.subscribe([topic])
    got = 0
    deadline = time.monotonic() + 60
    while got < int(n):
        if time.monotonic() > deadline:
            raise SystemExit("kclient: read %d of %s records" % (got, n))
        m = c.poll(0.5)
        if m is None:
            continue
        if m.error():
            raise SystemExit("kclient: %s" % m.error())
        got += 1
    c.commit(asynchronous=False)
    print("ready", flush=True)
    # Stay a member (polling, so the session lives) until the test closes stdin.
    import select
    while True:
        c.poll(0.2)
        r, _, _ = select.select([sys.stdin], [], [], 0)
        if r and not sys.stdin.readline():
            break
    c.close()


def describe(brokers, group):
    a = admin(brokers)
    g = a.describe_consumer_groups([group])[group].result(timeout=10)
    print(json.dumps({"state": str(g.state), "type": str(getattr(g, "type", "")),
                      "members": len(g.members)}))


def delete_records(brokers, topic, partition, offset):
    from confluent_kafka import TopicPartition
    a = admin(brokers)
    for f in a.delete_records([TopicPartition(topic, int(partition), int(offset))],
                              request_timeout=30).values():
        f.result()


def compacted(brokers, topic):
    from confluent_kafka import Consumer, TopicPartition

    def once():
        c = Consumer({"bootstrap.servers": brokers, "group.id": "kclient-compacted",
                      "enable.auto.commit": False})
        lo, hi = c.get_watermark_offsets(TopicPartition(topic, 0), timeout=10)
        c.assign([TopicPartition(topic, 0, lo)])
        keys = []
        while lo < hi:
            m = c.poll(5)
            if m is None or m.error():
                break
            keys.append(m.key())
            if m.offset() + 1 >= hi:
                break
        c.close()
        # The last record (the one that rolled the segment) is in the active segment.
        return len(keys[:-1]) == len(set(keys[:-1]))

    wait_for(once, "compaction of " + topic, seconds=60)


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "create":
        create(args[0], args[1], args[2], args[3:])
    elif cmd == "txn":
        txn(*args)
    elif cmd == "read":
        read(*args)
    elif cmd == "offsets-for":
        offsets_for(*args)
    elif cmd == "join":
        join(*args)
    elif cmd == "describe":
        describe(*args)
    elif cmd == "delete-records":
        delete_records(*args)
    elif cmd == "compacted":
        compacted(*args)
    else:
        raise SystemExit(__doc__)
