#include "runtime/heap.h"

#include <mutex>

#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
#define RESTORA_GLIBC_HEAP 1
#endif

namespace restora {

void keep_freed_memory_for_reuse() {
#ifdef RESTORA_GLIBC_HEAP
  static std::once_flag once;
  std::call_once(once, [] {
    // No mmap for large blocks: they come from the heap and are reused there (if the heap cannot
    // grow, glibc still falls back to mmap). Threads' own arenas hand large blocks to the main one.
    ::mallopt(M_MMAP_MAX, 0);
    // Never trim the heap's top on free (2 GiB, the most mallopt accepts): return_freed_memory does.
    ::mallopt(M_TRIM_THRESHOLD, 0x7fffffff);
  });
#endif
}

void return_freed_memory() {
#ifdef RESTORA_GLIBC_HEAP
  ::malloc_trim(0);
#endif
}

}  // namespace restora
