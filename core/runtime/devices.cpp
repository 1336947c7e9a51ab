#include "runtime/devices.h"

#include "common/error.h"
#include "runtime/threads.h"

#include <torch/cuda.h>

namespace restora {

std::vector<DeviceInfo> available_devices() {
  std::vector<DeviceInfo> devices;
  devices.push_back({"cpu", "CPU, " + std::to_string(hardware_cores()) + " cores"});
  if (torch::cuda::is_available()) {
    const auto count = torch::cuda::device_count();
    for (size_t i = 0; i < count; ++i)
      devices.push_back({"cuda:" + std::to_string(i), "CUDA GPU " + std::to_string(i)});
  } else {
    devices.push_back({"cuda", "not available (this LibTorch has no CUDA or no GPU was found)"});
  }
  return devices;
}

std::string normalise_device_name(const std::string& name) {
  if (name == "cpu") return name;
  if (name == "cuda" || name.rfind("cuda:", 0) == 0) {
    if (!torch::cuda::is_available())
      throw Error(ErrorKind::BadUsage, "device '" + name + "': this LibTorch build has no CUDA GPU available");
    const std::string index = name == "cuda" ? "0" : name.substr(5);
    if (index.empty() || index.find_first_not_of("0123456789") != std::string::npos ||
        std::stoul(index) >= torch::cuda::device_count())
      throw Error(ErrorKind::BadUsage, "device '" + name + "': no such CUDA GPU");
    return "cuda:" + index;
  }
  throw Error(ErrorKind::BadUsage, "unknown device '" + name + "' (use cpu, cuda or cuda:N)");
}

}  // namespace restora
