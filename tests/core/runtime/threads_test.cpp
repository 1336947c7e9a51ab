#include "runtime/threads.h"

#include <ATen/Parallel.h>
#include <gtest/gtest.h>

#include <thread>

namespace restora {
namespace {

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
