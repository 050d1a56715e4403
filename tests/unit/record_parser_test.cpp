// SPDX-License-Identifier: MIT
// Unit tests of the input record parsers (lines, JSON envelope lines and %-layouts). Every
// input is parsed both whole and as a stream arriving in small chunks; both must agree.
#include "evt/format/record_parser.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "evt/error.hpp"

namespace {

using evt::format::InputRecord;
using evt::format::ParseStatus;
using evt::format::RecordParser;
using namespace std::string_literals;
using Bytes = std::optional<std::string>;

const char* status_name(ParseStatus status) {
  switch (status) {
    case ParseStatus::record:
      return "record";
    case ParseStatus::need_more:
      return "need_more";
    case ParseStatus::skip:
      return "skip";
    case ParseStatus::end:
      return "end";
    case ParseStatus::bad:
      return "bad";
  }
  return "?";
}

Bytes owned(evt::BytesView view) {
  return view.is_null() ? Bytes{} : Bytes{std::string(view.view())};
}

// One parse result, copied out of the parser's views.
struct Event {
  ParseStatus status = ParseStatus::end;
  std::size_t consumed = 0;
  std::string error;  // for bad
  std::string topic;
  std::int32_t partition = -1;
  std::int64_t timestamp = -1;
  Bytes key;
  Bytes value;
  std::vector<std::pair<std::string, Bytes>> headers;

  bool operator==(const Event&) const = default;
};

std::string show_bytes(const Bytes& bytes) {
  if (!bytes) {
    return "null";
  }
  std::string out = "\"";
  for (unsigned char c : *bytes) {
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
    } else {
      static constexpr char k_hex[] = "0123456789abcdef";
      out += "\\x";
      out.push_back(k_hex[c >> 4]);
      out.push_back(k_hex[c & 0xF]);
    }
  }
  return out + "\"";
}

std::string show(const std::vector<Event>& events) {
  std::ostringstream out;
  for (const Event& e : events) {
    out << "\n  " << status_name(e.status) << " consumed=" << e.consumed;
    if (e.status == ParseStatus::bad) {
      out << " error=" << e.error;
    }
    if (e.status == ParseStatus::record) {
      out << " topic=" << e.topic << " partition=" << e.partition << " timestamp=" << e.timestamp
          << " key=" << show_bytes(e.key) << " value=" << show_bytes(e.value) << " headers=[";
      for (const auto& [name, value] : e.headers) {
        out << name << ":" << show_bytes(value) << " ";
      }
      out << "]";
    }
  }
  return out.str();
}

Event capture(ParseStatus status,
              const InputRecord& record,
              std::size_t consumed,
              const std::string& error) {
  Event event;
  event.status = status;
  if (status == ParseStatus::record || status == ParseStatus::skip || status == ParseStatus::bad) {
    event.consumed = consumed;
  }
  if (status == ParseStatus::bad) {
    event.error = error;
  }
  if (status == ParseStatus::record) {
    event.topic = std::string(record.topic);
    event.partition = record.partition;
    event.timestamp = record.timestamp;
    event.key = owned(record.key);
    event.value = owned(record.value);
    for (const auto& header : record.headers) {
      event.headers.emplace_back(std::string(header.name), owned(header.value));
    }
  }
  return event;
}

// Runs `parser` over `input` the way produce does. With chunk == 0 the whole input is available
// at once (and at EOF); otherwise bytes arrive `chunk` at a time: the parser sees a growing
// prefix with at_eof=false until it stops returning need_more. Ends at ParseStatus::end.
std::vector<Event> run(RecordParser& parser, std::string_view input, std::size_t chunk) {
  std::vector<Event> events;
  std::size_t start = 0;  // first unconsumed byte
  std::size_t available = chunk == 0 ? input.size() : std::min(chunk, input.size());
  InputRecord record;
  for (int guard = 0; guard < 100000; ++guard) {
    const bool at_eof = available == input.size();
    std::size_t consumed = 0;
    std::string error;
    const std::string_view data = input.substr(start, available - start);
    const ParseStatus status = parser.parse(data, at_eof, record, consumed, error);
    if (status == ParseStatus::need_more) {
      REQUIRE_FALSE(at_eof);  // at EOF the parser must decide
      available = std::min(input.size(), available + chunk);
      continue;
    }
    events.push_back(capture(status, record, consumed, error));
    if (status == ParseStatus::end) {
      REQUIRE(start == input.size());
      return events;
    }
    REQUIRE(consumed > 0);
    REQUIRE(consumed <= data.size());
    start += consumed;
  }
  FAIL("parser did not finish");
  return events;
}

