#include "common/error.h"
#include "training/degradation.h"
#include "training/losses.h"
#include "training/optimizer.h"

#include <gtest/gtest.h>
#include <torch/optim/adam.h>
#include <torch/torch.h>

#include <cmath>

namespace restora {
namespace {

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
  Adam adam({ours}, {"w"}, AdamOptions{0.9, 0.99, 1e-8, 0});
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
