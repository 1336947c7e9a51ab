#include "engine/restorer.h"
#include "io/image.h"
#include "io/image_file.h"
#include "metrics/metrics.h"
#include "models/model_registry.h"
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

}  // namespace
}  // namespace restora
