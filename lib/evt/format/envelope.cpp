// SPDX-License-Identifier: MIT
#include "evt/format/envelope.hpp"

#include <charconv>
#include <limits>

#include <fmt/format.h>

#include "evt/format/json_text.hpp"
#include "evt/spellcheck.hpp"

#include <simdjson.h>

namespace evt::format {

namespace {

void append_int(std::string& out, std::int64_t value) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, result.ptr);
}

}  // namespace

void append_envelope(std::string& out, const RecordView& record) {
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
  out.append(",\"key\":");
  append_bytes_field(out, record.key);
  out.append(",\"value\":");
  append_bytes_field(out, record.value);
  out.append(",\"headers\":[");
  for (std::size_t i = 0; i < record.header_count; ++i) {
    if (i > 0) {
      out.push_back(',');
    }
    out.append("{\"name\":");
    append_json_string(out, record.headers[i].name);
    out.append(",\"value\":");
    append_bytes_field(out, record.headers[i].value);
    out.push_back('}');
  }
  out.append("]}\n");
}

struct EnvelopeParser::Impl {
  simdjson::dom::parser parser;
  // The DOM parser needs SIMDJSON_PADDING readable bytes past the input; lines are copied here.
  std::string padded;
};

EnvelopeParser::EnvelopeParser() : m_impl(std::make_unique<Impl>()) {}
EnvelopeParser::~EnvelopeParser() = default;

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

const char* type_name(element_type type) {
  switch (type) {
    case element_type::ARRAY:
      return "an array";
    case element_type::OBJECT:
      return "an object";
    case element_type::INT64:
    case element_type::UINT64:
      return "an integer";
    case element_type::DOUBLE:
      return "a number";
    case element_type::STRING:
      return "a string";
    case element_type::BOOL:
      return "a boolean";
    case element_type::NULL_VALUE:
      return "null";
  }
  return "a value";
}

Unexpected wrong_type(std::string_view field, const char* expected, element value) {
  return fail(
      ErrorKind::usage,
      fmt::format("field \"{}\" must be {}, not {}", field, expected, type_name(value.type())));
}

// A bytes field: a string, {"base64": "..."} or null.
Result<Bytes> read_bytes(std::string_view field, element value) {
  switch (value.type()) {
    case element_type::NULL_VALUE:
      return Bytes{};
    case element_type::STRING: {
      std::string_view text = value.get_string().value_unsafe();
      return Bytes{std::string(text)};
    }
    case element_type::OBJECT: {
      simdjson::dom::object object = value.get_object().value_unsafe();
      if (object.size() != 1) {
        return fail(
            ErrorKind::usage,
            fmt::format("field \"{}\" must be a string, null or {{\"base64\":\"...\"}}", field));
      }
      auto [name, encoded] = *object.begin();
      if (name != "base64" || !encoded.is_string()) {
        return fail(
            ErrorKind::usage,
            fmt::format("field \"{}\" must be a string, null or {{\"base64\":\"...\"}}", field));
      }
      auto decoded = decode_base64(encoded.get_string().value_unsafe());
      if (!decoded) {
        return fail(ErrorKind::usage, fmt::format("field \"{}\" holds invalid base64", field));
      }
      return Bytes{std::move(decoded.value())};
    }
    default:
      return wrong_type(field, "a string, null or {\"base64\":\"...\"}", value);
  }
}

Result<std::int64_t> read_integer(std::string_view field,
                                  element value,
                                  std::int64_t min,
                                  std::int64_t max) {
  if (value.type() != element_type::INT64 && value.type() != element_type::UINT64) {
    return wrong_type(field, "an integer or null", value);
  }
  auto as_int = value.get_int64();
  if (as_int.error() || as_int.value_unsafe() < min || as_int.value_unsafe() > max) {
    return fail(ErrorKind::usage,
                fmt::format("field \"{}\" is out of range ({}..{})", field, min, max));
  }
  return as_int.value_unsafe();
}

Result<void> read_headers(element value, std::vector<Header>& headers) {
  if (value.type() == element_type::NULL_VALUE) {
    return {};
  }
  if (value.type() != element_type::ARRAY) {
    return wrong_type("headers", "an array or null", value);
  }
  std::size_t index = 0;
  // value_unsafe() of a temporary result returns a reference into it: copy before iterating.
  const simdjson::dom::array items = value.get_array().value_unsafe();
  for (element item : items) {
    const std::string where = fmt::format("headers[{}]", index++);
    if (item.type() != element_type::OBJECT) {
      return wrong_type(where, "an object {\"name\":...,\"value\":...}", item);
    }
    Header header;
    bool has_name = false;
    const simdjson::dom::object fields = item.get_object().value_unsafe();
    for (auto [name, field] : fields) {
      if (name == "name") {
        if (!field.is_string()) {
          return wrong_type(where + ".name", "a string", field);
        }
        header.name = std::string(field.get_string().value_unsafe());
        has_name = true;
      } else if (name == "value") {
        auto bytes = read_bytes(where + ".value", field);
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

constexpr std::string_view k_envelope_fields[] = {
    "topic", "partition", "offset", "timestamp", "timestamp_type", "key", "value", "headers"};

}  // namespace

Result<void> EnvelopeParser::parse(std::string_view line, Record& record) {
  record = Record{};
  std::string& padded = m_impl->padded;
  padded.assign(line);
  padded.resize(line.size() + simdjson::SIMDJSON_PADDING);
  element root;
  if (auto error = m_impl->parser.parse(padded.data(), line.size(), false).get(root)) {
    return fail(ErrorKind::usage,
                fmt::format("not valid JSON: {}", simdjson::error_message(error)));
  }
  if (root.type() != element_type::OBJECT) {
    return fail(ErrorKind::usage,
                fmt::format("expected a JSON object (the record envelope), not {}",
                            type_name(root.type())));
  }
  const simdjson::dom::object fields = root.get_object().value_unsafe();
  for (auto [name, value] : fields) {
    if (name == "topic") {
      if (value.is_null()) {
        continue;
      }
      if (!value.is_string()) {
        return wrong_type(name, "a string or null", value);
      }
      record.topic = std::string(value.get_string().value_unsafe());
    } else if (name == "partition") {
      if (value.is_null()) {
        continue;
      }
      auto partition = read_integer(name, value, -1, std::numeric_limits<std::int32_t>::max());
      if (!partition) {
        return std::move(partition).take_error();
      }
      record.partition = static_cast<std::int32_t>(*partition);
    } else if (name == "timestamp") {
      if (value.is_null()) {
        continue;
      }
      auto timestamp = read_integer(name, value, -1, std::numeric_limits<std::int64_t>::max());
      if (!timestamp) {
        return std::move(timestamp).take_error();
      }
      record.timestamp = *timestamp;
    } else if (name == "offset" || name == "timestamp_type") {
      continue;  // output-only fields, ignored on input by design
    } else if (name == "key" || name == "value") {
      auto bytes = read_bytes(name, value);
      if (!bytes) {
        return std::move(bytes).take_error();
      }
      (name == "key" ? record.key : record.value) = std::move(*bytes);
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
