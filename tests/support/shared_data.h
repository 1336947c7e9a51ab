#pragma once
#include <filesystem>
#include <string>

namespace restora::test {

/// ../shared beside the checkout (set at configure time). Tests that need it call
/// shared_path(), which fails the test (never skips) when the folder is missing: CI always has it.
std::filesystem::path shared_dir();

/// shared_dir() / relative, with an ADD_FAILURE naming the path when it does not exist.
std::filesystem::path shared_path(const std::string& relative);

/// The source tree (for bundled resources).
std::filesystem::path source_dir();

/// A fresh empty temporary directory for one test, removed by the caller or left in /tmp.
std::filesystem::path make_temp_dir(const std::string& name);

}  // namespace restora::test
