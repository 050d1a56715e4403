// SPDX-License-Identifier: MIT
// Unit tests of --jq and --jq-output (JqProgram on libjq) and of the shortcut that decides common
// filters without jq (JqShortcut), which must decide exactly as jq does.
#include "evt/format/jq.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "evt/error.hpp"
#include "evt/format/envelope.hpp"
#include "evt/format/jq_shortcut.hpp"
#include "evt/format/rapidjson.hpp"
#include "evt/record.hpp"

namespace {

using evt::Bytes;
using evt::Header;
using evt::Record;
using evt::TimestampType;
using evt::format::JqDecision;
using evt::format::JqProgram;
using evt::format::JqShortcut;
using namespace std::string_literals;

std::unique_ptr<JqProgram> compile(const std::string& expression) {
  auto program = JqProgram::compile("--jq", expression);
  INFO("expression: " << expression);
  INFO("error: " << (program ? "" : program.error().message));
  REQUIRE(program.ok());
  return std::move(*program);
}

std::string compile_error(const std::string& expression) {
  auto program = JqProgram::compile("--jq", expression);
  INFO("expression: " << expression);
  REQUIRE_FALSE(program.ok());
  CHECK(program.error().kind == evt::ErrorKind::usage);
  return program.error().message;
}

std::string outputs(JqProgram& program, const Record& record) {
  std::vector<evt::HeaderView> headers;
  std::string out;
  program.append_outputs(out, evt::view_of(record, headers));
  return out;
}

bool selects(JqProgram& program, const Record& record) {
  std::vector<evt::HeaderView> headers;
  return program.selects(evt::view_of(record, headers));
}

Record record(Bytes key, Bytes value, std::vector<Header> headers = {}) {
  Record r;
  r.topic = "orders";
  r.partition = 2;
  r.offset = 17;
  r.timestamp = 1763892000123;
  r.timestamp_type = TimestampType::create;
  r.key = std::move(key);
  r.value = std::move(value);
  r.headers = std::move(headers);
  return r;
}

// Records that exercise every kind a field can have: null, empty, text, JSON, binary, numbers
// that compare interestingly, timestamps absent or log-append, headers.
std::vector<Record> corpus() {
  std::vector<Record> records;
  const std::vector<Bytes> bytes = {std::nullopt,
                                    ""s,
                                    "k"s,
                                    "k2"s,
                                    "K"s,
                                    "user-1"s,
                                    "user-10"s,
                                    "\xc3\xa9t\xc3\xa9"s,
                                    "\xff\xfe"s,
                                    "a\0b"s,
                                    "null"s,
                                    "false"s,
                                    "3"s,
                                    R"({"id":3,"user":{"id":"u1"}})"s,
                                    "[1,2]"s,
                                    "{bad json"s};
  std::int64_t offset = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    for (std::size_t j = 0; j < bytes.size(); j += 3) {
      Record r = record(bytes[i], bytes[(i + j) % bytes.size()]);
      r.topic = offset % 3 == 0 ? "audit" : "orders";
      r.partition = static_cast<std::int32_t>(offset % 4);
      r.offset = offset;
      r.timestamp = offset % 5 == 0 ? -1 : 1000 + offset;
      r.timestamp_type = offset % 7 == 0 ? TimestampType::log_append : TimestampType::create;
      if (offset % 2 == 0) {
        r.headers = {Header{"trace", bytes[j]}, Header{"\xff", "x"}};
      }
      records.push_back(std::move(r));
      ++offset;
    }
  }
  return records;
}

rapidjson::Document parse_json(const std::string& text) {
  rapidjson::Document document;
  document.Parse(text.data(), text.size());  // with a length: the SSE2 scan reads in 16-byte blocks
  INFO("json: " << text);
  REQUIRE_FALSE(document.HasParseError());
  return document;
}

}  // namespace

