// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "evt/config/resolve.hpp"
#include "evt/error.hpp"
#include "evt/format/field_decoder.hpp"
#include "evt/log.hpp"
#include "evt/schema/decoder.hpp"

namespace evt::cmd {

/// Adds --decode value|key|both|none to a reading subcommand.
void add_decode_option(CLI::App& sub, std::optional<std::string>& decode);

/// The decoder behind --decode (or the context's schema-registry.decode), and for layouts that
/// ask for %v{decoded}. Opens and checks the registry only when something is to be decoded.
struct DecodeSetup {
  format::DecodeOptions options;
  std::shared_ptr<schema::RegistryDecoder> decoder;
};
Result<DecodeSetup> setup_decode(const std::optional<std::string>& flag,
                                 const std::string& format,
                                 const config::ResolvedConfig& config,
                                 const Log& log);

/// At the end of a run: how many fields were shown raw, on stderr.
void report_decode(const DecodeSetup& setup, const Log& log);

}  // namespace evt::cmd
