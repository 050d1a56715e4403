// SPDX-License-Identifier: MIT
// The one way evt includes RapidJSON (Debian's rapidjson-dev, header-only), so every translation
// unit sees the same configuration.
#pragma once

// x86-64 always has SSE2; RapidJSON then skips whitespace and scans strings 16 bytes at a time.
#if defined(__SSE2__) && !defined(RAPIDJSON_SSE2)
#define RAPIDJSON_SSE2
#endif

#include <span>

// RapidJSON 1.1.0's Stack::Reserve computes `stackTop_ + n` while the stack is still empty
// (null) before it allocates, which UndefinedBehaviorSanitizer reports as pointer overflow
// (fixed upstream after 1.1.0). Its small hot functions are all declared RAPIDJSON_FORCEINLINE,
// so that hook exempts exactly them from this one check; everything else stays instrumented.
#if !defined(RAPIDJSON_FORCEINLINE) && defined(__GNUC__)
#define RAPIDJSON_FORCEINLINE __attribute__((no_sanitize("pointer-overflow")))
#endif

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

namespace evt::format {

/// The members of a JSON object, in order. (Iterating GetObject() directly trips clang's
/// C++20 -Wambiguous-reversed-operator on RapidJSON 1.1.0's iterator comparisons; members are
/// stored contiguously, so a span over them is exact.)
inline std::span<const rapidjson::Value::Member> members_of(const rapidjson::Value& object) {
  return {object.MemberBegin().operator->(), object.MemberCount()};
}

/// A document whose values and parse stack both live in caller-provided pools.
using PooledJsonDocument = rapidjson::GenericDocument<rapidjson::UTF8<>,
                                                      rapidjson::MemoryPoolAllocator<>,
                                                      rapidjson::MemoryPoolAllocator<>>;

/// Strict JSON (no comments, trailing commas, NaN or Infinity); iterative, so deeply nested
/// input cannot exhaust the stack. Callers check UTF-8 themselves (is_valid_utf8 on the whole
/// text first): RapidJSON's own validation goes byte by byte and turns off its SSE2 string
/// scanning, which together cost more than half of `produce -f json`'s throughput.
constexpr unsigned k_strict_json = rapidjson::kParseIterativeFlag;

}  // namespace evt::format
