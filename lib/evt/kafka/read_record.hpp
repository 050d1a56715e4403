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

}  // namespace evt::kafka
