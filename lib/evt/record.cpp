// SPDX-License-Identifier: MIT
#include "evt/record.hpp"

namespace evt {

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
