// SPDX-License-Identifier: MIT
#include "evt/format/envelope.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <vector>

#include <fmt/format.h>

#include "evt/format/compact_json.hpp"
#include "evt/format/json_spans.hpp"
#include "evt/format/json_text.hpp"
#include "evt/format/rapidjson.hpp"
#include "evt/spellcheck.hpp"

namespace evt::format {

namespace {

void append_int(std::string& out, std::int64_t value) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, result.ptr);
}

// `"key":` and the bytes field, or with --json-values, `"key_json":` and the bytes themselves
// when they are JSON in compact form (so that the reader's compact form of it is those bytes).
void append_bytes_member(std::string& out,
                         std::string_view name,
                         BytesView bytes,
                         CompactJsonCheck* json_values) {
  out.append(",\"");
  out.append(name);
  if (json_values && !bytes.is_null() && json_values->is_compact(bytes.view())) {
    out.append("_json\":");
    out.append(bytes.view());
    return;
  }
  out.append("\":");
  append_bytes_field(out, bytes);
}

}  // namespace

void append_envelope(std::string& out, const RecordView& record, CompactJsonCheck* json_values) {
  out.append("{\"topic\":");
  append_json_string(out, record.topic);
  out.append(",\"partition\":");
  append_int(out, record.partition);
  out.append(",\"offset\":");
  append_int(out, record.offset);
  // A record read from an envelope file has a timestamp but no type: it is a create time.
  if (record.timestamp < 0) {
    out.append(",\"timestamp\":null,\"timestamp_type\":null");
  } else {
    out.append(",\"timestamp\":");
    append_int(out, record.timestamp);
    out.append(record.timestamp_type == TimestampType::log_append
                   ? ",\"timestamp_type\":\"log_append\""
                   : ",\"timestamp_type\":\"create\"");
  }
  append_bytes_member(out, "key", record.key, json_values);
  append_bytes_member(out, "value", record.value, json_values);
  out.append(",\"headers\":[");
  for (std::size_t i = 0; i < record.header_count; ++i) {
    if (i > 0) {
      out.push_back(',');
    }
    out.append("{\"name\":");
    // A header name is a string to Kafka, but clients send any bytes: like a value, it is
    // written as {"base64":...} when it is not UTF-8, so the JSON stays valid and lossless.
    append_bytes_field(out, BytesView::of(record.headers[i].name));
    out.append(",\"value\":");
    append_bytes_field(out, record.headers[i].value);
    out.push_back('}');
  }
  out.append("]}\n");
}

struct EnvelopeParser::Impl {
  // Documents and the parser's stack live in pools over these buffers, cleared per line, so an
  // ordinary envelope is parsed without touching the heap.
  std::vector<char> value_buffer = std::vector<char>(64 << 10);
  std::vector<char> stack_buffer = std::vector<char>(16 << 10);
  rapidjson::MemoryPoolAllocator<> value_pool{value_buffer.data(), value_buffer.size()};
  rapidjson::MemoryPoolAllocator<> stack_pool{stack_buffer.data(), stack_buffer.size()};
  std::string text;  // the line being parsed in place
};

EnvelopeParser::EnvelopeParser() : m_impl(std::make_unique<Impl>()) {}
EnvelopeParser::~EnvelopeParser() = default;

