#include "support/shared_data.h"

#include <gtest/gtest.h>

#include <atomic>
#include <unistd.h>

namespace restora::test {

std::filesystem::path shared_dir() { return std::filesystem::path(RESTORA_SHARED_DIR); }

std::filesystem::path shared_path(const std::string& relative) {
  const auto path = shared_dir() / relative;
  if (!std::filesystem::exists(path))
    ADD_FAILURE() << "test data missing: " << path
                  << " (../shared must sit beside the checkout; configure with -DRESTORA_SHARED_DIR=...)";
  return path;
}

std::filesystem::path source_dir() { return std::filesystem::path(RESTORA_SOURCE_DIR); }

std::filesystem::path make_temp_dir(const std::string& name) {
  static std::atomic<int> counter{0};
  const auto dir = std::filesystem::temp_directory_path() /
                   ("restora-test-" + name + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace restora::test