// Parses `input` whole and in chunks of several sizes; all runs must give the same events.
std::vector<Event> parse_all(const std::function<std::unique_ptr<RecordParser>()>& make,
                             std::string_view input) {
  auto whole_parser = make();
  const std::vector<Event> whole = run(*whole_parser, input, 0);
  for (std::size_t chunk : {1, 2, 3, 5, 8}) {
    auto parser = make();
    const std::vector<Event> streamed = run(*parser, input, chunk);
    INFO("input " << show_bytes(std::string(input)) << " in chunks of " << chunk
                  << "\nwhole:" << show(whole) << "\nstreamed:" << show(streamed));
    CHECK(streamed == whole);
  }
  return whole;
}

Event rec(Bytes value, Bytes key = std::nullopt) {
  Event e;
  e.status = ParseStatus::record;
  e.key = std::move(key);
  e.value = std::move(value);
  return e;
}

Event rec_full(std::string topic,
               std::int32_t partition,
               std::int64_t timestamp,
               Bytes key,
               Bytes value,
               std::vector<std::pair<std::string, Bytes>> headers = {}) {
  Event e;
  e.status = ParseStatus::record;
  e.topic = std::move(topic);
  e.partition = partition;
  e.timestamp = timestamp;
  e.key = std::move(key);
  e.value = std::move(value);
  e.headers = std::move(headers);
  return e;
}

Event bad(std::string error_part) {
  Event e;
  e.status = ParseStatus::bad;
  e.error = std::move(error_part);
  return e;
}

Event skip() {
  Event e;
  e.status = ParseStatus::skip;
  return e;
}

Event end() {
  return Event{};
}

// Compares events ignoring `consumed` (checked separately) and matching bad errors by substring.
void check_events(const std::vector<Event>& actual, const std::vector<Event>& expected) {
  INFO("actual:" << show(actual) << "\nexpected:" << show(expected));
  REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("event " << i);
    CHECK(status_name(actual[i].status) == std::string(status_name(expected[i].status)));
    if (expected[i].status == ParseStatus::bad) {
      CHECK_THAT(actual[i].error, Catch::Matchers::Contains(expected[i].error));
    }
    if (expected[i].status == ParseStatus::record) {
      CHECK(actual[i].topic == expected[i].topic);
      CHECK(actual[i].partition == expected[i].partition);
      CHECK(actual[i].timestamp == expected[i].timestamp);
      CHECK(show_bytes(actual[i].key) == show_bytes(expected[i].key));
      CHECK(show_bytes(actual[i].value) == show_bytes(expected[i].value));
      CHECK(actual[i].headers == expected[i].headers);
    }
  }
}

std::vector<std::size_t> consumed_of(const std::vector<Event>& events) {
  std::vector<std::size_t> out;
  for (const Event& e : events) {
    if (e.status != ParseStatus::end) {
      out.push_back(e.consumed);
    }
  }
  return out;
}

std::function<std::unique_ptr<RecordParser>()> lines(std::string delimiter,
                                                     std::string key_delimiter = {},
                                                     bool strip_cr = false) {
  return [=] {
    return evt::format::make_line_parser(
        evt::format::LineOptions{delimiter, key_delimiter, strip_cr});
  };
}

std::function<std::unique_ptr<RecordParser>()> layout(std::string text) {
  return [=] {
    auto parser = evt::format::make_layout_parser(text);
    REQUIRE(parser.ok());
    return std::move(*parser);
  };
}

}  // namespace

