// SPDX-License-Identifier: MIT
#include "evt/schema/registry.hpp"

#include <cctype>
#include <functional>
#include <set>

#include <fmt/format.h>

#include "evt/format/rapidjson.hpp"

namespace evt::schema {

namespace {

// The member `name` of a JSON object, or null. (Through const iterators: comparing RapidJSON
// 1.1.0's mutable member iterators trips clang's C++20 -Wambiguous-reversed-operator.)
const rapidjson::Value* find_member(const rapidjson::Value& object, const char* name) {
  const auto found = object.FindMember(name);
  return found == object.MemberEnd() ? nullptr : &found->value;
}

std::string percent_encode(std::string_view text) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(k_hex[byte >> 4]);
      out.push_back(k_hex[byte & 0xF]);
    }
  }
  return out;
}

// The registry's own explanation: {"error_code":40403,"message":"Schema not found"}.
std::string registry_message(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (!doc.HasParseError() && doc.IsObject()) {
    const rapidjson::Value* message = find_member(doc, "message");
    if (message && message->IsString()) {
      return message->GetString();
    }
  }
  std::string text = body.substr(0, 200);
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20) {
      c = ' ';
    }
  }
  return text;
}

}  // namespace

const char* to_string(SchemaType type) {
  switch (type) {
    case SchemaType::avro:
      return "AVRO";
    case SchemaType::protobuf:
      return "PROTOBUF";
    case SchemaType::json:
      return "JSON";
  }
  return "AVRO";
}

std::string display_url(const std::string& url) {
  const std::size_t scheme = url.find("://");
  const std::size_t start = scheme == std::string::npos ? 0 : scheme + 3;
  const std::size_t slash = url.find('/', start);
  const std::size_t at = url.rfind('@', slash == std::string::npos ? std::string::npos : slash);
  if (at == std::string::npos || at < start) {
    return url;
  }
  return url.substr(0, start) + url.substr(at + 1);
}

RegistryClient::RegistryClient(std::string display_url, std::unique_ptr<HttpTransport> transport)
    : m_url(std::move(display_url)), m_transport(std::move(transport)) {}

Result<HttpResponse> RegistryClient::get(const std::string& path, const std::string& what) {
  ++m_requests;
  auto response = m_transport->get(path);
  if (!response) {
    return std::move(response).take_error();
  }
  const long status = response->status;
  if (status >= 200 && status < 300) {
    return response;
  }
  const std::string message = registry_message(response->body);
  const std::string context = fmt::format("schema registry {}: {}", m_url, what);
  if (status == 401 || status == 403) {
    return fail(ErrorKind::auth,
                fmt::format("{}: {} {}", context, status, message),
                "check the schema-registry username and password (password-env or "
                "password-file) of the context");
  }
  if (status == 404) {
    return fail(ErrorKind::not_found, fmt::format("{}: {}", context, message));
  }
  if (status == 422 || status == 400) {
    return fail(ErrorKind::usage, fmt::format("{}: {}", context, message));
  }
  return fail(ErrorKind::io, fmt::format("{}: HTTP {}: {}", context, status, message));
}

Result<void> RegistryClient::check() {
  auto response = get("/schemas/types", "checking the registry");
  if (!response) {
    // A registry older than /schemas/types (Confluent < 5.5) still answers /subjects.
    if (response.error().kind != ErrorKind::not_found) {
      return std::move(response).take_error();
    }
    auto subjects = get("/subjects", "checking the registry");
    if (!subjects) {
      return std::move(subjects).take_error();
    }
  }
  return {};
}

