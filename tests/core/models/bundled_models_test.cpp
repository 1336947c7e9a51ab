#include "engine/restorer.h"
#include "io/image.h"
#include "io/image_file.h"
#include "metrics/metrics.h"
#include "models/model_registry.h"
#include "nets/ssen.h"
#include "support/shared_data.h"
#include "training/degradation.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace restora {
namespace {

/// A 192x192 crop of a CBSD68 image (validation data, never trained on) with noise of sigma 25,
/// seeded: the default denoiser must raise its PSNR by at least 6 dB (the noisy crop is about
/// 20.2 dB; CBM3D reaches 30.7 dB on the whole set).
TEST(BundledModels, TheDefaultDenoiserLoadsByIdAndRemovesNoise) {
  const ModelRegistry registry({{test::source_dir() / "resources" / "models", "bundled"}});
  const ModelEntry* entry = registry.find("hinet-denoise-lite");
  ASSERT_NE(entry, nullptr) << "the default denoiser is not in resources/models/models.json";
  EXPECT_EQ(verify_checksum(*entry), ChecksumStatus::Ok);
  LoadedModel model = load_registered_model(*entry);
  EXPECT_EQ(model.traits.task, "denoise");
  EXPECT_LE(entry->size, 10'000'000) << "bundled models stay within 10 MB";

  const auto clean = rgb_tensor(read_image(test::shared_path("data/CBSD68/101087.png"))).narrow(2, 60, 192).narrow(3, 100, 192);
  auto generator = make_generator(mix_seed(0, 0, 0));
  const auto noisy = degrade(clean, parse_degradation("gaussian:25"), generator);
  Restorer restorer(model.network, model.traits, torch::kCPU);
  const auto restored = restorer.restore(noisy);
  const double before = psnr(noisy, clean), after = psnr(restored, clean);
  EXPECT_GT(after, before + 6.0) << "noisy " << before << " dB, restored " << after << " dB";
}

/// Set5's butterfly (MATLAB's LR file, validation data): an SR model must beat the bicubic
/// upscale of the same file on the Y channel with the scale cropped from each border.
void expect_sr_model_beats_bicubic(const std::string& id, int64_t scale, double margin_db) {
  const ModelRegistry registry({{test::source_dir() / "resources" / "models", "bundled"}});
  const ModelEntry* entry = registry.find(id);
  ASSERT_NE(entry, nullptr) << id << " is not in resources/models/models.json";
  EXPECT_EQ(verify_checksum(*entry), ChecksumStatus::Ok);
  EXPECT_LE(entry->size, 10'000'000) << "bundled models stay within 10 MB";
  LoadedModel model = load_registered_model(*entry);
  EXPECT_EQ(model.traits.task, "sr");
  EXPECT_EQ(model.traits.scale, scale);

  const std::string x = "x" + std::to_string(scale), stem = "data/Set5/" + x + "/img_003_SRF_" + std::to_string(scale);
  const auto low = rgb_tensor(read_image(test::shared_path(stem + "_LR.png")));
  const auto high = rgb_tensor(read_image(test::shared_path(stem + "_HR.png")));
  Restorer restorer(model.network, model.traits, torch::kCPU);
  const auto restored = restorer.restore_in_tiles(low, model.traits.tile, model.traits.overlap).mul(255).round().div(255);
  const auto bicubic = restorer.prepare_input(low, {});
  MetricOptions y;
  y.channel = MetricChannel::Y;
  y.crop_border = scale;
  const auto crop = [&](const torch::Tensor& t) { return t.narrow(2, 0, high.size(2)).narrow(3, 0, high.size(3)); };
  const double before = psnr(crop(bicubic), high, y), after = psnr(crop(restored), high, y);
  EXPECT_GT(after, before + margin_db) << id << ": bicubic " << before << " dB, restored " << after << " dB";
}

TEST(BundledModels, TheX4SuperResolutionModelLoadsByIdAndBeatsBicubic) {
  expect_sr_model_beats_bicubic("hinet-sr-x4-lite", 4, 3.0);  // iteration 6084: +4.10 (22.32 -> 26.42)
}

TEST(BundledModels, TheX2SuperResolutionModelLoadsByIdAndBeatsBicubic) {
  expect_sr_model_beats_bicubic("hinet-sr-x2-lite", 2, 3.0);  // Set5 x2 as a whole: +3.70 dB (eval)
}

/// A 192x192 crop of a CBSD68 image (validation data, never trained on) saved as JPEG at quality
/// 10: the JPEG model must raise its PSNR by at least 1 dB (CBSD68 as a whole: +1.55 dB).
/// Loads a same-size bundled model by id and checks that it gains at least `margin` dB on a crop of
/// a held-out CBSD68 photo degraded by `degradation`, in the model's own tiles.
void expect_model_restores(const std::string& id, const std::string& task, const std::string& degradation,
                           double margin) {
  const ModelRegistry registry({{test::source_dir() / "resources" / "models", "bundled"}});
  const ModelEntry* entry = registry.find(id);
  ASSERT_NE(entry, nullptr) << id << " is not in resources/models/models.json";
  EXPECT_EQ(verify_checksum(*entry), ChecksumStatus::Ok);
  EXPECT_LE(entry->size, 10'000'000) << "bundled models stay within 10 MB";
  LoadedModel model = load_registered_model(*entry);
  EXPECT_EQ(model.traits.task, task);

  const auto clean = rgb_tensor(read_image(test::shared_path("data/CBSD68/101087.png"))).narrow(2, 60, 192).narrow(3, 100, 192);
  auto generator = make_generator(mix_seed(0, 0, 0));
  const auto degraded = degrade(clean, parse_degradation(degradation), generator);
  Restorer restorer(model.network, model.traits, torch::kCPU);
  const auto restored = restorer.restore_in_tiles(degraded, model.traits.tile, model.traits.overlap);
  const double before = psnr(degraded, clean), after = psnr(restored, clean);
  EXPECT_GT(after, before + margin) << degradation << ": " << before << " dB, restored " << after << " dB";
}

TEST(BundledModels, TheJpegModelLoadsByIdAndRemovesArtefacts) {
  expect_model_restores("hinet-jpeg-lite", "jpeg", "jpeg:10", 1.0);
}

// Defocus is what it removes; camera shake it does not (docs/MODELS.md).
TEST(BundledModels, TheDeblurringModelLoadsByIdAndSharpensDefocus) {
  expect_model_restores("hinet-deblur-lite", "deblur", "defocus:3+gaussian:2.55", 1.5);
}


/// A 128x128 crop of a held-out Set14 photo at x4: with a reference of the same scene shifted by
/// 16 HR pixels (4 LR) in y and x the reference-based model must beat its self-similarity mode,
/// which must beat bicubic, and an unrelated reference must not hurt (the paper's claim).
TEST(BundledModels, TheReferenceSrModelUsesASameSceneReferenceAndIgnoresAnUnrelatedOne) {
  const ModelRegistry registry({{test::source_dir() / "resources" / "models", "bundled"}});
  const ModelEntry* entry = registry.find("ssen-refsr-x4-lite");
  ASSERT_NE(entry, nullptr) << "ssen-refsr-x4-lite is not in resources/models/models.json";
  EXPECT_EQ(verify_checksum(*entry), ChecksumStatus::Ok);
  EXPECT_LE(entry->size, 10'000'000) << "bundled models stay within 10 MB";
  LoadedModel model = load_registered_model(*entry);
  EXPECT_EQ(model.traits.task, "refsr");
  auto* ssen = dynamic_cast<SsenImpl*>(model.network.get());
  ASSERT_NE(ssen, nullptr);
  ssen->eval();
  torch::NoGradGuard no_grad;

  const auto photo = rgb_tensor(read_image(test::shared_path("data/Set14/x4/img_003_SRF_4_HR.png")));
  const int64_t side = 128, y0 = 120, x0 = 160, shift = 16;
  const auto clean = photo.slice(2, y0, y0 + side).slice(3, x0, x0 + side).contiguous();
  const auto reference = photo.slice(2, y0 - shift, y0 - shift + side).slice(3, x0 + shift, x0 + shift + side).contiguous();
  const auto unrelated = rgb_tensor(read_image(test::shared_path("data/Set14/x4/img_005_SRF_4_HR.png")))
                             .slice(2, 0, side).slice(3, 0, side).contiguous();
  auto generator = make_generator(1);
  const auto low = degrade(clean, parse_degradation("bicubic:4"), generator);
  const auto bicubic = torch::nn::functional::interpolate(
      low, torch::nn::functional::InterpolateFuncOptions().size(std::vector<int64_t>{side, side}).mode(torch::kBicubic).align_corners(false));
  const double plain = psnr(bicubic.clamp(0, 1), clean);
  const double self = psnr(ssen->forward_with_reference(low, {}).clamp(0, 1), clean);
  const double with_reference = psnr(ssen->forward_with_reference(low, reference).clamp(0, 1), clean);
  const double with_unrelated = psnr(ssen->forward_with_reference(low, unrelated).clamp(0, 1), clean);
  EXPECT_GT(self, plain + 0.3) << "bicubic " << plain << " dB, self " << self << " dB";
  EXPECT_GT(with_reference, self + 0.5) << "self " << self << " dB, same-scene reference " << with_reference << " dB";
  EXPECT_GE(with_unrelated, self - 0.1) << "self " << self << " dB, unrelated reference " << with_unrelated << " dB";
}

}  // namespace
}  // namespace restora