TEST_CASE("record parser: lines split at the delimiter", "[format]") {
  struct Case {
    const char* what;
    std::function<std::unique_ptr<RecordParser>()> make;
    std::string input;
    std::vector<Event> expected;
    std::vector<std::size_t> consumed;
  };
  const std::vector<Case> cases = {
      {"empty input", lines("\n"), "", {end()}, {}},
      {"one line", lines("\n"), "a\n", {rec("a"), end()}, {2}},
      {"two lines", lines("\n"), "ab\ncd\n", {rec("ab"), rec("cd"), end()}, {3, 3}},
      {"final record without delimiter",
       lines("\n"),
       "a\nbc",
       {rec("a"), rec("bc"), end()},
       {2, 2}},
      {"empty records", lines("\n"), "\n\n", {rec(""), rec(""), end()}, {1, 1}},
      {"empty record in the middle",
       lines("\n"),
       "a\n\nb\n",
       {rec("a"), rec(""), rec("b"), end()},
       {2, 1, 2}},
      {"CR kept without strip_cr", lines("\n"), "a\r\n", {rec("a\r"), end()}, {3}},
      {"strip_cr drops one CR",
       lines("\n", "", true),
       "a\r\nb\r\r\nc\nd\r",
       {rec("a"), rec("b\r"), rec("c"), rec("d"), end()},
       {3, 4, 2, 2}},
      {"strip_cr on an empty CRLF record", lines("\n", "", true), "\r\n", {rec(""), end()}, {2}},
      {"CRLF delimiter",
       lines("\r\n"),
       "a\r\nb\nc\r\n\r\n",
       {rec("a"), rec("b\nc"), rec(""), end()},
       {3, 5, 2}},
      {"multi-byte delimiter", lines("--"), "a-b--c--", {rec("a-b"), rec("c"), end()}, {5, 3}},
      {"multi-byte delimiter, overlapping run",
       lines("--"),
       "a---b",
       {rec("a"), rec("-b"), end()},
       {3, 2}},
      {"three-byte delimiter with a partial one at EOF",
       lines("|||"),
       "a|||b||",
       {rec("a"), rec("b||"), end()},
       {4, 3}},
      {"NUL delimiter", lines("\0"s), "a\0b\0\0"s, {rec("a"), rec("b"), rec(""), end()}, {2, 2, 1}},
      {"binary value", lines("\n"), "\xff\0\x01\r\n"s, {rec("\xff\0\x01\r"s), end()}, {5}},
      {"delimiter as long as the input", lines("abc"), "abc", {rec(""), end()}, {3}},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    const auto events = parse_all(c.make, c.input);
    check_events(events, c.expected);
    CHECK(consumed_of(events) == c.consumed);
  }
}

TEST_CASE("record parser: lines with a key delimiter", "[format]") {
  struct Case {
    const char* what;
    std::function<std::unique_ptr<RecordParser>()> make;
    std::string input;
    std::vector<Event> expected;
  };
  const std::vector<Case> cases = {
      {"key and value", lines("\n", ":"), "k:v\n", {rec("v", "k"), end()}},
      {"no key delimiter: null key", lines("\n", ":"), "nokey\n", {rec("nokey"), end()}},
      {"empty key", lines("\n", ":"), ":v\n", {rec("v", ""), end()}},
      {"empty value", lines("\n", ":"), "k:\n", {rec("", "k"), end()}},
      {"only the first key delimiter splits",
       lines("\n", ":"),
       "a:b:c\n",
       {rec("b:c", "a"), end()}},
      {"empty line: null key, empty value", lines("\n", ":"), "\n", {rec(""), end()}},
      {"mixed",
       lines("\n", "="),
       "k1=v1\nv2\n=v3\nk4=\n",
       {rec("v1", "k1"), rec("v2"), rec("v3", ""), rec("", "k4"), end()}},
      {"multi-byte key delimiter", lines("\n", "::"), "a:b::c::d\n", {rec("c::d", "a:b"), end()}},
      {"key delimiter never looked for across records",
       lines("\n", ":"),
       "nokey\nk:v\n",
       {rec("nokey"), rec("v", "k"), end()}},
      {"strip_cr before the key split",
       lines("\n", "\t", true),
       "k\tv\r\nk2\t\r\n",
       {rec("v", "k"), rec("", "k2"), end()}},
      {"multi-byte record and key delimiters",
       lines("\r\n", "=>"),
       "k=>v\r\nx=y\r\n",
       {rec("v", "k"), rec("x=y"), end()}},
      {"binary key", lines("\n", "\0"s), "\xff\0\xfe\n"s, {rec("\xfe", "\xff"), end()}},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    check_events(parse_all(c.make, c.input), c.expected);
  }
}

