// SPDX-License-Identifier: MIT
// Fuzz target: the offset and time grammar (consume -o, replay --from, --until, --at).
#include <cstddef>
#include <cstdint>
#include <string>

#include "evt/offset_spec.hpp"
#include "evt/time_spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  constexpr std::int64_t k_now = 1795428000000;
  (void)evt::parse_offset_spec({text}, k_now);
  (void)evt::parse_duration(text);
  if (auto time = evt::parse_time(text, k_now)) {
    (void)evt::format_iso_utc(*time);
  }
  if (auto position = evt::parse_position(text, k_now)) {
    (void)evt::describe(*position);
  }
  return 0;
}
