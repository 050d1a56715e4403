// SPDX-License-Identifier: MIT
// Fuzz target: the YAML config file and the resolver on top of it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "evt/config/config_file.hpp"
#include "evt/config/resolve.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto file = evt::config::parse_config_file(text, "fuzz.yaml");
  if (!file) {
    return 0;
  }
  evt::config::Env env = {{"HOME", "/home/fuzz"}, {"PASSWORD", "p"}};
  evt::config::FlagSettings flags;
  (void)evt::config::resolve(&*file, env, flags, [](const std::string&) {
    return evt::Result<std::string>(std::string("secret"));
  });
  for (const auto& [name, context] : file->contexts) {
    flags.context = name;
    (void)evt::config::resolve(&*file, env, flags, [](const std::string&) {
      return evt::Result<std::string>(std::string("secret"));
    });
  }
  return 0;
}
