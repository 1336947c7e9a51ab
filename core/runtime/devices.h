#pragma once
#include <string>
#include <vector>

namespace restora {

struct DeviceInfo {
  std::string name;         ///< what --device takes: "cpu", "cuda:0", ...
  std::string description;  ///< for people: "CPU, 2 cores", "CUDA GPU 0"
};

/// The CPU, then every CUDA GPU when this LibTorch build has CUDA.
std::vector<DeviceInfo> available_devices();

/// Parses "cpu", "cuda", "cuda:N"; throws restora::Error (bad usage) for anything else or a missing GPU.
/// Declared with a string result type to keep torch headers out of this header.
std::string normalise_device_name(const std::string& name);

}  // namespace restora
