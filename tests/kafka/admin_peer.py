#!/usr/bin/python3
"""An independent view of topics and groups for evt's real-Kafka tests, with Debian's
confluent-kafka 1.7 (its AdminClient and a consumer that never joins a group). Each command
prints one JSON document.

  admin_peer.py topics BROKERS                 {"topic": partition count, ...} (no __-topics)
  admin_peer.py configs BROKERS TOPIC          {"name": {"value": v, "topic": true|false}, ...}
                                               ("topic": set on the topic itself)
  admin_peer.py watermarks BROKERS TOPIC       {"0": [low, high], ...}
  admin_peer.py committed BROKERS GROUP TOPIC  {"0": offset or -1, ...}
  admin_peer.py groups BROKERS                 {"group": {"state": s, "members": n}, ...}
  admin_peer.py create BROKERS TOPIC PARTITIONS
  admin_peer.py produce BROKERS TOPIC PARTITION COUNT [TIMESTAMP_MS]
                                               COUNT records "v0".. into one partition
  admin_peer.py commit BROKERS GROUP TOPIC P=OFFSET...
  admin_peer.py member BROKERS GROUP TOPIC     joins GROUP, prints "joined" once it has an
                                               assignment, stays until stdin closes
"""
import json
import sys


def admin(brokers):
    from confluent_kafka.admin import AdminClient
    return AdminClient({"bootstrap.servers": brokers})


def consumer(brokers, group="evt-admin-peer", **extra):
    from confluent_kafka import Consumer
    conf = {"bootstrap.servers": brokers, "group.id": group, "enable.auto.commit": False}
    conf.update(extra)
    return Consumer(conf)


def partitions(brokers, topic):
    md = admin(brokers).list_topics(topic, timeout=10)
    return sorted(md.topics[topic].partitions.keys())


def main(argv):
    from confluent_kafka import TopicPartition
    cmd, brokers = argv[1], argv[2]
    if cmd == "topics":
        md = admin(brokers).list_topics(timeout=10)
        out = {t: len(m.partitions) for t, m in md.topics.items()
               if not t.startswith("__") and m.error is None}
    elif cmd == "configs":
        from confluent_kafka.admin import ConfigResource
        client = admin(brokers)  # alive until its futures are resolved
        futures = client.describe_configs([ConfigResource("topic", argv[3])])
        entries = list(futures.values())[0].result()
        out = {name: {"value": e.value, "topic": e.source == 1} for name, e in entries.items()}
    elif cmd == "watermarks":
        c = consumer(brokers)
        out = {}
        for p in partitions(brokers, argv[3]):
            out[str(p)] = list(c.get_watermark_offsets(TopicPartition(argv[3], p), timeout=10))
        c.close()
    elif cmd == "committed":
        c = consumer(brokers, argv[3])
        tps = [TopicPartition(argv[4], p) for p in partitions(brokers, argv[4])]
        out = {str(tp.partition): tp.offset for tp in c.committed(tps, timeout=10)}
        c.close()
    elif cmd == "groups":
        out = {g.id: {"state": g.state, "members": len(g.members)}
               for g in admin(brokers).list_groups(timeout=10)}
    elif cmd == "create":
        from confluent_kafka.admin import NewTopic
        client = admin(brokers)
        futures = client.create_topics([NewTopic(argv[3], int(argv[4]), 1)])
        for f in futures.values():
            f.result()
        out = "created"
    elif cmd == "produce":
        from confluent_kafka import Producer
        p = Producer({"bootstrap.servers": brokers, "acks": "all", "linger.ms": 5})
        topic, partition, count = argv[3], int(argv[4]), int(argv[5])
        stamp = int(argv[6]) if len(argv) > 6 else 0
        failed = []
        for i in range(count):
            p.produce(topic, value=b"v%d" % i, partition=partition, timestamp=stamp + i if stamp else 0,
                      on_delivery=lambda err, msg: err and failed.append(str(err)))
        p.flush(30)
        if failed or len(p):
            raise SystemExit("produce failed: %s" % failed[:3])
        out = count
    elif cmd == "commit":
        c = consumer(brokers, argv[3])
        tps = []
        for spec in argv[5:]:
            part, offset = spec.split("=")
            tps.append(TopicPartition(argv[4], int(part), int(offset)))
        import time
        from confluent_kafka import KafkaException
        for attempt in range(20):  # a new cluster creates __consumer_offsets first
            try:
                c.commit(offsets=tps, asynchronous=False)
                break
            except KafkaException as e:
                if attempt == 19 or "oordinator" not in str(e):
                    raise
                time.sleep(0.5)
        c.close()
        out = "committed"
    elif cmd == "member":
        c = consumer(brokers, argv[3], **{"client.id": "evt-admin-peer-member",
                                          "session.timeout.ms": 10000})
        c.subscribe([argv[4]])
        while not c.assignment():
            c.poll(0.2)
        print("joined", flush=True)
        import select
        while not select.select([sys.stdin], [], [], 0.2)[0]:
            c.poll(0)
        c.close()
        return
    else:
        raise SystemExit("unknown command " + cmd)
    print(json.dumps(out, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv)
