#include "training/degradation.h"

#include "common/error.h"
#include "training/blur_kernels.h"
#include "training/kernel_file.h"
#include "training/matlab_resize.h"

#include <ATen/CPUGeneratorImpl.h>
#include <opencv2/imgcodecs.hpp>
#include <torch/torch.h>

#include <cmath>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace restora {
namespace {

using Kind = DegradationStep::Kind;

[[noreturn]] void bad_spec(const std::string& spec, const std::string& why) {
  throw Error(ErrorKind::BadUsage,
              "degradation '" + spec + "': " + why +
                  " (expected none or steps joined by '+': gaussian:SIGMA (0-255 scale), poisson:PEAK, "
                  "jpeg:QUALITY, bicubic:FACTOR, defocus:RADIUS, motion:LENGTH, kernel:FILE, lowlight:EXPOSURE; "
                  "LOW-HIGH draws per image; chains joined by '|' are alternatives)");
}

double parse_number(const std::string& spec, const std::string& text) {
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    bad_spec(spec, "'" + text + "' is not a number");
  }
  if (used != text.size()) bad_spec(spec, "'" + text + "' is not a number");
  return value;
}

bool is_integer(double v) { return v == std::floor(v); }

DegradationStep parse_step(const std::string& spec, const std::string& text) {
  DegradationStep d;
  if (text == "none") return d;
  const auto colon = text.find(':');
  if (colon == std::string::npos) bad_spec(spec, "'" + text + "' has no parameter");
  const std::string kind = text.substr(0, colon), value = text.substr(colon + 1);
  if (kind == "kernel") {  // a file name, not a number range
    d.kind = Kind::Kernel;
    if (value.empty()) bad_spec(spec, "kernel: needs a file");
    d.kernel = load_blur_kernel(value);
    return d;
  }
  const auto dash = value.find('-', 1);
  d.low = parse_number(spec, value.substr(0, dash));
  d.high = dash == std::string::npos ? d.low : parse_number(spec, value.substr(dash + 1));
  if (d.high < d.low) bad_spec(spec, "LOW must not exceed HIGH");
  if (kind == "gaussian") {
    d.kind = Kind::Gaussian;
    if (d.low < 0 || d.high > 255) bad_spec(spec, "sigma must lie in 0..255");
  } else if (kind == "poisson") {
    d.kind = Kind::Poisson;
    if (d.low < 1 || d.high > 1e6) bad_spec(spec, "the peak photon count must lie in 1..1e6");
  } else if (kind == "jpeg") {
    d.kind = Kind::Jpeg;
    if (d.low < 1 || d.high > 100 || !is_integer(d.low) || !is_integer(d.high))
      bad_spec(spec, "quality must be an integer in 1..100");
  } else if (kind == "bicubic") {
    d.kind = Kind::Bicubic;
    if (d.blind() || d.low < 2 || d.low > 8 || !is_integer(d.low)) bad_spec(spec, "the factor must be one of 2..8");
  } else if (kind == "defocus") {
    d.kind = Kind::Defocus;
    if (d.low < 0.5 || d.high > 32) bad_spec(spec, "the radius must lie in 0.5..32 pixels");
  } else if (kind == "motion") {
    d.kind = Kind::Motion;
    if (d.low < 1 || d.high > 64) bad_spec(spec, "the length must lie in 1..64 pixels");
  } else if (kind == "lowlight") {
    d.kind = Kind::LowLight;
    if (d.low <= 0 || d.high >= 1) bad_spec(spec, "the exposure must lie in (0, 1)");
  } else {
    bad_spec(spec, "unknown kind '" + kind + "'");
  }
  return d;
}

/// [C, H, W] in [0, 1] -> the same after 8-bit JPEG encoding at `quality` and decoding.
torch::Tensor jpeg_round_trip(const torch::Tensor& image, int quality) {
  const int64_t channels = image.size(0), h = image.size(1), w = image.size(2);
  // OpenCV encodes BGR: flip RGB so that its YCbCr conversion weighs the channels correctly.
  auto hwc = (channels == 3 ? image.flip(0) : image).permute({1, 2, 0}).mul(255.0).round().clamp(0, 255);
  hwc = hwc.to(torch::kUInt8).contiguous();
  const cv::Mat mat(static_cast<int>(h), static_cast<int>(w), channels == 3 ? CV_8UC3 : CV_8UC1, hwc.data_ptr());
  std::vector<uchar> bytes;
  if (!cv::imencode(".jpg", mat, bytes, {cv::IMWRITE_JPEG_QUALITY, quality}))
    throw Error(ErrorKind::Failed, "JPEG encoding failed");
  const cv::Mat decoded = cv::imdecode(bytes, channels == 3 ? cv::IMREAD_COLOR : cv::IMREAD_GRAYSCALE);
  auto back = torch::from_blob(decoded.data, {h, w, channels}, torch::kUInt8).permute({2, 0, 1}).to(torch::kFloat32);
  if (channels == 3) back = back.flip(0);
  return back.div(255.0).to(image.scalar_type());
}

