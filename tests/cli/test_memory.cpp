// SPDX-License-Identifier: MIT
// CLI tier, memory: evt's peak RSS does not grow with the amount of data that flows through it.
// Each case runs 1M and then 10M records through the real binary (peak RSS from /usr/bin/time):
// the 9M more records may grow the peak by no more than the configured queue bounds allow (how
// full the queues get depends on how fast the broker keeps up), and never past the targets.
#include <string>

#include <catch2/catch.hpp>

#include "tests/cli/cli_support.hpp"
#include "tests/support/process.hpp"

namespace {

using evt::test::LocalBroker;
using evt::test::ProcessResult;
using evt::test::TempDir;
using evt::test::cli::shell;

// Runs `script` (with $TIME set to a /usr/bin/time prefix for the measured command) and returns
// the measured command's peak RSS in KiB.
long peak_rss_kib(const LocalBroker& broker, const TempDir& dir, const std::string& script) {
  const std::string time_file = dir.path() + "/rss";
  const ProcessResult result =
      shell(broker, "TIME='/usr/bin/time -f %M -o " + time_file + "'; " + script);
  INFO("script: " << script << "\nstderr: " << result.err);
  REQUIRE(result.exit_code == 0);
  const ProcessResult rss = evt::test::run({"/bin/cat", time_file});
  REQUIRE(rss.exit_code == 0);
  return std::stol(rss.out);
}

long high_watermark_total(const LocalBroker& broker, const std::string& topic) {
  const ProcessResult result =
      shell(broker,
            "$EVT inspect topic " + topic +
                " -b $B -o json | /usr/bin/python3 -c 'import json,sys; "
                "print(sum(p[\"high\"] for p in json.load(sys.stdin)[\"partitions\"]))'");
  REQUIRE(result.exit_code == 0);
  return std::stol(result.out);
}

}  // namespace

TEST_CASE("memory: produce from an endless pipe keeps peak RSS flat (1M vs 10M records)",
          "[cli][memory]") {
  // The mock keeps 5 MiB per partition and trims older data; produce does not care.
  LocalBroker broker({"small:16", "large:16"});
  TempDir dir;
  const std::string line = std::string(60, 'p');
  const auto produce = [&](const std::string& topic, long records) {
    return peak_rss_kib(broker,
                        dir,
                        "yes " + line + " | head -n " + std::to_string(records) +
                            " | $TIME $EVT produce " + topic +
                            " -b $B -X sticky.partitioning.linger.ms=0");
  };
  const long small = produce("small", 1'000'000);
  const long large = produce("large", 10'000'000);
  CHECK(high_watermark_total(broker, "large") == 10'000'000);
  INFO("peak RSS: 1M records " << small << " KiB, 10M records " << large << " KiB");
  // The producer holds at most 20k records (or 8 MiB of them) queued or in flight
  // (lib/evt/kafka/producer.cpp); how many it holds depends on how fast the broker keeps up,
  // which a loaded machine changes. Keeping 6 bytes per record would add 50+ MiB over 9M.
  CHECK(large <= small + 8 * 1024);
  CHECK(large < 32 * 1024);
}

