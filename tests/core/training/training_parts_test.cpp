#include "common/error.h"
#include "training/degradation.h"
#include "training/kernel_file.h"
#include "training/losses.h"
#include "training/optimizer.h"

#include "support/shared_data.h"

#include <gtest/gtest.h>
#include <torch/optim/adam.h>
#include <torch/torch.h>

#include <cmath>
#include <fstream>

namespace restora {
namespace {

using test::shared_path;

TEST(Degradation, ParsesFixedBlindAndChainedSpecs) {
  const auto fixed = parse_degradation("gaussian:25");
  ASSERT_EQ(fixed.steps.size(), 1u);
  EXPECT_EQ(fixed.steps[0].kind, DegradationStep::Kind::Gaussian);
  EXPECT_EQ(fixed.steps[0].low, 25);
  EXPECT_FALSE(fixed.steps[0].blind());
  const auto blind = parse_degradation("gaussian:0-55");
  EXPECT_EQ(blind.steps[0].low, 0);
  EXPECT_EQ(blind.steps[0].high, 55);
  EXPECT_TRUE(blind.steps[0].blind());
  EXPECT_EQ(parse_degradation("none").steps[0].kind, DegradationStep::Kind::None);
  const auto chain = parse_degradation("defocus:2-4+motion:9+lowlight:0.1-0.3+poisson:20-200+jpeg:10-40+bicubic:4");
  ASSERT_EQ(chain.steps.size(), 6u);
  EXPECT_EQ(chain.steps[5].kind, DegradationStep::Kind::Bicubic);
  EXPECT_EQ(chain.scale(), 4);
  for (const char* bad : {"gaussian", "gaussian:x", "gaussian:30-10", "blur:3", "gaussian:25z", "", "jpeg:0",
                          "jpeg:10.5", "bicubic:2-4", "lowlight:1.5", "gaussian:25+"}) {
    EXPECT_THROW(parse_degradation(bad), Error) << bad;
  }
}

TEST(Degradation, BlursNoisesAndDarkensAsItsStepsSay) {
  torch::manual_seed(2);
  const auto clean = torch::rand({2, 3, 40, 40});
  auto generator = make_generator(3);
  for (const char* spec : {"defocus:3", "motion:7-12", "lowlight:0.1-0.2", "poisson:30", "jpeg:20"}) {
    const auto out = degrade(clean, parse_degradation(spec), generator);
    EXPECT_EQ(out.sizes(), clean.sizes()) << spec;
    EXPECT_GT((out - clean).abs().mean().item<double>(), 0.01) << spec;
  }
  // Blur keeps a flat image flat (kernels sum to one); low light darkens it.
  const auto flat = torch::full({1, 3, 20, 20}, 0.5);
  EXPECT_TRUE(torch::allclose(degrade(flat, parse_degradation("motion:9"), generator), flat, 0, 1e-5));
  EXPECT_TRUE(torch::allclose(degrade(flat, parse_degradation("defocus:2.5"), generator), flat, 0, 1e-5));
  EXPECT_LT(degrade(flat, parse_degradation("lowlight:0.2"), generator).max().item<float>(), 0.25f);
}

TEST(Degradation, DrawsOneAlternativeChainPerImage) {
  const auto mixed = parse_degradation("defocus:3|none");
  ASSERT_EQ(mixed.alternatives.size(), 1u);
  torch::manual_seed(4);
  const auto clean = torch::rand({64, 1, 12, 12});
  auto generator = make_generator(5);
  const auto out = degrade(clean, mixed, generator);
  ASSERT_EQ(out.sizes(), clean.sizes());
  int untouched = 0;
  for (int64_t i = 0; i < 64; ++i) untouched += torch::equal(out[i], clean[i]);
  EXPECT_GT(untouched, 16);  // about half of 64 draw 'none', the others are blurred
  EXPECT_LT(untouched, 48);
  auto again = make_generator(5);
  EXPECT_TRUE(torch::equal(degrade(clean, mixed, again), out));
  EXPECT_EQ(parse_degradation("bicubic:4+gaussian:1|bicubic:4").scale(), 4);
  for (const char* bad : {"bicubic:4|none", "defocus:3|", "|none", "none||none"}) {
    EXPECT_THROW(parse_degradation(bad), Error) << bad;
  }
}

TEST(BlurKernelFile, ReadsTheLevinKernelsOfTheDeblurringTables) {
  const auto file = shared_path("data/Set3C_and_blur_kernels/kernels/Levin09.mat").string();
  for (int n = 1; n <= 8; ++n) {
    const auto kernel = load_blur_kernel(file + "#" + std::to_string(n));
    ASSERT_EQ(kernel.dim(), 2);
    EXPECT_EQ(kernel.size(0), kernel.size(1));
    EXPECT_EQ(kernel.size(0) % 2, 1);
    EXPECT_GE(kernel.size(0), 13);  // Levin's kernels are 13 to 27 px: real camera shake
    EXPECT_NEAR(kernel.sum().item<double>(), 1.0, 1e-5);
    EXPECT_GE(kernel.min().item<double>(), 0.0);
  }
  const auto degradation = parse_degradation("kernel:" + file + "#2+gaussian:2.55");
  EXPECT_EQ(degradation.steps[0].kind, DegradationStep::Kind::Kernel);
  // kernels_12.mat is a MATLAB 5 file, Levin09.mat a 7.3 (HDF5) one: both read.
  EXPECT_EQ(load_blur_kernel(shared_path("data/Set3C_and_blur_kernels/kernels/kernels_12.mat").string() + "#12").dim(), 2);
}

TEST(BlurKernelFile, NamesTheFileAndTheProblem) {
  const auto file = shared_path("data/Set3C_and_blur_kernels/kernels/Levin09.mat").string();
  const auto message = [](const std::string& reference) {
    try {
      load_blur_kernel(reference);
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::BadInput);
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message(file + "#9").find("no kernel #9 (the file holds 8)"), std::string::npos) << message(file + "#9");
  EXPECT_NE(message(file + "#x").find("not a kernel number"), std::string::npos);
  const auto missing = ::testing::TempDir() + "no-such-kernel.mat";
  EXPECT_NE(message(missing).find(missing), std::string::npos);
  const auto garbage = ::testing::TempDir() + "garbage.mat";
  std::ofstream(garbage) << "MATLAB 5.0 MAT-file, but not really";
  EXPECT_NE(message(garbage).find("garbage.mat"), std::string::npos);
  EXPECT_THROW(parse_degradation("kernel:"), Error);
}

TEST(Degradation, AddsUnclippedNoiseOfTheRequestedSigma) {
  auto clean = torch::full({2, 3, 64, 64}, 0.02f);
  auto generator = make_generator(7);
  const auto noisy = degrade(clean, parse_degradation("gaussian:50"), generator);
  const double sigma = (noisy - clean).std().item<double>() * 255.0;
  EXPECT_NEAR(sigma, 50.0, 1.0);
  EXPECT_LT(noisy.min().item<float>(), 0.0f) << "noise must not be clipped";
}

TEST(Degradation, IsAFunctionOfTheGeneratorSeed) {
  auto clean = torch::rand({1, 3, 16, 16});
  auto a = make_generator(11), b = make_generator(11), c = make_generator(12);
  const auto spec = parse_degradation("gaussian:0-55");
  const auto first = degrade(clean, spec, a);
  EXPECT_TRUE(torch::equal(first, degrade(clean, spec, b)));
  EXPECT_FALSE(torch::equal(first, degrade(clean, spec, c)));
}

TEST(Losses, MatchTheirDefinitionsOnAHandCase) {
  auto target = torch::zeros({1, 1, 2, 2});
  auto prediction = torch::tensor({0.1f, -0.1f, 0.3f, 0.0f}).view({1, 1, 2, 2});
  EXPECT_NEAR(restora::l1_loss(prediction, target).item<double>(), 0.5 / 4, 1e-7);
  const double charbonnier = (std::sqrt(0.01 + 1e-6) * 2 + std::sqrt(0.09 + 1e-6) + std::sqrt(1e-6)) / 4;
  EXPECT_NEAR(charbonnier_loss(prediction, target).item<double>(), charbonnier, 1e-7);
  // MSE = 0.11 / 4: the loss is 10 log10(MSE) = -PSNR.
  EXPECT_NEAR(psnr_loss(prediction, target).item<double>(), 10 * std::log10(0.11 / 4 + 1e-8), 1e-5);
}

TEST(Losses, EdgeLossHardlySeesAConstantShiftButSeesDetail) {
  auto target = torch::rand({1, 3, 32, 32});
  EXPECT_NEAR(edge_loss(target, target).item<double>(), 1e-3, 1e-7);  // only eps is left
  // The Laplacian band of a constant vanishes away from the borders.
  EXPECT_LT(edge_loss(target + 0.2, target).item<double>(), 0.05);
  EXPECT_GT(edge_loss(torch::rand({1, 3, 32, 32}), target).item<double>(), 0.05);
}

TEST(Losses, SuperviseEveryStageOutput) {
  auto target = torch::zeros({1, 1, 2, 2});
  auto stage = torch::full({1, 1, 2, 2}, 0.5f);
  const std::vector<LossTerm> terms = {{"l1", 2.0}};
  EXPECT_NEAR(total_loss({stage, stage * 2}, target, terms).item<double>(), 2.0 * 0.5 + 2.0 * 1.0, 1e-6);
  EXPECT_THROW(check_loss_terms({{"perceptual", 1.0}}), Error);
}

TEST(LearningRate, WarmsUpLinearlyThenFollowsTheCosineToItsMinimum) {
  EXPECT_DOUBLE_EQ(learning_rate(0, 1e-3, 1e-6, 10, 110), 1e-4);
  EXPECT_DOUBLE_EQ(learning_rate(9, 1e-3, 1e-6, 10, 110), 1e-3);
  EXPECT_DOUBLE_EQ(learning_rate(10, 1e-3, 1e-6, 10, 110), 1e-3);
  EXPECT_NEAR(learning_rate(60, 1e-3, 1e-6, 10, 110), (1e-3 + 1e-6) / 2, 1e-12);
  EXPECT_NEAR(learning_rate(110, 1e-3, 1e-6, 10, 110), 1e-6, 1e-12);
  EXPECT_DOUBLE_EQ(learning_rate(0, 1e-3, 0, 0, 100), 1e-3);
}

TEST(Adam, StepsAsLibTorchsAdam) {
  torch::manual_seed(1);
  auto ours = torch::randn({5, 4}).requires_grad_();
  auto theirs = ours.detach().clone().requires_grad_();
  AdamOptions options;
  options.beta2 = 0.99;
  Adam adam({ours}, {"w"}, options);
  torch::optim::Adam reference({theirs}, torch::optim::AdamOptions(2e-3).betas({0.9, 0.99}).eps(1e-8));
  for (int step = 0; step < 5; ++step) {
    const auto target = torch::randn({5, 4});
    adam.zero_grad();
    (ours - target).square().sum().backward();
    adam.step(2e-3);
    reference.zero_grad();
    (theirs - target).square().sum().backward();
    reference.step();
  }
  EXPECT_TRUE(torch::allclose(ours, theirs, 0, 1e-7)) << (ours - theirs).abs().max().item<float>();
  EXPECT_EQ(adam.steps(), 5);
}

TEST(Adam, ScalesTheLearningRateOfParametersByName) {
  auto head = torch::zeros({2}).requires_grad_(), frozen = torch::zeros({2}).requires_grad_(),
       body = torch::zeros({2}).requires_grad_();
  AdamOptions options;
  options.lr_scales = {{"offset_head", 0.1}, {"mask_head", 0.0}};
  Adam adam({head, frozen, body}, {"alignment.0.estimator.offset_head.weight", "alignment.0.estimator.mask_head.bias",
                                   "fusion.weight"}, options);
  for (auto* p : {&head, &frozen, &body}) p->mutable_grad() = torch::tensor({1.0f, -1.0f});
  adam.step(0.01);  // Adam's first step moves every coordinate by lr against its gradient's sign
  EXPECT_NEAR(body[0].item<double>(), -0.01, 1e-6);
  EXPECT_NEAR(head[0].item<double>(), -0.001, 1e-7);
  EXPECT_EQ(frozen[1].item<double>(), 0.0);
}

TEST(Adam, ResumesFromItsSavedMoments) {
  auto a = torch::ones({3}).requires_grad_();
  auto b = torch::ones({3}).requires_grad_();
  Adam first({a}, {"p"}, {}), second({b}, {"p"}, {});
  a.mutable_grad() = torch::tensor({1.0f, -2.0f, 3.0f});
  first.step(0.1);
  {
    torch::NoGradGuard no_grad;
    b.copy_(a);
  }
  second.load_state(first.state(), first.steps());
  a.mutable_grad() = b.mutable_grad() = torch::tensor({0.5f, 0.5f, -1.0f});
  first.step(0.1);
  second.step(0.1);
  EXPECT_TRUE(torch::equal(a, b));
  EXPECT_THROW(second.load_state(StateDict{}, 1), Error);
}

TEST(ClipGradients, ScalesTheGlobalNormDownToTheLimit) {
  auto p = torch::zeros({2}).requires_grad_();
  auto q = torch::zeros({1}).requires_grad_();
  p.mutable_grad() = torch::tensor({3.0f, 0.0f});
  q.mutable_grad() = torch::tensor({4.0f});
  EXPECT_NEAR(clip_gradients({p, q}, 1.0), 5.0, 1e-6);
  EXPECT_NEAR(std::hypot(p.grad()[0].item<float>(), q.grad()[0].item<float>()), 1.0, 1e-5);
}

}  // namespace
}  // namespace restora
