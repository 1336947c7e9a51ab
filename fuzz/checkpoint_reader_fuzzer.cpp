// libFuzzer target: any byte string given to the checkpoint reader ends in a checkpoint or in
// restora::Error; anything else (another exception, a crash, a leak, a hang, runaway memory)
// is a finding. Seeds: ../shared/conformance/*/*/weights*.pth.
#include "checkpoint/checkpoint.h"
#include "common/error.h"

#include <torch/types.h>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const restora::Checkpoint checkpoint = restora::read_checkpoint_from_bytes(data, size, "fuzz.pth");
    // Touch every element so that a tensor reaching outside its storage cannot go unnoticed.
    for (const auto& [name, tensor] : checkpoint.state_dict.entries())
      if (tensor.numel() > 0) (void)tensor.to(torch::kDouble).sum().item<double>();
  } catch (const restora::Error&) {
  }
  return 0;
}
