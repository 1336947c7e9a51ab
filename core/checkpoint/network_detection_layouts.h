#pragma once
#include "checkpoint/state_dict.h"
#include "nets/network_spec.h"

#include <vector>

namespace restora {

/// The state-dict names and shapes the official Python code creates for `spec` (class name and
/// constructor arguments; absent arguments take the official defaults), in the official order,
/// shared keys included once per name. Arguments the official code ignores (MPRNet in_c/out_c,
/// MIRNet-v2 n_RRG/height/width/scale, HINet relu_slope) do not change the result.
/// Throws restora::Error(BadInput) for an unknown network or sizes no network can have.
std::vector<TensorInfo> expected_state_dict(const NetworkSpec& spec);

/// CPython's `a // b` for floats (MIRNet-v2 computes channels as int(C // chan_factor)).
double python_floordiv(double a, double b);

}  // namespace restora
