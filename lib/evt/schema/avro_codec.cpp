// SPDX-License-Identifier: MIT
// Avro through Debian's libavro (the C library): schemas parsed by avro_schema_from_json, records
// read and written as its generic values. This file only walks those values to and from JSON.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <set>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "evt/format/json_text.hpp"
#include "evt/format/rapidjson.hpp"
#include "evt/schema/codec.hpp"

#include <avro.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace evt::schema {

namespace {

// libavro 1.11.1 (bookworm) sizes a string or bytes buffer from the length it reads before it
// checks that length: a negative one wraps to an allocation of 0 or nearly 2^64 bytes. Its
// default allocator fails both, and so does this one, which also refuses any single block
// larger than a Kafka record could hold, so that a corrupt length cannot make evt reserve
// gigabytes.
constexpr std::size_t k_max_block = std::size_t{512} << 20;

void* bounded_allocator(void*, void* ptr, std::size_t, std::size_t nsize) {
  if (nsize == 0) {
    std::free(ptr);
    return nullptr;
  }
  if (nsize > k_max_block) {
    return nullptr;
  }
  return std::realloc(ptr, nsize);
}

void install_allocator() {
  static const bool installed = [] {
    avro_set_allocator(bounded_allocator, nullptr);
    return true;
  }();
  (void)installed;
}

std::string full_name(avro_schema_t schema) {
  const char* name = avro_schema_type_name(schema);
  if (!is_avro_named_type(schema) && !is_avro_link(schema)) {
    return name ? name : "";
  }
  if (is_avro_link(schema)) {
    return full_name(avro_schema_link_target(schema));
  }
  const char* space = avro_schema_namespace(schema);
  if (space && *space) {
    return fmt::format("{}.{}", space, name);
  }
  return name ? name : "";
}

std::string_view type_word(const rapidjson::Value& json) {
  switch (json.GetType()) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "a boolean";
    case rapidjson::kObjectType:
      return "an object";
    case rapidjson::kArrayType:
      return "an array";
    case rapidjson::kStringType:
      return "a string";
    case rapidjson::kNumberType:
      return "a number";
  }
  return "a value";
}

bool is_primitive_name(std::string_view name) {
  static constexpr std::string_view k_names[] = {
      "null", "boolean", "int", "long", "float", "double", "bytes", "string"};
  for (auto known : k_names) {
    if (known == name) {
      return true;
    }
  }
  return false;
}

// Confluent's Avro references are named types defined in other subjects. libavro parses one
// self-contained schema, so each referenced type is inlined where the referring schema first
// names it; later mentions stay names, as Avro requires.
class ReferenceInliner {
 public:
  explicit ReferenceInliner(rapidjson::Document::AllocatorType& allocator)
      : m_allocator(allocator) {}

  Result<void> add(const ResolvedReference& reference, rapidjson::Value definition) {
    std::string name = reference.name;
    if (definition.IsObject() && definition.HasMember("name") && definition["name"].IsString()) {
      name = definition["name"].GetString();
      if (name.find('.') == std::string::npos && definition.HasMember("namespace") &&
          definition["namespace"].IsString() && definition["namespace"].GetStringLength() > 0) {
        name = fmt::format("{}.{}", definition["namespace"].GetString(), name);
      }
    }
    m_pending.emplace(name, std::move(definition));
    // The reference's own name is what the referring schema writes; usually the full name.
    if (reference.name != name) {
      m_aliases.emplace(reference.name, name);
    }
    return {};
  }

  void inline_into(rapidjson::Value& type, const std::string& space) {
    if (type.IsString()) {
      std::string name(type.GetString(), type.GetStringLength());
      if (is_primitive_name(name)) {
        return;
      }
      std::string full = name.find('.') == std::string::npos && !space.empty()
                             ? fmt::format("{}.{}", space, name)
                             : name;
      auto found = m_pending.find(full);
      if (found == m_pending.end()) {
        found = m_pending.find(name);
      }
      if (found == m_pending.end()) {
        if (auto alias = m_aliases.find(name); alias != m_aliases.end()) {
          found = m_pending.find(alias->second);
        }
      }
      if (found == m_pending.end() || m_defined.count(found->first)) {
        return;
      }
      m_defined.insert(found->first);
      type.CopyFrom(found->second, m_allocator);
      inline_into(type, space);
      return;
    }
    if (type.IsArray()) {
      for (auto& branch : type.GetArray()) {
        inline_into(branch, space);
      }
      return;
    }
    if (!type.IsObject()) {
      return;
    }
    std::string inner = space;
    if (type.HasMember("name") && type["name"].IsString()) {
      std::string name = type["name"].GetString();
      const auto dot = name.rfind('.');
      if (dot != std::string::npos) {
        inner = name.substr(0, dot);
      } else if (type.HasMember("namespace") && type["namespace"].IsString()) {
        inner = type["namespace"].GetString();
        name = inner.empty() ? name : fmt::format("{}.{}", inner, name);
      } else {
        name = inner.empty() ? name : fmt::format("{}.{}", inner, name);
      }
      m_defined.insert(name);
    }
    if (type.HasMember("fields") && type["fields"].IsArray()) {
      for (auto& field : type["fields"].GetArray()) {
        if (field.IsObject() && field.HasMember("type")) {
          inline_into(field["type"], inner);
        }
      }
    }
    if (type.HasMember("items")) {
      inline_into(type["items"], inner);
    }
    if (type.HasMember("values")) {
      inline_into(type["values"], inner);
    }
    if (type.HasMember("type") && !type.HasMember("fields") && !type.HasMember("symbols") &&
        !type.HasMember("size") && !type.HasMember("items") && !type.HasMember("values")) {
      inline_into(type["type"], inner);
    }
  }

