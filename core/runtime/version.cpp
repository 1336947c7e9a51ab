#include "runtime/version.h"

#include "runtime/build_version.h"
#include "runtime/devices.h"
#include "runtime/threads.h"

#include <torch/version.h>

#include <sstream>

namespace restora {

std::string version() { return RESTORA_VERSION_STRING; }

std::string torch_version() { return TORCH_VERSION; }

std::string version_report(const std::string& program_name) {
  std::ostringstream out;
  out << program_name << ' ' << version() << '\n';
  out << "LibTorch " << torch_version() << '\n';
  out << "threads " << intra_op_threads() << " (of " << hardware_cores() << " cores)\n";
  out << "devices";
  for (const auto& device : available_devices()) out << "\n  " << device.name << ": " << device.description;
  out << '\n';
  return out.str();
}

}  // namespace restora
