# Every dependency is a Debian bookworm package; scripts/setup.sh installs them.
find_package(PkgConfig REQUIRED)
pkg_check_modules(RDKAFKA REQUIRED IMPORTED_TARGET rdkafka)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
find_package(CLI11 REQUIRED)
find_package(fmt REQUIRED)
find_package(yaml-cpp REQUIRED)
# RapidJSON is header-only (rapidjson-dev): no shared C++ library for the loader to bind.
find_path(EVT_RAPIDJSON_INCLUDE_DIR rapidjson/document.h REQUIRED)
find_package(Threads REQUIRED)
if(BUILD_TESTING OR NOT DEFINED BUILD_TESTING)
  find_package(Catch2 REQUIRED)
endif()

# Startup time matters for a CLI (evt --version, completions): the dynamic loader's symbol
# lookups in C++ libraries cost more than evt's own start. Link what Debian ships as static
# archives statically, fmt and RapidJSON header-only, and libstdc++ statically into the evt
# binary (cmd/CMakeLists.txt): librdkafka is C, so no shared library needs libstdc++.so.
find_library(EVT_YAML_CPP_STATIC NAMES libyaml-cpp.a)
find_library(EVT_SODIUM_STATIC NAMES libsodium.a)
if(EVT_YAML_CPP_STATIC)
  set(EVT_YAML_CPP ${EVT_YAML_CPP_STATIC})
else()
  set(EVT_YAML_CPP yaml-cpp)
endif()
if(EVT_SODIUM_STATIC)
  set(EVT_SODIUM ${EVT_SODIUM_STATIC})
else()
  set(EVT_SODIUM PkgConfig::SODIUM)
endif()