 private:
  rapidjson::Document::AllocatorType& m_allocator;
  std::map<std::string, rapidjson::Value> m_pending;
  std::map<std::string, std::string> m_aliases;
  std::set<std::string> m_defined;
};

Result<std::string> inline_references(const Schema& schema,
                                      const std::vector<ResolvedReference>& references) {
  if (references.empty()) {
    return schema.text;
  }
  rapidjson::Document root;
  root.Parse(schema.text.data(), schema.text.size());
  if (root.HasParseError()) {
    return fail(ErrorKind::usage,
                fmt::format("the Avro schema is not JSON: {}",
                            rapidjson::GetParseError_En(root.GetParseError())));
  }
  ReferenceInliner inliner(root.GetAllocator());
  for (const ResolvedReference& reference : references) {
    rapidjson::Document definition(&root.GetAllocator());
    definition.Parse(reference.schema->text.data(), reference.schema->text.size());
    if (definition.HasParseError()) {
      return fail(ErrorKind::usage,
                  fmt::format("the referenced Avro schema {} is not JSON", reference.name));
    }
    rapidjson::Value value;
    value.CopyFrom(definition, root.GetAllocator());
    EVT_TRY(inliner.add(reference, std::move(value)));
  }
  inliner.inline_into(root, "");
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  root.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// Records from a topic are untrusted bytes, and libavro 1.11.1's binary reader trusts them: an
// enum index past the symbols is kept (avro_schema_enum_get then returns an uninitialized
// pointer: the SEGV the fuzzer found), a union index is truncated to int and indexes past the
// union's branch table unchecked, a negative length sizes an allocation, a block count of
// INT64_MIN stays negative when negated, and nested records, arrays, maps and unions recurse as
// deep as the bytes say. So each record is first walked here against the schema, consuming the
// bytes exactly as the Avro binary encoding does, and libavro reads only records that pass.
// This walk decodes nothing; it checks lengths, indexes and counts against the bytes left.
constexpr int k_max_depth = 256;  // nested records, arrays, maps and unions in one record
// Array items that take no bytes (null, an empty record) cost libavro a value each: a block
// count of 2^62 nulls is 10 bytes. The items of a record that take bytes are bounded by its size.
constexpr std::uint64_t k_max_empty_items = std::uint64_t{1} << 20;

class AvroValidator {
 public:
  explicit AvroValidator(std::string_view bytes) : m_data(bytes) {}

  Result<void> check(avro_schema_t schema) {
    if (!value(schema)) {
      return fail(ErrorKind::usage,
                  fmt::format("not Avro of this schema: {} (at byte {})", m_error, m_pos));
    }
    if (m_pos != m_data.size()) {
      return fail(ErrorKind::usage, "not Avro of this schema: bytes left after the record");
    }
    return {};
  }

 private:
  bool bad(const char* what) {
    m_error = what;
    return false;
  }

  bool varint(std::int64_t& out) {
    std::uint64_t value = 0;
    for (int i = 0; i < 10; ++i) {
      if (m_pos >= m_data.size()) {
        return bad("the record is cut short");
      }
      const auto byte = static_cast<std::uint8_t>(m_data[m_pos++]);
      if (i == 9 && byte > 1) {
        return bad("a varint overflows 64 bits");
      }
      value |= std::uint64_t{byte & 0x7Fu} << (7 * i);
      if ((byte & 0x80) == 0) {
        out = static_cast<std::int64_t>((value >> 1) ^ (~(value & 1) + 1));
        return true;
      }
    }
    return bad("a varint is longer than 10 bytes");
  }

  bool skip(std::uint64_t size) {
    if (size > m_data.size() - m_pos) {
      return bad("the record is cut short");
    }
    m_pos += static_cast<std::size_t>(size);
    return true;
  }

  bool length_prefixed() {
    std::int64_t size = 0;
    if (!varint(size)) {
      return false;
    }
    if (size < 0) {
      return bad("a negative string or bytes length");
    }
    return skip(static_cast<std::uint64_t>(size));
  }

  // One block count of an array or a map: 0 ends it; a negative count is followed by the
  // block's size in bytes.
  bool block_count(std::int64_t& count) {
    if (!varint(count)) {
      return false;
    }
    if (count < 0) {
      if (count == INT64_MIN) {
        return bad("a block count out of range");
      }
      count = -count;
      std::int64_t size = 0;
      if (!varint(size)) {
        return false;
      }
      if (size < 0) {
        return bad("a negative block size");
      }
    }
    return true;
  }

  bool value(avro_schema_t schema) {
    if (is_avro_link(schema)) {
      schema = avro_schema_link_target(schema);
    }
    switch (avro_typeof(schema)) {
      case AVRO_NULL:
        return true;
      case AVRO_BOOLEAN:
        return skip(1);
      case AVRO_INT32: {
        std::int64_t number = 0;
        if (!varint(number)) {
          return false;
        }
        if (number < INT32_MIN || number > INT32_MAX) {
          return bad("an int out of range");
        }
        return true;
      }
      case AVRO_INT64: {
        std::int64_t number = 0;
        return varint(number);
      }
      case AVRO_FLOAT:
        return skip(4);
      case AVRO_DOUBLE:
        return skip(8);
      case AVRO_STRING:
      case AVRO_BYTES:
        return length_prefixed();
      case AVRO_FIXED: {
        const std::int64_t size = avro_schema_fixed_size(schema);
        return size >= 0 && skip(static_cast<std::uint64_t>(size));
      }
      case AVRO_ENUM: {
        std::int64_t index = 0;
        if (!varint(index)) {
          return false;
        }
        if (index < 0 || index >= avro_schema_enum_number_of_symbols(schema)) {
          return bad("an enum index out of range");
        }
        return true;
      }
      case AVRO_RECORD:
      case AVRO_ARRAY:
      case AVRO_MAP:
      case AVRO_UNION:
        break;
      case AVRO_LINK:
        return bad("an unresolved named type");
    }
    if (++m_depth > k_max_depth) {
      return bad("records, arrays, maps and unions nested too deep");
    }
    const bool ok = compound(schema);
    --m_depth;
    return ok;
  }

  bool compound(avro_schema_t schema) {
    switch (avro_typeof(schema)) {
      case AVRO_RECORD: {
        const std::size_t count = avro_schema_record_size(schema);
        for (std::size_t i = 0; i < count; ++i) {
          if (!value(avro_schema_record_field_get_by_index(schema, static_cast<int>(i)))) {
            return false;
          }
        }
        return true;
      }
      case AVRO_ARRAY: {
        avro_schema_t items = avro_schema_array_items(schema);
        std::int64_t count = 0;
        for (;;) {
          if (!block_count(count)) {
            return false;
          }
          if (count == 0) {
            return true;
          }
          for (std::int64_t i = 0; i < count; ++i) {
            const std::size_t start = m_pos;
            if (!value(items)) {
              return false;
            }
            if (m_pos == start && ++m_empty_items > k_max_empty_items) {
              return bad("too many array items that take no bytes");
            }
          }
        }
      }
      case AVRO_MAP: {
        avro_schema_t values = avro_schema_map_values(schema);
        std::int64_t count = 0;
        for (;;) {
          if (!block_count(count)) {
            return false;
          }
          if (count == 0) {
            return true;
          }
          for (std::int64_t i = 0; i < count; ++i) {
            // The key's length takes a byte at least, so the entries are bounded by the bytes.
            if (!length_prefixed() || !value(values)) {
              return false;
            }
          }
        }
      }
      case AVRO_UNION: {
        std::int64_t index = 0;
        if (!varint(index)) {
          return false;
        }
        if (index < 0 || static_cast<std::uint64_t>(index) >= avro_schema_union_size(schema)) {
          return bad("a union branch index out of range");
        }
        return value(avro_schema_union_branch(schema, static_cast<int>(index)));
      }
      default:
        return bad("an unexpected schema type");
    }
  }

  std::string_view m_data;
  std::size_t m_pos = 0;
  int m_depth = 0;
  std::uint64_t m_empty_items = 0;
  const char* m_error = "";
};

// A record that holds itself through record fields alone ({"name":"A","fields":[{"name":"a",
// "type":"A"}]}) has no finite value, yet Avro's parsers accept it, and libavro 1.11.1 then
// recurses without end when it makes a value of it (a stack overflow in
// avro_generic_value_new). A union, array or map between ends the chain: libavro makes their
// children only when a record holds some. Returns the record's name, or empty when none.
std::string self_holding_record(avro_schema_t schema,
                                std::vector<avro_schema_t>& path,
                                std::set<avro_schema_t>& done) {
  if (is_avro_link(schema)) {
    schema = avro_schema_link_target(schema);
  }
  switch (avro_typeof(schema)) {
    case AVRO_RECORD: {
      for (avro_schema_t on_path : path) {
        if (on_path == schema) {
          return full_name(schema);
        }
      }
      if (done.count(schema)) {
        return {};
      }
      path.push_back(schema);
      const std::size_t count = avro_schema_record_size(schema);
      for (std::size_t i = 0; i < count; ++i) {
        auto found = self_holding_record(
            avro_schema_record_field_get_by_index(schema, static_cast<int>(i)), path, done);
        if (!found.empty()) {
          return found;
        }
      }
      path.pop_back();
      done.insert(schema);
      return {};
    }
    case AVRO_ARRAY:
    case AVRO_MAP:
    case AVRO_UNION: {
      // Their children start chains of their own.
      if (done.count(schema)) {
        return {};
      }
      done.insert(schema);
      std::vector<avro_schema_t> fresh;
      if (is_avro_array(schema)) {
        return self_holding_record(avro_schema_array_items(schema), fresh, done);
      }
      if (is_avro_map(schema)) {
        return self_holding_record(avro_schema_map_values(schema), fresh, done);
      }
      const std::size_t count = avro_schema_union_size(schema);
      for (std::size_t i = 0; i < count; ++i) {
        auto found =
            self_holding_record(avro_schema_union_branch(schema, static_cast<int>(i)), fresh, done);
        if (!found.empty()) {
          return found;
        }
      }
      return {};
    }
    default:
      return {};
  }
}

class AvroCodec final : public Codec {
 public:
  AvroCodec(avro_schema_t schema, avro_value_iface_t* iface)
      : m_schema(schema), m_iface(iface), m_reader(avro_reader_memory(nullptr, 0)) {
    avro_generic_value_new(m_iface, &m_value);
  }
  ~AvroCodec() override {
    avro_value_decref(&m_value);
    avro_reader_free(m_reader);
    avro_value_iface_decref(m_iface);
    avro_schema_decref(m_schema);
  }
  AvroCodec(const AvroCodec&) = delete;
  AvroCodec& operator=(const AvroCodec&) = delete;

  Result<void> to_json(std::string_view payload, std::string& out) override {
    EVT_TRY(AvroValidator(payload).check(m_schema));
    avro_value_reset(&m_value);
    avro_reader_memory_set_source(
        m_reader, payload.data(), static_cast<std::int64_t>(payload.size()));
    if (avro_value_read(m_reader, &m_value) != 0) {
      return fail(ErrorKind::usage, fmt::format("not Avro of this schema: {}", avro_strerror()));
    }
    char extra = 0;
    if (avro_read(m_reader, &extra, 1) == 0) {
      return fail(ErrorKind::usage, "not Avro of this schema: bytes left after the record");
    }
    return write_json(m_value, out);
  }

  Result<void> from_json(std::string_view json, std::string& out) override {
    rapidjson::Document doc;
    doc.Parse<format::k_strict_json>(json.data(), json.size());
    if (doc.HasParseError()) {
      return fail(ErrorKind::usage,
                  fmt::format("not JSON: {} at byte {}",
                              rapidjson::GetParseError_En(doc.GetParseError()),
                              doc.GetErrorOffset()));
    }
    avro_value_reset(&m_value);
    std::string path;
    EVT_TRY(set_value(m_value, m_schema, doc, path));
    std::size_t size = 0;
    if (avro_value_sizeof(&m_value, &size) != 0) {
      return fail(ErrorKind::internal, fmt::format("avro_value_sizeof: {}", avro_strerror()));
    }
    const std::size_t start = out.size();
    out.resize(start + size);
    avro_writer_t writer = avro_writer_memory(out.data() + start, static_cast<std::int64_t>(size));
    const int rc = avro_value_write(writer, &m_value);
    avro_writer_free(writer);
    if (rc != 0) {
      out.resize(start);
      return fail(ErrorKind::internal, fmt::format("avro_value_write: {}", avro_strerror()));
    }
    return {};
  }

 private:
  // `"name":` for each field of a record schema, escaped once.
  const std::vector<std::string>& field_keys(avro_schema_t record) {
    auto [it, inserted] = m_field_keys.try_emplace(record);
    if (inserted) {
      const std::size_t count = avro_schema_record_size(record);
      for (std::size_t i = 0; i < count; ++i) {
        std::string key;
        format::append_json_string(key, avro_schema_record_field_name(record, static_cast<int>(i)));
        key.push_back(':');
        it->second.push_back(std::move(key));
      }
    }
    return it->second;
  }

  // `{"branch":` for a union branch schema.
  const std::string& branch_key(avro_schema_t branch) {
    auto [it, inserted] = m_branch_keys.try_emplace(branch);
    if (inserted) {
      it->second.push_back('{');
      format::append_json_string(it->second, full_name(branch));
      it->second.push_back(':');
    }
    return it->second;
  }

  static void append_double(std::string& out, double value) {
    if (std::isnan(value)) {
      out.append("\"NaN\"");
    } else if (std::isinf(value)) {
      out.append(value > 0 ? "\"Infinity\"" : "\"-Infinity\"");
    } else {
      fmt::format_to(std::back_inserter(out), "{}", value);
    }
  }

  Result<void> write_json(const avro_value_t& value_in, std::string& out) {
    avro_value_t value = value_in;
    switch (avro_value_get_type(&value)) {
      case AVRO_NULL:
        out.append("null");
        return {};
      case AVRO_BOOLEAN: {
        int flag = 0;
        avro_value_get_boolean(&value, &flag);
        out.append(flag ? "true" : "false");
        return {};
      }
      case AVRO_INT32: {
        std::int32_t number = 0;
        avro_value_get_int(&value, &number);
        fmt::format_to(std::back_inserter(out), "{}", number);
        return {};
      }
      case AVRO_INT64: {
        std::int64_t number = 0;
        avro_value_get_long(&value, &number);
        fmt::format_to(std::back_inserter(out), "{}", number);
        return {};
      }
      case AVRO_FLOAT: {
        float number = 0;
        avro_value_get_float(&value, &number);
        if (std::isfinite(number)) {
          fmt::format_to(std::back_inserter(out), "{}", number);
        } else {
          append_double(out, static_cast<double>(number));  // NaN or an infinity: exact
        }
        return {};
      }
      case AVRO_DOUBLE: {
        double number = 0;
        avro_value_get_double(&value, &number);
        append_double(out, number);
        return {};
      }
      case AVRO_STRING: {
        const char* text = nullptr;
        std::size_t size = 0;
        avro_value_get_string(&value, &text, &size);
        const std::string_view view(text, size > 0 ? size - 1 : 0);  // size counts the NUL
        if (!format::is_valid_utf8(view)) {
          return fail(ErrorKind::usage, "an Avro string is not UTF-8");
        }
        format::append_json_string(out, view);
        return {};
      }
      case AVRO_BYTES: {
        const void* bytes = nullptr;
        std::size_t size = 0;
        avro_value_get_bytes(&value, &bytes, &size);
        out.push_back('"');
        format::append_base64(out, std::string_view(static_cast<const char*>(bytes), size));
        out.push_back('"');
        return {};
      }
      case AVRO_FIXED: {
        const void* bytes = nullptr;
        std::size_t size = 0;
        avro_value_get_fixed(&value, &bytes, &size);
        out.push_back('"');
        format::append_base64(out, std::string_view(static_cast<const char*>(bytes), size));
        out.push_back('"');
        return {};
      }
      case AVRO_ENUM: {
        int index = 0;
        avro_value_get_enum(&value, &index);
        // avro_schema_enum_get returns an uninitialized pointer for an index it does not hold.
        avro_schema_t schema = avro_value_get_schema(&value);
        const char* symbol = index >= 0 && index < avro_schema_enum_number_of_symbols(schema)
                                 ? avro_schema_enum_get(schema, index)
                                 : nullptr;
        if (!symbol) {
          return fail(ErrorKind::usage, fmt::format("enum index {} out of range", index));
        }
        format::append_json_string(out, symbol);
        return {};
      }
      case AVRO_RECORD: {
        const auto& keys = field_keys(avro_value_get_schema(&value));
        out.push_back('{');
        for (std::size_t i = 0; i < keys.size(); ++i) {
          if (i > 0) {
            out.push_back(',');
          }
          out.append(keys[i]);
          avro_value_t field;
          avro_value_get_by_index(&value, i, &field, nullptr);
          EVT_TRY(write_json(field, out));
        }
        out.push_back('}');
        return {};
      }
      case AVRO_MAP: {
        std::size_t count = 0;
        avro_value_get_size(&value, &count);
        out.push_back('{');
        for (std::size_t i = 0; i < count; ++i) {
          if (i > 0) {
            out.push_back(',');
          }
          avro_value_t item;
          const char* key = nullptr;
          avro_value_get_by_index(&value, i, &item, &key);
          if (!format::is_valid_utf8(key)) {
            return fail(ErrorKind::usage, "an Avro map key is not UTF-8");
          }
          format::append_json_string(out, key);
          out.push_back(':');
          EVT_TRY(write_json(item, out));
        }
        out.push_back('}');
        return {};
      }
      case AVRO_ARRAY: {
        std::size_t count = 0;
        avro_value_get_size(&value, &count);
        out.push_back('[');
        for (std::size_t i = 0; i < count; ++i) {
          if (i > 0) {
            out.push_back(',');
          }
          avro_value_t item;
          avro_value_get_by_index(&value, i, &item, nullptr);
          EVT_TRY(write_json(item, out));
        }
        out.push_back(']');
        return {};
      }
      case AVRO_UNION: {
        avro_value_t branch;
        avro_value_get_current_branch(&value, &branch);
        if (avro_value_get_type(&branch) == AVRO_NULL) {
          out.append("null");
          return {};
        }
        // Avro's JSON encoding names the branch: {"string":"x"}, {"com.acme.Address":{...}}.
        out.append(branch_key(avro_value_get_schema(&branch)));
        EVT_TRY(write_json(branch, out));
        out.push_back('}');
        return {};
      }
      case AVRO_LINK:
        break;
    }
    return fail(ErrorKind::internal, "unexpected Avro value type");
  }

  static Unexpected mismatch(const std::string& path,
                             std::string_view expected,
                             const rapidjson::Value& got) {
    return fail(ErrorKind::usage,
                fmt::format("field {}: expected {}, got {}",
                            path.empty() ? std::string("(the record)") : path,
                            expected,
                            type_word(got)));
  }

  static Result<std::string> decode_bytes(const std::string& path, const rapidjson::Value& json) {
    if (!json.IsString()) {
      return mismatch(path, "a base64 string", json);
    }
    auto bytes = format::decode_base64(std::string_view(json.GetString(), json.GetStringLength()));
    if (!bytes) {
      return fail(ErrorKind::usage,
                  fmt::format("field {}: bytes must be base64: {}",
                              path.empty() ? std::string("(the record)") : path,
                              bytes.error().message));
    }
    return std::move(*bytes);
  }

  static Result<double> number_of(const std::string& path, const rapidjson::Value& json) {
    if (json.IsNumber()) {
      return json.GetDouble();
    }
    if (json.IsString()) {
      const std::string_view text(json.GetString(), json.GetStringLength());
      if (text == "NaN") {
        return std::nan("");
      }
      if (text == "Infinity") {
        return HUGE_VAL;
      }
      if (text == "-Infinity") {
        return -HUGE_VAL;
      }
    }
    return mismatch(path, "a number", json);
  }

  Result<void> set_value(avro_value_t& value,
                         avro_schema_t schema,
                         const rapidjson::Value& json,
                         std::string& path) {
    if (is_avro_link(schema)) {
      schema = avro_schema_link_target(schema);
    }
    // As deep as to_json reads, no deeper: libavro writes and evt reads nested values recursively.
    struct Depth {
      int& depth;
      ~Depth() { --depth; }
    } depth{m_depth};
    if (++m_depth > k_max_depth && (is_avro_record(schema) || is_avro_array(schema) ||
                                    is_avro_map(schema) || is_avro_union(schema))) {
      return fail(ErrorKind::usage,
                  fmt::format("field {}: records, arrays, maps and unions nested deeper than {}",
                              path.empty() ? std::string("(the record)") : path,
                              k_max_depth));
    }
    switch (avro_typeof(schema)) {
      case AVRO_NULL:
        if (!json.IsNull()) {
          return mismatch(path, "null", json);
        }
        avro_value_set_null(&value);
        return {};
      case AVRO_BOOLEAN:
        if (!json.IsBool()) {
          return mismatch(path, "a boolean", json);
        }
        avro_value_set_boolean(&value, json.GetBool() ? 1 : 0);
        return {};
      case AVRO_INT32:
        if (!json.IsInt()) {
          return mismatch(path, "an int (32 bits)", json);
        }
        avro_value_set_int(&value, json.GetInt());
        return {};
      case AVRO_INT64:
        if (!json.IsInt64()) {
          return mismatch(path, "a long (64 bits)", json);
        }
        avro_value_set_long(&value, json.GetInt64());
        return {};
      case AVRO_FLOAT: {
        auto number = number_of(path, json);
        if (!number) {
          return std::move(number).take_error();
        }
        avro_value_set_float(&value, static_cast<float>(*number));
        return {};
      }
      case AVRO_DOUBLE: {
        auto number = number_of(path, json);
        if (!number) {
          return std::move(number).take_error();
        }
        avro_value_set_double(&value, *number);
        return {};
      }
      case AVRO_STRING:
        if (!json.IsString()) {
          return mismatch(path, "a string", json);
        }
        // RapidJSON takes any bytes between quotes; an Avro string is UTF-8, as to_json checks.
        if (!format::is_valid_utf8(std::string_view(json.GetString(), json.GetStringLength()))) {
          return fail(ErrorKind::usage,
                      fmt::format("field {}: the string is not UTF-8",
                                  path.empty() ? std::string("(the record)") : path));
        }
        // The size counts the terminating NUL, which RapidJSON keeps after each string.
        avro_value_set_string_len(
            &value, const_cast<char*>(json.GetString()), json.GetStringLength() + 1);
        return {};
      case AVRO_BYTES: {
        auto bytes = decode_bytes(path, json);
        if (!bytes) {
          return std::move(bytes).take_error();
        }
        avro_value_set_bytes(&value, bytes->data(), bytes->size());
        return {};
      }
      case AVRO_FIXED: {
        auto bytes = decode_bytes(path, json);
        if (!bytes) {
          return std::move(bytes).take_error();
        }
        const auto size = static_cast<std::size_t>(avro_schema_fixed_size(schema));
        if (bytes->size() != size) {
          return fail(ErrorKind::usage,
                      fmt::format("field {}: fixed {} holds {} bytes, got {}",
                                  path,
                                  full_name(schema),
                                  size,
                                  bytes->size()));
        }
        avro_value_set_fixed(&value, bytes->data(), bytes->size());
        return {};
      }
      case AVRO_ENUM: {
        if (!json.IsString()) {
          return mismatch(path, fmt::format("a symbol of enum {}", full_name(schema)), json);
        }
        const int index = avro_schema_enum_get_by_name(schema, json.GetString());
        if (index < 0) {
          return fail(ErrorKind::usage,
                      fmt::format("field {}: \"{}\" is not a symbol of enum {}",
                                  path,
                                  json.GetString(),
                                  full_name(schema)));
        }
        avro_value_set_enum(&value, index);
        return {};
      }
      case AVRO_RECORD: {
        if (!json.IsObject()) {
          return mismatch(path, fmt::format("an object (record {})", full_name(schema)), json);
        }
        const std::size_t count = avro_schema_record_size(schema);
        const std::size_t base = path.size();
        for (std::size_t i = 0; i < count; ++i) {
          const char* name = avro_schema_record_field_name(schema, static_cast<int>(i));
          avro_schema_t field_schema =
              avro_schema_record_field_get_by_index(schema, static_cast<int>(i));
          avro_value_t field;
          avro_value_get_by_index(&value, i, &field, nullptr);
          path.append(".").append(name);
          auto member = json.FindMember(name);
          if (member == json.MemberEnd()) {
            // A missing optional field (null or a union with null) is null.
            if (!set_null_if_optional(field, field_schema)) {
              return fail(ErrorKind::usage,
                          fmt::format("field {}: missing (record {})", path, full_name(schema)));
            }
          } else {
            EVT_TRY(set_value(field, field_schema, member->value, path));
          }
          path.resize(base);
        }
        for (const auto& member : format::members_of(json)) {
          if (avro_schema_record_field_get_index(schema, member.name.GetString()) < 0) {
            return fail(ErrorKind::usage,
                        fmt::format("field {}.{}: not in record {}",
                                    path,
                                    member.name.GetString(),
                                    full_name(schema)));
          }
        }
        return {};
      }
      case AVRO_MAP: {
        if (!json.IsObject()) {
          return mismatch(path, "an object (map)", json);
        }
        const std::size_t base = path.size();
        for (const auto& member : format::members_of(json)) {
          if (!format::is_valid_utf8(
                  std::string_view(member.name.GetString(), member.name.GetStringLength()))) {
            return fail(ErrorKind::usage,
                        fmt::format("field {}: a map key is not UTF-8",
                                    path.empty() ? std::string("(the record)") : path));
          }
          avro_value_t item;
          avro_value_add(&value, member.name.GetString(), &item, nullptr, nullptr);
          path.append(".").append(member.name.GetString(), member.name.GetStringLength());
          EVT_TRY(set_value(item, avro_schema_map_values(schema), member.value, path));
          path.resize(base);
        }
        return {};
      }
      case AVRO_ARRAY: {
        if (!json.IsArray()) {
          return mismatch(path, "an array", json);
        }
        const std::size_t base = path.size();
        std::size_t index = 0;
        for (const auto& element : json.GetArray()) {
          avro_value_t item;
          avro_value_append(&value, &item, nullptr);
          path.append(fmt::format("[{}]", index++));
          EVT_TRY(set_value(item, avro_schema_array_items(schema), element, path));
          path.resize(base);
        }
        return {};
      }
      case AVRO_UNION:
        return set_union(value, schema, json, path);
      case AVRO_LINK:
        break;
    }
    return fail(ErrorKind::internal, "unexpected Avro schema type");
  }

  static bool set_null_if_optional(avro_value_t& value, avro_schema_t schema) {
    if (is_avro_null(schema)) {
      avro_value_set_null(&value);
      return true;
    }
    if (!is_avro_union(schema)) {
      return false;
    }
    const std::size_t count = avro_schema_union_size(schema);
    for (std::size_t i = 0; i < count; ++i) {
      if (is_avro_null(avro_schema_union_branch(schema, static_cast<int>(i)))) {
        avro_value_t branch;
        avro_value_set_branch(&value, static_cast<int>(i), &branch);
        avro_value_set_null(&branch);
        return true;
      }
    }
    return false;
  }

  // Avro's JSON encoding ({"type": value}, or null) first; a bare value is accepted when one
  // branch takes it, trying the branches in order.
  Result<void> set_union(avro_value_t& value,
                         avro_schema_t schema,
                         const rapidjson::Value& json,
                         std::string& path) {
    const int count = static_cast<int>(avro_schema_union_size(schema));
    if (json.IsNull()) {
      if (set_null_if_optional(value, schema)) {
        return {};
      }
      return mismatch(path, "a value (the union has no null)", json);
    }
    if (json.IsObject() && json.MemberCount() == 1) {
      const auto& member = *json.MemberBegin();
      const std::string_view name(member.name.GetString(), member.name.GetStringLength());
      for (int i = 0; i < count; ++i) {
        avro_schema_t branch_schema = avro_schema_union_branch(schema, i);
        if (full_name(branch_schema) == name ||
            (is_avro_named_type(branch_schema) && avro_schema_type_name(branch_schema) == name)) {
          avro_value_t branch;
          avro_value_set_branch(&value, i, &branch);
          return set_value(branch, branch_schema, member.value, path);
        }
      }
    }
    const std::size_t base = path.size();
    for (int i = 0; i < count; ++i) {
      avro_schema_t branch_schema = avro_schema_union_branch(schema, i);
      if (is_avro_null(branch_schema)) {
        continue;
      }
      avro_value_t branch;
      avro_value_set_branch(&value, i, &branch);
      auto set = set_value(branch, branch_schema, json, path);
      if (set) {
        return {};
      }
      path.resize(base);
      avro_value_reset(&branch);
    }
    std::vector<std::string> names;
    for (int i = 0; i < count; ++i) {
      names.push_back(full_name(avro_schema_union_branch(schema, i)));
    }
    return fail(ErrorKind::usage,
                fmt::format("field {}: {} matches no branch of union [{}]",
                            path.empty() ? std::string("(the record)") : path,
                            type_word(json),
                            fmt::join(names, ", ")));
  }

  avro_schema_t m_schema;
  avro_value_iface_t* m_iface;
  avro_reader_t m_reader;
  avro_value_t m_value{};
  int m_depth = 0;  // of set_value
  std::unordered_map<avro_schema_t, std::vector<std::string>> m_field_keys;
  std::unordered_map<avro_schema_t, std::string> m_branch_keys;
};

}  // namespace

