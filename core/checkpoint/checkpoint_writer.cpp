// write_checkpoint: {"params": OrderedDict(name -> tensor), "metadata": {str: str}} in the
// zip layout of torch.save (PyTorch >= 1.6), readable by Python's torch.load and by us.
#include "checkpoint/checkpoint.h"
#include "checkpoint/pickle_writer.h"
#include "checkpoint/torch_globals.h"
#include "checkpoint/zip_writer.h"
#include "common/error.h"

#include <torch/torch.h>

#include <fstream>
#include <map>

namespace restora {

using checkpoint_detail::PickleWriter;

namespace {

const std::string kArchiveRoot = "archive/";

/// One storage to write; tensors over the same memory share it, as in the file we read.
struct StorageOut {
  torch::Tensor whole;  ///< 1-D, covering the whole storage, CPU
  std::string key;
};

/// Where a tensor lives in the storages written.
struct TensorOut {
  std::string key;
  int64_t storage_numel = 0;
  int64_t offset = 0;
  std::vector<int64_t> sizes, strides;
};

class StorageTableOut {
 public:
  /// Registers `t` (on the CPU), sharing the storage of any earlier tensor over the same memory.
  TensorOut add(const torch::Tensor& t) {
    const auto item = static_cast<int64_t>(t.element_size());
    const auto nbytes = static_cast<int64_t>(t.storage().nbytes());
    if (nbytes % item != 0) {  // a storage reinterpreted with another element size: write a copy
      const torch::Tensor copy = t.contiguous().clone().reshape({-1});
      storages_.push_back({copy, std::to_string(storages_.size())});
      return {storages_.back().key, copy.numel(), 0, t.sizes().vec(), t.contiguous().strides().vec()};
    }
    const auto id = std::make_pair(static_cast<const void*>(t.storage().unsafeGetStorageImpl()), t.scalar_type());
    auto it = index_.find(id);
    if (it == index_.end()) {
      const torch::Tensor whole = torch::empty({0}, t.options()).set_(t.storage(), 0, {nbytes / item}, {1});
      it = index_.emplace(id, storages_.size()).first;
      storages_.push_back({whole, std::to_string(storages_.size())});
    }
    return {storages_[it->second].key, nbytes / item, t.storage_offset(), t.sizes().vec(), t.strides().vec()};
  }
  const std::vector<StorageOut>& storages() const { return storages_; }

 private:
  std::map<std::pair<const void*, c10::ScalarType>, size_t> index_;
  std::vector<StorageOut> storages_;
};

void write_tensor(PickleWriter& p, c10::ScalarType dtype, const TensorOut& t) {
  // _rebuild_tensor_v2(("storage", cls, key, "cpu", numel), offset, size, stride, False, OrderedDict())
  p.global("torch._utils", "_rebuild_tensor_v2").mark();
  p.mark().unicode("storage").global("torch", checkpoint_detail::storage_class_name(dtype));
  p.unicode(t.key).unicode("cpu").integer(t.storage_numel).tuple().binpersid();
  p.integer(t.offset).mark();
  for (int64_t s : t.sizes) p.integer(s);
  p.tuple().mark();
  for (int64_t s : t.strides) p.integer(s);
  p.tuple().boolean(false).global("collections", "OrderedDict").empty_tuple().reduce();
  p.tuple().reduce();
}

}  // namespace

void write_checkpoint(const std::filesystem::path& path, const StateDict& state_dict,
                      const std::map<std::string, std::string>& metadata) {
  StorageTableOut storages;
  PickleWriter p;
  p.proto().empty_dict().mark();
  p.unicode("params").global("collections", "OrderedDict").empty_tuple().reduce().mark();
  for (const auto& [name, tensor] : state_dict.entries()) {
    if (!tensor.defined()) throw Error(ErrorKind::BadUsage, path.string() + ": tensor " + name + " is undefined");
    const torch::Tensor t = tensor.device().is_cpu() ? tensor : tensor.cpu();
    try {
      checkpoint_detail::storage_class_name(t.scalar_type());
    } catch (const std::invalid_argument&) {
      throw Error(ErrorKind::BadUsage, path.string() + ": tensor " + name + " has unsupported type " +
                                           std::string(c10::toString(t.scalar_type())));
    }
    p.unicode(name);
    write_tensor(p, t.scalar_type(), storages.add(t));
  }
  p.setitems();
  p.unicode("metadata").empty_dict().mark();
  for (const auto& [k, v] : metadata) p.unicode(k).unicode(v);
  p.setitems().setitems().stop();

  const auto temporary = std::filesystem::path(path.string() + ".partial");
  try {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot create the file");
    checkpoint_detail::ZipWriter zip(out);
    zip.add(kArchiveRoot + "data.pkl", p.bytes());
    for (const auto& s : storages.storages())
      zip.add(kArchiveRoot + "data/" + s.key, s.whole.data_ptr(),
              static_cast<size_t>(s.whole.numel()) * s.whole.element_size());
    zip.add(kArchiveRoot + "version", std::string("3\n"));
    zip.finish();
    out.close();
    if (!out) throw std::runtime_error("write failed");
    std::filesystem::rename(temporary, path);
  } catch (const std::exception& e) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw Error(ErrorKind::Failed, path.string() + ": cannot write the checkpoint (" + e.what() + ")");
  }
}

}  // namespace restora
