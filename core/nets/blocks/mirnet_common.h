#pragma once
#include "nets/blocks/conv_cost.h"
#include "nets/blocks/fast_conv2d.h"

#include <torch/nn/module.h>

#include <cstdint>
#include <memory>
#include <string>

namespace restora::mirnet {

/// The official state-dict keys of MIRNet and MIRNet-v2 go through plain nn.Sequential,
/// nn.ModuleList and nn.ModuleDict containers ("body.0.top.4.filt", "down.64_2.body.0...").
/// This registers an empty module under `name` that only provides such a path segment.
inline std::shared_ptr<torch::nn::Module> add_path(torch::nn::Module& parent, const std::string& name) {
  return parent.register_module(name, std::make_shared<torch::nn::Module>());
}

}  // namespace restora::mirnet