TEST_CASE("jq: the input is the -f json envelope, plus key_json and value_json", "[jq]") {
  auto identity = compile("del(.key_json, .value_json)");
  for (const Record& r : corpus()) {
    std::vector<evt::HeaderView> headers;
    std::string envelope;
    evt::format::append_envelope(envelope, evt::view_of(r, headers));
    const std::string jq_view = outputs(*identity, r);
    INFO("envelope: " << envelope);
    INFO("jq sees:  " << jq_view);
    REQUIRE(jq_view.find('\n') == jq_view.size() - 1);
    // Header names that are not UTF-8 are base64 objects, in the envelope as in jq's view.
    auto expected = parse_json(envelope);
    auto seen = parse_json(jq_view);
    for (auto& header : seen["headers"].GetArray()) {
      if (header["name"].IsObject()) {
        CHECK(std::string(header["name"]["base64"].GetString()) == "/w==");
      }
    }
    CHECK(seen == expected);
  }
}

TEST_CASE("jq: the envelope's members come in the same order for every record", "[jq]") {
  // (Envelopes are rebuilt in place when jq let go of the last one.)
  auto keys = compile("keys_unsorted");
  const std::string fixed =
      R"("topic","partition","offset","timestamp","timestamp_type","key","value","headers")";
  for (const Record& r : corpus()) {
    std::vector<evt::HeaderView> headers;
    std::string expected = "[" + fixed;
    auto json = compile("has(\"key_json\"), has(\"value_json\")");
    const std::string has = outputs(*json, r);
    expected += has.starts_with("true") ? R"(,"key_json")" : "";
    expected += has.ends_with("true\n") ? R"(,"value_json")" : "";
    INFO("key " << r.key.value_or("(null)") << ", value " << r.value.value_or("(null)"));
    CHECK(outputs(*keys, r) == expected + "]\n");
  }
}

TEST_CASE("jq: key_json and value_json hold the parsed JSON, and only JSON", "[jq]") {
  auto project = compile("[has(\"key_json\"), has(\"value_json\"), .key_json, .value_json]");
  CHECK(outputs(*project, record("k", R"({"id":3,"user":{"id":"u1"}})")) ==
        "[false,true,null,{\"id\":3,\"user\":{\"id\":\"u1\"}}]\n");
  CHECK(outputs(*project, record(" 3 ", "null")) == "[true,true,3,null]\n");
  CHECK(outputs(*project, record("\"s\"", "[1, 2.5, \"\xc3\xa9\"]")) ==
        "[true,true,\"s\",[1,2.5,\"\xc3\xa9\"]]\n");
  // Not JSON: text, trailing garbage, NUL, binary, too deep, a lone surrogate, empty, absent.
  for (const Bytes& bytes : std::vector<Bytes>{"user-1"s,
                                               "{} x"s,
                                               "1\0"s,
                                               "\xff"s,
                                               std::string(300, '[') + std::string(300, ']'),
                                               R"("\udc00")"s,
                                               ""s,
                                               std::nullopt}) {
    INFO("bytes: " << bytes.value_or("(null)"));
    CHECK(outputs(*project, record(bytes, bytes)) == "[false,false,null,null]\n");
  }
  auto user = compile("select(.value_json.user.id == \"u1\") | .offset");
  CHECK(outputs(*user, record("k", R"({"id":3,"user":{"id":"u1"}})")) == "17\n");
  CHECK(outputs(*user, record("k", R"({"id":3,"user":{"id":"u2"}})")) == "");
}

TEST_CASE("jq: selects when one output is neither false nor null", "[jq]") {
  const Record json = record("user-1", R"({"id":3})");
  struct Case {
    std::string expression;
    bool selected;
  };
  const std::vector<Case> cases = {
      {".key == \"user-1\"", true},
      {".key == \"user-2\"", false},
      {"select(.key == \"user-1\")", true},
      {"select(.key == \"user-2\")", false},
      {".value_json.id > 2", true},
      {".value_json.id", true},
      {".value_json.missing", false},  // null
      {"false, null, 0", true},        // 0 is true in jq
      {"false, null", false},
      {"empty", false},
      {".headers | length == 0", true},
      {"[.partition, .offset] == [2, 17]", true},
      {".timestamp_type == \"create\"", true},
  };
  for (const Case& c : cases) {
    INFO(c.expression);
    auto program = compile(c.expression);
    CHECK(selects(*program, json) == c.selected);
    CHECK(program->errors() == 0);
  }
}

