#pragma once
// Checks shared by the network tests: registered names against the official manifests, and
// outputs against the official reference outputs of the conformance cases.
#include "nets/restoration_network.h"
#include "support/conformance.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

namespace restora::test {

/// Named parameters + buffers of `network` equal the manifest's state_dict list: the same names
/// (order aside), each with exactly the listed shape.
::testing::AssertionResult names_and_shapes_match(torch::nn::Module& network, const nlohmann::json& state_dict_list);

/// Elements of the distinct parameter tensors (a tensor registered under several names counts once).
int64_t unique_parameter_count(torch::nn::Module& network);

/// Whether every key of each group names one and the same tensor.
::testing::AssertionResult keys_share_tensors(torch::nn::Module& network, const nlohmann::json& shared_key_groups);

/// Builds the case's network from meta.json, loads `weights` with read_checkpoint + load_state_dict,
/// and puts it in eval mode. Fails the test (and returns null) when any of that throws.
std::shared_ptr<RestorationNetworkImpl> load_case_network(const ConformanceCase& conformance_case,
                                                          const std::filesystem::path& weights);

/// Runs `input_file` through the network and compares every stage with the case's outputs listed
/// in `outputs` (meta.json entries with file and index), max abs diff <= tolerance. Returns the
/// stages (empty on failure).
std::vector<torch::Tensor> check_stages(RestorationNetworkImpl& network, const ConformanceCase& conformance_case,
                                        const torch::Tensor& input, const nlohmann::json& outputs);

/// The parity tolerance of conformance/README.md: 10x the measured float32 noise.
constexpr double kParityTolerance = 1e-5;

/// Every weights*.pth of every conformance case of `arch` reproduces every stage of the main case.
void check_main_case_with_every_checkpoint(const std::string& arch);

/// The second case of a conformance case ("plain": input2 at another valid size; "pad":
/// pad_to_multiple(input2) equals input2_padded, every stage matches, and the final stage cropped
/// back equals restored2). HINet's "grids" case has its own helper (hinet_grids.h).
void check_second_case(RestorationNetworkImpl& network, const ConformanceCase& conformance_case);

/// Every weights*.pth of the case, loaded into the network its meta.json describes, reproduces
/// every stage of the main case and the second case (plain or pad).
void check_conformance_case(const ConformanceCase& conformance_case);

/// For networks that can run channels-last (MPRNet, HINet): every case's weights.pth reproduces the
/// official main outputs in both memory layouts, and the outputs come back contiguous.
template <typename NetworkImpl>
void check_both_memory_layouts(const std::string& arch) {
  for (const auto& conformance_case : conformance_cases(arch)) {
    SCOPED_TRACE(conformance_case.name);
    const auto network =
        std::dynamic_pointer_cast<NetworkImpl>(load_case_network(conformance_case, conformance_case.dir / "weights.pth"));
    ASSERT_TRUE(network);
    for (const bool channels_last : {false, true}) {
      SCOPED_TRACE(channels_last ? "channels last" : "NCHW");
      network->set_channels_last(channels_last);
      const auto& main = conformance_case.meta.at("cases").at(0);
      const auto stages = check_stages(*network, conformance_case, conformance_case.tensor("input.f32"), main.at("outputs"));
      for (const auto& stage : stages) EXPECT_TRUE(stage.is_contiguous());
    }
  }
}

/// Builds every manifest whose file name starts with `prefix` and checks names, shapes, the
/// parameter order, the unique parameter count and the shared keys.
void check_manifests(const std::string& prefix);

}  // namespace restora::test
