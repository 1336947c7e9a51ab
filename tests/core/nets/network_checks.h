#pragma once
// Checks shared by the MPRNet and HINet tests: registered names against the official manifests.
#include "nets/restoration_network.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>

namespace restora::test {

/// Named parameters + buffers of `network` equal the manifest's state_dict list: the same names
/// (order aside), each with exactly the listed shape.
::testing::AssertionResult names_and_shapes_match(torch::nn::Module& network, const nlohmann::json& state_dict_list);

/// Elements of the distinct parameter tensors (a tensor registered under several names counts once).
int64_t unique_parameter_count(torch::nn::Module& network);

/// Whether every key of each group names one and the same tensor.
::testing::AssertionResult keys_share_tensors(torch::nn::Module& network, const nlohmann::json& shared_key_groups);

/// Builds every manifest whose file name starts with `prefix` and checks names, shapes, the
/// unique parameter count and the shared keys.
void check_manifests(const std::string& prefix);

}  // namespace restora::test
