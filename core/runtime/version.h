#pragma once
#include <string>

namespace restora {

/// "0.1.0": from project(... VERSION) in the top CMakeLists.txt.
std::string version();
/// "1.13.1": the LibTorch the program runs with.
std::string torch_version();
/// Several lines for --version: version, LibTorch, threads, devices.
std::string version_report(const std::string& program_name);

}  // namespace restora
