#pragma once
#include "nets/network_spec.h"

#include <map>
#include <string>
#include <vector>

namespace restora {

/// Name (without "module.") -> shape.
using ShapeMap = std::map<std::string, std::vector<int64_t>>;

/// Constructor arguments read off the shapes, assuming the dict is a `network` one.
struct DerivedArgs {
  NetworkSpec spec;  ///< every argument; official defaults where the anchor keys are absent
  /// Arguments whose value the shapes cannot tell (spec holds the official default).
  std::vector<std::string> undetermined;
};

/// Never throws: unusable shapes fall back to defaults, and the reconstruction then differs.
DerivedArgs derive_args(const std::string& network, const ShapeMap& shapes);

}  // namespace restora
