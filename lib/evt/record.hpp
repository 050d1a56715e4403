// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace evt {

/// Bytes that may be absent: Kafka distinguishes a null key/value/header value from an empty one.
using Bytes = std::optional<std::string>;

/// A non-owning view of Bytes: data == nullptr means null.
struct BytesView {
  const char* data = nullptr;
  std::size_t size = 0;

  static BytesView of(const Bytes& bytes) {
    return bytes ? BytesView{bytes->data(), bytes->size()} : BytesView{};
  }
  static BytesView of(const std::string& text) { return BytesView{text.data(), text.size()}; }
  static BytesView of(std::string_view text) {
    // A default string_view has a null data pointer; an empty one must stay non-null.
    return BytesView{text.data() ? text.data() : "", text.size()};
  }
  bool is_null() const { return data == nullptr; }
  std::string_view view() const { return data ? std::string_view(data, size) : std::string_view(); }
};

enum class TimestampType { not_available, create, log_append };

/// One record header. Names are strings; values are bytes and may be null.
struct Header {
  std::string name;
  Bytes value;
  bool operator==(const Header&) const = default;
};

/// One Kafka record, owning its data. Partition -1 and timestamp -1 mean "unset".
struct Record {
  std::string topic;
  std::int32_t partition = -1;
  std::int64_t offset = -1;
  std::int64_t timestamp = -1;
  TimestampType timestamp_type = TimestampType::not_available;
  Bytes key;
  Bytes value;
  std::vector<Header> headers;

  bool operator==(const Record&) const = default;
};

struct HeaderView {
  std::string_view name;
  BytesView value;
};

/// A non-owning view of a record, used on hot paths where copying each record would cost more
/// than formatting it (consume straight from librdkafka's buffers).
struct RecordView {
  std::string_view topic;
  std::int32_t partition = -1;
  std::int64_t offset = -1;
  std::int64_t timestamp = -1;
  TimestampType timestamp_type = TimestampType::not_available;
  BytesView key;
  BytesView value;
  const HeaderView* headers = nullptr;
  std::size_t header_count = 0;
};

/// Views a Record; `header_storage` receives the header views and must outlive the result.
inline RecordView view_of(const Record& record, std::vector<HeaderView>& header_storage) {
  header_storage.clear();
  for (const auto& header : record.headers) {
    header_storage.push_back(HeaderView{header.name, BytesView::of(header.value)});
  }
  return RecordView{record.topic,
                    record.partition,
                    record.offset,
                    record.timestamp,
                    record.timestamp_type,
                    BytesView::of(record.key),
                    BytesView::of(record.value),
                    header_storage.data(),
                    header_storage.size()};
}

/// An owning copy of a viewed record, for records kept beyond a loop's step (tail, replay).
Record copy_of(const RecordView& view);

const char* to_string(TimestampType type);

}  // namespace evt
