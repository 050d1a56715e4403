// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "evt/error.hpp"

namespace evt::schema {

enum class SchemaType { avro, protobuf, json };

const char* to_string(SchemaType type);

/// A schema another schema builds on: Avro named types, Protobuf imports, JSON Schema $refs.
struct SchemaReference {
  std::string name;  ///< the import path or type name the referring schema uses
  std::string subject;
  int version = 0;
};

/// One schema as the registry holds it.
struct Schema {
  std::int32_t id = -1;
  SchemaType type = SchemaType::avro;
  std::string text;
  std::vector<SchemaReference> references;
  std::string subject;  ///< empty when fetched by id
  int version = 0;      ///< 0 when fetched by id
};

/// A referenced schema and the name the referring schema uses for it.
struct ResolvedReference {
  std::string name;
  std::shared_ptr<const Schema> schema;
};

/// Where the registry is and how to talk to it.
struct RegistrySettings {
  std::string url;  ///< http(s)://host:port[/prefix]
  std::optional<std::string> username;
  std::optional<std::string> password;
  std::optional<std::string> ca_file;
  std::optional<std::string> cert_file;
  std::optional<std::string> key_file;
  std::chrono::milliseconds timeout{10'000};
};

struct HttpResponse {
  long status = 0;
  std::string body;
};

/// GET requests to the registry. Failing to reach it is an error (unreachable, naming the URL);
/// any HTTP status is a response.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  /// `path` starts with '/' and is appended to the registry URL.
  virtual Result<HttpResponse> get(const std::string& path) = 0;
};

/// The libcurl transport. libcurl is loaded with dlopen on first use: linked, its 30 shared
/// libraries would cost every evt start several milliseconds, schemas or not.
Result<std::unique_ptr<HttpTransport>> make_curl_transport(const RegistrySettings& settings);

/// `url` without user:password@, for messages.
std::string display_url(const std::string& url);

/// A Confluent-compatible schema registry client (Confluent Schema Registry, Karapace, Redpanda,
/// Apicurio's ccompat API). Each schema is fetched once per id or subject version and cached.
class RegistryClient {
 public:
  RegistryClient(std::string display_url, std::unique_ptr<HttpTransport> transport);

  /// The registry's URL, without credentials.
  const std::string& url() const { return m_url; }

  /// A cheap authenticated request, so that an unreachable registry or refused credentials
  /// fail before any record is read.
  Result<void> check();

  /// GET /schemas/ids/{id}. An unknown id is not_found.
  Result<std::shared_ptr<const Schema>> by_id(std::int32_t id);

  /// GET /subjects/{subject}/versions/{version or latest}. Unknown subjects are not_found.
  Result<std::shared_ptr<const Schema>> by_subject(const std::string& subject,
                                                   std::optional<int> version);

  /// Every schema `schema` references, transitively, dependencies before their dependents,
  /// each once.
  Result<std::vector<ResolvedReference>> references_of(const Schema& schema);

  /// How many HTTP requests were made (tests check the cache).
  std::uint64_t requests() const { return m_requests; }

 private:
  Result<HttpResponse> get(const std::string& path, const std::string& what);
  Result<std::shared_ptr<const Schema>> parse_schema(const std::string& body,
                                                     const std::string& what);

  std::string m_url;
  std::unique_ptr<HttpTransport> m_transport;
  std::map<std::int32_t, std::shared_ptr<const Schema>> m_by_id;
  std::map<std::pair<std::string, int>, std::shared_ptr<const Schema>> m_by_subject;
  std::uint64_t m_requests = 0;
};

}  // namespace evt::schema
