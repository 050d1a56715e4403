// SPDX-License-Identifier: MIT
#include "evt/record.hpp"

namespace evt {

Record copy_of(const RecordView& view) {
  Record record;
  record.topic = std::string(view.topic);
  record.partition = view.partition;
  record.offset = view.offset;
  record.timestamp = view.timestamp;
  record.timestamp_type = view.timestamp_type;
  if (!view.key.is_null()) {
    record.key = std::string(view.key.view());
  }
  if (!view.value.is_null()) {
    record.value = std::string(view.value.view());
  }
  record.headers.reserve(view.header_count);
  for (std::size_t i = 0; i < view.header_count; ++i) {
    Header header{std::string(view.headers[i].name), std::nullopt};
    if (!view.headers[i].value.is_null()) {
      header.value = std::string(view.headers[i].value.view());
    }
    record.headers.push_back(std::move(header));
  }
  return record;
}

const char* to_string(TimestampType type) {
  switch (type) {
    case TimestampType::create:
      return "create";
    case TimestampType::log_append:
      return "log_append";
    case TimestampType::not_available:
      break;
  }
  return "none";
}

}  // namespace evt