Result<std::unique_ptr<Codec>> make_avro_codec(const Schema& schema,
                                               const std::vector<ResolvedReference>& references) {
  install_allocator();
  auto text = inline_references(schema, references);
  if (!text) {
    return std::move(text).take_error();
  }
  avro_schema_t parsed = nullptr;
  if (avro_schema_from_json_length(text->data(), text->size(), &parsed) != 0) {
    return fail(
        ErrorKind::usage,
        fmt::format(
            "schema id {}: libavro rejects the Avro schema: {}", schema.id, avro_strerror()));
  }
  std::vector<avro_schema_t> path;
  std::set<avro_schema_t> done;
  if (const auto record = self_holding_record(parsed, path, done); !record.empty()) {
    avro_schema_decref(parsed);
    return fail(ErrorKind::usage,
                fmt::format("schema id {}: record {} holds itself with no union, array or map "
                            "between: no record has this schema",
                            schema.id,
                            record));
  }
  avro_value_iface_t* iface = avro_generic_class_from_schema(parsed);
  if (!iface) {
    avro_schema_decref(parsed);
    return fail(ErrorKind::usage,
                fmt::format("schema id {}: libavro cannot build values of the schema: {}",
                            schema.id,
                            avro_strerror()));
  }
  return std::unique_ptr<Codec>(std::make_unique<AvroCodec>(parsed, iface));
}

}  // namespace evt::schema
