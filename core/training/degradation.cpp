#include "training/degradation.h"

#include "common/error.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <mutex>
#include <stdexcept>

namespace restora {
namespace {

[[noreturn]] void bad_spec(const std::string& spec, const std::string& why) {
  throw Error(ErrorKind::BadUsage, "degradation '" + spec + "': " + why +
                                       " (expected none, gaussian:SIGMA or gaussian:LOW-HIGH, sigma on the 0-255 scale)");
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

/// Uniform in [low, high] from the generator (one draw, under its lock).
double uniform(at::Generator& generator, double low, double high) {
  if (low == high) return low;
  std::lock_guard<std::mutex> lock(generator.mutex());
  auto* impl = generator.get<at::CPUGeneratorImpl>();
  const double u = (impl->random64() >> 11) * (1.0 / 9007199254740992.0);  // 53 bits in [0, 1)
  return low + (high - low) * u;
}

}  // namespace

Degradation parse_degradation(const std::string& spec) {
  Degradation d;
  d.spec = spec;
  if (spec == "none") return d;
  const auto colon = spec.find(':');
  if (colon == std::string::npos) bad_spec(spec, "no parameter");
  const std::string kind = spec.substr(0, colon), value = spec.substr(colon + 1);
  if (kind != "gaussian") bad_spec(spec, "unknown kind '" + kind + "'");
  d.kind = Degradation::Kind::Gaussian;
  const auto dash = value.find('-', 1);
  d.low = parse_number(spec, value.substr(0, dash));
  d.high = dash == std::string::npos ? d.low : parse_number(spec, value.substr(dash + 1));
  if (d.low < 0 || d.high < d.low || d.high > 255) bad_spec(spec, "sigma must lie in 0..255 with LOW <= HIGH");
  return d;
}

torch::Tensor degrade(const torch::Tensor& clean, const Degradation& degradation, at::Generator& generator) {
  switch (degradation.kind) {
    case Degradation::Kind::None:
      return clean.clone();
    case Degradation::Kind::Gaussian: {
      auto noisy = clean.clone();
      for (int64_t i = 0; i < clean.size(0); ++i) {
        const double sigma = uniform(generator, degradation.low, degradation.high) / 255.0;
        auto noise = torch::randn(clean[i].sizes(), generator, clean.options());
        noisy[i].add_(noise, sigma);
      }
      return noisy;
    }
  }
  throw Error(ErrorKind::Failed, "unhandled degradation " + degradation.spec);
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