TEST_CASE("jq: binary and invalid UTF-8 are base64 objects, never a crash", "[jq]") {
  const Record binary = record("\xff\x00k"s, "\xc3(\x00\xff"s, {Header{"h", "\xfe"s}});
  auto show = compile("[.key, .value, .headers[0].value, (.value | type)]");
  CHECK(outputs(*show, binary) ==
        R"([{"base64":"/wBr"},{"base64":"wygA/w=="},{"base64":"/g=="},"object"])"
        "\n");
  // A string function on a binary value is a jq error: counted, the record skipped.
  auto test = compile(".value | test(\"x\")");
  CHECK_FALSE(selects(*test, binary));
  CHECK(test->errors() == 1);
  // Text with NUL bytes stays text.
  auto length = compile(".value | length");
  CHECK(outputs(*length, record("k", "a\0b"s)) == "3\n");
}

TEST_CASE("jq: a runtime error is counted and reported once, naming the record", "[jq]") {
  auto program = compile(".value_json.id + 1 > 2");
  std::vector<std::string> reported;
  program->set_diagnostics([&](std::string_view message) { reported.emplace_back(message); });
  Record good = record("k", R"({"id":5})");
  Record bad = record("k", R"({"id":"five"})");
  CHECK(selects(*program, good));
  CHECK_FALSE(selects(*program, bad));
  bad.offset = 18;
  CHECK_FALSE(selects(*program, bad));
  CHECK(selects(*program, good));
  CHECK(program->errors() == 2);
  REQUIRE(reported.size() == 1);
  CHECK(reported[0] ==
        "--jq: orders/2/17: string (\"five\") and number (1) cannot be added (records with "
        "errors are skipped; further errors are counted, not shown)");

  // --jq-output keeps the outputs before an error.
  auto output = compile(".offset, error(\"boom\"), 3");
  CHECK(outputs(*output, good) == "17\n");
  CHECK(output->errors() == 1);
  // error() with a value that is not a string.
  auto object = compile("error({code: 7})");
  std::string message;
  object->set_diagnostics([&](std::string_view text) { message = text; });
  CHECK_FALSE(selects(*object, good));
  CHECK(message.starts_with("--jq: orders/2/17: {\"code\":7} "));
}

TEST_CASE("jq: halt, halt_error, input, debug and modules do not break evt", "[jq]") {
  const Record r = record("k", "v");
  auto halt = compile("if .key == \"k\" then halt else true end");
  CHECK_FALSE(selects(*halt, r));
  CHECK(halt->errors() == 0);
  CHECK(selects(*halt, record("other", "v")));  // the next record starts afresh
  auto halt_error = compile("\"stop\" | halt_error");
  CHECK_FALSE(selects(*halt_error, r));
  CHECK(halt_error->errors() == 1);
  auto input = compile("input");
  CHECK_FALSE(selects(*input, r));
  CHECK(input->errors() == 1);
  auto debug = compile(".key | debug | . == \"k\"");
  std::vector<std::string> messages;
  debug->set_diagnostics([&](std::string_view text) { messages.emplace_back(text); });
  CHECK(selects(*debug, r));
  CHECK(messages == std::vector<std::string>{R"(--jq debug: ["DEBUG:","k"])"});
  // libjq 1.6 aborts on import without a library path; evt gives it an empty one.
  CHECK(compile_error("import \"foo\" as f; .").starts_with("--jq: "));
  CHECK(compile_error("include \"foo\"; .").starts_with("--jq: "));
}

