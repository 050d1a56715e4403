// SPDX-License-Identifier: MIT
// Fuzz target: the record envelope parser, write(parse(x)) round trips (plain and with
// --json-values), and the jq input built from what was parsed (key_json/value_json parse the
// key and value as JSON).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "evt/format/compact_json.hpp"
#include "evt/format/envelope.hpp"
#include "evt/format/jq.hpp"

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
  static std::unique_ptr<evt::format::JqProgram> jq = [] {
    auto program = evt::format::JqProgram::compile("--jq", "[.key_json, .value_json, .headers]");
    if (!program) {
      std::abort();
    }
    return std::move(*program);
  }();
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  evt::Record record;
  if (!parser.parse(line, record)) {
    return 0;
  }
  check_round_trip(parser, record, nullptr);
  check_round_trip(parser, record, &json_values);
  std::vector<evt::HeaderView> headers;
  std::string out;
  jq->append_outputs(out, evt::view_of(record, headers));
  if (out.empty() || out.back() != '\n') {
    std::abort();
  }
  return 0;
}