namespace {

using Json = rapidjson::Value;

const char* type_name(const Json& value) {
  switch (value.GetType()) {
    case rapidjson::kArrayType:
      return "an array";
    case rapidjson::kObjectType:
      return "an object";
    case rapidjson::kNumberType:
      return value.IsInt64() || value.IsUint64() ? "an integer" : "a number";
    case rapidjson::kStringType:
      return "a string";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "a boolean";
    case rapidjson::kNullType:
      return "null";
  }
  return "a value";
}

std::string_view text_of(const Json& string) {
  return {string.GetString(), string.GetStringLength()};
}

// A string field's text. RapidJSON 1.1.0 decodes a lone low surrogate escape (\udc00) into
// bytes that are not UTF-8; strict JSON has no such string, so it is an input error here.
Result<std::string> string_of(std::string_view field, const Json& string) {
  const std::string_view text = text_of(string);
  if (!is_valid_utf8(text)) {
    return fail(
        ErrorKind::usage,
        fmt::format("not valid JSON: field \"{}\" holds an invalid \\u escape (a lone surrogate)",
                    field));
  }
  return std::string(text);
}

Unexpected wrong_type(std::string_view field, const char* expected, const Json& value) {
  return fail(ErrorKind::usage,
              fmt::format("field \"{}\" must be {}, not {}", field, expected, type_name(value)));
}

// A bytes field: a string, {"base64": "..."} or null.
Result<Bytes> read_bytes(std::string_view field, const Json& value) {
  if (value.IsNull()) {
    return Bytes{};
  }
  if (value.IsString()) {
    auto text = string_of(field, value);
    if (!text) {
      return std::move(text).take_error();
    }
    return Bytes{std::move(*text)};
  }
  if (!value.IsObject()) {
    return wrong_type(field, "a string, null or {\"base64\":\"...\"}", value);
  }
  const auto fields = members_of(value);
  if (fields.size() != 1 || text_of(fields[0].name) != "base64" || !fields[0].value.IsString()) {
    return fail(
        ErrorKind::usage,
        fmt::format("field \"{}\" must be a string, null or {{\"base64\":\"...\"}}", field));
  }
  auto decoded = decode_base64(text_of(fields[0].value));
  if (!decoded) {
    return fail(ErrorKind::usage, fmt::format("field \"{}\" holds invalid base64", field));
  }
  return Bytes{std::move(decoded.value())};
}

Result<std::int64_t> read_integer(std::string_view field,
                                  const Json& value,
                                  std::int64_t min,
                                  std::int64_t max) {
  if (!value.IsInt64() && !value.IsUint64()) {
    return wrong_type(field, "an integer or null", value);
  }
  if (!value.IsInt64() || value.GetInt64() < min || value.GetInt64() > max) {
    return fail(ErrorKind::usage,
                fmt::format("field \"{}\" is out of range ({}..{})", field, min, max));
  }
  return value.GetInt64();
}

Result<void> read_headers(const Json& value, std::vector<Header>& headers) {
  if (value.IsNull()) {
    return {};
  }
  if (!value.IsArray()) {
    return wrong_type("headers", "an array or null", value);
  }
  std::size_t index = 0;
  for (const Json& item : value.GetArray()) {
    const std::string where = fmt::format("headers[{}]", index++);
    if (!item.IsObject()) {
      return wrong_type(where, "an object {\"name\":...,\"value\":...}", item);
    }
    Header header;
    bool has_name = false;
    for (const auto& member : members_of(item)) {
      const std::string_view name = text_of(member.name);
      if (name == "name") {
        if (member.value.IsNull()) {
          return wrong_type(where + ".name", "a string or {\"base64\":\"...\"}", member.value);
        }
        auto name_bytes = read_bytes(where + ".name", member.value);
        if (!name_bytes) {
          return std::move(name_bytes).take_error();
        }
        header.name = std::move(**name_bytes);
        has_name = true;
      } else if (name == "value") {
        auto bytes = read_bytes(where + ".value", member.value);
        if (!bytes) {
          return std::move(bytes).take_error();
        }
        header.value = std::move(*bytes);
      } else {
        return fail(ErrorKind::usage, fmt::format("unknown field \"{}.{}\"", where, name));
      }
    }
    if (!has_name) {
      return fail(ErrorKind::usage, fmt::format("{} has no \"name\"", where));
    }
    headers.push_back(std::move(header));
  }
  return {};
}

// At most this many nested arrays and objects are parsed recursively (on the call stack).
constexpr std::ptrdiff_t k_max_recursive_depth = 64;

constexpr std::string_view k_envelope_fields[] = {"topic",
                                                  "partition",
                                                  "offset",
                                                  "timestamp",
                                                  "timestamp_type",
                                                  "key",
                                                  "value",
                                                  "key_json",
                                                  "value_json",
                                                  "headers"};

// A "key" or "value" field: a bytes field, or any other JSON (an object other than the base64
// form, an array, a number, true or false), whose bytes are its text as written in the line.
// `written()` gives that text (found only on this rare path).
template <typename Written>
Result<Bytes> read_key_or_value(std::string_view field, const Json& value, Written written) {
  if (value.IsNull() || value.IsString()) {
    return read_bytes(field, value);
  }
  if (value.IsObject() && value.MemberCount() == 1 &&
      text_of(value.MemberBegin()->name) == "base64") {
    if (!value.MemberBegin()->value.IsString()) {
      return fail(ErrorKind::usage,
                  fmt::format("field \"{}\": an object whose only member is \"base64\" is the "
                              "base64 form {{\"base64\":\"...\"}}, which holds a string",
                              field));
    }
    return read_bytes(field, value);
  }
  const std::string_view text = written();
  if (nesting_depth(text) > static_cast<std::size_t>(k_max_json_depth)) {
    return fail(
        ErrorKind::usage,
        fmt::format("field \"{}\" holds JSON nested deeper than {}", field, k_max_json_depth));
  }
  return Bytes{std::string(text)};
}

// A key_json or value_json field: the bytes are the embedded JSON in compact form.
Result<Bytes> read_embedded_json(std::string_view field, const Json& value) {
  std::string bytes;
  if (!append_compact_json(bytes, value)) {
    return fail(ErrorKind::usage,
                fmt::format("field \"{}\" holds JSON nested deeper than {} or an invalid \\u "
                            "escape (a lone surrogate)",
                            field,
                            k_max_json_depth));
  }
  return Bytes{std::move(bytes)};
}

// kcat -J's fields (kcat 1.7's json.c): a line holding any of its own is read as kcat's.
constexpr std::string_view k_kcat_fields[] = {"topic",
                                              "partition",
                                              "offset",
                                              "tstype",
                                              "ts",
                                              "broker",
                                              "headers",
                                              "key",
                                              "payload",
                                              "key_error",
                                              "payload_error",
                                              "key_schema_id",
                                              "value_schema_id"};

bool is_kcat_line(const Json& root) {
  for (const auto& member : members_of(root)) {
    const std::string_view name = text_of(member.name);
    if (name == "payload" || name == "ts" || name == "tstype" || name == "broker") {
      return true;
    }
  }
  return false;
}

// A kcat string is the bytes as they were: kcat writes keys, payloads and headers without
// checking UTF-8 (bytes above 0x7f raw, control bytes as \u00XX), so no UTF-8 rule applies.
Result<Bytes> kcat_bytes(std::string_view field, const Json& value) {
  if (value.IsNull()) {
    return Bytes{};
  }
  if (value.IsString()) {
    return Bytes{std::string(text_of(value))};
  }
  if (value.IsObject() || value.IsArray()) {
    return fail(ErrorKind::usage,
                fmt::format("field \"{}\" holds JSON that kcat decoded (e.g. with -s avro): its "
                            "output no longer has the record's bytes",
                            field),
                "write the topic with kcat -J without a schema decoder");
  }
  return wrong_type(field, "a string or null", value);
}

Result<void> read_kcat_headers(const Json& value, std::vector<Header>& headers) {
  auto add = [&](std::string_view where, const Json& name, const Json& header) -> Result<void> {
    if (!name.IsString()) {
      return wrong_type(where, "a header name (a string)", name);
    }
    auto bytes = kcat_bytes(where, header);
    if (!bytes) {
      return std::move(bytes).take_error();
    }
    headers.push_back(Header{std::string(text_of(name)), std::move(*bytes)});
    return {};
  };
  if (value.IsArray()) {  // [name, value, name, value, ...]
    const auto& items = value.GetArray();
    if (items.Size() % 2 != 0) {
      return fail(ErrorKind::usage, "field \"headers\" must pair each name with a value");
    }
    for (rapidjson::SizeType i = 0; i < items.Size(); i += 2) {
      EVT_TRY(add(fmt::format("headers[{}]", i), items[i], items[i + 1]));
    }
    return {};
  }
  if (value.IsObject()) {  // {name: [value, ...], ...}
    for (const auto& member : members_of(value)) {
      if (!member.value.IsArray()) {
        return wrong_type("headers." + std::string(text_of(member.name)), "an array", member.value);
      }
      for (const Json& header : member.value.GetArray()) {
        EVT_TRY(add("headers." + std::string(text_of(member.name)), member.name, header));
      }
    }
    return {};
  }
  return wrong_type("headers", "kcat's [name, value, ...] list", value);
}

// One line of kcat -J output: topic, partition and ts are honoured as in evt's envelope, key and
// payload are the key and value, byte for byte; offset, tstype and broker mean nothing to a
// producer and are ignored. What kcat decoded (Avro) cannot be turned back into bytes.
Result<void> parse_kcat_line(const Json& root, Record& record) {
  for (const auto& member : members_of(root)) {
    const std::string_view name = text_of(member.name);
    const Json& value = member.value;
    if (name == "topic") {
      if (!value.IsNull()) {
        if (!value.IsString()) {
          return wrong_type(name, "a string or null", value);
        }
        record.topic = std::string(text_of(value));
      }
    } else if (name == "partition") {
      auto partition = read_integer(name, value, -1, std::numeric_limits<std::int32_t>::max());
      if (!partition) {
        return std::move(partition).take_error();
      }
      record.partition = static_cast<std::int32_t>(*partition);
    } else if (name == "ts") {
      auto timestamp = read_integer(name, value, -1, std::numeric_limits<std::int64_t>::max());
      if (!timestamp) {
        return std::move(timestamp).take_error();
      }
      record.timestamp = *timestamp;
    } else if (name == "offset" || name == "broker") {
      if (!value.IsInt64()) {
        return wrong_type(name, "an integer", value);
      }
    } else if (name == "tstype") {
      if (!value.IsString()) {
        return wrong_type(name, "a string", value);
      }
    } else if (name == "key" || name == "payload") {
      auto bytes = kcat_bytes(name, value);
      if (!bytes) {
        return std::move(bytes).take_error();
      }
      (name == "key" ? record.key : record.value) = std::move(*bytes);
    } else if (name == "headers") {
      EVT_TRY(read_kcat_headers(value, record.headers));
    } else if (name == "key_error" || name == "payload_error" || name == "key_schema_id" ||
               name == "value_schema_id") {
      return fail(ErrorKind::usage,
                  fmt::format("field \"{}\": kcat decoded this record with a schema, so its "
                              "output no longer has the record's bytes",
                              name),
                  "write the topic with kcat -J without a schema decoder");
    } else if (name == "value" || name == "timestamp" || name == "timestamp_type") {
      return fail(ErrorKind::usage,
                  fmt::format("field \"{}\" is evt's, but the line has kcat's fields too", name));
    } else {
      std::string message = fmt::format("unknown field \"{}\" in a kcat -J line", name);
      if (auto suggestion = closest_match(name, k_kcat_fields)) {
        message += fmt::format(" (did you mean \"{}\"?)", *suggestion);
      }
      return fail(ErrorKind::usage, std::move(message));
    }
  }
  return {};
}

}  // namespace

