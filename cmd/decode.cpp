// SPDX-License-Identifier: MIT
#include "cmd/decode.hpp"

#include "evt/format/record_formatter.hpp"
#include "evt/schema/open.hpp"

namespace evt::cmd {

void add_decode_option(CLI::App& sub, std::optional<std::string>& decode) {
  sub.add_option("--decode",
                 decode,
                 "Decode schema-registry framed fields (Avro, Protobuf, JSON Schema) to JSON: "
                 "value, key, both or none (default: the context's schema-registry.decode)")
      ->check(CLI::IsMember({"value", "key", "both", "none"}));
}

Result<DecodeSetup> setup_decode(const std::optional<std::string>& flag,
                                 const std::string& format,
                                 const config::ResolvedConfig& config,
                                 const Log& log) {
  std::string which = "none";
  if (flag) {
    which = *flag;
  } else if (auto it = config.schema_registry.find("decode"); it != config.schema_registry.end()) {
    which = it->second.value;
  }
  DecodeSetup setup;
  setup.options.key = which == "key" || which == "both";
  setup.options.value = which == "value" || which == "both";
  const bool layout = format::layout_wants_decoding(format);
  if (!setup.options.key && !setup.options.value && !layout) {
    return setup;
  }
  auto registry = schema::open_registry(config, layout && !flag ? "%v{decoded}" : "--decode");
  if (!registry) {
    return std::move(registry).take_error();
  }
  setup.decoder = std::make_shared<schema::RegistryDecoder>(std::move(*registry), log);
  setup.options.decoder = setup.decoder;
  return setup;
}

void report_decode(const DecodeSetup& setup, const Log& log) {
  if (setup.decoder && setup.decoder->failures() > 0) {
    log.warning(setup.decoder->summary());
  }
}

}  // namespace evt::cmd
