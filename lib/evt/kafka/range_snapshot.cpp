// SPDX-License-Identifier: MIT
#include "evt/kafka/range_snapshot.hpp"

#include "evt/kafka/consumer.hpp"
#include "evt/kafka/metadata.hpp"
#include "evt/kafka/range_reader.hpp"
#include "evt/kafka/range_resolver.hpp"

namespace evt::kafka {

struct RangeSnapshot::Parts {
  const Log* log = nullptr;
  std::unique_ptr<Consumer> consumer;
  // Declared after the consumer: destroyed first, as it reads through it.
  std::unique_ptr<RangeReader> reader;
};

RangeSnapshot::RangeSnapshot(std::unique_ptr<Parts> parts) : m_parts(std::move(parts)) {}

RangeSnapshot::~RangeSnapshot() = default;

Result<std::unique_ptr<RangeSnapshot>> RangeSnapshot::open(const config::ResolvedConfig& config,
                                                           const Log& log,
                                                           const std::string& topic,
                                                           const std::set<std::int32_t>& partitions,
                                                           const OffsetSpec& spec) {
  auto parts = std::make_unique<Parts>();
  parts->log = &log;
  ConsumerOptions options;
  options.offset_reset = "error";  // the RangeReader handles an offset out of range
  auto consumer = Consumer::create(config, log, options);
  if (!consumer) {
    return std::move(consumer).take_error();
  }
  parts->consumer = std::move(*consumer);
  auto info = fetch_topic(parts->consumer->client(), topic);
  if (!info) {
    return std::move(info).take_error();
  }
  RangeOptions range_options;
  range_options.exit_at_end = true;
  auto resolved = resolve_ranges(*parts->consumer, {*info}, partitions, spec, range_options);
  if (!resolved) {
    return std::move(resolved).take_error();
  }
  std::unique_ptr<RangeSnapshot> snapshot(new RangeSnapshot(std::move(parts)));
  for (const ResolvedRange& range : *resolved) {
    snapshot->m_ranges.push_back(SnapshotRange{range.range, range.missing});
  }
  return snapshot;
}

Result<RecordReader*> RangeSnapshot::read(ReadPolicy policy) {
  m_parts->reader = std::make_unique<RangeReader>(*m_parts->consumer, *m_parts->log, policy);
  std::vector<PartitionRange> ranges;
  for (const SnapshotRange& range : m_ranges) {
    ranges.push_back(range.range);
  }
  EVT_TRY(m_parts->reader->add(ranges));
  return m_parts->reader.get();
}

}  // namespace evt::kafka
