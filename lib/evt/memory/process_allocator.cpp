// SPDX-License-Identifier: MIT
// The process's malloc family: glibc's, until a streaming subcommand hands new allocations to
// mimalloc (see process_allocator.hpp for why). Linked into the evt binary only, never into
// sanitizer builds, whose runtimes replace malloc themselves.
//
// These functions run before main and inside glibc and librdkafka, so they never throw, never
// allocate, and rely on nothing that needs a constructor: every global here is constant-
// initialized.
#include "evt/memory/process_allocator.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>

#include <dlfcn.h>
#include <errno.h>
#include <mimalloc.h>
#include <sys/mman.h>

static_assert(MI_MALLOC_VERSION >= 200 && MI_MALLOC_VERSION < 300,
              "dlopen names libmimalloc.so.2: build against mimalloc 2.x");

// glibc's own entry points, which the definitions below forward to.
extern "C" {
void* __libc_malloc(std::size_t size) noexcept;
void* __libc_calloc(std::size_t count, std::size_t size) noexcept;
void* __libc_realloc(void* block, std::size_t size) noexcept;
void __libc_free(void* block) noexcept;
void* __libc_memalign(std::size_t alignment, std::size_t size) noexcept;
void* __libc_valloc(std::size_t size) noexcept;
void* __libc_pvalloc(std::size_t size) noexcept;
}

namespace {

constexpr const char* mimalloc_soname = "libmimalloc.so.2";

struct Mimalloc {
  decltype(&mi_malloc) malloc = nullptr;
  decltype(&mi_calloc) calloc = nullptr;
  decltype(&mi_realloc) realloc = nullptr;
  decltype(&mi_free) free = nullptr;
  decltype(&mi_usable_size) usable_size = nullptr;
};

// Written once, before `serving` is set with release order; allocating threads read it after
// an acquire load of `serving`.
Mimalloc mimalloc;
std::atomic<bool> serving{false};

// The range mimalloc allocates in. A thread that frees a mimalloc block got the pointer from
// the allocating thread, after that thread saw `serving`, so it sees the range too.
std::atomic<std::uintptr_t> arena_begin{0};
std::atomic<std::uintptr_t> arena_bytes{0};

bool in_arena(const void* block) noexcept {
  const auto offset =
      reinterpret_cast<std::uintptr_t>(block) - arena_begin.load(std::memory_order_relaxed);
  return offset < arena_bytes.load(std::memory_order_relaxed);
}

bool mimalloc_serves() noexcept {
  return serving.load(std::memory_order_acquire);
}

// glibc exports malloc_usable_size only under that name, which evt defines too.
std::size_t glibc_usable_size(void* block) noexcept {
  using UsableSize = std::size_t (*)(void*);
  static std::atomic<UsableSize> glibc{nullptr};
  UsableSize function = glibc.load(std::memory_order_relaxed);
  if (function == nullptr) {
    function = reinterpret_cast<UsableSize>(dlsym(RTLD_NEXT, "malloc_usable_size"));
    glibc.store(function, std::memory_order_relaxed);
  }
  return function != nullptr ? function(block) : 0;
}

template <typename Function>
bool load_symbol(void* library, const char* name, Function& out) {
  out = reinterpret_cast<Function>(dlsym(library, name));
  return out != nullptr;
}

evt::memory::AllocatorSwitch stay_with_glibc(std::string why) {
  return evt::memory::AllocatorSwitch{false, std::move(why)};
}

evt::memory::AllocatorSwitch switch_once(std::size_t bytes) {
  // RTLD_LOCAL: mimalloc also defines malloc and __libc_malloc; they must not join the
  // process's symbol scope, where evt's definitions below decide.
  void* library = dlopen(mimalloc_soname, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* reason = dlerror();
    return stay_with_glibc(reason != nullptr ? reason : mimalloc_soname);
  }
  Mimalloc loaded;
  decltype(&mi_option_set) option_set = nullptr;
  decltype(&mi_manage_os_memory_ex) manage_memory = nullptr;
  decltype(&mi_version) version = nullptr;
  if (!load_symbol(library, "mi_malloc", loaded.malloc) ||
      !load_symbol(library, "mi_calloc", loaded.calloc) ||
      !load_symbol(library, "mi_realloc", loaded.realloc) ||
      !load_symbol(library, "mi_free", loaded.free) ||
      !load_symbol(library, "mi_usable_size", loaded.usable_size) ||
      !load_symbol(library, "mi_option_set", option_set) ||
      !load_symbol(library, "mi_manage_os_memory_ex", manage_memory) ||
      !load_symbol(library, "mi_version", version)) {
    return stay_with_glibc(std::string(mimalloc_soname) + " lacks a function evt calls");
  }
  // Reserve the range, aligned as mimalloc aligns its segments. MAP_NORESERVE: pages count
  // only once touched. A failure (ulimit -v, strict overcommit) keeps glibc.
  const std::size_t alignment = std::size_t{64} << 20;
  void* mapping = mmap(nullptr,
                       bytes + alignment,
                       PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                       -1,
                       0);
  if (mapping == MAP_FAILED) {
    return stay_with_glibc(std::string("reserving the arena failed: ") + std::strerror(errno));
  }
  const auto begin = (reinterpret_cast<std::uintptr_t>(mapping) + alignment - 1) & ~(alignment - 1);
  // Only the reserved range, never fresh OS memory: free() knows mimalloc's blocks by address.
  // When the range is full mimalloc returns null and glibc serves instead.
  option_set(mi_option_limit_os_alloc, 1);
  mi_arena_id_t arena = 0;
  if (!manage_memory(reinterpret_cast<void*>(begin),
                     bytes,
                     /*is_committed=*/true,
                     /*is_large=*/false,
                     /*is_zero=*/true,
                     /*numa_node=*/-1,
                     /*exclusive=*/false,
                     &arena)) {
    munmap(mapping, bytes + alignment);
    return stay_with_glibc("mimalloc did not accept the reserved arena");
  }
  mimalloc = loaded;
  arena_begin.store(begin, std::memory_order_relaxed);
  arena_bytes.store(bytes, std::memory_order_relaxed);
  serving.store(true, std::memory_order_release);
  const int number = version();
  return evt::memory::AllocatorSwitch{true,
                                      "mimalloc " + std::to_string(number / 100) + "." +
                                          std::to_string(number / 10 % 10) + "." +
                                          std::to_string(number % 10)};
}

}  // namespace

