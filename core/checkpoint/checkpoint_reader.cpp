// read_checkpoint: parse the file safely (TorchFile), then find the state dict inside the
// container the training code saved and turn its entries into tensors.
#include "checkpoint/byte_source.h"
#include "checkpoint/checkpoint.h"
#include "checkpoint/torch_file.h"
#include "common/error.h"

#include <array>

namespace restora {

using checkpoint_detail::ByteSource;
using checkpoint_detail::TorchFile;
using checkpoint_detail::Value;
using checkpoint_detail::ValueKind;

namespace {

// Where training code keeps the weights, in order of preference (basicsr prefers params_ema).
constexpr std::array<const char*, 6> kContainerKeys{"params_ema", "params", "state_dict", "model_state_dict", "model",
                                                    "net"};
const std::string kModulePrefix = "module.";

bool holds_tensors(const Value* value) {
  if (!value || value->kind != ValueKind::Dict) return false;
  for (const auto& entry : value->entries)
    if (entry.second->kind == ValueKind::Tensor) return true;
  return false;
}

std::string entry_names(const Value& dict) {
  std::string out;
  size_t shown = 0;
  for (const auto& entry : dict.entries) {
    if (entry.first->kind != ValueKind::String) continue;
    if (shown == 20) return out + ", ...";
    out += (shown++ ? ", " : "") + entry.first->text;
  }
  return out.empty() ? "none" : out;
}

/// The dict holding the weights, and the container entry it came from ("" for the root).
const Value& select_state_dict(const ByteSource& source, const Value& root, const CheckpointReadOptions& options,
                               Checkpoint& out) {
  if (root.kind != ValueKind::Dict)
    source.fail(std::string("holds a ") + checkpoint_detail::kind_name(root.kind) + ", not a dict of weights");
  if (options.key) {
    const Value* chosen = root.get(*options.key);
    if (!chosen) source.fail("has no entry \"" + *options.key + "\" (entries: " + entry_names(root) + ")");
    if (chosen->kind != ValueKind::Dict)
      source.fail("entry \"" + *options.key + "\" is a " + checkpoint_detail::kind_name(chosen->kind) +
                  ", not a state dict");
    out.container_key = *options.key;
    return *chosen;
  }
  for (const char* key : kContainerKeys) {
    const Value* candidate = root.get(key);
    if (!holds_tensors(candidate)) continue;
    out.container_key = key;
    if (out.container_key == "params_ema" && holds_tensors(root.get("params")))
      out.notes.push_back("used params_ema (params also present)");
    return *candidate;
  }
  if (holds_tensors(&root)) return root;
  source.fail("holds no state dict (entries: " + entry_names(root) + ")");
}

Checkpoint read_from_source(ByteSource& source, const CheckpointReadOptions& options) {
  TorchFile file(source);
  Checkpoint out;
  out.format = file.format();
  const Value& dict = select_state_dict(source, file.root(), options, out);
  size_t stripped = 0;
  for (const auto& [key, value] : dict.entries) {
    if (key->kind != ValueKind::String || value->kind != ValueKind::Tensor) continue;
    std::string name = key->text;
    if (name.compare(0, kModulePrefix.size(), kModulePrefix) == 0) {
      name.erase(0, kModulePrefix.size());
      ++stripped;
    }
    if (out.state_dict.contains(name)) source.fail("key " + name + " occurs twice (with and without module.)");
    out.state_dict.insert(std::move(name), file.tensor(*value, options.to_float32));
  }
  if (const Value* metadata = file.root().get("metadata"); metadata && metadata->kind == ValueKind::Dict)
    for (const auto& [key, value] : metadata->entries)
      if (key->kind == ValueKind::String && value->kind == ValueKind::String) out.metadata[key->text] = value->text;
  if (stripped > 0)
    out.notes.push_back("removed the module. prefix (nn.DataParallel) from " + std::to_string(stripped) + " keys");
  return out;
}

}  // namespace

Checkpoint read_checkpoint(const std::filesystem::path& path, const CheckpointReadOptions& options) {
  checkpoint_detail::FileSource source(path);
  return read_from_source(source, options);
}

Checkpoint read_checkpoint_from_bytes(const void* data, size_t size, const std::string& name,
                                      const CheckpointReadOptions& options) {
  checkpoint_detail::MemorySource source(data, size, name);
  return read_from_source(source, options);
}

}  // namespace restora
