#pragma once
// Hand-made checkpoint bytes for the reader's tests: valid ones and hostile variations.
#include "checkpoint/pickle_writer.h"
#include "checkpoint/zip_writer.h"

#include <cstdint>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace restora::test {

using Records = std::vector<std::pair<std::string, std::string>>;

inline std::string zip_of(const Records& records) {
  std::ostringstream out;
  checkpoint_detail::ZipWriter zip(out);
  for (const auto& [name, bytes] : records) zip.add(name, bytes);
  zip.finish();
  return out.str();
}

/// What one tensor of a hand-made checkpoint claims about itself.
struct TensorClaim {
  int64_t storage_numel = 4;
  int64_t offset = 0;
  std::vector<int64_t> sizes{2, 2};
  std::vector<int64_t> strides{2, 1};
  std::string storage_class = "FloatStorage";
};

/// Protocol-2 pickle of {"params": OrderedDict({"w": tensor})}, as torch.save writes it.
inline std::string params_pickle(const TensorClaim& claim) {
  checkpoint_detail::PickleWriter p;
  p.proto().empty_dict().unicode("params").global("collections", "OrderedDict").empty_tuple().reduce().mark();
  p.unicode("w").global("torch._utils", "_rebuild_tensor_v2").mark();
  p.mark().unicode("storage").global("torch", claim.storage_class).unicode("0").unicode("cpu");
  p.integer(claim.storage_numel).tuple().binpersid().integer(claim.offset).mark();
  for (int64_t s : claim.sizes) p.integer(s);
  p.tuple().mark();
  for (int64_t s : claim.strides) p.integer(s);
  p.tuple().boolean(false).global("collections", "OrderedDict").empty_tuple().reduce().tuple().reduce();
  p.setitems().raw("s").stop();  // SETITEM of "params" into the top dict
  return p.bytes();
}

inline std::string float_bytes(size_t count) {
  std::string bytes;
  for (size_t i = 0; i < count; ++i) {
    const float v = static_cast<float>(i) + 0.5f;
    bytes.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  return bytes;
}

/// A complete zip checkpoint with one tensor; `data_bytes` is what data/0 really holds.
inline std::string zip_checkpoint(const TensorClaim& claim, const std::string& data_bytes) {
  return zip_of({{"archive/data.pkl", params_pickle(claim)}, {"archive/data/0", data_bytes}, {"archive/version", "3\n"}});
}

/// A zip checkpoint whose data.pkl is `pickle` (no storages).
inline std::string zip_with_pickle(const std::string& pickle) {
  return zip_of({{"archive/data.pkl", pickle}, {"archive/version", "3\n"}});
}

}  // namespace restora::test
