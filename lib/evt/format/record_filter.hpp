// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "evt/error.hpp"
#include "evt/record.hpp"

namespace evt::format {

/// Which records to keep: every given pattern must match (POSIX extended regexes, searched
/// anywhere in the bytes, NUL bytes included). Shared by tail --grep and replay --filter.
struct FilterSpec {
  std::vector<std::string> value_patterns;   ///< --grep
  std::vector<std::string> key_patterns;     ///< --grep-key
  std::vector<std::string> header_patterns;  ///< --grep-header NAME=REGEX
  bool empty() const {
    return value_patterns.empty() && key_patterns.empty() && header_patterns.empty();
  }
};

class RecordFilter {
 public:
  /// Compiles the patterns; an invalid one is a usage error naming it.
  static Result<std::unique_ptr<RecordFilter>> compile(const FilterSpec& spec);
  ~RecordFilter();
  RecordFilter(const RecordFilter&) = delete;
  RecordFilter& operator=(const RecordFilter&) = delete;

  bool matches(const RecordView& record) const;

  struct Pattern;  ///< one compiled regex (defined in the .cpp)

 private:
  RecordFilter() = default;
  std::vector<std::unique_ptr<Pattern>> m_values;
  std::vector<std::unique_ptr<Pattern>> m_keys;
  std::vector<std::pair<std::string, std::unique_ptr<Pattern>>> m_headers;
};

}  // namespace evt::format
