// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include "evt/config/resolve.hpp"
#include "evt/error.hpp"
#include "evt/schema/registry.hpp"

namespace evt::schema {

/// The registry settings of the effective configuration (schema-registry.* of the context,
/// EVT_SCHEMA_REGISTRY, --schema-registry), the timeout being --timeout's. No URL anywhere is a
/// usage error naming `why` (e.g. "--decode").
Result<RegistrySettings> registry_settings(const config::ResolvedConfig& config,
                                           std::string_view why);

/// A client for the configured registry, checked with one request: an unreachable registry
/// (exit 3) or refused credentials (exit 4) fail here, before any record is read or written.
Result<std::shared_ptr<RegistryClient>> open_registry(const config::ResolvedConfig& config,
                                                      std::string_view why);

}  // namespace evt::schema
