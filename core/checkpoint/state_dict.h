#pragma once
#include <torch/types.h>

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace restora {

/// An ordered name -> tensor mapping, as PyTorch's state_dict(). Several names may share one
/// storage (official MPRNet/MIRNet files do); tensors then alias the same memory.
class StateDict {
 public:
  using Entry = std::pair<std::string, torch::Tensor>;

  void insert(std::string name, torch::Tensor tensor);  ///< replaces an existing name in place
  const torch::Tensor* find(const std::string& name) const;
  bool contains(const std::string& name) const { return find(name) != nullptr; }
  const std::vector<Entry>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

 private:
  std::vector<Entry> entries_;
  std::unordered_map<std::string, size_t> index_;  ///< name -> position in entries_
};

/// Name and shape of one entry: all that network detection looks at.
struct TensorInfo {
  std::string name;
  std::vector<int64_t> shape;
};
std::vector<TensorInfo> tensor_infos(const StateDict& state_dict);

}  // namespace restora
