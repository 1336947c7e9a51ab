#include "checkpoint/torch_globals.h"

#include <array>
#include <stdexcept>
#include <utility>

namespace restora::checkpoint_detail {

namespace {

using c10::ScalarType;

constexpr std::array<std::pair<const char*, ScalarType>, 10> kStorages{{
    {"FloatStorage", ScalarType::Float},
    {"DoubleStorage", ScalarType::Double},
    {"HalfStorage", ScalarType::Half},
    {"BFloat16Storage", ScalarType::BFloat16},
    {"LongStorage", ScalarType::Long},
    {"IntStorage", ScalarType::Int},
    {"ShortStorage", ScalarType::Short},
    {"CharStorage", ScalarType::Char},
    {"ByteStorage", ScalarType::Byte},
    {"BoolStorage", ScalarType::Bool},
}};

constexpr std::array<const char*, 5> kCallables{
    "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor",
    "torch._utils._rebuild_parameter", "torch.Size"};

}  // namespace

std::optional<c10::ScalarType> storage_dtype(const std::string& full_name) {
  for (const char* prefix : {"torch.", "torch.cuda."}) {
    const std::string p(prefix);
    if (full_name.compare(0, p.size(), p) != 0) continue;
    const std::string rest = full_name.substr(p.size());
    for (const auto& [name, dtype] : kStorages)
      if (rest == name) return dtype;
  }
  return std::nullopt;
}

bool is_allowed_global(const std::string& full_name) {
  for (const char* name : kCallables)
    if (full_name == name) return true;
  return storage_dtype(full_name).has_value();
}

std::string storage_class_name(c10::ScalarType dtype) {
  for (const auto& [name, type] : kStorages)
    if (type == dtype) return name;
  throw std::invalid_argument(std::string("no storage class for dtype ") + c10::toString(dtype));
}

}  // namespace restora::checkpoint_detail
