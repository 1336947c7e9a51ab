#pragma once

namespace restora {

/// The one place that sets LibTorch's thread counts. `requested` <= 0 means "one per core".
/// Debian's LibTorch starts with a single intra-op thread, so every program calls this at start.
/// It also sets the heap up for large tensors (keep_freed_memory_for_reuse in heap.h).
/// Returns the intra-op thread count in force afterwards.
int configure_threads(int requested = 0);

/// OpenMP thread pools are per calling thread: a worker thread starts with the library default
/// (1 here), not with what configure_threads set. Call this at the start of every worker thread.
void apply_threads_to_this_thread();

/// Sets the calling thread's scheduling priority `steps` nice levels below the main thread's
/// (the OpenMP threads it starts later inherit it; calling it again changes nothing), so that
/// heavy work on a background thread leaves a GUI thread responsive on a machine whose cores it
/// fills. Linux: nice is per thread; elsewhere, and when not permitted, it does nothing. Returns
/// whether it took effect.
bool lower_this_threads_priority(int steps);

/// The intra-op thread count configured for the process (what workers will use).
int configured_threads();

/// at::get_num_threads() as seen from the calling thread.
int intra_op_threads();

/// std::thread::hardware_concurrency(), at least 1.
int hardware_cores();

}  // namespace restora