TEST_CASE("jq: a bad expression is a usage error with jq's message, line and column", "[jq]") {
  CHECK(compile_error(".key ==== 1") ==
        "--jq: syntax error, unexpected == (Unix shell quoting issues?) at line 1, column 8:\n"
        "  .key ==== 1\n"
        "         ^");
  CHECK(compile_error(".key | foo") ==
        "--jq: foo/0 is not defined at line 1, column 8:\n"
        "  .key | foo\n"
        "         ^");
  CHECK(compile_error(".a |\n  .b | $x") ==
        "--jq: $x is not defined at line 2, column 8:\n"
        "    .b | $x\n"
        "         ^");
  CHECK(compile_error("{").starts_with("--jq: syntax error, unexpected $end"));
  auto program = JqProgram::compile("--jq-output", "[");
  REQUIRE_FALSE(program.ok());
  CHECK(program.error().message.starts_with("--jq-output: syntax error"));
}

TEST_CASE("jq: --jq-output prints each output as compact JSON", "[jq]") {
  auto program = compile(".key, .value_json, {p: .partition}, \"a\\nb\"");
  std::vector<evt::HeaderView> headers;
  std::string out;
  auto formatter = evt::format::make_jq_formatter(std::move(program));
  const Record r = record("k", R"({ "id" : 1 })");
  formatter->append(out, evt::view_of(r, headers));
  CHECK(out == "\"k\"\n{\"id\":1}\n{\"p\":2}\n\"a\\nb\"\n");
  CHECK(formatter->needs_headers());
}

TEST_CASE("jq shortcut: which expressions it decides", "[jq]") {
  const std::vector<std::string> understood = {
      "select(.key == \"k\")",
      ".key == \"k\"",
      "select(.key==\"k\")",
      "select(.partition == 1 and .offset >= 10)",
      "select(.key == \"a\" or .key == \"b\") | .value_json.id",
      "select(.key | startswith(\"user-\"))",
      "(.value | endswith(\"x\")) or .topic != \"orders\"",
      ".key == \"a\" | not",
      "select(.timestamp > 1000) | select(.key == null)",
      ".partition == -1",
      ".key",
      "select(.key == \"\\u00e9\\\"\\n\")",
      "select(.key == \"k\") | [.value_json[] | .x] | length > 2",
      // Operands the shortcut does not read stay opaque inside `and` and `or`.
      "select(.partition == 1 and .value_json.id == 3)",
      ".partition == 1 or .value_json.id == 3",
      "select(.headers == [] and .key == \"k\")",
      "select((if .key then 1 else 2 end) == 1 and .partition == 1)",
      "select(\"\\(.key) and or\" == \"k\" and .partition == 0)",
  };
  for (const std::string& expression : understood) {
    INFO(expression);
    CHECK(JqShortcut::analyse(expression).has_value());
  }
  const std::vector<std::string> left_to_jq = {
      ".value_json.id == 1",
      "select(.key == \"k\") and true",
      "select(.key == \"k\")?",
      "def select(f): true; select(.key == \"k\")",
      ".key == $k",
      ".key | test(\"a\")",
      "select(.key == \"\\(1)\")",
      ".key == \"k\" // true",
      ".key.x == 1",
      ".[\"key\"] == \"k\"",
      ".key == \"\\ud800\"",
      ".key == 1 # comment",
      "select(.key < {})",
      "select(.value_json | has(\"id\") and .partition == 2)",
      "select(if .a then true else false end and .key == \"k\")",
      ".a // .b and .key == \"k\"",
      "select(.a = 1 and .key == \"k\")",
      "select(.a |= 1 and .key == \"k\")",
      "select(reduce .headers[] as $h (0; . + 1) > 0 and .key == \"k\")",
      "select([.headers[].name] | index(\"trace\")) | .offset",
      "select(.value_json.x == 1)",
      ".key == \"k\", true",
      "select(.key == \"k\") as $x | $x",
      "",
  };
  for (const std::string& expression : left_to_jq) {
    INFO(expression);
    CHECK_FALSE(JqShortcut::analyse(expression).has_value());
  }
}

