// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>

namespace evt {

/// A count and its noun, for messages: "1 record", "2 records", "0 records". `noun` is the
/// singular and takes an "s" (every noun evt counts does).
std::string plural(std::int64_t count, const char* noun);
/// The noun alone, as it goes with `count` ("record" or "records").
std::string noun_for(std::int64_t count, const char* noun);

}  // namespace evt