Result<void> EnvelopeParser::parse(std::string_view line, Record& record) {
  record = Record{};
  // RapidJSON reads a NUL byte as the end of input; a raw NUL is never valid JSON anyway.
  if (line.find('\0') != std::string_view::npos) {
    return fail(ErrorKind::usage,
                fmt::format("not valid JSON: a raw NUL byte at column {}", line.find('\0') + 1));
  }
  // Checked after parsing: a line of kcat's -J output may hold raw bytes that are not UTF-8.
  const bool utf8 = is_valid_utf8(line);
  const auto not_utf8 = [] {
    return fail(ErrorKind::usage, "not valid JSON: the line is not valid UTF-8");
  };
  m_impl->value_pool.Clear();
  m_impl->stack_pool.Clear();
  PooledJsonDocument root(&m_impl->value_pool, 1024, &m_impl->stack_pool);
  // The iterative parser keeps deep nesting off the call stack but costs a fifth of the
  // throughput; a line with few brackets cannot nest deeply, so it gets the recursive one.
  const auto brackets =
      std::count_if(line.begin(), line.end(), [](char c) { return c == '[' || c == '{'; });
  // Parsed in place in a NUL-terminated copy: only RapidJSON's string streams scan strings 16
  // bytes at a time (its length-bounded memory stream goes byte by byte), and in place no
  // string is copied again. (The line holds no NUL: checked above.)
  // Its SSE2 scanning loads whole aligned 16-byte blocks, so the copy is padded past its end.
  std::string& text = m_impl->text;
  text.assign(line);
  text.append(16, '\0');
  if (brackets <= k_max_recursive_depth) {
    root.ParseInsitu<k_embedded_json & ~rapidjson::kParseIterativeFlag>(text.data());
  } else {
    root.ParseInsitu<k_embedded_json>(text.data());
  }
  if (root.HasParseError()) {
    if (!utf8) {
      return not_utf8();
    }
    return fail(ErrorKind::usage,
                fmt::format("not valid JSON: {} (column {})",
                            rapidjson::GetParseError_En(root.GetParseError()),
                            root.GetErrorOffset() + 1));
  }
  if (!root.IsObject()) {
    return fail(
        ErrorKind::usage,
        fmt::format("expected a JSON object (the record envelope), not {}", type_name(root)));
  }
  if (is_kcat_line(root)) {
    return parse_kcat_line(root, record);
  }
  if (!utf8) {
    return not_utf8();
  }
  int key_forms = 0;  // bit 1: "key" seen, bit 2: "key_json" seen
  int value_forms = 0;
  const auto members = members_of(root);
  std::vector<std::string_view> spans;  // each member's text, found only when needed
  for (const auto& member : members) {
    const std::string_view name = text_of(member.name);
    const Json& value = member.value;
    if (name == "topic") {
      if (value.IsNull()) {
        continue;
      }
      if (!value.IsString()) {
        return wrong_type(name, "a string or null", value);
      }
      auto topic = string_of(name, value);
      if (!topic) {
        return std::move(topic).take_error();
      }
      record.topic = std::move(*topic);
    } else if (name == "partition") {
      if (value.IsNull()) {
        continue;
      }
      auto partition = read_integer(name, value, -1, std::numeric_limits<std::int32_t>::max());
      if (!partition) {
        return std::move(partition).take_error();
      }
      record.partition = static_cast<std::int32_t>(*partition);
    } else if (name == "timestamp") {
      if (value.IsNull()) {
        continue;
      }
      auto timestamp = read_integer(name, value, -1, std::numeric_limits<std::int64_t>::max());
      if (!timestamp) {
        return std::move(timestamp).take_error();
      }
      record.timestamp = *timestamp;
    } else if (name == "offset" || name == "timestamp_type" || name == "key_decoded" ||
               name == "value_decoded" || name == "key_schema_id" || name == "value_schema_id") {
      continue;  // output-only fields (the decoded ones come from --decode), ignored on input
    } else if (name == "key" || name == "value" || name == "key_json" || name == "value_json") {
      const bool is_key = name.starts_with("key");
      const bool embedded = name.ends_with("_json");
      // One form per field: "value" and "value_json" together would be two values.
      int& seen = is_key ? key_forms : value_forms;
      seen |= embedded ? 2 : 1;
      if (seen == 3) {
        return fail(ErrorKind::usage,
                    fmt::format("fields \"{0}\" and \"{0}_json\" cannot both be given",
                                is_key ? "key" : "value"));
      }
      const auto written = [&] {
        if (spans.empty()) {
          spans = member_value_spans(line);
        }
        const auto index = static_cast<std::size_t>(&member - members.data());
        return index < spans.size() ? spans[index] : std::string_view();
      };
      auto bytes =
          embedded ? read_embedded_json(name, value) : read_key_or_value(name, value, written);
      if (!bytes) {
        return std::move(bytes).take_error();
      }
      (is_key ? record.key : record.value) = std::move(*bytes);
    } else if (name == "headers") {
      EVT_TRY(read_headers(value, record.headers));
    } else {
      std::string message = fmt::format("unknown field \"{}\"", name);
      if (auto suggestion = closest_match(name, k_envelope_fields)) {
        message += fmt::format(" (did you mean \"{}\"?)", *suggestion);
      }
      return fail(ErrorKind::usage, std::move(message));
    }
  }
  return {};
}

}  // namespace evt::format
