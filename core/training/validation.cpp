#include "training/validation.h"

#include "common/error.h"
#include "io/image.h"
#include "io/image_file.h"
#include "metrics/metrics.h"
#include "nets/size_rule.h"

#include <torch/torch.h>

#include <algorithm>

namespace restora {
namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<std::filesystem::path> sorted_images(const std::filesystem::path& folder, const std::string& suffix) {
  std::error_code error;
  if (!std::filesystem::is_directory(folder, error))
    throw Error(ErrorKind::BadInput, "validation folder " + folder.string() + " does not exist or is not a folder");
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const auto ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".png" || ext == ".jpg" || ext == ".bmp" || ext == ".tif") &&
        ends_with(entry.path().filename().string(), suffix))
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

ValidationSet::ValidationSet(const std::filesystem::path& folder, const std::string& suffix, int64_t images,
                             int64_t channels, const std::vector<std::string>& degradations, uint64_t seed,
                             int64_t network_scale)
    : network_scale_(network_scale) {
  auto files = sorted_images(folder, suffix);
  if (files.empty())
    throw Error(ErrorKind::BadInput, "validation folder " + folder.string() + " holds no image" +
                                         (suffix.empty() ? std::string() : " whose name ends with " + suffix));
  files.resize(std::min<size_t>(files.size(), static_cast<size_t>(images)));
  for (const auto& file : files) {
    auto rgb = rgb_tensor(read_image(file));
    clean_.push_back(channels == 1 ? to_luminance(rgb) : rgb);
  }
  for (size_t d = 0; d < degradations.size(); ++d) {
    degradations_.push_back(parse_degradation(degradations[d]));
    inputs_.emplace_back();
    for (size_t i = 0; i < clean_.size(); ++i) {
      auto generator = make_generator(mix_seed(seed, i, d));
      // SR: the clean image is cropped to a multiple of the scale, as the benchmark HR files are.
      const int64_t scale = degradations_.back().scale();
      const auto& clean = clean_[i];
      const auto cropped = clean.narrow(2, 0, clean.size(2) / scale * scale).narrow(3, 0, clean.size(3) / scale * scale);
      if (network_scale < 1 || scale % network_scale != 0)
        throw Error(ErrorKind::BadUsage, "validation: " + degradations_.back().spec + " does not suit a network that upsamples " +
                                             std::to_string(network_scale) + "x itself");
      inputs_.back().push_back(upscale_for_network(degrade(cropped, degradations_.back(), generator), scale / network_scale));
    }
  }
}

torch::Tensor restore_whole(RestorationNetworkImpl& network, const torch::Tensor& input) {
  torch::NoGradGuard no_grad;
  const auto padded = pad_to_multiple(input, network.size_multiple());
  const int64_t scale = network.internal_scale();
  return crop_to(network.forward(padded), input.size(2) * scale, input.size(3) * scale).clamp(0, 1);
}

std::vector<ValidationScore> ValidationSet::evaluate(RestorationNetworkImpl& network) const {
  std::vector<ValidationScore> scores;
  for (size_t d = 0; d < degradations_.size(); ++d) {
    ValidationScore score;
    score.degradation = degradations_[d].spec;
    // SR is scored as its tables are: Y channel, the scale cropped from every border.
    const int64_t scale = degradations_[d].scale();
    MetricOptions metric;
    if (scale > 1) {
      metric.channel = MetricChannel::Y;
      metric.crop_border = static_cast<int>(scale);
    }
    for (size_t i = 0; i < clean_.size(); ++i) {
      const auto& input = inputs_[d][i];
      const auto clean = crop_to(clean_[i], input.size(2) * network_scale_, input.size(3) * network_scale_);
      const auto restored = restore_whole(network, input);
      score.psnr += psnr(restored, clean, metric);
      score.ssim += ssim(restored, clean, metric);
      // A network that upsamples itself gets the LR input: compare its bicubic upscale.
      score.input_psnr += psnr(upscale_for_network(input, network_scale_), clean, metric);
    }
    const double n = static_cast<double>(clean_.size());
    score.psnr /= n;
    score.ssim /= n;
    score.input_psnr /= n;
    scores.push_back(score);
  }
  return scores;
}

}  // namespace restora
