// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "evt/error.hpp"
#include "evt/format/record_formatter.hpp"

namespace evt::cmd {

// What consume, tail and replay write: -f value|json|LAYOUT and --json-values.

/// Builds the output formatter for -f value|json|LAYOUT (shared by consume, tail and replay);
/// `json_values` (--json-values) applies to -f json only. With `decode`, json envelopes carry the
/// decoded fields beside the raw ones, -f value shows them decoded, and layouts may use
/// %k{decoded} and %v{decoded}.
Result<std::unique_ptr<format::RecordFormatter>> make_output_formatter(
    const std::string& format,
    const std::string& delimiter,
    const std::optional<std::string>& key_delimiter,
    bool json_values = false,
    const format::DecodeOptions& decode = {});

/// Adds --json-values (shared by consume, tail and replay).
void add_json_values_option(CLI::App* sub, bool& json_values);

}  // namespace evt::cmd
