#!/usr/bin/python3
"""evt's benchmark suite: evt against kcat (and a minimal librdkafka floor) on the same local
broker, in the same run, alternating, several rounds. Reports medians and evt/rival ratios of
wall time, CPU time (user+sys) and peak RSS, writes bench/results.json and prints a table.

    bench/run.py [--build build/release] [--rounds 5] [--quick] [--cases produce,consume,...]

The kafka-produce and kafka-consume cases run against a real Apache Kafka that the suite starts
with scripts/kafka.sh (assembled from Maven Central on first use) and stops at the end.

Build first: scripts/build.sh release (the floors are built with it).
"""
import argparse
import json
import os
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=True, check=True, capture_output=True, text=True, **kw)


class Broker:
    def __init__(self, evt, topics, env, control):
        self.evt, self.env, self.control = evt, env, control
        args = [evt, "broker", "--no-publish", "--control", control]
        for t in topics:
            args += ["--topic", t]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True, env=env)
        self.bootstrap = self.proc.stdout.readline().strip()
        if not self.bootstrap:
            raise SystemExit("bench: evt broker did not start")

    def create_topic(self, name, partitions):
        sh("%s broker fault --control %s create %s %d" % (self.evt, self.control, name, partitions),
           env=self.env)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


def timed(pipeline, env, check=None):
    """Runs a shell pipeline whose measured command is prefixed with TIME; returns metrics."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        cmd = pipeline.replace("TIME", "/usr/bin/time -o %s -f '%%U %%S %%M'" % out.name)
        # Wall time from perf_counter: time's %e has a 10 ms resolution, an eighth of the
        # fastest case. The pipeline's shell and cat add well under a millisecond.
        start = time.perf_counter()
        result = subprocess.run(cmd, shell=True, capture_output=True, text=True, env=env)
        wall = time.perf_counter() - start
        if result.returncode != 0:
            raise SystemExit("bench: command failed (%d): %s\n%s" % (result.returncode, cmd,
                                                                     result.stderr[-2000:]))
        user, system, rss_kb = open(out.name).read().split()[-3:]
    if check:
        check(result.stdout)
    return {"wall": wall, "cpu": float(user) + float(system), "rss_mb": int(rss_kb) / 1024}


def high_watermarks(evt, bootstrap, topic, env):
    out = sh("%s inspect topic %s -o json -b %s" % (evt, topic, bootstrap), env=env).stdout
    return sum(p["high"] for p in json.loads(out)["partitions"])


def seconds(wall):
    return "%.1f ms" % (wall * 1000) if wall < 0.1 else "%.3f s" % wall


def median_metrics(samples):
    return {k: statistics.median(s[k] for s in samples) for k in samples[0]}


def make_data(directory, quick):
    n_small = 100_000 if quick else 1_000_000
    n_large = 10_000 if quick else 100_000
    files = {}
    path = os.path.join(directory, "lines100")
    with open(path, "w") as f:
        for i in range(n_small):
            f.write("event-%09d %s\n" % (i, "x" * 84))  # 100 bytes with the newline
    files["lines100"] = (path, n_small)
    path = os.path.join(directory, "lines1k")
    with open(path, "w") as f:
        for i in range(n_large):
            f.write("event-%09d %s\n" % (i, "y" * 1008))  # 1024 bytes with the newline
    files["lines1k"] = (path, n_large)
    path = os.path.join(directory, "envelopes")
    with open(path, "w") as f:
        for i in range(n_small):
            f.write('{"value":"event-%09d %s"}\n' % (i, "x" * 84))
    files["envelopes"] = (path, n_small)
    path = os.path.join(directory, "small")
    with open(path, "w") as f:
        for i in range(n_small):
            f.write("k%05d:record-%09d\n" % (i % 50000, i))  # keyed: spread over partitions
    files["small"] = (path, n_small)
    return files


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build", "release"))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="10x smaller data (for a smoke run)")
    ap.add_argument("--cases", default="produce100,produce1k,producejson,consume,consumejson,"
                                       "consumeglibc,avro,filterjq,filterjqfull,filtergrep,"
                                       "filtergrepvalue,replay,memory,allocs,startup,"
                                       "kafka-produce,kafka-consume")
    ap.add_argument("--out", default=os.path.join(HERE, "results.json"))
    args = ap.parse_args()

    evt = os.path.join(args.build, "cmd", "evt")
    floor_produce = os.path.join(args.build, "bench", "floor_produce")
    floor_consume = os.path.join(args.build, "bench", "floor_consume")
    for binary in (evt, floor_produce, floor_consume, "/usr/bin/kcat", "/usr/bin/time"):
        if not os.path.exists(binary):
            raise SystemExit("bench: %s is missing (run scripts/setup.sh and scripts/build.sh release)"
                             % binary)
    home = tempfile.mkdtemp(prefix="evt-bench-home-")
    # No user config may skew either tool: kcat reads ~/.config/kcat.conf and $KCAT_CONFIG.
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "LC_ALL": "C",
           "EVT_CONFIG": os.path.join(home, "none.yaml"),
           "EVT_BROKER_FILE": os.path.join(home, "broker")}
    cases = args.cases.split(",")
    data_dir = tempfile.mkdtemp(prefix="evt-bench-data-")
    files = make_data(data_dir, args.quick)
    rounds = args.rounds

    # Enough partitions that the mock's 5 MiB per partition keeps what consume cases read.
    topics = ["consume:64", "replaysrc:64"]
    broker = Broker(evt, topics, env, os.path.join(home, "control"))
    b = broker.bootstrap
    results = {}

    def startup_case(name, evt_cmd, rival_name, rival_cmd, repeat=50):
        # A few milliseconds a run: /usr/bin/time's 10 ms resolution is too coarse, so
        # wall comes from perf_counter and CPU from the children's rusage, per run.
        samples = {"evt": [], rival_name: []}
        argv = {"evt": shlex.split(evt_cmd), rival_name: shlex.split(rival_cmd)}
        for r in range(rounds):
            for tool in (["evt", rival_name] if r % 2 == 0 else [rival_name, "evt"]):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                for _ in range(repeat):
                    subprocess.run(argv[tool], env=env, check=True,
                                   stdout=subprocess.DEVNULL)
                wall = time.perf_counter() - start
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
                # ru_maxrss of all children would include the broker's: one timed run.
                rss = timed("TIME " + (evt_cmd if tool == "evt" else rival_cmd) +
                            " > /dev/null", env)["rss_mb"]
                samples[tool].append({"wall": wall / repeat, "cpu": cpu / repeat,
                                      "rss_mb": rss})
        results[name] = {tool: median_metrics(s) for tool, s in samples.items()}
        results[name]["rival"] = rival_name

    try:
        if "startup" in cases:
            # First, on a broker holding only the two topics above (128 partitions).
            startup_case("startup-metadata", "%s inspect topics -b %s" % (evt, b), "kcat -L",
                         "kcat -L -b %s" % b)
            startup_case("startup-version", "%s --version" % evt, "kcat -V", "kcat -V")

        def produce_case(name, data, evt_args, rival_name, rival_cmd, floor, b=b, create=None):
            path, count = files[data]
            samples = {"evt": [], rival_name: []}
            if floor:
                samples["floor"] = []
            for r in range(rounds):
                order = list(samples)
                if r % 2:
                    order.reverse()
                for tool in order:
                    topic = "%s-%s-%d" % (name, tool.replace(" ", ""), r)
                    if create:
                        create(topic, 4)
                    else:  # the local broker creates a topic on first sight
                        sh("%s inspect topic %s -b %s -o json" % (evt, topic, b), env=env)
                    if tool == "evt":
                        cmd = "cat %s | TIME %s produce %s -b %s %s" % (path, evt, topic, b, evt_args)
                    elif tool == "floor":
                        cmd = "cat %s | TIME %s %s %s" % (path, floor_produce, b, topic)
                    else:
                        cmd = "cat %s | TIME %s" % (path, rival_cmd % {"b": b, "topic": topic})
                    samples[tool].append(timed(cmd, env))
                    got = high_watermarks(evt, b, topic, env)
                    if got != count:
                        raise SystemExit("bench: %s/%s wrote %d records, expected %d" % (name, tool, got, count))
            results[name] = {tool: median_metrics(s) for tool, s in samples.items()}
            results[name]["rival"] = rival_name
            results[name]["records"] = count

        if "produce100" in cases:
            produce_case("produce100", "lines100", "", "kcat -P", "kcat -P -b %(b)s -t %(topic)s", True)
        if "produce1k" in cases:
            produce_case("produce1k", "lines1k", "", "kcat -P", "kcat -P -b %(b)s -t %(topic)s", True)
        if "producejson" in cases:
            # The rival is evt itself reading the same payloads as plain lines.
            path, count = files["lines100"]
            produce_case("producejson", "envelopes", "-f json", "evt -f lines",
                         evt + " produce -b %(b)s %(topic)s", False)

        if any(c.startswith(("consume", "filter")) or c in ("allocs", "avro", "kafka-consume")
               for c in cases):
            path, count = files["small"]
            sh("%s produce consume -b %s -K : < %s" % (evt, b, path), env=env)
            if high_watermarks(evt, b, "consume", env) != count:
                raise SystemExit("bench: consume topic not filled")

            def lines(n):
                def check(out):
                    got = int(out.strip() or 0)
                    if got != n:
                        raise SystemExit("bench: consumed %d lines, expected %d" % (got, n))
                return check

            def consume_case(name, evt_cmd, rival_name, rival_cmd, floor, b=b, topic="consume",
                             expect=None):
                samples = {"evt": [], rival_name: []}
                if floor:
                    samples["floor"] = []
                for r in range(rounds):
                    order = list(samples)
                    if r % 2:
                        order.reverse()
                    for tool in order:
                        if tool == "evt":
                            cmd = "TIME " + evt_cmd
                        elif tool == "floor":
                            cmd = "TIME %s %s %s" % (floor_consume, b, topic)
                        else:
                            cmd = "TIME " + rival_cmd
                        # A filter case prints only the matches; its rival prints everything.
                        want = expect if (expect is not None and tool == "evt") else count
                        samples[tool].append(timed(cmd + " | wc -l", env, lines(want)))
                results[name] = {tool: median_metrics(s) for tool, s in samples.items()}
                results[name]["rival"] = rival_name
                results[name]["records"] = count

            if "consume" in cases:
                consume_case("consume", "%s consume consume -e -b %s" % (evt, b), "kcat -C -e",
                             "kcat -C -e -q -b %s -t consume" % b, True)
            if "consumejson" in cases:
                consume_case("consumejson", "%s consume consume -e -f json -b %s" % (evt, b),
                             "kcat -C -e -J", "kcat -C -e -J -q -b %s -t consume" % b, False)
            # Filters against plain JSON output of the same records. The keys are k00000 to
            # k49999, each on 20 of the 1M records (2 with --quick).
            matches = count // 50000
            json_cmd = "%s consume consume -e -f json -b %s" % (evt, b)
            if "filterjq" in cases:
                # Decided without running jq (the shortcut): the cost of the filter itself.
                consume_case("filterjq", json_cmd + " --jq 'select(.key==\"k00042\")'",
                             "evt -f json", json_cmd, False, expect=matches)
            if "filterjqfull" in cases:
                # The same filter run by jq on every record: the shortcut reads .key, not
                # .["key"].
                consume_case("filterjqfull",
                             json_cmd + " --jq 'select(.[\"key\"] == \"k00042\")'",
                             "evt -f json", json_cmd, False, expect=matches)
            if "filtergrep" in cases:
                consume_case("filtergrep", json_cmd + " --grep-key '^k00042$'",
                             "evt -f json", json_cmd, False, expect=matches)
            if "filtergrepvalue" in cases:
                # A regex over every value (record-000000042, ...): no literal shortcut.
                consume_case("filtergrepvalue", json_cmd + " --grep 'record-0*42$'",
                             "evt -f json", json_cmd, False,
                             expect=count // 1000000 or 1)
            if "consumeglibc" in cases:
                # What mimalloc is worth: evt on glibc's allocator against evt on mimalloc.
                consume_case("consumeglibc",
                             "env EVT_ALLOCATOR=glibc %s consume consume -e -b %s" % (evt, b),
                             "evt on mimalloc", "%s consume consume -e -b %s" % (evt, b), False)

        if "avro" in cases:
            # Decoding 1M small Avro records (--decode value, -f json) against the same records
            # as plain JSON envelopes: the schema is fetched once, so this is libavro's decoding
            # and evt's JSON writing per record. The registry is tests/cli/registry_stub.py.
            import urllib.request
            registry_dir = tempfile.mkdtemp(prefix="evt-bench-registry-")
            url_file = os.path.join(registry_dir, "url")
            registry = subprocess.Popen(["/usr/bin/python3",
                                         os.path.join(ROOT, "tests", "cli", "registry_stub.py"),
                                         url_file])
            try:
                for _ in range(200):
                    if os.path.exists(url_file):
                        break
                    time.sleep(0.05)
                url = open(url_file).read().strip()
                schema = {"type": "record", "name": "Reading", "namespace": "bench", "fields": [
                    {"name": "sensor", "type": "string"}, {"name": "seq", "type": "long"},
                    {"name": "value", "type": "double"}, {"name": "ok", "type": "boolean"},
                    {"name": "unit", "type": ["null", "string"]}]}
                request = urllib.request.Request(
                    url + "/subjects/avro-value/versions", method="POST",
                    data=json.dumps({"schema": json.dumps(schema)}).encode(),
                    headers={"Content-Type": "application/json"})
                urllib.request.urlopen(request).read()
                n = files["small"][1]
                path = os.path.join(data_dir, "avro-input")
                with open(path, "w") as f:
                    for i in range(n):
                        f.write('k%05d:{"sensor":"s-%04d","seq":%d,"value":%d.25,"ok":true,'
                                '"unit":{"string":"C"}}\n' % (i % 50000, i % 1000, i, i % 977))
                broker.create_topic("avro", 64)
                sh("%s produce avro -b %s -K : --value-schema topic --schema-registry %s < %s"
                   % (evt, b, url, path), env=env)
                if high_watermarks(evt, b, "avro", env) != n:
                    raise SystemExit("bench: avro topic not filled")
                samples = {"evt": [], "evt -f json": []}
                for r in range(rounds):
                    order = list(samples)
                    if r % 2:
                        order.reverse()
                    for tool in order:
                        cmd = "TIME %s consume avro -e -f json -b %s" % (evt, b)
                        if tool == "evt":
                            cmd += " --decode value --schema-registry " + url
                        samples[tool].append(timed(cmd + " | wc -l", env, lines(n)))
                results["avro"] = {tool: median_metrics(v) for tool, v in samples.items()}
                results["avro"]["rival"] = "evt -f json"
                results["avro"]["records"] = n
            finally:
                registry.terminate()
                registry.wait(10)

        if "replay" in cases:
            # 500k records topic to topic (50k with --quick); rivals: kcat's lossy pipe, and
            # evt's own consume | produce through JSON envelopes.
            n = 50_000 if args.quick else 500_000
            path = os.path.join(data_dir, "replay-input")
            with open(path, "w") as f:
                for i in range(n):
                    f.write("k%05d:replayed-record-%09d\n" % (i % 50000, i))
            sh("%s produce replaysrc -b %s -K : < %s" % (evt, b, path), env=env)
            if high_watermarks(evt, b, "replaysrc", env) != n:
                raise SystemExit("bench: replay source not filled")
            samples = {"evt": [], "kcat pipe": [], "evt pipe": []}
            for r in range(rounds):
                order = list(samples)
                if r % 2:
                    order.reverse()
                for tool in order:
                    dst = "replaydst-%s-%d" % (tool.replace(" ", ""), r)
                    # As many partitions as the source: the JSON pipe keeps partitions.
                    broker.create_topic(dst, 64)
                    if tool == "evt":
                        cmd = "TIME %s replay replaysrc --from beginning --into %s -b %s" % (evt, dst, b)
                    elif tool == "kcat pipe":
                        cmd = ("TIME sh -c 'kcat -C -e -q -b %s -t replaysrc | kcat -P -b %s -t %s'"
                               % (b, b, dst))
                    else:
                        cmd = ("TIME sh -c '%s consume replaysrc -e -f json -b %s | %s produce -f json %s -b %s'"
                               % (evt, b, evt, dst, b))
                    samples[tool].append(timed(cmd, env))
                    got = high_watermarks(evt, b, dst, env)
                    if got != n:
                        raise SystemExit("bench: replay/%s copied %d records, expected %d" % (tool, got, n))
            results["replay"] = {tool: median_metrics(s) for tool, s in samples.items()}
            results["replay"]["rival"] = "kcat pipe"
            results["replay"]["records"] = n
            results["replay"]["ratio_evt_pipe"] = {
                k: results["replay"]["evt"][k] / results["replay"]["evt pipe"][k]
                for k in results["replay"]["evt"] if results["replay"]["evt pipe"][k]}

        if "memory" in cases:
            # Peak RSS of produce fed an effectively unbounded pipe (5M lines, 500 MB).
            n = 500_000 if args.quick else 5_000_000
            line = "m" * 99
            sh("%s inspect topic memory -b %s -o json" % (evt, b), env=env)
            samples = {"evt": [], "kcat -P": []}
            for r in range(rounds):
                order = list(samples) if r % 2 == 0 else list(reversed(list(samples)))
                for tool in order:
                    cmd = ("%s produce memory -b %s" % (evt, b) if tool == "evt"
                           else "kcat -P -b %s -t memory" % b)
                    samples[tool].append(timed("yes %s | head -n %d | TIME %s" % (line, n, cmd), env))
            results["memory-produce"] = {t: median_metrics(v) for t, v in samples.items()}
            results["memory-produce"]["rival"] = "kcat -P"
            results["memory-produce"]["records"] = n
            # Peak RSS of replay topic to topic: 1M x 100 B over 32 partitions (issue 23's case).
            n = 100_000 if args.quick else 1_000_000
            broker.create_topic("memreplaysrc", 32)
            sh("yes %s | head -n %d | %s produce memreplaysrc -b %s -X sticky.partitioning.linger.ms=0"
               % (line, n, evt, b), env=env)
            if high_watermarks(evt, b, "memreplaysrc", env) != n:
                raise SystemExit("bench: memory replay source not filled")
            samples = {"evt": [], "kcat pipe": []}
            for r in range(rounds):
                order = list(samples) if r % 2 == 0 else list(reversed(list(samples)))
                for tool in order:
                    dst = "memreplaydst-%s-%d" % (tool.replace(" ", ""), r)
                    broker.create_topic(dst, 32)
                    if tool == "evt":
                        cmd = "TIME %s replay memreplaysrc --from beginning --into %s -b %s" % (evt, dst, b)
                    else:
                        cmd = ("TIME sh -c 'kcat -C -e -q -b %s -t memreplaysrc | kcat -P -b %s -t %s'"
                               % (b, b, dst))
                    samples[tool].append(timed(cmd, env))
                    if high_watermarks(evt, b, dst, env) != n:
                        raise SystemExit("bench: memory replay/%s did not copy %d records" % (tool, n))
            results["memory-replay"] = {t: median_metrics(v) for t, v in samples.items()}
            results["memory-replay"]["rival"] = "kcat pipe"
            results["memory-replay"]["records"] = n
            # Peak RSS of consume feeding a reader that does not keep up (it sleeps first).
            if "consume" in cases or "consumejson" in cases:
                count = files["small"][1]
                samples = {"evt": [], "kcat -C -e": []}
                for tool in samples:
                    cmd = ("%s consume consume -e -b %s" % (evt, b) if tool == "evt"
                           else "kcat -C -e -q -b %s -t consume" % b)
                    samples[tool].append(timed("TIME %s | (sleep 3; wc -l)" % cmd, env))
                results["memory-slow-reader"] = {t: median_metrics(v) for t, v in samples.items()}
                results["memory-slow-reader"]["rival"] = "kcat -C -e"
                results["memory-slow-reader"]["records"] = count

        if "allocs" in cases:
            # Heap allocations per record (all threads, librdkafka's included) of evt, the floor
            # and kcat: evt's count minus the floor's is what evt's own hot path allocates.
            counter = os.path.join(args.build, "bench", "alloc_count.so")

            def allocations(pipeline):
                with tempfile.NamedTemporaryFile("r", suffix=".allocs") as out:
                    counted = "env LD_PRELOAD=%s ALLOC_COUNT_FILE=%s " % (counter, out.name)
                    sh(pipeline.replace("COUNT ", counted), env=env)
                    return int(out.read().split()[-1])

            path, count = files["lines100"]
            produce = {}
            # The counter sees glibc's allocator only: evt's mimalloc serves the same calls.
            for tool, cmd in (("evt", "EVT_ALLOCATOR=glibc %s produce allocs-evt -b %s" % (evt, b)),
                              ("floor", "%s %s allocs-floor" % (floor_produce, b)),
                              ("kcat -P", "kcat -P -b %s -t allocs-kcat" % b)):
                produce[tool] = allocations("COUNT %s < %s" % (cmd, path)) / count
            results["allocs-produce"] = {"per_record": produce, "records": count, "rival": None}
            count = files["small"][1]
            consume = {}
            for tool, cmd in (("evt", "EVT_ALLOCATOR=glibc %s consume consume -e -b %s" % (evt, b)),
                              ("floor", "%s %s consume" % (floor_consume, b)),
                              ("kcat -C -e", "kcat -C -e -q -b %s -t consume" % b)):
                consume[tool] = allocations("COUNT %s > /dev/null" % cmd) / count
            results["allocs-consume"] = {"per_record": consume, "records": count, "rival": None}

        if "kafka-produce" in cases or "kafka-consume" in cases:
            # The same work against a real Apache Kafka 4 (one KRaft node on loopback).
            kdir = tempfile.mkdtemp(prefix="evt-bench-kafka-")
            kafka_sh = os.path.join(ROOT, "scripts", "kafka.sh")
            kenv = dict(env, HOME=os.environ.get("HOME", home))  # the cached jars and venv
            subprocess.run([kafka_sh, "start", kdir], check=True, env=kenv,
                           stdout=subprocess.DEVNULL)
            try:
                with open(os.path.join(kdir, "state")) as f:
                    state = dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)
                kb = state["KAFKA_PLAINTEXT"]

                def create(topic, partitions):
                    sh("%s %s recreate %s %s:%d" % (state["KAFKA_PYTHON"],
                                                   os.path.join(ROOT, "tests", "cli", "peer.py"),
                                                   kb, topic, partitions), env=kenv)

                if "kafka-produce" in cases:
                    produce_case("kafka-produce100", "lines100", "", "kcat -P",
                                 "kcat -P -b %(b)s -t %(topic)s", False, b=kb, create=create)
                if "kafka-consume" in cases:
                    path, count = files["small"]
                    create("kconsume", 4)
                    sh("%s produce kconsume -b %s -K : < %s" % (evt, kb, path), env=env)
                    if high_watermarks(evt, kb, "kconsume", env) != count:
                        raise SystemExit("bench: kconsume topic not filled")
                    consume_case("kafka-consume", "%s consume kconsume -e -b %s" % (evt, kb),
                                 "kcat -C -e", "kcat -C -e -q -b %s -t kconsume" % kb, False,
                                 b=kb, topic="kconsume")
            finally:
                subprocess.run([kafka_sh, "stop", kdir], env=kenv, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)

        if "startup" in cases:
            # Now the broker holds every other case's topics (1,300 partitions after a full
            # run): kcat -L lists them, evt inspect topics also reads their watermarks.
            startup_case("inspect-loaded", "%s inspect topics -b %s" % (evt, b), "kcat -L",
                         "kcat -L -b %s" % b)
            # The same work as kcat -L: metadata only, no record counts.
            startup_case("inspect-loaded-names", "%s inspect topics -o names -b %s" % (evt, b),
                         "kcat -L", "kcat -L -b %s" % b)
    finally:
        broker.stop()
        subprocess.run(["rm", "-rf", data_dir, home])

    for name, r in results.items():
        rival = r["rival"]
        if not rival or "evt" not in r:
            continue
        r["ratio"] = {k: (r["evt"][k] / r[rival][k] if r[rival][k] else None) for k in r["evt"]}
        if "floor" in r:
            r["ratio_floor"] = {k: (r["evt"][k] / r["floor"][k] if r["floor"][k] else None)
                                for k in r["evt"]}
    report = {"date": time.strftime("%Y-%m-%d"), "cores": os.cpu_count(),
              "machine": platform.machine(), "rounds": rounds, "quick": args.quick,
              "cases": results}
    with open(args.out, "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")

    print("| case | rival | evt wall | rival wall | wall ratio | CPU ratio | evt RSS MiB | RSS ratio | wall vs floor |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        rival = r["rival"]
        if "per_record" in r:
            continue
        if not rival:
            print("| %s | - | %s | - | - | - | %.1f | - | - |" % (name, seconds(r["evt"]["wall"]),
                                                                  r["evt"]["rss_mb"]))
            continue
        floor = r.get("ratio_floor", {}).get("wall")
        print("| %s | %s | %s | %s | %.2f | %.2f | %.1f | %.2f | %s |" % (
            name, rival, seconds(r["evt"]["wall"]), seconds(r[rival]["wall"]), r["ratio"]["wall"],
            r["ratio"]["cpu"] or 0, r["evt"]["rss_mb"], r["ratio"]["rss_mb"],
            "%.2f" % floor if floor else "-"))
    for name, r in results.items():
        if "per_record" in r:
            print("\n%s: heap allocations per record: %s" % (name, ", ".join(
                "%s %.3f" % (tool, n) for tool, n in r["per_record"].items())))
    print("\n%s, %d cores, medians of %d rounds; written to %s" % (report["date"], report["cores"],
                                                                   rounds, args.out))


if __name__ == "__main__":
    main()