TEST_CASE("jq shortcut: decides exactly as jq, on every record it decides", "[jq]") {
  // Each expression is run by jq itself (a def in front turns the shortcut off) and through
  // the shortcut; where the shortcut decides, it must agree with jq.
  const std::vector<std::string> expressions = {
      "select(.key == \"k\")",
      "select(.key != \"k\")",
      "select(.key == null)",
      "select(.key < \"k\")",
      "select(.key <= \"k\")",
      "select(.key > \"k\")",
      "select(.key >= \"k2\")",
      "select(.key > 3)",
      ".key == \"\\u00e9t\\u00e9\"",
      ".key == \"\xc3\xa9t\xc3\xa9\"",
      ".value == \"a\\u0000b\"",
      ".value > .key",
      ".key == .value",
      "select(.partition == 1)",
      "select(.partition == 1.0)",
      "select(.partition != 1 and .partition != 2)",
      "select(.partition < 2 or .offset >= 40)",
      "select(.offset > 10 and .offset <= 20)",
      "select(.offset == 1e1)",
      "select(.partition == -1)",
      ".timestamp == null",
      ".timestamp > 1010",
      ".timestamp_type == \"log_append\"",
      ".timestamp_type == null",
      ".topic == \"audit\"",
      ".topic < \"b\"",
      ".key",
      ".value",
      ".key | not",
      "(.key == \"k\" | not) and .partition == 0",
      "select(.key | startswith(\"user\"))",
      "select(.key | endswith(\"1\"))",
      "select(.key | startswith(\"\"))",
      "select(.value | startswith(\"{\")) | .value_json.id == 3",
      "select(.key == \"k\" or (.value | startswith(\"[\")))",
      "select((.key | startswith(\"u\")) and .partition == 1)",
      "select(.partition == 0) | .value_json.user.id == \"u1\"",
      "select(.partition == 0) | select(.value_json.user)",
      "select(.key == \"k\") | error(\"boom\")",
      "select(.key == \"k\") | empty",
      "(.key | not) and false",
      "null or .partition == 3",
      "select(.partition == 1 and .value_json.id == 3)",
      "select(.value_json.id == 3 and .partition == 1)",
      ".partition == 1 or .value_json.id == 3",
      ".value_json.id == 3 or .partition == 1",
      "select(.headers == [] and .key == \"k\")",
      "select((.value_json | length) > 1 and .key != null)",
      "select(.key == \"k\" and (.value_json.id | . > 2))",
      "select(\"\\(.key)\" == \"k\" and .partition == 0)",
      "select(.value_json.user.id == \"u1\" and (.key | startswith(\"k\")))",
      "select(.value_json.id > 2 and .value_json.id < 4 or .partition == 3)",
      "(.value_json | type) == \"object\" and .timestamp != null",
      "select(true) | .partition == 0",
      "select(null) | .partition",
  };
  const std::vector<Record> records = corpus();
  std::size_t decided = 0;
  for (const std::string& expression : expressions) {
    INFO(expression);
    const auto shortcut = JqShortcut::analyse(expression);
    REQUIRE(shortcut.has_value());
    auto jq = compile("def evt_no_shortcut: .; " + expression);
    for (const Record& r : records) {
      std::vector<evt::HeaderView> headers;
      const auto view = evt::view_of(r, headers);
      const JqDecision decision = shortcut->decide(view);
      if (decision == JqDecision::ask_jq) {
        continue;
      }
      ++decided;
      INFO("key " << r.key.value_or("(null)") << ", value " << r.value.value_or("(null)")
                  << ", partition " << r.partition << ", offset " << r.offset);
      CHECK((decision == JqDecision::keep) == jq->selects(view));
    }
    // And through JqProgram, which uses the shortcut: the same answers.
    auto fast = compile(expression);
    for (const Record& r : records) {
      std::vector<evt::HeaderView> headers;
      const auto view = evt::view_of(r, headers);
      CHECK(fast->selects(view) == jq->selects(view));
    }
  }
  CHECK(decided > expressions.size() * records.size() / 2);
}

