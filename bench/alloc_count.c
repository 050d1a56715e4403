/* An LD_PRELOAD allocation counter for bench/run.py's "allocs" case: counts every malloc,
 * calloc, realloc and aligned allocation of a process (all threads, librdkafka's included) and
 * appends the total to $ALLOC_COUNT_FILE at exit. Comparing evt's count per record with the
 * floor's (librdkafka alone) shows whether evt's own hot path allocates per record. */
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

static atomic_ulong allocations;

static void count_one(void) {
  atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
}

void *malloc(size_t size) {
  count_one();
  return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
  count_one();
  return __libc_calloc(count, size);
}

void *realloc(void *ptr, size_t size) {
  count_one();
  return __libc_realloc(ptr, size);
}

void *memalign(size_t alignment, size_t size) {
  count_one();
  return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
  count_one();
  return __libc_memalign(alignment, size);
}

int posix_memalign(void **out, size_t alignment, size_t size) {
  count_one();
  void *ptr = __libc_memalign(alignment, size);
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
