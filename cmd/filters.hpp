// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "evt/error.hpp"
#include "evt/format/jq.hpp"
#include "evt/format/record_filter.hpp"
#include "evt/log.hpp"

namespace evt::cmd {

/// The record filters and the jq output of consume, tail and replay: one set of flags, one
/// meaning, one implementation (lib/evt/format/record_filter and jq).
struct FilterOptions {
  std::vector<std::string> grep;
  std::vector<std::string> grep_key;
  std::vector<std::string> grep_header;
  std::optional<std::string> jq;
  std::optional<std::string> jq_output;
};

/// Adds --grep (named `grep_names`, e.g. "--grep,--filter"), --grep-key, --grep-header, --jq
/// and --jq-output.
void add_filter_options(CLI::App* sub, FilterOptions& options, const std::string& grep_names);

/// Adds only --jq and --jq-output (inspect message: one record, no regexes).
void add_jq_options(CLI::App* sub, FilterOptions& options);

/// What the filter options made.
struct Filters {
  std::shared_ptr<format::RecordFilter> filter;  ///< null: every record
  std::shared_ptr<format::JqProgram> output;     ///< --jq-output, or null

  /// jq's first runtime error and `debug` outputs go to the log as warnings.
  void attach(const Log& log) const;
  /// After the run: how many records jq raised errors on, if any.
  void report(const Log& log) const;
};

/// Compiles the patterns and jq expressions (once); a bad one is a usage error.
Result<Filters> make_filters(const FilterOptions& options);

/// The filter flags as shell words ("--grep 'a b'" ...), for a resume command that must select
/// the same records.
std::vector<std::string> filter_words(const FilterOptions& options);

}  // namespace evt::cmd
