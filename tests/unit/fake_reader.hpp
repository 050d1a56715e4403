// SPDX-License-Identifier: MIT
// A RecordReader that plays a script, so that the streaming loops (consume, tail, replay) run
// in-process without Kafka, as ninja tests its Builder with a fake command runner.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <variant>
#include <vector>

#include "evt/kafka/record_reader.hpp"

namespace evt::test {

class FakeReader final : public kafka::RecordReader {
 public:
  struct Idle {};
  struct End {};
  using Step = std::variant<Record, Idle, End, Error>;

  explicit FakeReader(std::vector<Step> script) : m_script(script.begin(), script.end()) {}

  Result<kafka::ReadEvent> next(std::chrono::milliseconds wait) override {
    waits.push_back(wait);
    if (m_script.empty()) {
      return kafka::ReadEvent{kafka::ReadEvent::Kind::end, {}, false};
    }
    m_current = std::move(m_script.front());
    m_script.pop_front();
    if (std::holds_alternative<Idle>(m_current)) {
      return kafka::ReadEvent{kafka::ReadEvent::Kind::idle, {}, false};
    }
    if (std::holds_alternative<End>(m_current)) {
      return kafka::ReadEvent{kafka::ReadEvent::Kind::end, {}, false};
    }
    if (const Error* error = std::get_if<Error>(&m_current)) {
      return Unexpected{*error};
    }
    const Record& record = std::get<Record>(m_current);
    next_offsets[{record.topic, record.partition}] = record.offset + 1;
    kafka::ReadEvent event;
    event.kind = kafka::ReadEvent::Kind::record;
    event.record = view_of(record, m_headers);
    event.more_ready = !m_script.empty() && std::holds_alternative<Record>(m_script.front());
    return event;
  }

  Result<void> add(const std::vector<kafka::PartitionRange>& ranges) override {
    added.insert(added.end(), ranges.begin(), ranges.end());
    return {};
  }

  void written(const std::map<kafka::TopicPartition, std::int64_t>& next) override {
    for (const auto& [key, offset] : next) {
      committed[key] = offset;
    }
  }

  std::vector<kafka::PartitionRange> remaining() const override { return left; }

  /// What the loop did with the reader.
  std::vector<std::chrono::milliseconds> waits;
  std::vector<kafka::PartitionRange> added;
  std::map<kafka::TopicPartition, std::int64_t> committed;
  std::map<kafka::TopicPartition, std::int64_t> next_offsets;
  /// What remaining() answers.
  std::vector<kafka::PartitionRange> left;

 private:
  std::deque<Step> m_script;
  Step m_current;
  std::vector<HeaderView> m_headers;
};

/// A record of `topic`/`partition` at `offset` whose value is `value`.
inline Record record_at(const std::string& topic,
                        std::int32_t partition,
                        std::int64_t offset,
                        const std::string& value) {
  Record record;
  record.topic = topic;
  record.partition = partition;
  record.offset = offset;
  record.timestamp = 1'600'000'000'000 + offset;
  record.timestamp_type = TimestampType::create;
  record.value = value;
  return record;
}

}  // namespace evt::test
