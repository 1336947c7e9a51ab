// The deformable convolution against torchvision.ops.deform_conv2d: every vector in
// ../shared/conformance/ops/deform_conv2d (forward and the gradients of input, offset, mask,
// weight and bias), plus properties torchvision has too (zero offsets = plain convolution).
#include "nets/blocks/deform_conv.h"

#include "common/error.h"
#include "support/conformance.h"
#include "support/shared_data.h"
#include "support/tensor_checks.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace restora {
namespace {

using test::all_close;

/// The tensors of one ops/deform_conv2d case, by name ("input", "grad_offset", ...).
struct DeformCase {
  std::string name;
  DeformGeometry geometry;
  std::map<std::string, torch::Tensor> tensors;
  bool has(const std::string& key) const { return tensors.count(key) != 0; }
  torch::Tensor get(const std::string& key) const { return tensors.at(key); }
};

std::vector<DeformCase> deform_cases() {
  std::vector<DeformCase> cases;
  const auto root = test::shared_path("conformance/ops/deform_conv2d");
  if (!std::filesystem::is_directory(root)) return cases;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    const auto meta = test::load_json(entry.path() / "meta.json");
    if (meta.is_null()) continue;
    DeformCase c;
    c.name = entry.path().filename().string();
    c.geometry.stride = meta.at("stride").get<int64_t>();
    c.geometry.padding = meta.at("padding").get<int64_t>();
    c.geometry.dilation = meta.at("dilation").get<int64_t>();
    for (const auto& [key, info] : meta.at("tensors").items())
      c.tensors[key] = test::read_f32(entry.path() / info.at("file").get<std::string>(),
                                      info.at("shape").get<std::vector<int64_t>>());
    c.geometry.kernel = c.get("weight").size(2);
    EXPECT_EQ(meta.at("offset_groups").get<int64_t>(), c.get("offset").size(1) / (2 * c.geometry.kernel * c.geometry.kernel));
    cases.push_back(std::move(c));
  }
  std::sort(cases.begin(), cases.end(), [](const DeformCase& a, const DeformCase& b) { return a.name < b.name; });
  return cases;
}

/// The conformance tolerance (README: 1e-5 absolute on values of order 1), scaled by the size of
/// the expected values: gradients summed over many taps reach |g| ~ 10.
double tolerance(const torch::Tensor& expected) { return 1e-5 * std::max(1.0, expected.abs().max().item<double>()); }

/// Runs one case on `device` and checks the forward and every gradient the case lists.
void check_case(const DeformCase& c, const torch::Device& device) {
  SCOPED_TRACE(c.name);
  std::map<std::string, torch::Tensor> leaves;
  for (const char* key : {"input", "offset", "weight", "bias", "mask"})
    if (c.has(key)) leaves[key] = c.get(key).to(device).requires_grad_(true);
  const auto leaf = [&](const char* key) { return leaves.count(key) ? leaves.at(key) : torch::Tensor(); };
  const auto output = deform_conv2d(leaf("input"), leaf("offset"), leaf("weight"), leaf("bias"), leaf("mask"), c.geometry);
  EXPECT_TRUE(all_close(output.cpu(), c.get("output"), tolerance(c.get("output")))) << "forward";
  output.backward(c.get("grad_output").to(device));
  int checked = 0;
  for (const auto& [key, tensor] : leaves) {
    const auto expected = c.get("grad_" + key);
    ASSERT_TRUE(tensor.grad().defined()) << "no gradient for " << key;
    EXPECT_TRUE(all_close(tensor.grad().cpu(), expected, tolerance(expected))) << "gradient of " << key;
    ++checked;
  }
  EXPECT_EQ(checked, c.has("mask") ? 5 : 4);
}

TEST(DeformConv2d, MatchesTorchvisionForwardAndEveryGradientOnEveryCase) {
  const auto cases = deform_cases();
  ASSERT_EQ(cases.size(), 6u);  // the six cases of conformance/ops/deform_conv2d
  bool ssen_case = false;
  for (const auto& c : cases) {
    check_case(c, torch::kCPU);
    ssen_case = ssen_case || (c.name == "groups8_mask_ssen" && c.has("mask"));
  }
  EXPECT_TRUE(ssen_case) << "groups8_mask_ssen (8 offset groups with a mask) must be among the cases";
}

TEST(DeformConv2d, TheLayerMatchesTorchvisionInInferenceToo) {
  // Under inference the layer's stride-k convolution runs through oneDNN, not torch::conv2d.
  for (const auto& c : deform_cases()) {
    SCOPED_TRACE(c.name);
    const auto& w = c.get("weight");
    ASSERT_EQ(w.size(1), c.get("input").size(1));  // every case has one weight group
    DeformConv2d layer(DeformConv2dOptions(w.size(1), w.size(0), w.size(2))
                           .stride(c.geometry.stride)
                           .padding(c.geometry.padding)
                           .dilation(c.geometry.dilation)
                           .offset_groups(c.get("offset").size(1) / (2 * w.size(2) * w.size(3))));
    {
      torch::NoGradGuard no_grad;
      layer->weight.copy_(w);
      layer->bias.copy_(c.get("bias"));
    }
    c10::InferenceMode inference;
    const auto mask = c.has("mask") ? c.get("mask") : torch::Tensor();
    EXPECT_TRUE(all_close(layer->forward(c.get("input"), c.get("offset"), mask), c.get("output"), tolerance(c.get("output"))));
  }
}

