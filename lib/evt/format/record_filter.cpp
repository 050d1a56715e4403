// SPDX-License-Identifier: MIT
#include "evt/format/record_filter.hpp"

#include <string>

#include <fmt/format.h>

#include <regex.h>

namespace evt::format {

struct RecordFilter::Pattern {
  regex_t regex{};
  bool compiled = false;
  ~Pattern() {
    if (compiled) {
      regfree(&regex);
    }
  }
  bool search(BytesView bytes) const {
    if (bytes.is_null()) {
      return false;
    }
    // REG_STARTEND searches the exact byte range, so NULs and a missing terminator are fine.
    regmatch_t range[1];
    range[0].rm_so = 0;
    range[0].rm_eo = static_cast<regoff_t>(bytes.size);
#if defined(__SANITIZE_ADDRESS__)
    // ASan's regexec interceptor ignores REG_STARTEND and checks the string up to its NUL,
    // past the record's bytes: under ASan only, search a terminated copy (the same bytes).
    thread_local std::string terminated;
    terminated.assign(bytes.data, bytes.size);
    const char* text = terminated.c_str();
#else
    const char* text = bytes.size ? bytes.data : "";
#endif
    return regexec(&regex, text, 1, range, REG_STARTEND) == 0;
  }
};

namespace {

Result<std::unique_ptr<RecordFilter::Pattern>> compile_one(const std::string& text,
                                                           const char* flag) {
  auto pattern = std::make_unique<RecordFilter::Pattern>();
  const int rc = regcomp(&pattern->regex, text.c_str(), REG_EXTENDED | REG_NOSUB);
  if (rc != 0) {
    char reason[256];
    regerror(rc, &pattern->regex, reason, sizeof reason);
    return fail(ErrorKind::usage, fmt::format("{} \"{}\": {}", flag, text, reason));
  }
  pattern->compiled = true;
  return pattern;
}

}  // namespace

RecordFilter::~RecordFilter() = default;

Result<std::unique_ptr<RecordFilter>> RecordFilter::compile(const FilterSpec& spec) {
  std::unique_ptr<RecordFilter> filter(new RecordFilter());
  for (const auto& text : spec.value_patterns) {
    auto pattern = compile_one(text, "--grep");
    if (!pattern) {
      return std::move(pattern).take_error();
    }
    filter->m_values.push_back(std::move(*pattern));
  }
  for (const auto& text : spec.key_patterns) {
    auto pattern = compile_one(text, "--grep-key");
    if (!pattern) {
      return std::move(pattern).take_error();
    }
    filter->m_keys.push_back(std::move(*pattern));
  }
  for (const auto& text : spec.header_patterns) {
    const std::size_t equals = text.find('=');
    if (equals == std::string::npos || equals == 0) {
      return fail(ErrorKind::usage, fmt::format("--grep-header \"{}\": expected NAME=REGEX", text));
    }
    auto pattern = compile_one(text.substr(equals + 1), "--grep-header");
    if (!pattern) {
      return std::move(pattern).take_error();
    }
    filter->m_headers.emplace_back(text.substr(0, equals), std::move(*pattern));
  }
  if (spec.jq) {
    auto program = JqProgram::compile("--jq", *spec.jq);
    if (!program) {
      return std::move(program).take_error();
    }
    filter->m_jq = std::move(*program);
  }
  return filter;
}

bool RecordFilter::matches(const RecordView& record) {
  for (const auto& pattern : m_values) {
    if (!pattern->search(record.value)) {
      return false;
    }
  }
  for (const auto& pattern : m_keys) {
    if (!pattern->search(record.key)) {
      return false;
    }
  }
  for (const auto& [name, pattern] : m_headers) {
    bool found = false;
    for (std::size_t i = 0; i < record.header_count && !found; ++i) {
      found = record.headers[i].name == name && pattern->search(record.headers[i].value);
    }
    if (!found) {
      return false;
    }
  }
  return !m_jq || m_jq->selects(record);
}

}  // namespace evt::format