namespace evt::memory {

AllocatorSwitch switch_to_mimalloc(std::size_t arena_bytes) noexcept {
  static const AllocatorSwitch result = switch_once(arena_bytes);
  return result;
}

bool allocated_by_mimalloc(const void* pointer) noexcept {
  return in_arena(pointer);
}

}  // namespace evt::memory

// The malloc family, as glibc's manual lists for replacing malloc. The aligned forms (rare,
// never per record) always go to glibc.
extern "C" {

void* malloc(std::size_t size) noexcept {
  if (mimalloc_serves()) {
    if (void* block = mimalloc.malloc(size)) {
      return block;
    }
  }
  return __libc_malloc(size);
}

void* calloc(std::size_t count, std::size_t size) noexcept {
  if (mimalloc_serves()) {
    if (void* block = mimalloc.calloc(count, size)) {
      return block;
    }
  }
  return __libc_calloc(count, size);
}

void free(void* block) noexcept {
  if (in_arena(block)) {
    mimalloc.free(block);
  } else {
    __libc_free(block);
  }
}

void* realloc(void* block, std::size_t size) noexcept {
  if (block == nullptr) {
    return malloc(size);
  }
  if (!in_arena(block)) {
    return __libc_realloc(block, size);  // a glibc block stays glibc's
  }
  if (void* moved = mimalloc.realloc(block, size)) {
    return moved;
  }
  // The arena is full: move the block to glibc.
  void* moved = __libc_malloc(size);
  if (moved != nullptr) {
    std::memcpy(moved, block, std::min(size, mimalloc.usable_size(block)));
    mimalloc.free(block);
  }
  return moved;
}

void* reallocarray(void* block, std::size_t count, std::size_t size) noexcept {
  std::size_t bytes = 0;
  if (__builtin_mul_overflow(count, size, &bytes)) {
    errno = ENOMEM;
    return nullptr;
  }
  return realloc(block, bytes);
}

std::size_t malloc_usable_size(void* block) noexcept {
  return in_arena(block) ? mimalloc.usable_size(block) : glibc_usable_size(block);
}

void* memalign(std::size_t alignment, std::size_t size) noexcept {
  return __libc_memalign(alignment, size);
}

void* aligned_alloc(std::size_t alignment, std::size_t size) noexcept {
  if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
    errno = EINVAL;
    return nullptr;
  }
  return __libc_memalign(alignment, size);
}

int posix_memalign(void** out, std::size_t alignment, std::size_t size) noexcept {
  if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0 || alignment == 0) {
    return EINVAL;
  }
  void* block = __libc_memalign(alignment, size);
  if (block == nullptr) {
    return ENOMEM;
  }
  *out = block;
  return 0;
}

void* valloc(std::size_t size) noexcept {
  return __libc_valloc(size);
}

void* pvalloc(std::size_t size) noexcept {
  return __libc_pvalloc(size);
}

}  // extern "C"
