// SPDX-License-Identifier: MIT
// Fuzz target: the record envelope parser, and write(parse(x)) round trips.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "evt/format/envelope.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static evt::format::EnvelopeParser parser;
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  evt::Record record;
  if (!parser.parse(line, record)) {
    return 0;
  }
  // Whatever parsed must survive a round trip exactly (offset and type are output-only).
  std::vector<evt::HeaderView> headers;
  std::string written;
  evt::format::append_envelope(written, evt::view_of(record, headers));
  written.pop_back();  // the newline
  evt::Record again;
  if (!parser.parse(written, again)) {
    std::abort();
  }
  record.offset = again.offset;
  record.timestamp_type = again.timestamp_type;
  if (record.timestamp < 0) {
    again.timestamp = record.timestamp;
  }
  if (!(again == record)) {
    std::abort();
  }
  return 0;
}
