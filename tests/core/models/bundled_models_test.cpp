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

/// Set5's butterfly at x4 (MATLAB's LR file, validation data): the x4 model must beat the
/// bicubic upscale of the same file on the Y channel with the scale cropped from each border.
constexpr double kSrMarginDb = 3.0;  // dB over bicubic on this image; iteration 6084 gives +4.10 (22.32 -> 26.42)

TEST(BundledModels, TheX4SuperResolutionModelLoadsByIdAndBeatsBicubic) {
  const ModelRegistry registry({{test::source_dir() / "resources" / "models", "bundled"}});
  const ModelEntry* entry = registry.find("hinet-sr-x4-lite");
  ASSERT_NE(entry, nullptr) << "the x4 SR model is not in resources/models/models.json";
  EXPECT_EQ(verify_checksum(*entry), ChecksumStatus::Ok);
  EXPECT_LE(entry->size, 10'000'000) << "bundled models stay within 10 MB";
  LoadedModel model = load_registered_model(*entry);
  EXPECT_EQ(model.traits.task, "sr");
  EXPECT_EQ(model.traits.scale, 4);

  const auto low = rgb_tensor(read_image(test::shared_path("data/Set5/x4/img_003_SRF_4_LR.png")));
  const auto high = rgb_tensor(read_image(test::shared_path("data/Set5/x4/img_003_SRF_4_HR.png")));
  Restorer restorer(model.network, model.traits, torch::kCPU);
  const auto restored = restorer.restore_in_tiles(low, model.traits.tile, model.traits.overlap).mul(255).round().div(255);
  const auto bicubic = restorer.prepare_input(low, {});
  MetricOptions y;
  y.channel = MetricChannel::Y;
  y.crop_border = 4;
  const auto crop = [&](const torch::Tensor& t) { return t.narrow(2, 0, high.size(2)).narrow(3, 0, high.size(3)); };
  const double before = psnr(crop(bicubic), high, y), after = psnr(crop(restored), high, y);
  EXPECT_GT(after, before + kSrMarginDb) << "bicubic " << before << " dB, restored " << after << " dB";
}

}  // namespace
}  // namespace restora