TEST_CASE("record parser: empty values are not null", "[format]") {
  auto parser = evt::format::make_line_parser({});
  InputRecord record;
  std::size_t consumed = 0;
  std::string error;
  REQUIRE(parser->parse("\n", true, record, consumed, error) == ParseStatus::record);
  CHECK_FALSE(record.value.is_null());
  CHECK(record.value.size == 0);
  CHECK(record.key.is_null());
  CHECK(consumed == 1);
  // Without at_eof an incomplete line waits; with nothing at all at EOF it is the end.
  CHECK(parser->parse("abc", false, record, consumed, error) == ParseStatus::need_more);
  CHECK(parser->parse("", false, record, consumed, error) == ParseStatus::need_more);
  CHECK(parser->parse("", true, record, consumed, error) == ParseStatus::end);
}

TEST_CASE("record parser: JSON envelope lines", "[format]") {
  const auto envelope = [] { return evt::format::make_envelope_parser(); };
  struct Case {
    const char* what;
    std::string input;
    std::vector<Event> expected;
    std::vector<std::size_t> consumed;
  };
  const std::vector<Case> cases = {
      {"empty input", "", {end()}, {}},
      {"one record",
       R"({"topic":"t","partition":1,"timestamp":5,"key":"k","value":"v"})"
       "\n",
       {rec_full("t", 1, 5, "k", "v"), end()},
       {64}},
      {"blank lines are skipped",
       "\n  \n\t\r\n{\"value\":\"v\"}\n\n",
       {skip(), skip(), skip(), rec("v"), skip(), end()},
       {1, 3, 3, 14, 1}},
      {"CRLF line endings",
       "{\"value\":\"a\"}\r\n{\"value\":\"b\"}\r\n",
       {rec("a"), rec("b"), end()},
       {15, 15}},
      {"last line without newline",
       "{\"value\":\"a\"}\n{\"value\":\"b\"}",
       {rec("a"), rec("b"), end()},
       {14, 13}},
      {"trailing blank text without newline",
       "{\"value\":\"a\"}\n  ",
       {rec("a"), skip(), end()},
       {14, 2}},
      {"headers, null and base64",
       R"({"key":null,"value":{"base64":"/w=="},"headers":[{"name":"a","value":"1"},{"name":"a"}]})"
       "\n",
       {rec_full("", -1, -1, std::nullopt, "\xff", {{"a", "1"}, {"a", std::nullopt}}), end()},
       {89}},
      {"a bad line is reported and skipped",
       "{\"value\":\"a\"}\nnot json\n{\"value\":\"b\"}\n",
       {rec("a"), bad("not valid JSON"), rec("b"), end()},
       {14, 9, 14}},
      {"wrong type names the field",
       "{\"partition\":\"x\"}\n",
       {bad("field \"partition\""), end()},
       {18}},
      {"bad last line without newline", "{\"value\":", {bad("not valid JSON"), end()}, {9}},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    const auto events = parse_all(envelope, c.input);
    check_events(events, c.expected);
    CHECK(consumed_of(events) == c.consumed);
  }
}

