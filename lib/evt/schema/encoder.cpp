// SPDX-License-Identifier: MIT
#include "evt/schema/encoder.hpp"

#include <charconv>

#include <fmt/format.h>

#include "evt/schema/wire.hpp"

namespace evt::schema {

namespace {

std::optional<int> parse_int(std::string_view text) {
  int value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || result.ec != std::errc() || result.ptr != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

Result<SchemaSelector> parse_schema_selector(std::string_view text) {
  SchemaSelector selector;
  selector.text = std::string(text);
  const auto usage = [&](std::string why) {
    return fail(ErrorKind::usage,
                fmt::format("schema \"{}\": {}", text, why),
                "expected SUBJECT, SUBJECT@VERSION, id:N or topic, optionally followed by "
                "#MESSAGE for a Protobuf message type");
  };
  if (const auto hash = text.rfind('#'); hash != std::string_view::npos) {
    selector.message = std::string(text.substr(hash + 1));
    if (selector.message->empty()) {
      return usage("empty message type after #");
    }
    text = text.substr(0, hash);
  }
  if (text.empty()) {
    return usage("empty");
  }
  if (text == "topic") {
    selector.kind = SchemaSelector::Kind::topic;
    return selector;
  }
  if (text.starts_with("id:")) {
    auto id = parse_int(text.substr(3));
    if (!id || *id < 0) {
      return usage("the id must be a non-negative integer");
    }
    selector.kind = SchemaSelector::Kind::id;
    selector.id = *id;
    return selector;
  }
  selector.kind = SchemaSelector::Kind::subject;
  if (const auto at = text.rfind('@'); at != std::string_view::npos) {
    const std::string_view version = text.substr(at + 1);
    if (version != "latest") {
      auto number = parse_int(version);
      if (!number || *number <= 0) {
        return usage("the version must be a positive integer or latest");
      }
      selector.version = *number;
    }
    text = text.substr(0, at);
    if (text.empty()) {
      return usage("empty subject");
    }
  }
  selector.subject = std::string(text);
  return selector;
}

RegistryEncoder::RegistryEncoder(std::shared_ptr<RegistryClient> registry,
                                 SchemaSelector selector,
                                 bool key)
    : m_registry(std::move(registry)), m_selector(std::move(selector)), m_key(key) {}

Result<RegistryEncoder::Compiled*> RegistryEncoder::compiled_for(const std::string& topic) {
  if (m_last && topic == m_last_topic) {
    return m_last;
  }
  std::string subject;
  switch (m_selector.kind) {
    case SchemaSelector::Kind::topic:
      subject = fmt::format("{}-{}", topic, m_key ? "key" : "value");
      break;
    case SchemaSelector::Kind::subject:
      subject = m_selector.subject;
      break;
    case SchemaSelector::Kind::id:
      subject = fmt::format("id:{}", m_selector.id);
      break;
  }
  auto it = m_by_subject.find(subject);
  if (it == m_by_subject.end()) {
    auto schema = m_selector.kind == SchemaSelector::Kind::id
                      ? m_registry->by_id(m_selector.id)
                      : m_registry->by_subject(subject, m_selector.version);
    if (!schema) {
      Error error = schema.error();
      if (error.kind == ErrorKind::not_found && m_selector.kind == SchemaSelector::Kind::topic) {
        error.hint = fmt::format(
            "the {} schema of topic {} is looked up as subject {} (TopicNameStrategy); name "
            "another subject with --{}-schema SUBJECT",
            m_key ? "key" : "value",
            topic,
            subject,
            m_key ? "key" : "value");
      }
      return Unexpected{std::move(error)};
    }
    if ((*schema)->id < 0) {
      return fail(ErrorKind::io,
                  fmt::format("schema registry {}: subject {} came without a schema id",
                              m_registry->url(),
                              subject));
    }
    auto references = m_registry->references_of(**schema);
    if (!references) {
      return std::move(references).take_error();
    }
    auto codec = make_codec(**schema, *references, m_selector.message);
    if (!codec) {
      return std::move(codec).take_error();
    }
    it = m_by_subject.emplace(subject, Compiled{(*schema)->id, std::move(*codec)}).first;
  }
  m_last_topic = topic;
  m_last = &it->second;
  return m_last;
}

Result<void> RegistryEncoder::prepare(const std::string& topic) {
  auto compiled = compiled_for(topic);
  if (!compiled) {
    return std::move(compiled).take_error();
  }
  return {};
}

Result<void> RegistryEncoder::encode(const std::string& topic,
                                     std::string_view json,
                                     std::string& out) {
  auto compiled = compiled_for(topic);
  if (!compiled) {
    return std::move(compiled).take_error();
  }
  const std::size_t start = out.size();
  append_frame_header(out, (*compiled)->id);
  auto encoded = (*compiled)->codec->from_json(json, out);
  if (!encoded) {
    out.resize(start);
    return std::move(encoded).take_error();
  }
  return {};
}

}  // namespace evt::schema
