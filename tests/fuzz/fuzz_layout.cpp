// SPDX-License-Identifier: MIT
// Fuzz target: input layouts (produce -f '%k=%v\n') and output layouts (consume -f).
// The first line of the input is the layout, the rest is data to parse with it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "evt/format/record_formatter.hpp"
#include "evt/format/record_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  const std::string_view layout = input.substr(0, newline);
  const std::string_view body = newline == std::string_view::npos ? "" : input.substr(newline + 1);

  if (auto formatter = evt::format::make_layout_formatter(layout)) {
    evt::Record record{"topic",
                       1,
                       2,
                       3,
                       evt::TimestampType::create,
                       std::string(body),
                       std::nullopt,
                       {{"h", std::string(body)}, {"n", std::nullopt}}};
    std::vector<evt::HeaderView> headers;
    std::string out;
    (*formatter)->append(out, evt::view_of(record, headers));
  }
  auto parser = evt::format::make_layout_parser(layout);
  if (!parser) {
    return 0;
  }
  evt::format::InputRecord record;
  std::string error;
  std::string_view rest = body;
  for (int guard = 0; guard < 100000; ++guard) {
    std::size_t consumed = 0;
    const auto status = (*parser)->parse(rest, true, record, consumed, error);
    if (status == evt::format::ParseStatus::end || status == evt::format::ParseStatus::need_more) {
      break;
    }
    if (consumed == 0 || consumed > rest.size()) {
      __builtin_trap();  // no progress, or past the end: a bug
    }
    rest.remove_prefix(consumed);
  }
  return 0;
}
