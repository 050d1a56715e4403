// SPDX-License-Identifier: MIT
// Fuzz target: the record envelope parser, and write(parse(x)) round trips (plain and with
// --json-values).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "evt/format/compact_json.hpp"
#include "evt/format/envelope.hpp"

namespace {

// parse(write(record)) must give the record back (offset and type are output-only).
void check_round_trip(evt::format::EnvelopeParser& parser,
                      const evt::Record& record,
                      evt::format::CompactJsonCheck* json_values) {
  std::vector<evt::HeaderView> headers;
  std::string written;
  evt::format::append_envelope(written, evt::view_of(record, headers), json_values);
  written.pop_back();  // the newline
  evt::Record again;
  if (!parser.parse(written, again)) {
    std::abort();
  }
  evt::Record expected = record;
  expected.offset = again.offset;
  expected.timestamp_type = again.timestamp_type;
  if (expected.timestamp < 0) {
    again.timestamp = expected.timestamp;
  }
  if (!(again == expected)) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static evt::format::EnvelopeParser parser;
  static evt::format::CompactJsonCheck json_values;
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  evt::Record record;
  if (!parser.parse(line, record)) {
    return 0;
  }
  check_round_trip(parser, record, nullptr);
  check_round_trip(parser, record, &json_values);
  return 0;
}
