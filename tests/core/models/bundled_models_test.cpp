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

}  // namespace
}  // namespace restora