TEST_CASE("jq shortcut: decided records never reach jq", "[jq]") {
  auto program = compile("select(.key == \"k\")");
  const std::vector<Record> records = corpus();
  std::size_t kept = 0;
  for (const Record& r : records) {
    kept += selects(*program, r) ? 1 : 0;
  }
  CHECK(kept == 6);
  CHECK(program->evaluated() == 0);
  auto open = compile("select(.key == \"k\") | .value_json != null");
  for (const Record& r : records) {
    (void)selects(*open, r);
  }
  CHECK(open->evaluated() == 6);  // jq ran only on the records whose key is "k"
}

TEST_CASE("jq shortcut: random expressions decide as jq does", "[jq]") {
  // Expressions in and around the shortcut's language, with opaque operands that error, yield
  // nothing or several values, checked against jq itself on every record of the corpus.
  static const std::vector<std::string> fields = {
      ".key", ".value", ".topic", ".partition", ".offset", ".timestamp", ".timestamp_type"};
  static const std::vector<std::string> literals = {"\"k\"",
                                                    "\"user-1\"",
                                                    "\"\"",
                                                    "\"audit\"",
                                                    "0",
                                                    "1",
                                                    "3",
                                                    "-1",
                                                    "1e1",
                                                    "1010",
                                                    "null",
                                                    "true",
                                                    "false"};
  static const std::vector<std::string> ops = {"==", "!=", "<", "<=", ">", ">="};
  static const std::vector<std::string> opaque = {".value_json.id == 3",
                                                  "(.value_json | length) > 1",
                                                  ".headers == []",
                                                  "(.key | ascii_downcase) == \"k\"",
                                                  ".value_json.user.id",
                                                  "(.value | test(\"1\"))",
                                                  "error(\"x\")",
                                                  "empty",
                                                  "(1, 2) == 1",
                                                  "(.headers | length) == 2"};
  std::mt19937 random(42);
  auto pick = [&](const std::vector<std::string>& from) { return from[random() % from.size()]; };
  std::function<std::string(int)> expression = [&](int depth) -> std::string {
    std::string out;
    const int atoms = 1 + static_cast<int>(random() % 3);
    for (int i = 0; i < atoms; ++i) {
      if (i > 0) {
        out += random() % 2 ? " and " : " or ";
      }
      switch (random() % 6) {
        case 0:
          out += pick(opaque);
          break;
        case 1:
          out += depth < 2 ? "(" + expression(depth + 1) + ")" : pick(fields);
          break;
        case 2:
          out += "(" + pick(fields) + " | " + (random() % 2 ? "startswith" : "endswith") + "(\"" +
                 (random() % 2 ? "k" : "1") + "\"))";
          break;
        case 3:
          out += pick(literals) + " " + pick(ops) + " " + pick(fields);
          break;
        default:
          out += pick(fields) + " " + pick(ops) + " " + pick(literals);
      }
    }
    if (random() % 5 == 0) {
      out += " | not";
    }
    return out;
  };
  const std::vector<Record> records = corpus();
  std::size_t analysed = 0;
  std::size_t decided = 0;
  for (int i = 0; i < 300; ++i) {
    std::string text = expression(0);
    switch (random() % 3) {
      case 0:
        text = "select(" + text + ")";
        break;
      case 1:
        text = "select(" + text + ") | " + pick(opaque);
        break;
      default:
        break;
    }
    INFO(text);
    const auto shortcut = JqShortcut::analyse(text);
    if (!shortcut) {
      continue;
    }
    ++analysed;
    auto jq = compile("def evt_no_shortcut: .; " + text);
    for (const Record& r : records) {
      std::vector<evt::HeaderView> headers;
      const auto view = evt::view_of(r, headers);
      const JqDecision decision = shortcut->decide(view);
      if (decision == JqDecision::ask_jq) {
        continue;
      }
      ++decided;
      INFO("key " << r.key.value_or("(null)") << ", value " << r.value.value_or("(null)")
                  << ", partition " << r.partition << ", offset " << r.offset);
      CHECK((decision == JqDecision::keep) == jq->selects(view));
    }
  }
  // Most random expressions are understood, and decide most records.
  CHECK(analysed > 250);
  CHECK(decided > analysed * records.size() / 3);
}
