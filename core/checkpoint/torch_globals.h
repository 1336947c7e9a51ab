#pragma once
#include <c10/core/ScalarType.h>

#include <optional>
#include <string>

namespace restora::checkpoint_detail {

/// The only GLOBALs a checkpoint may name ("module.name"): collections.OrderedDict,
/// torch._utils._rebuild_tensor(_v2), torch._utils._rebuild_parameter, torch.Size and the
/// torch[.cuda].<T>Storage classes of the supported element types.
bool is_allowed_global(const std::string& full_name);

/// Element type of an allow-listed storage class ("torch.cuda.HalfStorage" -> Half).
std::optional<c10::ScalarType> storage_dtype(const std::string& full_name);

/// "FloatStorage" for Float, ...; throws std::invalid_argument for unsupported types.
std::string storage_class_name(c10::ScalarType dtype);

}  // namespace restora::checkpoint_detail
