// SPDX-License-Identifier: MIT
// JSON Schema records are JSON already. Reading re-serializes them on one line (numbers kept
// digit for digit); writing validates them first with valijson (Debian's libvalijson-dev,
// header-only, drafts 4 and 7), which follows $refs to the schema's references.
#define VALIJSON_USE_EXCEPTIONS 1
#include <exception>
#include <map>

#include <fmt/format.h>

#include "evt/format/json_text.hpp"
#include "evt/format/rapidjson.hpp"
#include "evt/schema/codec.hpp"

#include <rapidjson/writer.h>

// valijson asks to come before RapidJSON so that it can make RapidJSON's assertions throw; evt
// keeps one RapidJSON configuration for all its files (evt/format/rapidjson.hpp) instead.
#pragma push_macro("RAPIDJSON_ASSERT")
#undef RAPIDJSON_ASSERT
#include <valijson/adapters/rapidjson_adapter.hpp>
#undef RAPIDJSON_ASSERT
#pragma pop_macro("RAPIDJSON_ASSERT")

#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace evt::schema {

namespace {

// Appends to a std::string, for rapidjson::Writer.
struct StringSink {
  using Ch = char;
  std::string* out;
  void Put(char c) { out->push_back(c); }
  void Flush() {}
};

// "<root>", "[address]", "[zip]" -> ".address.zip"
std::string field_path(const std::vector<std::string>& context) {
  std::string path;
  for (const std::string& part : context) {
    if (part == "<root>") {
      continue;
    }
    if (part.size() >= 2 && part.front() == '[' && part.back() == ']') {
      const std::string inner = part.substr(1, part.size() - 2);
      const bool index =
          !inner.empty() && inner.find_first_not_of("0123456789") == std::string::npos;
      path += index ? part
                    : "." + (inner.size() >= 2 && inner.front() == '"'
                                 ? inner.substr(1, inner.size() - 2)
                                 : inner);
    } else {
      path += "." + part;
    }
  }
  return path.empty() ? std::string("(the record)") : path;
}

// Passes numbers through digit for digit (RapidJSON 1.1.0's Writer::RawNumber quotes them).
struct CompactWriter : rapidjson::Writer<StringSink> {
  using rapidjson::Writer<StringSink>::Writer;
  bool RawNumber(const char* text, rapidjson::SizeType length, bool) {
    return RawValue(text, length, rapidjson::kNumberType);
  }
};

class JsonSchemaCodec final : public Codec {
 public:
  JsonSchemaCodec(std::map<std::string, std::unique_ptr<rapidjson::Document>> documents,
                  std::unique_ptr<rapidjson::Document> root,
                  std::unique_ptr<valijson::Schema> schema)
      : m_documents(std::move(documents)), m_root(std::move(root)), m_schema(std::move(schema)) {}

  Result<void> to_json(std::string_view payload, std::string& out) override {
    if (!format::is_valid_utf8(payload)) {
      return fail(ErrorKind::usage, "not JSON: not UTF-8");
    }
    const std::size_t start = out.size();
    StringSink sink{&out};
    CompactWriter writer(sink);
    rapidjson::Reader reader;
    rapidjson::MemoryStream stream(payload.data(), payload.size());
    const auto result =
        reader.Parse<format::k_strict_json | rapidjson::kParseNumbersAsStringsFlag>(stream, writer);
    if (result.IsError()) {
      out.resize(start);
      return fail(ErrorKind::usage,
                  fmt::format("not JSON: {} at byte {}",
                              rapidjson::GetParseError_En(result.Code()),
                              result.Offset()));
    }
    return {};
  }

  Result<void> from_json(std::string_view json, std::string& out) override {
    // The record is the input itself: it must be what to_json reads back, UTF-8 included.
    if (!format::is_valid_utf8(json)) {
      return fail(ErrorKind::usage, "not JSON: not UTF-8");
    }
    rapidjson::Document doc;
    doc.Parse<format::k_strict_json>(json.data(), json.size());
    if (doc.HasParseError()) {
      return fail(ErrorKind::usage,
                  fmt::format("not JSON: {} at byte {}",
                              rapidjson::GetParseError_En(doc.GetParseError()),
                              doc.GetErrorOffset()));
    }
    valijson::Validator validator;
    valijson::ValidationResults results;
    valijson::adapters::RapidJsonAdapter target(doc);
    bool valid = false;
    try {
      valid = validator.validate(*m_schema, target, &results);
    } catch (const std::exception& e) {
      return fail(ErrorKind::usage, fmt::format("JSON Schema validation failed: {}", e.what()));
    }
    if (!valid) {
      // The deepest error is the most specific one.
      valijson::ValidationResults::Error error;
      valijson::ValidationResults::Error best;
      while (results.popError(error)) {
        if (best.context.empty() || error.context.size() > best.context.size()) {
          best = error;
        }
      }
      return fail(ErrorKind::usage,
                  fmt::format("field {}: {}", field_path(best.context), best.description));
    }
    out.append(json);
    return {};
  }

 private:
  std::map<std::string, std::unique_ptr<rapidjson::Document>> m_documents;
  std::unique_ptr<rapidjson::Document> m_root;
  std::unique_ptr<valijson::Schema> m_schema;
};

Result<std::unique_ptr<rapidjson::Document>> parse_document(const std::string& text,
                                                            const std::string& name) {
  auto doc = std::make_unique<rapidjson::Document>();
  doc->Parse<format::k_strict_json>(text.data(), text.size());
  if (doc->HasParseError()) {
    return fail(ErrorKind::usage,
                fmt::format("the JSON Schema {} is not JSON: {}",
                            name,
                            rapidjson::GetParseError_En(doc->GetParseError())));
  }
  return doc;
}

}  // namespace

Result<std::unique_ptr<Codec>> make_json_schema_codec(
    const Schema& schema, const std::vector<ResolvedReference>& references) {
  std::map<std::string, std::unique_ptr<rapidjson::Document>> documents;
  for (const ResolvedReference& reference : references) {
    auto doc = parse_document(reference.schema->text, reference.name);
    if (!doc) {
      return std::move(doc).take_error();
    }
    documents.emplace(reference.name, std::move(*doc));
  }
  auto root = parse_document(schema.text, fmt::format("id {}", schema.id));
  if (!root) {
    return std::move(root).take_error();
  }
  // A $ref names a reference by its name, the whole URI or its last path segment.
  const auto fetch = [&documents](const std::string& uri) -> const rapidjson::Document* {
    if (auto it = documents.find(uri); it != documents.end()) {
      return it->second.get();
    }
    for (const auto& [name, doc] : documents) {
      if (uri.size() > name.size() && uri.ends_with(name) &&
          uri[uri.size() - name.size() - 1] == '/') {
        return doc.get();
      }
    }
    return nullptr;
  };
  auto compiled = std::make_unique<valijson::Schema>();
  try {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::RapidJsonAdapter adapter(**root);
    parser.populateSchema(adapter, *compiled, fetch, [](const rapidjson::Document*) {});
  } catch (const std::exception& e) {
    return fail(
        ErrorKind::usage,
        fmt::format("schema id {}: valijson cannot use the JSON Schema: {}", schema.id, e.what()));
  }
  return std::unique_ptr<Codec>(std::make_unique<JsonSchemaCodec>(
      std::move(documents), std::move(*root), std::move(compiled)));
}

}  // namespace evt::schema
