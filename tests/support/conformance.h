#pragma once
#include "nets/network_spec.h"

#include <nlohmann/json.hpp>
#include <torch/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace restora::test {

/// One case folder of ../shared/conformance (e.g. "mprnet/tiny_a"): its meta.json and files.
struct ConformanceCase {
  std::string name;               ///< "mprnet/tiny_a"
  std::filesystem::path dir;
  nlohmann::json meta;

  NetworkSpec spec() const;       ///< network class + constructor_args from meta.json
  /// `<file>` of the case as a tensor, shape from meta.json ("input.f32", "output_1.f32", ...).
  torch::Tensor tensor(const std::string& file) const;
  std::vector<int64_t> shape_of(const std::string& file) const;
  std::vector<std::filesystem::path> weight_files() const;  ///< weights*.pth present
};

/// Every case folder under conformance/<arch> (arch: "mprnet", "hinet", "mirnet", "mirnetv2").
/// Fails the test when the folder is missing or empty.
std::vector<ConformanceCase> conformance_cases(const std::string& arch);

/// Every manifest whose file name starts with `prefix` ("mprnet_", "hinet_", "mirnet_", "mirnetv2_").
std::vector<std::filesystem::path> manifest_files(const std::string& prefix);

/// JSON constructor_args -> ArgMap (null -> None, bool, int, float, string).
ArgMap args_from_json(const nlohmann::json& constructor_args);

/// Loads a JSON file; fails the test (and returns null) when unreadable.
nlohmann::json load_json(const std::filesystem::path& path);

}  // namespace restora::test
