# Every dependency is a Debian bookworm package; scripts/setup.sh installs them.

# Sanitizer and fuzz builds are instrumented: their runtimes replace malloc and intercept the
# calls of shared libraries, so they link shared and keep glibc's allocator.
if(EVT_SANITIZE OR EVT_FUZZ)
  set(EVT_INSTRUMENTED ON)
else()
  set(EVT_INSTRUMENTED OFF)
endif()
find_package(PkgConfig REQUIRED)
pkg_check_modules(RDKAFKA REQUIRED IMPORTED_TARGET rdkafka)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
find_package(CLI11 REQUIRED)
find_package(fmt REQUIRED)
find_package(yaml-cpp REQUIRED)
# RapidJSON is header-only (rapidjson-dev): no shared C++ library for the loader to bind.
find_path(EVT_RAPIDJSON_INCLUDE_DIR rapidjson/document.h REQUIRED)
# libjq (libjq-dev, 1.6): only its headers at build time. evt dlopens libjq.so.1 when a jq
# expression is given (lib/evt/format/jq.cpp): linked, it and Oniguruma would cost every start
# of evt about a millisecond.
find_path(EVT_JQ_INCLUDE_DIR jq.h REQUIRED)
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

# evt_kafka: librdkafka and the libraries it calls. The dynamic loader spends most of a short
# evt run (evt --version, evt inspect) relocating libcrypto.so alone: 21,000 relocations, a
# millisecond before main. Linked from Debian's static archives, only the parts of OpenSSL that
# librdkafka uses are in evt, relocated in place, and evt starts in about 0.7x the time of
# kcat (bench/, startup cases). libsasl2 stays shared: its plugins link it and are loaded at
# run time. The cost: a security update of libssl3, zlib, lz4 or zstd reaches evt only when
# evt is rebuilt; -DEVT_STATIC_KAFKA=OFF links them all as shared libraries instead. Sanitizer
# and fuzz builds keep them shared (their runtimes intercept the shared libraries' calls).
if(EVT_INSTRUMENTED)
  set(_evt_static_kafka_default OFF)
else()
  set(_evt_static_kafka_default ON)
endif()
option(EVT_STATIC_KAFKA "Link librdkafka, OpenSSL, zlib, lz4 and zstd statically"
  ${_evt_static_kafka_default})
add_library(evt_kafka INTERFACE)
if(EVT_STATIC_KAFKA)
  set(_evt_kafka_archives)
  foreach(_lib rdkafka ssl crypto z lz4 zstd)
    find_library(EVT_${_lib}_ARCHIVE NAMES lib${_lib}.a REQUIRED)
    list(APPEND _evt_kafka_archives ${EVT_${_lib}_ARCHIVE})
  endforeach()
  find_library(EVT_SASL2_LIBRARY NAMES sasl2 REQUIRED)
  target_include_directories(evt_kafka SYSTEM INTERFACE ${RDKAFKA_INCLUDE_DIRS})
  target_link_libraries(evt_kafka INTERFACE ${_evt_kafka_archives} ${EVT_SASL2_LIBRARY}
    ${CMAKE_DL_LIBS} Threads::Threads m)
else()
  target_link_libraries(evt_kafka INTERFACE PkgConfig::RDKAFKA)
endif()

# mimalloc (libmimalloc-dev): its header at build time; evt dlopens libmimalloc.so.2 at run time
# for the streaming subcommands (lib/evt/memory/process_allocator.hpp), and keeps glibc's
# allocator when it is not installed.
if(NOT EVT_INSTRUMENTED)
  find_path(EVT_MIMALLOC_INCLUDE_DIR mimalloc.h REQUIRED)
endif()

# Schema registry formats (lib/evt/schema). libavro (C) and libprotobuf/libprotoc (C++) are linked
# from Debian's static archives: libprotobuf.so would bring libstdc++.so back into a binary that
# links libstdc++ statically, and libavro.so pulls in snappy (C++ too) and jansson at every start.
# libcurl is not linked at all: evt dlopens libcurl.so.4 when it first talks to a registry
# (lib/evt/schema/curl_transport.cpp), since linking it costs every start ~6 ms for its 30
# libraries; only its header is needed here. valijson (JSON Schema validation) is header-only.
find_path(EVT_AVRO_INCLUDE_DIR avro.h REQUIRED)
find_path(EVT_CURL_INCLUDE_DIR curl/curl.h REQUIRED)
find_path(EVT_VALIJSON_INCLUDE_DIR valijson/validator.hpp REQUIRED)
find_path(EVT_PROTOBUF_INCLUDE_DIR google/protobuf/compiler/parser.h REQUIRED)
add_library(evt_schema_deps INTERFACE)
target_include_directories(evt_schema_deps SYSTEM INTERFACE
  ${EVT_AVRO_INCLUDE_DIR} ${EVT_CURL_INCLUDE_DIR} ${EVT_VALIJSON_INCLUDE_DIR}
  ${EVT_PROTOBUF_INCLUDE_DIR})
if(EVT_INSTRUMENTED)
  find_library(EVT_AVRO_LIBRARY NAMES avro REQUIRED)
  find_library(EVT_PROTOC_LIBRARY NAMES protoc REQUIRED)
  find_library(EVT_PROTOBUF_LIBRARY NAMES protobuf REQUIRED)
  target_link_libraries(evt_schema_deps INTERFACE
    ${EVT_AVRO_LIBRARY} ${EVT_PROTOC_LIBRARY} ${EVT_PROTOBUF_LIBRARY} ${CMAKE_DL_LIBS})
else()
  foreach(_lib avro jansson protoc protobuf)
    find_library(EVT_${_lib}_ARCHIVE NAMES lib${_lib}.a REQUIRED)
  endforeach()
  find_library(EVT_Z_FOR_SCHEMA NAMES libz.a z REQUIRED)
  target_link_libraries(evt_schema_deps INTERFACE
    ${EVT_avro_ARCHIVE} ${EVT_jansson_ARCHIVE} ${EVT_protoc_ARCHIVE} ${EVT_protobuf_ARCHIVE}
    ${EVT_Z_FOR_SCHEMA} ${CMAKE_DL_LIBS} Threads::Threads)
endif()
