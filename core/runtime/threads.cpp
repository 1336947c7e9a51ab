#include "runtime/threads.h"

#include "runtime/heap.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <mutex>
#include <thread>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace restora {
namespace {
std::atomic<int> g_threads{0};
std::once_flag g_interop_once;
}  // namespace

int hardware_cores() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

int configure_threads(int requested) {
  keep_freed_memory_for_reuse();  // every program starts here: the heap set-up belongs to the same start
  const int threads = requested > 0 ? requested : hardware_cores();
  g_threads = threads;
  at::set_num_threads(threads);
  // set_num_interop_threads may only be called once per process, before any inter-op work.
  std::call_once(g_interop_once, [] {
    try {
      at::set_num_interop_threads(1);
    } catch (const std::exception&) {
      // Already started by someone else: keep its value.
    }
  });
  return at::get_num_threads();
}

void apply_threads_to_this_thread() {
  const int wanted = g_threads.load();
  if (wanted > 0 && at::get_num_threads() != wanted) at::set_num_threads(wanted);
}

bool lower_this_threads_priority(int steps) {
#ifdef __linux__
  // Linux keeps a nice value per thread: PRIO_PROCESS with a thread id changes only that thread.
  // Relative to the main thread's (the process id's) value, so calling it again changes nothing.
  const auto thread = static_cast<id_t>(::syscall(SYS_gettid));
  errno = 0;
  const int main_thread = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::getpid()));
  if (errno != 0) return false;
  return ::setpriority(PRIO_PROCESS, thread, std::min(19, main_thread + steps)) == 0;
#else
  (void)steps;
  return false;
#endif
}

int configured_threads() {
  const int threads = g_threads.load();
  return threads > 0 ? threads : at::get_num_threads();
}

int intra_op_threads() { return at::get_num_threads(); }

}  // namespace restora
