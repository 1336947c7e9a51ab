#pragma once
#include <cstddef>

namespace restora {

/// Makes the C heap keep freed memory for reuse instead of returning it to the system at once.
///
/// glibc serves every block over 32 MiB (less, early on) with a fresh mmap and unmaps it on free,
/// so each forward page-faults its large activations in anew: on our 2-core VM HINet at 512x512
/// spent 49 s of system time in 3 runs (14.3 s per forward; 2.85 s with this). Here every block
/// comes from the heap, which is trimmed only when return_freed_memory() says so (the engine
/// does after each job and before it measures the resident set). Idempotent; Linux/glibc only,
/// elsewhere it does nothing.
void keep_freed_memory_for_reuse();

/// Gives the heap's free pages back to the system (malloc_trim): the resident set then shows what
/// is in use. Takes some milliseconds; the next large allocations fault their pages in again.
void return_freed_memory();

}  // namespace restora
