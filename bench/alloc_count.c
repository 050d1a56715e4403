/* An LD_PRELOAD allocation counter for bench/run.py's "allocs" case: counts every malloc,
 * calloc, realloc and aligned allocation of a process (all threads, librdkafka's included) and
 * appends the total to $ALLOC_COUNT_FILE at exit. Comparing evt's count per record with the
 * floor's (librdkafka alone) shows whether evt's own hot path allocates per record.
 *
 * evt defines malloc itself (lib/evt/memory/process_allocator.cpp), which LD_PRELOAD cannot
 * replace; on glibc (EVT_ALLOCATOR=glibc) it calls glibc's __libc_malloc family, so those are
 * counted too. glibc's own entry points are looked up once with dlsym(RTLD_NEXT). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

static atomic_ulong allocations;

typedef void *(*Malloc)(size_t);
typedef void *(*Calloc)(size_t, size_t);
typedef void *(*Realloc)(void *, size_t);
typedef void *(*Memalign)(size_t, size_t);

static Malloc glibc_malloc;
static Calloc glibc_calloc;
static Realloc glibc_realloc;
static Memalign glibc_memalign;

/* dlsym does not allocate when the symbol exists; these are glibc's, found past this library. */
static void find_glibc(void) {
  if (glibc_malloc == NULL) {
    glibc_calloc = (Calloc)dlsym(RTLD_NEXT, "__libc_calloc");
    glibc_realloc = (Realloc)dlsym(RTLD_NEXT, "__libc_realloc");
    glibc_memalign = (Memalign)dlsym(RTLD_NEXT, "__libc_memalign");
    glibc_malloc = (Malloc)dlsym(RTLD_NEXT, "__libc_malloc");
  }
}

static void count_one(void) {
  atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
  find_glibc();
}

void *malloc(size_t size) {
  count_one();
  return glibc_malloc(size);
}

void *__libc_malloc(size_t size) __attribute__((alias("malloc")));

void *calloc(size_t count, size_t size) {
  count_one();
  return glibc_calloc(count, size);
}

void *__libc_calloc(size_t count, size_t size) __attribute__((alias("calloc")));

void *realloc(void *ptr, size_t size) {
  count_one();
  return glibc_realloc(ptr, size);
}

void *__libc_realloc(void *ptr, size_t size) __attribute__((alias("realloc")));

void *memalign(size_t alignment, size_t size) {
  count_one();
  return glibc_memalign(alignment, size);
}

void *__libc_memalign(size_t alignment, size_t size) __attribute__((alias("memalign")));

void *aligned_alloc(size_t alignment, size_t size) {
  count_one();
  return glibc_memalign(alignment, size);
}

int posix_memalign(void **out, size_t alignment, size_t size) {
  count_one();
  void *ptr = glibc_memalign(alignment, size);
  if (ptr == NULL) {
    return ENOMEM;
  }
  *out = ptr;
  return 0;
}

__attribute__((destructor)) static void report_allocations(void) {
  const unsigned long total = atomic_load(&allocations);
  const char *path = getenv("ALLOC_COUNT_FILE");
  if (path == NULL) {
    return;
  }
  FILE *file = fopen(path, "a");
  if (file != NULL) {
    fprintf(file, "%lu\n", total);
    fclose(file);
  }
}
