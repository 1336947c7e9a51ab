#pragma once
#include "checkpoint/byte_source.h"
#include "checkpoint/pickle_value.h"
#include "checkpoint/unpickler.h"
#include "checkpoint/zip_archive.h"

#include <torch/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace restora::checkpoint_detail {

/// A parsed PyTorch file: its object (as plain values) and lazy access to its storages, so that
/// only the storages of the selected state dict are ever read (not the optimizer's).
class TorchFile {
 public:
  explicit TorchFile(ByteSource& source);
  const Value& root() const { return *root_; }
  const std::string& format() const { return format_; }
  /// The tensor a Tensor value describes, over a storage shared by every tensor using it.
  /// `to_float32` converts floating storages to float32 (once per storage, so sharing survives).
  torch::Tensor tensor(const Value& value, bool to_float32);

 private:
  void parse_zip();
  void parse_legacy();
  void locate_legacy_storages(Cursor& in, const Value& keys);
  torch::Tensor load_storage(size_t index);
  UnpicklerLimits limits() const;

  ByteSource& source_;
  ValueArena arena_;
  StorageTable storages_;
  const Value* root_ = nullptr;
  std::string format_;
  std::unique_ptr<ZipArchive> zip_;
  std::string zip_root_;                        ///< "<root>/" before data.pkl
  std::vector<uint64_t> legacy_offsets_;        ///< per storage index: where its bytes start
  std::vector<torch::Tensor> loaded_, loaded_f32_;
};

}  // namespace restora::checkpoint_detail