torch::Tensor apply_step(const torch::Tensor& x, const DegradationStep& d, at::Generator& generator) {
  switch (d.kind) {
    case Kind::None:
      return x.clone();
    case Kind::Gaussian: {
      auto noisy = x.clone();
      for (int64_t i = 0; i < x.size(0); ++i) {
        const double sigma = uniform(generator, d.low, d.high) / 255.0;
        noisy[i].add_(torch::randn(x[i].sizes(), generator, x.options()), sigma);
      }
      return noisy;
    }
    case Kind::Poisson: {
      auto noisy = x.clone();
      for (int64_t i = 0; i < x.size(0); ++i) {
        const double peak = uniform(generator, d.low, d.high);
        noisy[i].copy_(at::poisson(x[i].clamp_min(0).mul(peak), generator).div(peak));
      }
      return noisy;
    }
    case Kind::Jpeg: {
      auto out = torch::empty_like(x);
      for (int64_t i = 0; i < x.size(0); ++i) {
        const double quality = std::floor(uniform(generator, d.low, d.high + 1));
        out[i].copy_(jpeg_round_trip(x[i], static_cast<int>(std::min(quality, d.high))));
      }
      return out;
    }
    case Kind::Bicubic:
      return matlab_bicubic_downscale(x.mul(255.0).round().clamp(0, 255), static_cast<int64_t>(d.low), true).div(255.0);
    case Kind::Defocus:
    case Kind::Motion: {
      std::vector<torch::Tensor> kernels;
      int64_t size = 1;
      for (int64_t i = 0; i < x.size(0); ++i) {
        const double p = uniform(generator, d.low, d.high);
        kernels.push_back(d.kind == Kind::Defocus ? disk_kernel(p) : motion_kernel(p, generator));
        size = std::max(size, kernels.back().size(0));
      }
      for (auto& k : kernels) {  // one size for the batch: zero-pad the smaller kernels
        const int64_t pad = (size - k.size(0)) / 2;
        k = torch::constant_pad_nd(k, {pad, pad, pad, pad});
      }
      return blur(x, torch::stack(kernels));
    }
    case Kind::Kernel:
      return blur(x, d.kernel.unsqueeze(0).expand({x.size(0), -1, -1}));
    case Kind::LowLight: {
      auto out = x.clone();
      for (int64_t i = 0; i < x.size(0); ++i) {
        const double exposure = uniform(generator, d.low, d.high);
        out[i].copy_(x[i].clamp(0, 1).pow(2.2).mul(exposure).pow(1 / 2.2));
      }
      return out;
    }
  }
  throw Error(ErrorKind::Failed, "unhandled degradation step");
}

int64_t chain_scale(const std::vector<DegradationStep>& chain) {
  int64_t factor = 1;
  for (const auto& s : chain)
    if (s.kind == Kind::Bicubic) factor *= static_cast<int64_t>(s.low);
  return factor;
}

std::vector<DegradationStep> parse_chain(const std::string& spec, const std::string& text) {
  if (text.empty() || text.front() == '+' || text.back() == '+' || text.find("++") != std::string::npos)
    bad_spec(spec, "an empty step");
  std::vector<DegradationStep> chain;
  std::stringstream in(text);
  std::string step;
  while (std::getline(in, step, '+')) chain.push_back(parse_step(spec, step));
  return chain;
}

torch::Tensor apply_chain(torch::Tensor x, const std::vector<DegradationStep>& chain, at::Generator& generator) {
  for (const auto& step : chain) x = apply_step(x, step, generator);
  return x;
}

}  // namespace

int64_t Degradation::scale() const { return chain_scale(steps); }

Degradation parse_degradation(const std::string& spec) {
  Degradation d;
  d.spec = spec;
  if (spec.empty() || spec.front() == '|' || spec.back() == '|' || spec.find("||") != std::string::npos)
    bad_spec(spec, "an empty chain");
  std::stringstream in(spec);
  std::string chain;
  while (std::getline(in, chain, '|')) {
    auto steps = parse_chain(spec, chain);
    if (d.steps.empty()) {
      d.steps = std::move(steps);
    } else {
      if (chain_scale(steps) != chain_scale(d.steps)) bad_spec(spec, "alternatives must share one SR factor");
      d.alternatives.push_back(std::move(steps));
    }
  }
  return d;
}

torch::Tensor degrade(const torch::Tensor& clean, const Degradation& degradation, at::Generator& generator) {
  if (degradation.alternatives.empty()) return apply_chain(clean, degradation.steps, generator);
  // Each image draws its chain, so the batch goes through one image at a time.
  const double chains = static_cast<double>(degradation.alternatives.size() + 1);
  std::vector<torch::Tensor> out;
  for (int64_t i = 0; i < clean.size(0); ++i) {
    const auto pick = static_cast<size_t>(std::min(std::floor(uniform(generator, 0, chains)), chains - 1));
    const auto& chain = pick == 0 ? degradation.steps : degradation.alternatives[pick - 1];
    out.push_back(apply_chain(clean.narrow(0, i, 1), chain, generator));
  }
  return torch::cat(out);
}

double uniform(at::Generator& generator, double low, double high) {
  if (low == high) return low;
  std::lock_guard<std::mutex> lock(generator.mutex());
  auto* impl = generator.get<at::CPUGeneratorImpl>();
  const double u = static_cast<double>(impl->random64() >> 11) * (1.0 / 9007199254740992.0);  // 53 bits in [0, 1)
  return low + (high - low) * u;
}

torch::Tensor upscale_for_network(const torch::Tensor& low_resolution, int64_t scale) {
  if (scale <= 1) return low_resolution;
  namespace F = torch::nn::functional;
  return F::interpolate(low_resolution, F::InterpolateFuncOptions()
                                            .size(std::vector<int64_t>{low_resolution.size(2) * scale,
                                                                       low_resolution.size(3) * scale})
                                            .mode(torch::kBicubic)
                                            .align_corners(false))
      .clamp(0.0, 1.0);
}

at::Generator make_generator(uint64_t seed) { return at::detail::createCPUGenerator(seed); }

uint64_t mix_seed(uint64_t seed, uint64_t a, uint64_t b) {
  // splitmix64 steps: cheap, well-mixed, and the same on every platform.
  auto mix = [](uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
  };
  return mix(mix(mix(seed) ^ a) ^ (b * 0x2545F4914F6CDD1Dull));
}

}  // namespace restora