TEST_CASE(
    "memory: produce of 1M x 100 B and 100k x 1 KB lines while the broker stalls: under 30 and "
    "36 MiB",
    "[cli][memory]") {
  // The broker is down for 2 s when the input starts: the producer's queue fills to its bound
  // (20k records or 8 MiB) and reading pauses, so the peak is the bound's, not the broker's
  // speed's: about 18 and 24 MiB. With librdkafka's own bounds (100k records, 1 GiB), which
  // evt had before and kcat -P keeps, the same runs peaked at 46 and 141 MiB.
  evt::test::cli::FaultCluster cluster({"hundreds:4", "kilos:4"}, 1);
  TempDir dir;
  const auto produce = [&](const std::string& topic, int bytes, long records) {
    const std::string time_file = dir.path() + "/rss-" + topic;
    evt::test::RunOptions options;
    options.env = evt::test::cli::evt_env();
    options.env["EVT"] = evt::test::evt_binary();
    options.env["B"] = cluster.bootstrap();
    options.env["C"] = cluster.control();
    options.timeout = std::chrono::seconds(120);
    // evt connects at once; the broker goes down at 2 s; the input starts at 2.5 s, into a
    // producer that cannot deliver until the broker is back (2 s later, and reconnected).
    const std::string script =
        "( sleep 2; \"$EVT\" broker fault --control \"$C\" down 1 >/dev/null; sleep 2; "
        "\"$EVT\" broker fault --control \"$C\" up 1 >/dev/null ) & faults=$!; "
        "( sleep 2.5; yes " +
        std::string(static_cast<std::size_t>(bytes), 'm') + " ) | head -n " +
        std::to_string(records) + " | /usr/bin/time -f %M -o " + time_file + " \"$EVT\" produce " +
        topic + " -b \"$B\" -v; status=$?; wait $faults; exit $status";
    const ProcessResult result = evt::test::run({"/bin/bash", "-c", script}, options);
    INFO("script: " << script << "\nstderr: " << result.err);
    REQUIRE(result.exit_code == 0);
    // Every record was delivered, and the outage was felt.
    CHECK_THAT(result.err,
               Catch::Contains(std::to_string(records) + " records read, " +
                               std::to_string(records) + " delivered, 0 not delivered"));
    CHECK_THAT(result.err, Catch::Contains("Connection refused"));
    const ProcessResult rss = evt::test::run({"/bin/cat", time_file});
    REQUIRE(rss.exit_code == 0);
    return std::stol(rss.out);
  };
  const long hundreds = produce("hundreds", 99, 1'000'000);
  const long kilos = produce("kilos", 999, 100'000);
  INFO("peak RSS: 1M x 100 B " << hundreds << " KiB, 100k x 1 KB " << kilos << " KiB");
  CHECK(hundreds < 30 * 1024);
  CHECK(kilos < 36 * 1024);
}

TEST_CASE("memory: replay of a huge range into a topic keeps peak RSS flat (1M vs 10M records)",
          "[cli][memory]") {
  // 10M records of 24 bytes over 128 partitions (the mock keeps 5 MiB each), copied whole and
  // a tenth of them (--to 7813: the first 7,813 of each partition).
  LocalBroker broker({"source:128", "tenth:128", "whole:128"});
  TempDir dir;
  const ProcessResult filled = shell(broker,
                                     "yes " + std::string(24, 'r') +
                                         " | head -n 10000000 | $EVT produce source -b $B "
                                         "-X sticky.partitioning.linger.ms=0");
  REQUIRE(filled.exit_code == 0);
  REQUIRE(high_watermark_total(broker, "source") == 10'000'000);
  const auto replay = [&](const std::string& to, const std::string& into) {
    return peak_rss_kib(broker,
                        dir,
                        "(while :; do :; done) & busy1=$!; (while :; do :; done) & busy2=$!; "
                        "$TIME $EVT replay source --from beginning --to " +
                            to + " --into " + into +
                            " -b $B; status=$?; kill $busy1 $busy2; exit $status");
  };
  const long small = replay("7813", "tenth");
  const long large = replay("end", "whole");
  CHECK(high_watermark_total(broker, "tenth") == 128 * 7813);
  CHECK(high_watermark_total(broker, "whole") == 10'000'000);
  INFO("peak RSS: 1M records " << small << " KiB, 10M records " << large << " KiB");
  // Reading holds at most consume's prefetch (50k records, 1 MiB fetches), writing at most
  // produce's queue (20k records or 8 MiB): about 330 bytes each besides the bytes. Before
  // those bounds, 1M x 100 B over 32 partitions peaked at 126 to 174 MiB.
  // Here: 52 MiB for both, under two busy loops.
  CHECK(large <= small + small / 4);
  CHECK(large < 64 * 1024);
}

TEST_CASE(
    "memory: consume of a huge topic into a slow reader keeps peak RSS flat "
    "(1M vs 10M records)",
    "[cli][memory]") {
  // 10M records of about 30 bytes: 128 partitions keep them all under the mock's 5 MiB each.
  LocalBroker broker({"huge:128"});
  TempDir dir;
  const ProcessResult filled =
      shell(broker,
            "yes " + std::string(24, 'c') +
                " | head -n 10000000 | $EVT produce huge -b $B -X sticky.partitioning.linger.ms=0");
  REQUIRE(filled.exit_code == 0);
  REQUIRE(high_watermark_total(broker, "huge") == 10'000'000);
  // The reader sleeps first, so evt fills its prefetch queue to the bound, then reads it all.
  // Three busy loops keep both cores overloaded meanwhile: on a busy machine the fetch
  // responses grow (more partitions are ready at each request), and with 100k queued records
  // and 4 MiB responses the peak was 73 or 106 MiB at random (the 10M run, having more
  // chances, hit 106 more often: 1M 60,928 KiB, 10M 106,960 KiB under a parallel fuzzer).
  const auto consume = [&](const std::string& limit) {
    return peak_rss_kib(broker,
                        dir,
                        "(while :; do :; done) & busy1=$!; (while :; do :; done) & busy2=$!; "
                        "(while :; do :; done) & busy3=$!; "
                        "$TIME $EVT consume huge -e " +
                            limit + " -b $B | (sleep 2; wc -l > " + dir.path() +
                            "/lines); kill $busy1 $busy2 $busy3");
  };
  const long small = consume("-c 1000000");
  const long large = consume("");
  const ProcessResult lines = evt::test::run({"/bin/cat", dir.path() + "/lines"});
  CHECK(std::stol(lines.out) == 10'000'000);
  INFO("peak RSS: 1M records " << small << " KiB, 10M records " << large << " KiB");
  // Both runs fill the prefetch queue to its bound (50k records or 16 MiB of values), plus at
  // most one fetch response (fetch.max.bytes, 1 MiB: 33k of these records); librdkafka keeps
  // about 330 bytes per queued record (lib/evt/kafka/consumer.cpp).
  CHECK(large <= small + small / 4 + 16 * 1024);
  CHECK(large < 56 * 1024);  // README: a reader that falls behind costs evt 41 MiB here
}
