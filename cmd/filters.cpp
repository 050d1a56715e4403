// SPDX-License-Identifier: MIT
#include "cmd/filters.hpp"

#include <fmt/format.h>

#include "evt/ops/resume.hpp"

namespace evt::cmd {

namespace {

void add_jq(CLI::App* sub, FilterOptions& options) {
  sub->add_option("--jq",
                  options.jq,
                  "Only records for which this jq expression yields true, on the record "
                  "envelope: e.g. 'select(.key == \"k\")', '.value_json.user.id == 3' (see evt "
                  "help formats)")
      ->allow_extra_args(false);
  sub->add_option("--jq-output",
                  options.jq_output,
                  "Print what this jq expression yields for each record (compact JSON, one per "
                  "line) instead of the record, e.g. '.value_json.user'")
      ->allow_extra_args(false);
}

}  // namespace

void add_filter_options(CLI::App* sub, FilterOptions& options, const std::string& grep_names) {
  // One pattern per flag, taken literally: without allow_extra_args(false), CLI11 would read a
  // pattern like "[0-9]" as its list syntax and search for "0-9".
  sub->add_option(grep_names,
                  options.grep,
                  "Only records whose value matches this extended regex (repeatable: all must "
                  "match)")
      ->allow_extra_args(false);
  sub->add_option("--grep-key", options.grep_key, "Only records whose key matches this regex")
      ->allow_extra_args(false);
  sub->add_option("--grep-header",
                  options.grep_header,
                  "Only records with a header NAME whose value matches: NAME=REGEX")
      ->allow_extra_args(false);
  add_jq(sub, options);
}

void add_jq_options(CLI::App* sub, FilterOptions& options) {
  add_jq(sub, options);
}

Result<Filters> make_filters(const FilterOptions& options) {
  Filters filters;
  format::FilterSpec spec{options.grep, options.grep_key, options.grep_header, options.jq};
  if (!spec.empty()) {
    auto filter = format::RecordFilter::compile(spec);
    if (!filter) {
      return std::move(filter).take_error();
    }
    filters.filter = std::move(*filter);
  }
  if (options.jq_output) {
    auto program = format::JqProgram::compile("--jq-output", *options.jq_output);
    if (!program) {
      return std::move(program).take_error();
    }
    filters.output = std::move(*program);
  }
  return filters;
}

void Filters::attach(const Log& log) const {
  auto sink = [&log](std::string_view message) { log.warning(message); };
  if (filter && filter->jq()) {
    filter->jq()->set_diagnostics(sink);
  }
  if (output) {
    output->set_diagnostics(sink);
  }
}

void Filters::report(const Log& log) const {
  if (filter && filter->jq() && filter->jq()->errors() > 0) {
    log.warning(fmt::format("--jq raised an error on {} record{}, which {} skipped",
                            filter->jq()->errors(),
                            filter->jq()->errors() == 1 ? "" : "s",
                            filter->jq()->errors() == 1 ? "was" : "were"));
  }
  if (output && output->errors() > 0) {
    log.warning(
        fmt::format("--jq-output raised an error on {} record{}: what it yielded "
                    "before the error was printed",
                    output->errors(),
                    output->errors() == 1 ? "" : "s"));
  }
}

std::vector<std::string> filter_words(const FilterOptions& options) {
  std::vector<std::string> words;
  auto add = [&](const char* flag, const std::string& value) {
    words.push_back(flag);
    words.push_back(ops::shell_word(value));
  };
  for (const std::string& pattern : options.grep) {
    add("--grep", pattern);
  }
  for (const std::string& pattern : options.grep_key) {
    add("--grep-key", pattern);
  }
  for (const std::string& pattern : options.grep_header) {
    add("--grep-header", pattern);
  }
  if (options.jq) {
    add("--jq", *options.jq);
  }
  if (options.jq_output) {
    add("--jq-output", *options.jq_output);
  }
  return words;
}

}  // namespace evt::cmd
