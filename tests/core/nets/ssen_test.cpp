// SSEN: shapes at x2/x4, self-similarity mode, bounded offsets, the reference's influence,
// gradients through the deformable layers, building by name and a checkpoint round trip.
#include "nets/ssen.h"

#include "checkpoint/checkpoint.h"
#include "checkpoint/network_detection.h"
#include "common/error.h"
#include "nets/network_factory.h"
#include "nets/blocks/match_prior.h"
#include "support/shared_data.h"
#include "support/tensor_checks.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <memory>

namespace restora {
namespace {

using test::all_close;

/// A small SSEN (the layout and every code path of the full one, at a test's cost).
std::shared_ptr<SsenImpl> small_ssen(int64_t scale, uint64_t seed = 1) {
  torch::manual_seed(static_cast<int64_t>(seed));
  auto network = std::make_shared<SsenImpl>(
      SsenOptions().scale(scale).n_feats(16).n_feat_blocks(1).n_sr_blocks(1).offset_groups(8));
  network->eval();
  return network;
}

/// Noise on every parameter, so that the zero-initialised heads and non-local outputs take part.
void perturb(torch::nn::Module& network, double sigma, uint64_t seed) {
  torch::manual_seed(static_cast<int64_t>(seed));
  torch::NoGradGuard no_grad;
  for (auto& parameter : network.parameters()) parameter.add_(torch::randn_like(parameter) * sigma);
}

TEST(Ssen, OutputIsScaleTimesTheInputAtX2AndX4) {
  for (const int64_t scale : {2, 4}) {
    SCOPED_TRACE(scale);
    auto network = small_ssen(scale);
    torch::NoGradGuard no_grad;
    const auto lr = torch::rand({2, 3, 13, 11});
    const auto ref = torch::rand({2, 3, 13 * scale, 11 * scale});
    const auto hr = network->forward_with_reference(lr, ref);
    EXPECT_EQ(hr.sizes(), (std::vector<int64_t>{2, 3, 13 * scale, 11 * scale}));
    EXPECT_EQ(network->forward(lr).sizes(), hr.sizes());
    EXPECT_EQ(network->scale(), scale);
    EXPECT_EQ(network->internal_scale(), scale);
    EXPECT_TRUE(network->takes_reference());
    EXPECT_EQ(network->reference_margin(), 13);  // input pixels: prior radius + kMaxOffset + tap radius
    EXPECT_GT(network->gflop(13, 11), 0.0);
  }
}

TEST(Ssen, WithoutAReferenceTheReferenceIsTheBicubicInput) {
  auto network = small_ssen(4);
  perturb(*network, 0.05, 2);
  torch::NoGradGuard no_grad;
  const auto lr = torch::rand({1, 3, 9, 10});
  const auto bicubic = torch::nn::functional::interpolate(
      lr, torch::nn::functional::InterpolateFuncOptions().size(std::vector<int64_t>{36, 40}).mode(torch::kBicubic).align_corners(false));
  EXPECT_TRUE(all_close(network->forward_stages(lr).at(0), network->forward_with_reference(lr, bicubic), 0.0));
  // ... and another reference changes the result: the reference path is live.
  const auto other = network->forward_with_reference(lr, torch::rand({1, 3, 36, 40}));
  EXPECT_GT(test::max_abs_diff(other, network->forward(lr)), 1e-4);
}

TEST(Ssen, AFreshNetworkSamplesAtTheMatchPriorAndOffsetsStayBounded) {
  auto network = small_ssen(2);
  torch::NoGradGuard no_grad;
  const auto lr = torch::rand({1, 3, 12, 12});
  const auto ref = torch::rand({1, 3, 24, 24});
  auto fresh = network->align(lr, ref);
  // The first layer starts at the match prior (every group and tap), the others undeformed.
  const auto prior = estimate_match_prior(lr, torch::avg_pool2d(ref, {2, 2}, {2, 2}), 0, SsenImpl::kPriorRadius);
  EXPECT_TRUE(all_close(fresh.offsets[0], prior.displacement.repeat({1, 8 * 9, 1, 1}), 1e-6));
  EXPECT_GT(fresh.offsets[0].abs().max().item<float>(), 0.5f);
  for (int64_t i = 0; i < SsenImpl::kLayers; ++i) {
    if (i > 0) {
      EXPECT_EQ(fresh.offsets[i].abs().max().item<float>(), 0.0f);
    }
    EXPECT_TRUE(all_close(fresh.masks[i], torch::full_like(fresh.masks[i], 0.5), 0.0));
  }
  // Huge offset heads drive the raw offsets far beyond the bound; the tanh keeps them inside it.
  perturb(*network, 0.05, 3);
  for (const auto& item : network->named_parameters())
    if (item.key().find("offset_head.weight") != std::string::npos) item.value().mul_(1e4);
  const auto wild = network->align(lr, ref);
  for (int64_t i = 0; i < SsenImpl::kLayers; ++i) {
    EXPECT_EQ(wild.offsets[i].sizes(), (std::vector<int64_t>{1, 2 * 8 * 9, 12, 12}));
    const auto learnt = i == 0 ? wild.offsets[0] - fresh.offsets[0] : wild.offsets[i];
    const double largest = learnt.abs().max().item<double>();
    EXPECT_LE(largest, SsenImpl::kMaxOffset + 1e-5);
    EXPECT_GT(largest, 0.5 * SsenImpl::kMaxOffset);  // the bound is reached, not just respected
    EXPECT_GE(wild.masks[i].min().item<float>(), 0.0f);
    EXPECT_LE(wild.masks[i].max().item<float>(), 1.0f);
  }
  EXPECT_LE(wild.offsets[0].abs().max().item<double>(), SsenImpl::kPriorRadius + SsenImpl::kMaxOffset + 1e-5);
}

TEST(Ssen, AReferenceWithContextIsSampledBeyondTheTile) {
  // The engine's reference tiles carry reference_margin() input pixels of context on every side.
  auto network = small_ssen(2);
  perturb(*network, 0.05, 5);
  torch::NoGradGuard no_grad;
  const int64_t m = network->reference_margin();
  const auto lr = torch::rand({1, 3, 12, 10});
  const auto wide = torch::rand({1, 3, 2 * (12 + 2 * m), 2 * (10 + 2 * m)});
  const auto inner = wide.slice(2, 2 * m, 2 * (12 + m)).slice(3, 2 * m, 2 * (10 + m));
  const auto with_context = network->forward_stages_with_reference(lr, wide).at(0);
  EXPECT_EQ(with_context.sizes(), (std::vector<int64_t>{1, 3, 24, 20}));
  // Even undeformed, the first layer's edge taps read the context instead of zero padding.
  auto fresh = small_ssen(2);
  const auto a = fresh->forward_with_reference(lr, wide), b = fresh->forward_with_reference(lr, inner);
  EXPECT_GT(test::max_abs_diff(a, b), 1e-6);
  // The context changes the result: it is really sampled (perturbed offsets reach into it).
  EXPECT_GT(test::max_abs_diff(with_context, network->forward_with_reference(lr, inner)), 1e-6);
  EXPECT_THROW(network->forward_with_reference(lr, torch::rand({1, 3, 2 * 12 + 2, 2 * 10 + 4})), Error);
}

TEST(Ssen, EveryParameterGetsAGradient) {
  auto network = small_ssen(2);
  perturb(*network, 0.05, 4);
  network->train();
  // 16 x 16: the 1/8 level keeps 2 x 2 positions (a single one would leave its attention constant).
  const auto lr = torch::rand({1, 3, 16, 16});
  const auto hr = network->forward_with_reference(lr, torch::rand({1, 3, 32, 32}));
  hr.square().mean().backward();
  for (const auto& item : network->named_parameters()) {
    ASSERT_TRUE(item.value().grad().defined()) << item.key();
    EXPECT_GT(item.value().grad().abs().sum().item<double>(), 0.0) << item.key();
  }
}

TEST(Ssen, BadReferencesAndArgumentsAreOneLineErrors) {
  auto network = small_ssen(4);
  torch::NoGradGuard no_grad;
  const auto lr = torch::rand({1, 3, 8, 8});
  for (const auto& ref : {torch::rand({1, 3, 32, 31}), torch::rand({1, 1, 32, 32}), torch::rand({2, 3, 32, 32})}) {
    try {
      network->forward_with_reference(lr, ref);
      ADD_FAILURE() << "accepted a reference of " << ref.sizes();
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::BadInput);
      EXPECT_NE(std::string(error.what()).find("reference"), std::string::npos) << error.what();
    }
  }
  EXPECT_THROW(make_network({"SSEN", {{"scale", int64_t{5}}}}), Error);
  EXPECT_THROW(make_network({"SSEN", {{"n_feats", int64_t{12}}, {"offset_groups", int64_t{8}}}}), Error);
  EXPECT_THROW(make_network({"SSEN", {{"max_offset", 3.0}}}), Error);
}

TEST(Ssen, BuiltByNameAndRoundTripsThroughACheckpoint) {
  const ArgMap args{{"scale", int64_t{2}}, {"n_feats", int64_t{16}}, {"n_feat_blocks", int64_t{1}},
                    {"n_sr_blocks", int64_t{2}}, {"offset_groups", int64_t{4}}};
  torch::manual_seed(7);
  const auto written = make_network({"SSEN", args});
  perturb(*written, 0.05, 8);
  written->eval();
  StateDict state;
  for (const auto& item : written->named_parameters()) state.insert(item.key(), item.value().detach());
  const auto dir = test::make_temp_dir("ssen_checkpoint");
  write_checkpoint(dir / "ssen.pth", state, {{"network", "SSEN"}});

  torch::manual_seed(9);  // other random weights until the load
  const auto read = make_network({"SSEN", args});
  read->eval();
  load_state_dict(*read, read_checkpoint(dir / "ssen.pth").state_dict);  // strict
  torch::NoGradGuard no_grad;
  const auto lr = torch::rand({1, 3, 10, 9});
  const auto ref = torch::rand({1, 3, 20, 18});
  auto* a = dynamic_cast<SsenImpl*>(written.get());
  auto* b = dynamic_cast<SsenImpl*>(read.get());
  ASSERT_TRUE(a && b);
  EXPECT_TRUE(all_close(b->forward_with_reference(lr, ref), a->forward_with_reference(lr, ref), 0.0));
  EXPECT_TRUE(all_close(read->forward(lr), written->forward(lr), 0.0));
  std::filesystem::remove_all(dir);

  // inspect's detection tells SSEN and every argument from the names and shapes alone.
  const Detection detection = detect_network(tensor_infos(state));
  ASSERT_TRUE(detection.recognised) << describe_mismatch(detection);
  EXPECT_EQ(detection.spec.network, "SSEN");
  EXPECT_TRUE(detection.spec.args == args);
  EXPECT_EQ(detection.scale, 2);
  EXPECT_THROW(detect_network(tensor_infos(state), DetectionHints{std::nullopt, int64_t{4}}), Error);
}

}  // namespace
}  // namespace restora
