#include "runtime/threads.h"

#include <ATen/Parallel.h>
#include <gtest/gtest.h>

#include <thread>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace restora {
namespace {

#ifdef __linux__
int this_threads_nice() { return ::getpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid))); }

TEST(Threads, ABackgroundThreadGoesBelowTheMainThreadOnlyOnce) {
  const int main_nice = this_threads_nice();
  int first = 0, second = 0, child = 0;
  bool lowered = false;
  std::thread worker([&] {
    lowered = lower_this_threads_priority(5);
    first = this_threads_nice();
    lower_this_threads_priority(5);
    second = this_threads_nice();
    std::thread([&] { child = this_threads_nice(); }).join();  // threads it starts inherit it
  });
  worker.join();
  if (main_nice + 5 > 19) GTEST_SKIP() << "this process already runs at nice " << main_nice;
  EXPECT_TRUE(lowered);
  EXPECT_EQ(first, main_nice + 5);
  EXPECT_EQ(second, main_nice + 5) << "relative to the main thread, not cumulative";
  EXPECT_EQ(child, main_nice + 5);
  EXPECT_EQ(this_threads_nice(), main_nice) << "the calling thread only";
}
#endif

TEST(Threads, ConfigureUsesEveryCoreByDefault) {
  EXPECT_EQ(configure_threads(0), hardware_cores());
  EXPECT_EQ(at::get_num_threads(), hardware_cores());
}

TEST(Threads, ConfigureHonoursAnExplicitCount) {
  EXPECT_EQ(configure_threads(1), 1);
  EXPECT_EQ(configured_threads(), 1);
  configure_threads(0);
}

TEST(Threads, WorkerThreadsGetTheConfiguredCountOnceApplied) {
  configure_threads(2);
  int before = -1;
  int after = -1;
  std::thread worker([&] {
    before = at::get_num_threads();
    apply_threads_to_this_thread();
    after = at::get_num_threads();
  });
  worker.join();
  EXPECT_EQ(after, 2) << "a worker started with " << before << " thread(s)";
  configure_threads(0);
}

}  // namespace
}  // namespace restora
