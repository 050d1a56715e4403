// SPDX-License-Identifier: MIT
#include "evt/schema/open.hpp"

#include <fmt/format.h>

namespace evt::schema {

Result<RegistrySettings> registry_settings(const config::ResolvedConfig& config,
                                           std::string_view why) {
  const auto& values = config.schema_registry;
  const auto get = [&](const char* name) -> std::optional<std::string> {
    auto it = values.find(name);
    return it == values.end() ? std::nullopt : std::optional<std::string>(it->second.value);
  };
  RegistrySettings settings;
  auto url = get("url");
  if (!url || url->empty()) {
    return fail(ErrorKind::usage,
                fmt::format("{} needs a schema registry, and none is configured", why),
                "pass --schema-registry URL, set EVT_SCHEMA_REGISTRY, or add schema-registry: "
                "{url: ...} to the context (see evt-config(5))");
  }
  settings.url = *url;
  settings.username = get("username");
  settings.password = get("password");
  settings.ca_file = get("tls.ca");
  settings.cert_file = get("tls.cert");
  settings.key_file = get("tls.key");
  settings.timeout = config.timeout;
  return settings;
}

Result<std::shared_ptr<RegistryClient>> open_registry(const config::ResolvedConfig& config,
                                                      std::string_view why) {
  auto settings = registry_settings(config, why);
  if (!settings) {
    return std::move(settings).take_error();
  }
  auto transport = make_curl_transport(*settings);
  if (!transport) {
    return std::move(transport).take_error();
  }
  auto client = std::make_shared<RegistryClient>(display_url(settings->url), std::move(*transport));
  EVT_TRY(client->check());
  return client;
}

}  // namespace evt::schema
