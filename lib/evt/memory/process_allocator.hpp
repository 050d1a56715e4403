// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string>

namespace evt::memory {

/// What switch_to_mimalloc did, for the debug log.
struct AllocatorSwitch {
  bool to_mimalloc = false;
  /// "mimalloc 2.0.9", or why glibc's allocator stays ("libmimalloc.so.2: cannot open...").
  std::string detail;
};

/// The default size of the address range reserved for mimalloc. Only the pages in use take
/// memory; an allocation that finds the range full is served by glibc.
inline constexpr std::size_t default_arena_bytes = std::size_t{64} << 30;

/// evt defines the process's malloc family (lib/evt/memory/process_allocator.cpp, linked into
/// the evt binary only). It forwards to glibc until this call; from then on every thread's
/// malloc, calloc and realloc are served by mimalloc, loaded with dlopen from Debian's
/// libmimalloc2.0. Blocks allocated before stay glibc's: free() tells whose a block is by its
/// address, since mimalloc only allocates inside one range reserved here.
///
/// Why: librdkafka allocates each fetched message in its broker thread and evt frees it in the
/// main thread. glibc takes the allocating arena's lock for every such free, and that lock is a
/// third of consume's CPU; mimalloc frees across threads without a lock. Only the streaming
/// subcommands switch: mimalloc sets up pages for each of librdkafka's threads, a few
/// milliseconds that would double the time of `evt inspect topics`.
///
/// Idempotent; thread-safe, though the gain is for threads that allocate after the call.
AllocatorSwitch switch_to_mimalloc(std::size_t arena_bytes = default_arena_bytes) noexcept;

/// True when mimalloc allocated the block at `pointer` (for tests).
bool allocated_by_mimalloc(const void* pointer) noexcept;

}  // namespace evt::memory
