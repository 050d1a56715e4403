// SPDX-License-Identifier: MIT
#include "evt/kafka/range_resolver.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "evt/plural.hpp"
#include "evt/time_spec.hpp"

namespace evt::kafka {

namespace {

// Binary search over record timestamps, for brokers that cannot answer offsets-for-times.
Result<std::int64_t> search_by_timestamps(Consumer& consumer,
                                          const std::string& topic,
                                          std::int32_t partition,
                                          const Watermarks& marks,
                                          std::int64_t time_ms,
                                          int& probes) {
  std::int64_t low = marks.low;
  std::int64_t high = marks.high;  // invariant: the answer is in [low, high]
  while (low < high) {
    const std::int64_t middle = low + (high - low) / 2;
    auto record = consumer.record_at(topic, partition, middle);
    ++probes;
    if (!record) {
      return std::move(record).take_error();
    }
    // Starting at `middle` yields the first record at or after it; offsets in between do not
    // exist (compaction, control records), so `middle` itself is as good an answer.
    if (!*record || (*record)->first >= high || (*record)->second >= time_ms) {
      high = middle;
    } else {
      low = (*record)->first + 1;
    }
  }
  return low;
}

}  // namespace

Result<std::int64_t> find_offset_for_time(Consumer& consumer,
                                          const std::string& topic,
                                          std::int32_t partition,
                                          const Watermarks& marks,
                                          std::int64_t time_ms) {
  if (marks.high <= marks.low) {
    return marks.high;
  }
  auto answer = consumer.offsets_for_time(topic, {partition}, time_ms);
  if (!answer) {
    return std::move(answer).take_error();
  }
  const std::int64_t broker_offset = (*answer)[partition];
  if (broker_offset >= 0) {
    return std::clamp(broker_offset, marks.low, marks.high);
  }
  // -1 means "no record at or after the time". Check that against the newest record: a broker
  // that cannot look up times (librdkafka's mock) says -1 for everything.
  auto newest = consumer.record_at(topic, partition, marks.high - 1);
  if (!newest) {
    return std::move(newest).take_error();
  }
  if (!*newest || (*newest)->second < time_ms) {
    return marks.high;
  }
  int probes = 1;
  auto candidate = search_by_timestamps(consumer, topic, partition, marks, time_ms, probes);
  if (!candidate) {
    return candidate;
  }
  // The search assumes timestamps grow with offsets, but producers set them: an earlier record
  // may already be at or after the time (1000, 5000, 2000, 3000, 4000, 6000 for @4500: offset
  // 1, not 5). The candidate is a record at or after the time, so only the records before it
  // are read, in order, up to the first that is (a broker without time lookups, like the local
  // one, keeps at most 5 MiB per partition).
  std::int64_t scanned = 0;
  auto found =
      consumer.first_at_or_after(topic, partition, marks.low, *candidate, time_ms, scanned);
  if (found) {
    consumer.client().log().info(
        fmt::format("{}/{}: the broker could not answer a time query; found offset {} for {} by "
                    "reading record timestamps ({}, {} read in order)",
                    topic,
                    partition,
                    *found,
                    format_iso_utc(time_ms),
                    plural(probes, "probe"),
                    plural(scanned, "record")));
  }
  return found;
}

namespace {

Result<std::int64_t> resolve_position(Consumer& consumer,
                                      const std::string& topic,
                                      std::int32_t partition,
                                      const Position& position,
                                      const Watermarks& marks) {
  using Kind = Position::Kind;
  switch (position.kind) {
    case Kind::beginning:
      return marks.low;
    case Kind::end:
      return marks.high;
    case Kind::absolute:
      return position.value;
    case Kind::before_end:
      return std::max(marks.low, marks.high - position.value);
    case Kind::after_beginning:
      return std::min(marks.high, marks.low + position.value);
    case Kind::time:
      return find_offset_for_time(consumer, topic, partition, marks, position.value);
    case Kind::stored:
      return fail(ErrorKind::usage, "offset \"stored\" needs a consumer group (-g)");
  }
  return marks.low;
}

}  // namespace

Result<std::vector<ResolvedRange>> resolve_ranges(Consumer& consumer,
                                                  const std::vector<TopicInfo>& topics,
                                                  const std::set<std::int32_t>& partitions,
                                                  const OffsetSpec& spec,
                                                  const RangeOptions& options) {
  std::vector<ResolvedRange> resolved;
  // Every watermark in two batched requests rather than one round trip per partition.
  std::vector<TopicPartition> wanted_partitions;
  for (const TopicInfo& topic : topics) {
    for (const PartitionInfo& info : topic.partitions) {
      if (partitions.empty() || partitions.count(info.id)) {
        wanted_partitions.push_back(TopicPartition{topic.name, info.id});
      }
    }
  }
  auto all_marks = query_all_watermarks(consumer.client(), wanted_partitions);
  if (!all_marks) {
    return std::move(all_marks).take_error();
  }
  for (const TopicInfo& topic : topics) {
    for (std::int32_t wanted : partitions) {
      const bool exists = std::any_of(topic.partitions.begin(),
                                      topic.partitions.end(),
                                      [&](const PartitionInfo& p) { return p.id == wanted; });
      if (!exists) {
        return fail(ErrorKind::not_found,
                    fmt::format("partition {} does not exist: topic \"{}\" has {} partition{}",
                                wanted,
                                topic.name,
                                topic.partitions.size(),
                                topic.partitions.size() == 1 ? "" : "s"));
      }
    }
    for (const auto& entry : spec.per_partition) {
      const std::int32_t partition = entry.first;  // (clang 14 cannot capture a binding)
      const bool exists = std::any_of(topic.partitions.begin(),
                                      topic.partitions.end(),
                                      [&](const PartitionInfo& p) { return p.id == partition; });
      if (!exists) {
        return fail(ErrorKind::not_found,
                    fmt::format("-o {}=...: partition {} does not exist in topic \"{}\"",
                                partition,
                                partition,
                                topic.name));
      }
    }
    for (const PartitionInfo& info : topic.partitions) {
      if (!partitions.empty() && partitions.count(info.id) == 0) {
        continue;
      }
      const Watermarks* marks = &(*all_marks)[{topic.name, info.id}];
      const OffsetRange& range = spec.for_partition(info.id);
      ResolvedRange entry;
      entry.watermarks = *marks;
      entry.range.topic = topic.name;
      entry.range.partition = info.id;
      auto start = resolve_position(consumer, topic.name, info.id, range.from, *marks);
      if (!start) {
        return std::move(start).take_error();
      }
      entry.range.start = *start;
      std::optional<Position> to = range.to;
      if (!to && options.until) {
        to = options.until;
      }
      if (to) {
        auto end = resolve_position(consumer, topic.name, info.id, *to, *marks);
        if (!end) {
          return std::move(end).take_error();
        }
        entry.range.end = *end;
        if (options.exit_at_end) {
          // -e: never wait for records past the end as it was at start, even if TO lies beyond it.
          entry.range.end = std::min(*entry.range.end, marks->high);
        }
      } else if (options.exit_at_end) {
        entry.range.end = marks->high;
      }
      if (entry.range.start < marks->low) {
        // Asked for records retention already deleted: read what is left.
        const std::int64_t upto =
            entry.range.end ? std::min(*entry.range.end, marks->low) : marks->low;
        entry.missing = std::max<std::int64_t>(0, upto - entry.range.start);
        entry.range.start = marks->low;
      }
      if (entry.range.end && *entry.range.end < entry.range.start) {
        entry.range.end = entry.range.start;
      }
      resolved.push_back(std::move(entry));
    }
  }
  return resolved;
}

}  // namespace evt::kafka
