// SPDX-License-Identifier: MIT
#include "evt/plural.hpp"

#include <fmt/format.h>

namespace evt {

std::string plural(std::int64_t count, const char* noun) {
  return fmt::format("{} {}", count, noun_for(count, noun));
}

std::string noun_for(std::int64_t count, const char* noun) {
  return fmt::format("{}{}", noun, count == 1 ? "" : "s");
}

}  // namespace evt
