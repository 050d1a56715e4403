// SPDX-License-Identifier: MIT
// Unit tests of evt's malloc family (lib/evt/memory/process_allocator.cpp), linked into this
// binary as into evt. ctest runs each test case in a process of its own, so each starts on
// glibc and switches (or not) by itself.
#include "evt/memory/process_allocator.hpp"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include <errno.h>
#include <malloc.h>

namespace {

using evt::memory::allocated_by_mimalloc;
using evt::memory::switch_to_mimalloc;

// Keeps the compiler from pairing a malloc with its free and dropping both.
void* opaque(void* pointer) {
  asm volatile("" : "+r"(pointer));
  return pointer;
}

// Safe in any thread: no Catch2 assertion (they are not thread-safe).
void* allocate_filled(std::size_t size, unsigned char byte) {
  void* block = opaque(std::malloc(size));
  if (block != nullptr) {
    std::memset(block, byte, size);
  }
  return block;
}

void* filled(std::size_t size, unsigned char byte) {
  void* block = allocate_filled(size, byte);
  REQUIRE(block != nullptr);
  return block;
}

bool holds(const void* block, std::size_t size, unsigned char byte) {
  const auto* bytes = static_cast<const unsigned char*>(block);
  for (std::size_t i = 0; i < size; ++i) {
    if (bytes[i] != byte) {
      return false;
    }
  }
  return true;
}

void require_switch(std::size_t arena_bytes = evt::memory::default_arena_bytes) {
  const auto outcome = switch_to_mimalloc(arena_bytes);
  INFO("scripts/setup.sh installs libmimalloc2.0: " << outcome.detail);
  REQUIRE(outcome.to_mimalloc);
  REQUIRE(outcome.detail.rfind("mimalloc 2.", 0) == 0);
}

}  // namespace

TEST_CASE("before the switch every block is glibc's", "[allocator]") {
  void* block = filled(100, 0x11);
  CHECK_FALSE(allocated_by_mimalloc(block));
  CHECK(malloc_usable_size(block) >= 100);
  block = opaque(std::realloc(block, 100000));
  CHECK(holds(block, 100, 0x11));
  CHECK_FALSE(allocated_by_mimalloc(block));
  std::free(block);
  auto number = std::make_unique<int>(7);
  CHECK_FALSE(allocated_by_mimalloc(number.get()));
}

TEST_CASE("after the switch new blocks are mimalloc's and old ones still glibc's", "[allocator]") {
  void* before = filled(64, 0x22);
  void* grown_before = filled(64, 0x23);
  require_switch();

  void* after = filled(64, 0x33);
  CHECK(allocated_by_mimalloc(after));
  CHECK_FALSE(allocated_by_mimalloc(before));
  CHECK(malloc_usable_size(after) >= 64);
  CHECK(malloc_usable_size(before) >= 64);

  // A glibc block grows in glibc; a mimalloc block in mimalloc; both keep their bytes.
  grown_before = opaque(std::realloc(grown_before, 1 << 20));
  CHECK_FALSE(allocated_by_mimalloc(grown_before));
  CHECK(holds(grown_before, 64, 0x23));
  after = opaque(std::realloc(after, 1 << 20));
  CHECK(allocated_by_mimalloc(after));
  CHECK(holds(after, 64, 0x33));

  void* zeroed = opaque(std::calloc(1000, 8));
  CHECK(allocated_by_mimalloc(zeroed));
  CHECK(holds(zeroed, 8000, 0));
  void* from_null = opaque(std::realloc(nullptr, 32));
  CHECK(allocated_by_mimalloc(from_null));

  std::free(before);
  std::free(grown_before);
  std::free(after);
  std::free(zeroed);
  std::free(from_null);
  std::free(nullptr);

  // libstdc++'s operator new and glibc's own allocations (strdup) reach evt's malloc too.
  auto number = std::make_unique<int>(7);
  CHECK(allocated_by_mimalloc(number.get()));
  char* copy = static_cast<char*>(opaque(strdup("copied by glibc")));
  CHECK(allocated_by_mimalloc(copy));
  CHECK(std::string(copy) == "copied by glibc");
  std::free(copy);
}

