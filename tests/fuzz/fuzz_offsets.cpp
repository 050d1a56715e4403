// SPDX-License-Identifier: MIT
// Fuzz target: the offset and time grammar (consume -o, replay --from/--to, --until, --at).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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
  // Several arguments, one a line: replay's --from takes the odd lines and --to the even ones,
  // and -o takes them all (a repeated partition, P=TO after FROM, ...).
  std::vector<std::string> lines;
  std::vector<std::string> from;
  std::vector<std::string> to;
  std::string_view rest = text;
  for (std::size_t newline = rest.find('\n'); !rest.empty(); newline = rest.find('\n')) {
    lines.emplace_back(rest.substr(0, newline));
    (lines.size() % 2 ? from : to).push_back(lines.back());
    rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
  }
  (void)evt::parse_offset_spec(lines, k_now);
  (void)evt::parse_range_ends(from, to, k_now);
  return 0;
}
