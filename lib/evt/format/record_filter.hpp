// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "evt/error.hpp"
#include "evt/format/jq.hpp"
#include "evt/record.hpp"

namespace evt::format {

/// Which records to keep: every given pattern must match (POSIX extended regexes, searched
/// anywhere in the bytes, NUL bytes included), and the jq expression must select the record.
/// Shared by consume, tail and replay (--grep, --grep-key, --grep-header, --jq).
struct FilterSpec {
  std::vector<std::string> value_patterns;   ///< --grep
  std::vector<std::string> key_patterns;     ///< --grep-key
  std::vector<std::string> header_patterns;  ///< --grep-header NAME=REGEX
  std::optional<std::string> jq;             ///< --jq EXPR
  bool empty() const {
    return value_patterns.empty() && key_patterns.empty() && header_patterns.empty() && !jq;
  }
};

class RecordFilter {
 public:
  /// Compiles the patterns; an invalid one is a usage error naming it.
  static Result<std::unique_ptr<RecordFilter>> compile(const FilterSpec& spec);
  ~RecordFilter();
  RecordFilter(const RecordFilter&) = delete;
  RecordFilter& operator=(const RecordFilter&) = delete;

  /// Regexes first (cheap), then jq. Not const: jq keeps state between records.
  bool matches(const RecordView& record);
  /// Whether matches() reads the record's headers.
  bool needs_headers() const { return !m_headers.empty() || m_jq != nullptr; }
  /// The --jq program (its error count, where its diagnostics go), or null.
  JqProgram* jq() const { return m_jq.get(); }

  struct Pattern;  ///< one compiled regex (defined in the .cpp)

 private:
  RecordFilter() = default;
  std::vector<std::unique_ptr<Pattern>> m_values;
  std::vector<std::unique_ptr<Pattern>> m_keys;
  std::vector<std::pair<std::string, std::unique_ptr<Pattern>>> m_headers;
  std::unique_ptr<JqProgram> m_jq;
};

}  // namespace evt::format