TEST_CASE("record parser: layouts", "[format]") {
  struct Case {
    const char* layout;
    std::string input;
    std::vector<Event> expected;
    std::vector<std::size_t> consumed;
  };
  const std::vector<Case> cases = {
      {R"(%k=%v\n)", "", {end()}, {}},
      {R"(%k=%v\n)", "a=1\nb=2\n", {rec("1", "a"), rec("2", "b"), end()}, {4, 4}},
      {R"(%k=%v\n)", "a=b=c\n", {rec("b=c", "a"), end()}, {6}},
      {R"(%k=%v\n)", "=\n", {rec("", ""), end()}, {2}},
      {R"(%k=%v\n)", "a=1\nb=2", {rec("1", "a"), rec("2", "b"), end()}, {4, 3}},
      {R"(%k=%v\n)", "k=\xff\0\n"s, {rec("\xff\0"s, "k"), end()}, {5}},
      {R"(%k=%v\r\n)", "a=1\r\nb=2\n3\r\n", {rec("1", "a"), rec("2\n3", "b"), end()}, {5, 7}},
      {R"(%t|%p|%k|%v\n)",
       "orders|3|k1|v1\npayments|0||\n",
       {rec_full("orders", 3, -1, "k1", "v1"), rec_full("payments", 0, -1, "", ""), end()},
       {15, 13}},
      {R"(%t|%p|%k|%v\n)", "t|1|k|a|b\n", {rec_full("t", 1, -1, "k", "a|b"), end()}, {10}},
      {R"(%T %v\n)",
       "1763892000123 hello world\n0 x\n",
       {rec_full("", -1, 1763892000123, std::nullopt, "hello world"),
        rec_full("", -1, 0, std::nullopt, "x"),
        end()},
       {26, 4}},
      {R"(%h;%v\n)",
       "a=1,b=2;val\n",
       {rec_full("", -1, -1, std::nullopt, "val", {{"a", "1"}, {"b", "2"}}), end()},
       {12}},
      {R"(%h;%v\n)",
       "a,b=,c=x=y;v\n;w\nx=1;\n",
       {rec_full("", -1, -1, std::nullopt, "v", {{"a", std::nullopt}, {"b", ""}, {"c", "x=y"}}),
        rec_full("", -1, -1, std::nullopt, "w"),
        rec_full("", -1, -1, std::nullopt, "", {{"x", "1"}}),
        end()},
       {13, 3, 5}},
      {R"(%h;%v\n)",
       "a=1,a=2,a=3;v\n",
       {rec_full("", -1, -1, std::nullopt, "v", {{"a", "1"}, {"a", "2"}, {"a", "3"}}), end()},
       {14}},
      {R"(%k%%%v\n)", "key%value\n", {rec("value", "key"), end()}, {10}},
      {R"(100%%|%v\n)", "100%|x\n", {rec("x"), end()}, {7}},
      {R"(%%%v\n)", "%a\n%b\n", {rec("a"), rec("b"), end()}, {3, 3}},
      {R"(%s\n)", "a\nb\n", {rec("a"), rec("b"), end()}, {2, 2}},
      {R"(%k\t%v\n)", "k\tv\n", {rec("v", "k"), end()}, {4}},
      {R"([%k] %v\n)", "[a] b\n[c] d\n", {rec("b", "a"), rec("d", "c"), end()}, {6, 6}},
      // Without a trailing literal the last field reads to the end of input.
      {R"(%k=%v)", "a=1\nb=2", {rec("1\nb=2", "a"), end()}, {7}},
      {R"(%v)", "all\nof\nit", {rec("all\nof\nit"), end()}, {9}},
      // Multi-byte separators and terminators.
      {R"(%k::%v;;\n)", "a:b::c;d;;\nx::y;;\n", {rec("c;d", "a:b"), rec("y", "x"), end()}, {11, 7}},
      {R"(%t|%p|%T|%h|%k|%v\n)",
       "t|2|1000|h=v|k|value\n",
       {rec_full("t", 2, 1000, "k", "value", {{"h", "v"}}), end()},
       {21}},
  };
  for (const Case& c : cases) {
    INFO("layout " << c.layout);
    const auto events = parse_all(layout(c.layout), c.input);
    check_events(events, c.expected);
    CHECK(consumed_of(events) == c.consumed);
  }
}

