// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "evt/error.hpp"
#include "evt/kafka/client.hpp"
#include "evt/record.hpp"

namespace evt::kafka {

/// Reads the first record at or after `offset` of one partition with a short-lived fetch on the
/// client's handle (which must be a consumer). nullopt when there is none before the timeout or
/// the offset is past the end.
Result<std::optional<Record>> read_record(Client& client,
                                          const std::string& topic,
                                          std::int32_t partition,
                                          std::int64_t offset);

/// Reads the records of [from, to) of one partition in order and returns the offset of the first
/// whose timestamp is >= `time_ms`, or `to` when none is. `scanned` counts the records read.
Result<std::int64_t> scan_for_time(Client& client,
                                   const std::string& topic,
                                   std::int32_t partition,
                                   std::int64_t from,
                                   std::int64_t to,
                                   std::int64_t time_ms,
                                   std::int64_t& scanned);

}  // namespace evt::kafka