TEST_CASE("blocks are freed by other threads than the one that allocated them", "[allocator]") {
  require_switch();
  constexpr int per_thread = 20000;
  std::vector<void*> from_workers[2];
  std::vector<std::thread> workers;
  for (auto& blocks : from_workers) {
    workers.emplace_back([&blocks] {
      for (int i = 0; i < per_thread; ++i) {
        blocks.push_back(allocate_filled(16 + i % 500, static_cast<unsigned char>(i)));
      }
    });
  }
  for (auto& worker : workers) {
    worker.join();
  }
  for (auto& blocks : from_workers) {
    for (int i = 0; i < per_thread; ++i) {
      REQUIRE(blocks[i] != nullptr);
      REQUIRE(allocated_by_mimalloc(blocks[i]));
      REQUIRE(holds(blocks[i], 16 + i % 500, static_cast<unsigned char>(i)));
      std::free(blocks[i]);
    }
  }
  // And the other way: the main thread allocates, a thread frees.
  std::vector<void*> from_main;
  for (int i = 0; i < per_thread; ++i) {
    from_main.push_back(filled(200, 0x44));
  }
  std::thread freeing([&from_main] {
    for (void* block : from_main) {
      std::free(block);
    }
  });
  freeing.join();
}

TEST_CASE("a full arena leaves the rest to glibc", "[allocator]") {
  constexpr std::size_t arena = std::size_t{128} << 20;
  require_switch(arena);
  std::vector<void*> blocks;
  std::size_t in_arena = 0;
  for (std::size_t total = 0; total < 2 * arena; total += 1 << 20) {
    blocks.push_back(filled(1 << 20, 0x55));
    in_arena += allocated_by_mimalloc(blocks.back()) ? 1 : 0;
  }
  CHECK(in_arena > 0);
  CHECK(in_arena < blocks.size());
  CHECK_FALSE(allocated_by_mimalloc(blocks.back()));

  // A mimalloc block that outgrows the arena moves to glibc with its bytes.
  void* growing = filled(1000, 0x66);
  REQUIRE(allocated_by_mimalloc(blocks.front()));
  std::free(blocks.front());
  blocks.front() = growing;
  growing = opaque(std::realloc(growing, 3 * arena));
  REQUIRE(growing != nullptr);
  CHECK_FALSE(allocated_by_mimalloc(growing));
  CHECK(holds(growing, 1000, 0x66));
  blocks.front() = growing;
  for (void* block : blocks) {
    std::free(block);
  }
}

TEST_CASE("switching twice keeps the first arena", "[allocator]") {
  require_switch();
  void* first = filled(10, 1);
  const auto again = switch_to_mimalloc(std::size_t{128} << 20);
  CHECK(again.to_mimalloc);
  CHECK(allocated_by_mimalloc(first));
  std::free(first);
}

TEST_CASE("the aligned forms validate their alignment as glibc does", "[allocator]") {
  require_switch();
  void* block = nullptr;
  CHECK(posix_memalign(&block, 3, 64) == EINVAL);
  CHECK(posix_memalign(&block, 4, 64) == EINVAL);  // not a multiple of sizeof(void*)
  REQUIRE(posix_memalign(&block, 4096, 64) == 0);
  CHECK(reinterpret_cast<std::uintptr_t>(block) % 4096 == 0);
  std::free(block);
  errno = 0;
  CHECK(aligned_alloc(24, 64) == nullptr);
  CHECK(errno == EINVAL);
  block = opaque(aligned_alloc(256, 512));
  REQUIRE(block != nullptr);
  CHECK(reinterpret_cast<std::uintptr_t>(block) % 256 == 0);
  std::free(block);
  block = opaque(memalign(64, 10));
  CHECK(reinterpret_cast<std::uintptr_t>(block) % 64 == 0);
  std::free(block);
  errno = 0;
  volatile std::size_t huge_count = SIZE_MAX / 2;  // hides the overflow from -Werror
  CHECK(reallocarray(nullptr, huge_count, 4) == nullptr);
  CHECK(errno == ENOMEM);
  block = opaque(reallocarray(nullptr, 10, 10));
  CHECK(allocated_by_mimalloc(block));
  std::free(block);
}