TEST_CASE("record parser: bad layout records are skipped to their end", "[format]") {
  struct Case {
    const char* layout;
    std::string input;
    std::vector<Event> expected;
    std::vector<std::size_t> consumed;
  };
  const std::vector<Case> cases = {
      {R"(%t|%p|%k|%v\n)",
       "t|abc|k|v\nt|1|k|v\n",
       {bad("partition \"abc\" is not a number"), rec_full("t", 1, -1, "k", "v"), end()},
       {10, 8}},
      {R"(%t|%p|%k|%v\n)",
       "t|-1|k|v\nt||k|v\nt|99999999999|k|v\nt|1 |k|v\nt|0x1|k|v\n",
       {bad("partition \"-1\""),
        bad("partition \"\""),
        bad("partition \"99999999999\""),
        bad("partition \"1 \""),
        bad("partition \"0x1\""),
        end()},
       {9, 7, 18, 9, 10}},
      {R"(%T %v\n)",
       "abc hello\n-5 x\n12 ok\n",
       {bad("timestamp \"abc\" is not epoch milliseconds"),
        bad("timestamp \"-5\""),
        rec_full("", -1, 12, std::nullopt, "ok"),
        end()},
       {10, 5, 6}},
      {R"(%T %v\n)",
       "99999999999999999999 x\n",
       {bad("timestamp \"99999999999999999999\""), end()},
       {23}},
      {R"(%p:%v\n)", "\xff:x\n", {bad(R"(partition "\xff")"), end()}, {4}},
      // The bad record is the last one and has no final delimiter.
      {R"(%p:%v\n)",
       "1:a\nx:b",
       {rec_full("", 1, -1, std::nullopt, "a"), bad("partition"), end()},
       {4, 3}},
      // A leading literal that does not match.
      {R"([%k]%v\n)", "x]y\n[a]b\n", {bad("expected \"[\""), rec("b", "a"), end()}, {4, 5}},
      // A separator missing at EOF.
      {R"(%t|%p|%k|%v\n)", "a|1\n", {bad("expected \"|\" after the partition (%p)"), end()}, {4}},
      {R"(%k=%v\n)",
       "a=1\nnokey",
       {rec("1", "a"), bad("expected \"=\" after the key (%k)"), end()},
       {4, 5}},
  };
  for (const Case& c : cases) {
    INFO("layout " << c.layout);
    const auto events = parse_all(layout(c.layout), c.input);
    check_events(events, c.expected);
    CHECK(consumed_of(events) == c.consumed);
  }
}

TEST_CASE("record parser: a layout field never reads past the end of its record", "[format]") {
  // A record missing a separator must not swallow the next record.
  struct Case {
    const char* layout;
    std::string input;
    std::vector<Event> expected;
    std::vector<std::size_t> consumed;
  };
  const std::vector<Case> cases = {
      {R"(%k=%v\n)",
       "nokey\na=b\n",
       {bad("expected \"=\" after the key (%k)"), rec("b", "a"), end()},
       {6, 4}},
      {R"(%t|%p|%k|%v\n)",
       "a|1\nb|2|k|v\n",
       {bad("expected \"|\" after the partition (%p)"), rec_full("b", 2, -1, "k", "v"), end()},
       {4, 8}},
      {R"(%T %v\n)",
       "1\n2 x\n",
       {bad("expected \" \" after the timestamp (%T)"),
        rec_full("", -1, 2, std::nullopt, "x"),
        end()},
       {2, 4}},
      // A separator that is the terminator itself still works.
      {R"(%k\n%v\n)", "k\nv\nk2\nv2\n", {rec("v", "k"), rec("v2", "k2"), end()}, {4, 6}},
  };
  for (const Case& c : cases) {
    INFO("layout " << c.layout);
    const auto events = parse_all(layout(c.layout), c.input);
    check_events(events, c.expected);
    CHECK(consumed_of(events) == c.consumed);
  }
}

TEST_CASE("record parser: a bad record before a multi-byte terminator does not swallow the next",
          "[format]") {
  // The bad record lacks part of the terminator (a plain line among quoted ones, a missing \r,
  // a missing closing tag): it ends after the terminator's last byte where a good record starts,
  // not at the next full terminator, which belongs to the good record after it.
  struct Case {
    const char* layout;
    std::string input;
    std::vector<Event> expected;
    std::vector<std::size_t> consumed;
  };
  const std::vector<Case> cases = {
      // The reproduction of issue 22 item 4.
      {R"("%k","%v"\n)",
       "\"k1\",\"v1\"\nk2,v2\n\"k3\",\"v3\"\n\"k4\",\"v4\"\n",
       {rec("v1", "k1"), bad("expected \"\"\""), rec("v3", "k3"), rec("v4", "k4"), end()},
       {10, 6, 10, 10}},
      // CRLF records, one line without its \r.
      {R"([%k]%v\r\n)",
       "[a]1\r\nbad\n[b]2\r\n[c]3\r\n",
       {rec("1", "a"), bad("expected \"[\""), rec("2", "b"), rec("3", "c"), end()},
       {6, 4, 6, 6}},
      // A two-byte terminator without a newline.
      {R"((%k)%v;;)",
       "(a)1;;oops;(b)2;;(c)3;;",
       {rec("1", "a"), bad("expected \"(\""), rec("2", "b"), rec("3", "c"), end()},
       {6, 5, 6, 6}},
      // A closing tag and a newline.
      {R"(<r>%v</r>\n)",
       "<r>1</r>\nplain\n<r>2</r>\n",
       {rec("1"), bad("expected \"<r>\""), rec("2"), end()},
       {9, 6, 9}},
      // Two bad lines in a row, then good ones: nothing good is lost.
      {R"("%k","%v"\n)",
       "x\ny\n\"k\",\"v\"\n",
       {bad("expected \"\"\""), rec("v", "k"), end()},
       {4, 8}},
      // A bad record whose value holds the terminator's last byte is still one record.
      {R"(%p|%v"\n)",
       "x|multi\nline\"\n1|ok\"\n",
       {bad("partition \"x\""), rec_full("", 1, -1, std::nullopt, "ok"), end()},
       {14, 6}},
      // The bad record is last and lacks its terminator.
      {R"("%k","%v"\n)",
       "\"k1\",\"v1\"\nk2,v2\n",
       {rec("v1", "k1"), bad("expected \"\"\""), end()},
       {10, 6}},
  };
  for (const Case& c : cases) {
    INFO("layout " << c.layout);
    const auto events = parse_all(layout(c.layout), c.input);
    check_events(events, c.expected);
    CHECK(consumed_of(events) == c.consumed);
  }
}