TEST(DeformConv2d, MatchesTorchvisionOnCuda) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA device";
  for (const auto& c : deform_cases()) check_case(c, torch::kCUDA);
}

TEST(DeformConv2d, ZeroOffsetsAndUnitMaskAreAPlainConvolution) {
  torch::manual_seed(5);
  DeformConv2d layer(DeformConv2dOptions(8, 6, 3).padding(1).offset_groups(4));
  const auto input = torch::randn({2, 8, 7, 9});
  const auto offset = torch::zeros({2, layer->offset_channels(), 7, 9});
  const auto mask = torch::ones({2, layer->mask_channels(), 7, 9});
  const auto expected = torch::conv2d(input, layer->weight, layer->bias, 1, 1);
  EXPECT_TRUE(all_close(layer->forward(input, offset, mask), expected, 1e-5));
  EXPECT_TRUE(all_close(layer->forward(input, offset), expected, 1e-5));
  // Channels-last data (what the networks may feed) gives the same result.
  EXPECT_TRUE(all_close(layer->forward(input.contiguous(at::MemoryFormat::ChannelsLast), offset, mask), expected, 1e-5));
}

TEST(DeformConv2d, AnIntegerShiftSamplesTheShiftedPixel) {
  // Every tap displaced by (+1 row, -2 columns) = a convolution of the input shifted that way.
  torch::manual_seed(6);
  DeformConv2d layer(DeformConv2dOptions(3, 2, 3).padding(1).bias(false));
  const auto input = torch::randn({1, 3, 8, 8});
  auto offset = torch::zeros({1, layer->offset_channels(), 8, 8});
  offset.slice(1, 0, offset.size(1), 2).fill_(1.0);
  offset.slice(1, 1, offset.size(1), 2).fill_(-2.0);
  // shifted[Y][X] = input[Y + 1][X - 2] (zero outside) for Y, X in -1..8, the padded frame the
  // 3x3 taps read: then an unpadded convolution of it is the expected output.
  const auto shifted = torch::constant_pad_nd(input, {3, 0, 0, 2}).slice(2, 0, 10).slice(3, 0, 10);
  const auto expected = torch::conv2d(shifted, layer->weight);
  EXPECT_TRUE(all_close(layer->forward(input, offset), expected, 1e-5));
}

TEST(DeformConv2d, InconsistentShapesAreOneLineErrors) {
  DeformConv2d layer(DeformConv2dOptions(8, 4, 3).padding(1).offset_groups(2));
  const auto input = torch::randn({1, 8, 5, 5});
  const auto expect_bad_input = [](const auto& call) {
    try {
      call();
      ADD_FAILURE() << "no error";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::BadInput);
      EXPECT_EQ(std::string(error.what()).find('\n'), std::string::npos);
    }
  };
  expect_bad_input([&] { layer->forward(input, torch::zeros({1, 35, 5, 5})); });
  expect_bad_input([&] { layer->forward(input, torch::zeros({1, 36, 4, 5})); });
  expect_bad_input([&] { layer->forward(input, torch::zeros({1, 36, 5, 5}), torch::zeros({1, 9, 5, 5})); });
  expect_bad_input([&] { layer->forward(torch::randn({1, 6, 5, 5}), torch::zeros({1, 36, 5, 5})); });
  expect_bad_input([&] { DeformConv2d(DeformConv2dOptions(6, 4, 3).offset_groups(4)); });
}

TEST(DeformConv2d, SamplingPositionsAreTheDisplacedTaps) {
  DeformGeometry geometry;  // 3x3, stride 1, padding 1
  auto offset = torch::zeros({1, 18, 4, 5});
  offset[0][2 * 4][2][3] = 0.5;      // tap 4 (centre), y
  offset[0][2 * 4 + 1][2][3] = -1.25;  // tap 4, x
  const auto positions = deform_sampling_positions(offset, geometry);
  ASSERT_EQ(positions.sizes(), (std::vector<int64_t>{1, 1, 9, 4, 5, 2}));
  EXPECT_FLOAT_EQ(positions[0][0][4][2][3][0].item<float>(), 2.5f);
  EXPECT_FLOAT_EQ(positions[0][0][4][2][3][1].item<float>(), 1.75f);
  EXPECT_FLOAT_EQ(positions[0][0][0][0][0][0].item<float>(), -1.0f);  // tap 0 of pixel (0, 0)
  EXPECT_FLOAT_EQ(positions[0][0][8][3][4][1].item<float>(), 5.0f);   // tap 8 of pixel (3, 4)
}

}  // namespace
}  // namespace restora
