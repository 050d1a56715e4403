// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>

#include "evt/format/field_decoder.hpp"
#include "evt/log.hpp"
#include "evt/schema/codec.hpp"
#include "evt/schema/registry.hpp"

namespace evt::schema {

/// Decodes framed keys and values with schemas from the registry, fetching each id once. A
/// record that does not decode (not framed, unknown id, bytes that do not match the schema, or
/// a registry that fails meanwhile) is warned about on stderr and counted; the first
/// `k_warned_records` get a warning each, the rest only the count at the end.
class RegistryDecoder final : public format::FieldDecoder {
 public:
  static constexpr std::uint64_t k_warned_records = 10;

  RegistryDecoder(std::shared_ptr<RegistryClient> registry, const Log& log);

  std::optional<std::int32_t> decode(const RecordView& record, bool key, std::string& out) override;

  std::uint64_t failures() const { return m_failures; }
  std::uint64_t decoded() const { return m_decoded; }
  /// One line for the end of a run: how many records were shown raw and why most often.
  std::string summary() const;

 private:
  Codec* codec_for(std::int32_t id, std::string& error);
  void failed(const RecordView& record, bool key, const std::string& why);

  std::shared_ptr<RegistryClient> m_registry;
  const Log& m_log;
  std::unordered_map<std::int32_t, std::unique_ptr<Codec>> m_codecs;
  std::unordered_map<std::int32_t, std::string> m_broken;  // ids that failed, and why
  std::int32_t m_last_id = -1;
  Codec* m_last = nullptr;
  std::uint64_t m_failures = 0;
  std::uint64_t m_decoded = 0;
  std::map<std::string, std::uint64_t> m_reasons;
};

}  // namespace evt::schema