TEST_CASE("record parser: invalid layouts are usage errors", "[format]") {
  struct Case {
    const char* layout;
    std::string message_part;
    std::string hint_part;
  };
  const std::vector<Case> cases = {
      {"%x=%v", "unknown field %x in input layout \"%x=%v\"", "%k key, %v value"},
      {"%V\\n", "unknown field %V", "did you mean %v?"},
      {"%K=%v", "unknown field %K", "did you mean %k?"},
      {"%P|%v", "unknown field %P", "did you mean %p?"},
      {"%H;%v", "unknown field %H", "did you mean %h?"},
      {"%k%v\\n", "two fields in a row", ""},
      {"%t%p|%v", "two fields in a row", ""},
      {"%v%k", "two fields in a row", ""},
      {"%k\\n", "has no %v (value)", "-f '%k=%v\\n'"},
      {"", "has no %v", ""},
      {"%%v", "has no %v", ""},  // %% is a literal percent sign, then a literal v
      {"%v%", "ends with a lone %", "%%"},
      {"%v\\q", "unknown escape \\q", ""},
      {"%v\\x4", "\\x needs two hex digits", ""},
  };
  for (const Case& c : cases) {
    INFO("layout " << c.layout);
    auto parser = evt::format::make_layout_parser(c.layout);
    REQUIRE_FALSE(parser.ok());
    CHECK(parser.error().kind == evt::ErrorKind::usage);
    CHECK_THAT(parser.error().message, Catch::Matchers::Contains(c.message_part));
    CHECK_THAT(parser.error().hint, Catch::Matchers::Contains(c.hint_part));
  }
  SECTION("no suggestion for a verb unlike any field") {
    for (const char* given : {"%x=%v", "%1=%v", "%z=%v"}) {
      INFO(given);
      auto parser = evt::format::make_layout_parser(given);
      REQUIRE_FALSE(parser.ok());
      CHECK_THAT(parser.error().hint, !Catch::Matchers::Contains("did you mean"));
    }
  }
}

TEST_CASE("record parser: views stay valid until the next call", "[format]") {
  // The envelope parser owns the decoded bytes; the layout parser points into the input.
  auto parser = evt::format::make_envelope_parser();
  InputRecord record;
  std::size_t consumed = 0;
  std::string error;
  const std::string input = R"({"topic":"t","key":{"base64":"AAE="},"headers":[{"name":"n"}]})";
  REQUIRE(parser->parse(input, true, record, consumed, error) == ParseStatus::record);
  CHECK(record.topic == "t");
  CHECK(record.key.view() == "\0\x01"s);
  REQUIRE(record.headers.size() == 1);
  CHECK(record.headers[0].name == "n");
  CHECK(record.headers[0].value.is_null());
  // A second record replaces everything, including headers.
  REQUIRE(parser->parse(R"({"value":"v"})", true, record, consumed, error) == ParseStatus::record);
  CHECK(record.topic.empty());
  CHECK(record.key.is_null());
  CHECK(record.headers.empty());
  CHECK(record.value.view() == "v");
}
