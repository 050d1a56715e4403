// SPDX-License-Identifier: MIT
#include "evt/schema/decoder.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "evt/schema/wire.hpp"

namespace evt::schema {

RegistryDecoder::RegistryDecoder(std::shared_ptr<RegistryClient> registry, const Log& log)
    : m_registry(std::move(registry)), m_log(log) {}

Codec* RegistryDecoder::codec_for(std::int32_t id, std::string& error) {
  if (id == m_last_id && m_last) {
    return m_last;
  }
  if (auto it = m_codecs.find(id); it != m_codecs.end()) {
    m_last_id = id;
    m_last = it->second.get();
    return m_last;
  }
  if (auto it = m_broken.find(id); it != m_broken.end()) {
    error = it->second;
    return nullptr;
  }
  auto compiled = [&]() -> Result<std::unique_ptr<Codec>> {
    auto schema = m_registry->by_id(id);
    if (!schema) {
      return std::move(schema).take_error();
    }
    auto references = m_registry->references_of(**schema);
    if (!references) {
      return std::move(references).take_error();
    }
    return make_codec(**schema, *references);
  }();
  if (!compiled) {
    error = compiled.error().message;
    m_broken.emplace(id, error);
    return nullptr;
  }
  Codec* codec = compiled->get();
  m_codecs.emplace(id, std::move(*compiled));
  m_last_id = id;
  m_last = codec;
  return codec;
}

void RegistryDecoder::failed(const RecordView& record, bool key, const std::string& why) {
  ++m_failures;
  ++m_reasons[why];
  if (m_failures <= k_warned_records) {
    m_log.warning(fmt::format("{}/{} offset {}: {} shown raw: {}{}",
                              record.topic,
                              record.partition,
                              record.offset,
                              key ? "key" : "value",
                              why,
                              m_failures == k_warned_records
                                  ? " (further records that do not decode are only counted)"
                                  : ""));
  }
}

std::optional<std::int32_t> RegistryDecoder::decode(const RecordView& record,
                                                    bool key,
                                                    std::string& out) {
  const BytesView bytes = key ? record.key : record.value;
  if (bytes.is_null()) {
    return std::nullopt;  // a null key or a tombstone: nothing to decode, nothing wrong
  }
  const auto framed = parse_frame(bytes.view());
  if (!framed) {
    failed(record, key, "not in the schema registry wire format (magic byte 0, schema id)");
    return std::nullopt;
  }
  std::string error;
  Codec* codec = codec_for(framed->id, error);
  if (!codec) {
    failed(record, key, error);
    return std::nullopt;
  }
  const std::size_t start = out.size();
  auto decoded = codec->to_json(framed->payload, out);
  if (!decoded) {
    out.resize(start);
    failed(record, key, fmt::format("schema id {}: {}", framed->id, decoded.error().message));
    return std::nullopt;
  }
  ++m_decoded;
  return framed->id;
}

std::string RegistryDecoder::summary() const {
  if (m_failures == 0) {
    return {};
  }
  const auto most = std::max_element(
      m_reasons.begin(), m_reasons.end(), [](auto& a, auto& b) { return a.second < b.second; });
  return fmt::format("{} {} could not be decoded and {} shown raw{}",
                     m_failures,
                     m_failures == 1 ? "field" : "fields",
                     m_failures == 1 ? "was" : "were",
                     m_reasons.size() == 1
                         ? fmt::format(": {}", most->first)
                         : fmt::format(" ({} of them: {})", most->second, most->first));
}

}  // namespace evt::schema
