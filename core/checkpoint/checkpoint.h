#pragma once
#include "checkpoint/state_dict.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace torch::nn {
class Module;
}

namespace restora {

struct CheckpointReadOptions {
  /// Which container entry holds the weights ("params", "params_ema", "state_dict", ...);
  /// unset: the first of params_ema, params, state_dict, model_state_dict, model, net, or the
  /// top-level dict itself when it maps names to tensors.
  std::optional<std::string> key;
  /// Convert float16/bfloat16/float64 tensors to float32 (integer buffers stay int64).
  bool to_float32 = true;
};

/// What a .pth file holds, after unwrapping. Reading never executes anything from the file.
struct Checkpoint {
  StateDict state_dict;             ///< keys with any leading "module." removed
  std::string format;               ///< "zip" (torch >= 1.6) or "legacy" (torch < 1.6)
  std::string container_key;        ///< entry the weights came from; "" for a bare state dict
  std::vector<std::string> notes;   ///< e.g. "used params_ema (params also present)"
  /// String entries of a top-level "metadata" dict (what write_checkpoint stores); others are ignored.
  std::map<std::string, std::string> metadata;
};

/// Reads a PyTorch checkpoint with our own safe reader. Throws restora::Error(BadInput) with a
/// one-line message naming the file and the problem for anything that is not a readable checkpoint.
Checkpoint read_checkpoint(const std::filesystem::path& path, const CheckpointReadOptions& options = {});

/// The same for a checkpoint held in memory; `name` stands for the file in error messages.
Checkpoint read_checkpoint_from_bytes(const void* data, size_t size, const std::string& name,
                                      const CheckpointReadOptions& options = {});

/// Writes `state_dict` (and string metadata) in the zip format that Python's torch.load reads:
/// {"params": OrderedDict(...), "metadata": {...}}.
void write_checkpoint(const std::filesystem::path& path, const StateDict& state_dict,
                      const std::map<std::string, std::string>& metadata = {});

/// Copies `state_dict` into the module's parameters and buffers. Strict: every registered name
/// must be present with the same shape and no extra names may exist; otherwise throws
/// restora::Error(BadInput) listing the first few missing, unexpected and mismatched keys with counts.
void load_state_dict(torch::nn::Module& module, const StateDict& state_dict);

}  // namespace restora
