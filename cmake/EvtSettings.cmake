# Two INTERFACE targets carry every warning, sanitizer and assertion flag; only our own
# targets link them, so dependencies and users' builds are never affected.
option(EVT_WERROR "Treat warnings as errors" OFF)
set(EVT_SANITIZE "" CACHE STRING "Sanitizers to enable, e.g. address;undefined")

add_library(evt_settings INTERFACE)
add_library(evt_warnings INTERFACE)

target_compile_options(evt_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
  -Wcast-align -Wdouble-promotion -Wextra-semi -Wformat=2
  -Wimplicit-fallthrough)
# librdkafka's producev macros use GNU statement expressions, which -Wpedantic flags in clang.
target_compile_options(evt_warnings INTERFACE $<$<CXX_COMPILER_ID:Clang>:-Wno-gnu-statement-expression>)
if(EVT_WERROR)
  target_compile_options(evt_warnings INTERFACE -Werror)
endif()

target_compile_definitions(evt_settings INTERFACE $<$<CONFIG:Debug>:_GLIBCXX_ASSERTIONS>)
# One section per function and object, so the evt link can drop the unused (--gc-sections).
target_compile_options(evt_settings INTERFACE -ffunction-sections -fdata-sections)
if(EVT_SANITIZE)
  string(REPLACE ";" "," _evt_sanitizers "${EVT_SANITIZE}")
  target_compile_options(evt_settings INTERFACE -fsanitize=${_evt_sanitizers} -fno-omit-frame-pointer
    -fno-sanitize-recover=all)
  target_link_options(evt_settings INTERFACE -fsanitize=${_evt_sanitizers})
endif()

if(EVT_FUZZ)
  # Coverage instrumentation for libFuzzer on everything the fuzz targets link.
  target_compile_options(evt_settings INTERFACE -fsanitize=fuzzer-no-link)
endif()