Result<std::shared_ptr<const Schema>> RegistryClient::parse_schema(const std::string& body,
                                                                   const std::string& what) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  const auto bad = [&](std::string_view why) {
    return fail(ErrorKind::io,
                fmt::format("schema registry {}: {}: unexpected answer: {}", m_url, what, why));
  };
  if (doc.HasParseError() || !doc.IsObject()) {
    return bad("not a JSON object");
  }
  auto schema = std::make_shared<Schema>();
  const rapidjson::Value* text = find_member(doc, "schema");
  if (!text || !text->IsString()) {
    return bad("no \"schema\" string");
  }
  schema->text.assign(text->GetString(), text->GetStringLength());
  const rapidjson::Value* type = find_member(doc, "schemaType");
  if (type && type->IsString()) {
    const std::string_view name(type->GetString(), type->GetStringLength());
    if (name == "AVRO") {
      schema->type = SchemaType::avro;
    } else if (name == "PROTOBUF") {
      schema->type = SchemaType::protobuf;
    } else if (name == "JSON") {
      schema->type = SchemaType::json;
    } else {
      return fail(ErrorKind::unsupported,
                  fmt::format("schema registry {}: {}: schema type {} is not supported "
                              "(evt reads AVRO, PROTOBUF and JSON)",
                              m_url,
                              what,
                              name));
    }
  }
  const rapidjson::Value* id = find_member(doc, "id");
  if (id && id->IsInt()) {
    schema->id = id->GetInt();
  }
  const rapidjson::Value* subject = find_member(doc, "subject");
  if (subject && subject->IsString()) {
    schema->subject = subject->GetString();
  }
  const rapidjson::Value* version = find_member(doc, "version");
  if (version && version->IsInt()) {
    schema->version = version->GetInt();
  }
  const rapidjson::Value* references = find_member(doc, "references");
  if (references && references->IsArray()) {
    for (const auto& item : references->GetArray()) {
      if (!item.IsObject() || !item.HasMember("name") || !item["name"].IsString() ||
          !item.HasMember("subject") || !item["subject"].IsString() || !item.HasMember("version") ||
          !item["version"].IsInt()) {
        return bad("a reference without name, subject and version");
      }
      schema->references.push_back(SchemaReference{
          item["name"].GetString(), item["subject"].GetString(), item["version"].GetInt()});
    }
  }
  return std::shared_ptr<const Schema>(std::move(schema));
}

Result<std::shared_ptr<const Schema>> RegistryClient::by_id(std::int32_t id) {
  if (auto it = m_by_id.find(id); it != m_by_id.end()) {
    return it->second;
  }
  const std::string what = fmt::format("schema id {}", id);
  auto response = get(fmt::format("/schemas/ids/{}", id), what);
  if (!response) {
    return std::move(response).take_error();
  }
  auto schema = parse_schema(response->body, what);
  if (!schema) {
    return std::move(schema).take_error();
  }
  auto copy = std::make_shared<Schema>(**schema);
  copy->id = id;
  m_by_id[id] = copy;
  return std::shared_ptr<const Schema>(std::move(copy));
}

Result<std::shared_ptr<const Schema>> RegistryClient::by_subject(const std::string& subject,
                                                                 std::optional<int> version) {
  const auto key = std::make_pair(subject, version.value_or(-1));
  if (auto it = m_by_subject.find(key); it != m_by_subject.end()) {
    return it->second;
  }
  const std::string what = version ? fmt::format("subject {} version {}", subject, *version)
                                   : fmt::format("subject {} (latest version)", subject);
  auto response = get(fmt::format("/subjects/{}/versions/{}",
                                  percent_encode(subject),
                                  version ? std::to_string(*version) : std::string("latest")),
                      what);
  if (!response) {
    return std::move(response).take_error();
  }
  auto schema = parse_schema(response->body, what);
  if (!schema) {
    return std::move(schema).take_error();
  }
  m_by_subject[key] = *schema;
  if ((*schema)->id >= 0) {
    m_by_id.emplace((*schema)->id, *schema);
  }
  return schema;
}

Result<std::vector<ResolvedReference>> RegistryClient::references_of(const Schema& schema) {
  std::vector<ResolvedReference> ordered;
  std::set<std::pair<std::string, int>> done;
  std::set<std::pair<std::string, int>> visiting;
  // Depth-first, so that each schema comes after everything it references.
  std::function<Result<void>(const Schema&)> visit = [&](const Schema& from) -> Result<void> {
    for (const SchemaReference& reference : from.references) {
      const auto key = std::make_pair(reference.subject, reference.version);
      if (done.count(key)) {
        continue;
      }
      if (!visiting.insert(key).second) {
        return fail(ErrorKind::usage,
                    fmt::format("schema registry {}: the references of subject {} version {} "
                                "form a cycle",
                                m_url,
                                reference.subject,
                                reference.version));
      }
      auto referenced = by_subject(reference.subject, reference.version);
      if (!referenced) {
        return std::move(referenced).take_error();
      }
      EVT_TRY(visit(**referenced));
      visiting.erase(key);
      done.insert(key);
      ordered.push_back(ResolvedReference{reference.name, *referenced});
    }
    return {};
  };
  EVT_TRY(visit(schema));
  return ordered;
}

}  // namespace evt::schema
