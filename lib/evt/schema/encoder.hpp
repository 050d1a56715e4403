// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "evt/error.hpp"
#include "evt/format/field_decoder.hpp"
#include "evt/schema/codec.hpp"
#include "evt/schema/registry.hpp"

namespace evt::schema {

/// Which schema `produce --value-schema/--key-schema` encodes with:
///   SUBJECT            the subject's latest version
///   SUBJECT@VERSION    that version
///   id:N               the schema with id N
///   topic              TopicNameStrategy: the latest version of <topic>-value (or -key)
/// Any of them may end in #MESSAGE to pick a Protobuf message type other than the file's first.
struct SchemaSelector {
  enum class Kind { subject, id, topic };
  Kind kind = Kind::topic;
  std::string subject;
  std::optional<int> version;
  std::int32_t id = -1;
  std::optional<std::string> message;
  std::string text;  ///< as given, for messages
};

Result<SchemaSelector> parse_schema_selector(std::string_view text);

/// Encodes JSON text into framed records with one schema (or, for `topic`, one per topic).
class RegistryEncoder {
 public:
  RegistryEncoder(std::shared_ptr<RegistryClient> registry, SchemaSelector selector, bool key);

  /// Resolves the schema for `topic` now, so that a wrong subject fails before any input is
  /// read.
  Result<void> prepare(const std::string& topic);

  /// Appends the framed record for `json` (header, message indexes, payload). A value that does
  /// not match the schema is a usage error naming the field.
  Result<void> encode(const std::string& topic, std::string_view json, std::string& out);

 private:
  struct Compiled {
    std::int32_t id = -1;
    std::unique_ptr<Codec> codec;
  };
  Result<Compiled*> compiled_for(const std::string& topic);

  std::shared_ptr<RegistryClient> m_registry;
  SchemaSelector m_selector;
  bool m_key;
  std::map<std::string, Compiled> m_by_subject;
  std::string m_last_topic;
  Compiled* m_last = nullptr;
};

/// produce's encoder: --key-schema and --value-schema, each optional.
class RegistryFieldEncoder final : public format::FieldEncoder {
 public:
  RegistryFieldEncoder(std::unique_ptr<RegistryEncoder> key, std::unique_ptr<RegistryEncoder> value)
      : m_key(std::move(key)), m_value(std::move(value)) {}

  bool encodes(bool key) const override { return key ? m_key != nullptr : m_value != nullptr; }
  Result<void> encode(std::string_view topic,
                      bool key,
                      std::string_view json,
                      std::string& out) override {
    if (topic != m_topic) {
      m_topic.assign(topic);
    }
    return (key ? m_key : m_value)->encode(m_topic, json, out);
  }
  /// Resolves the schemas for `topic` before any input is read.
  Result<void> prepare(const std::string& topic) {
    if (m_key) {
      EVT_TRY(m_key->prepare(topic));
    }
    if (m_value) {
      EVT_TRY(m_value->prepare(topic));
    }
    return {};
  }

 private:
  std::unique_ptr<RegistryEncoder> m_key;
  std::unique_ptr<RegistryEncoder> m_value;
  std::string m_topic;
};

}  // namespace evt::schema
