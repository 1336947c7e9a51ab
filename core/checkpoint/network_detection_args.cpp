#include "checkpoint/network_detection_args.h"

#include "checkpoint/network_detection_layouts.h"

#include <cctype>
#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <optional>
#include <set>

namespace restora {
namespace {

class Shapes {
 public:
  explicit Shapes(const ShapeMap& shapes) : shapes_(shapes) {}

  bool has(const std::string& name) const { return shapes_.count(name) != 0; }

  /// Dimension `i` of `name`, if present and positive.
  std::optional<int64_t> dim(const std::string& name, size_t i) const {
    const auto it = shapes_.find(name);
    if (it == shapes_.end() || it->second.size() <= i || it->second[i] <= 0) return std::nullopt;
    return it->second[i];
  }

  /// Dimension `i` of the first of `names` that has it (alternatives survive a removed key).
  std::optional<int64_t> first_dim(std::initializer_list<std::pair<const char*, size_t>> names) const {
    for (const auto& [name, i] : names) {
      if (const auto value = dim(name, i)) return value;
    }
    return std::nullopt;
  }

  bool has_any(std::initializer_list<const char*> names) const {
    for (const char* name : names) {
      if (has(name)) return true;
    }
    return false;
  }

  /// How many consecutive indices `prefix`0., `prefix`1., ... have at least one key.
  int64_t count_indices(const std::string& prefix) const {
    std::set<int64_t> seen;
    for (auto it = shapes_.lower_bound(prefix); it != shapes_.end(); ++it) {
      const std::string& name = it->first;
      if (name.compare(0, prefix.size(), prefix) != 0) break;
      size_t end = prefix.size();
      while (end < name.size() && std::isdigit(static_cast<unsigned char>(name[end])) != 0) ++end;
      if (end == prefix.size() || end >= name.size() || name[end] != '.' || end - prefix.size() > 6) continue;
      seen.insert(std::stoll(name.substr(prefix.size(), end - prefix.size())));
    }
    int64_t count = 0;
    while (seen.count(count) != 0) ++count;
    return count;
  }

 private:
  const ShapeMap& shapes_;
};

int64_t count_or(int64_t count, int64_t fallback) { return count > 0 ? count : fallback; }

// ---- MPRNet -------------------------------------------------------------------------------

/// Every r with C // r == observed for all (C, observed); prefers the official 4, then the smallest.
std::pair<int64_t, bool> mprnet_reduction(const std::vector<std::pair<int64_t, int64_t>>& observed) {
  std::vector<int64_t> valid;
  for (int64_t r = 1; r <= 4096; ++r) {
    bool ok = true;
    for (const auto& [channels, reduced] : observed) ok = ok && channels / r == reduced;
    if (ok) valid.push_back(r);
  }
  if (valid.empty()) return {4, false};
  for (const int64_t r : valid) {
    if (r == 4) return {4, valid.size() > 1};
  }
  return {valid.front(), valid.size() > 1};
}

DerivedArgs derive_mprnet(const Shapes& s) {
  const int64_t n = s.first_dim({{"shallow_feat1.0.weight", 0}, {"shallow_feat2.0.weight", 0},
                                  {"concat12.weight", 0}}).value_or(96);
  const int64_t k = s.first_dim({{"shallow_feat1.0.weight", 2}, {"shallow_feat2.0.weight", 2},
                                  {"concat12.weight", 2}}).value_or(3);
  const int64_t unet = s.first_dim({{"stage1_encoder.down12.down.1.weight", 0},
                                     {"stage2_encoder.down12.down.1.weight", 0}}).value_or(n + 48) - n;
  const int64_t ors = s.first_dim({{"tail.weight", 1}, {"concat23.weight", 0}}).value_or(n + 32) - n;
  const int64_t num_cab = count_or(s.count_indices("stage3_orsnet.orb1.body.") - 1, 8);

  std::vector<std::pair<int64_t, int64_t>> observed;
  const auto observe = [&](const std::string& cab, int64_t channels) {
    if (const auto reduced = s.dim(cab + ".CA.conv_du.0.weight", 0)) observed.emplace_back(channels, *reduced);
  };
  observe("shallow_feat1.1", n);
  observe("stage1_encoder.encoder_level2.0", n + unet);
  observe("stage1_encoder.encoder_level3.0", n + 2 * unet);
  observe("stage3_orsnet.orb1.body.0", n + ors);
  const auto [reduction, ambiguous] = mprnet_reduction(observed);

  DerivedArgs out;
  out.spec.network = "MPRNet";
  out.spec.args = {{"in_c", int64_t{3}},       {"out_c", int64_t{3}},   {"n_feat", n},
                   {"scale_unetfeats", unet},  {"scale_orsnetfeats", ors}, {"num_cab", num_cab},
                   {"kernel_size", k},         {"reduction", reduction},
                   {"bias", s.has_any({"shallow_feat1.0.bias", "shallow_feat2.0.bias", "tail.bias"})}};
  out.undetermined = {"in_c", "out_c"};  // the official code hard-codes 3 channels
  if (ambiguous) out.undetermined.push_back("reduction");
  return out;
}

// ---- MIRNet -------------------------------------------------------------------------------

DerivedArgs derive_mirnet(const Shapes& s) {
  DerivedArgs out;
  out.spec.network = "MIRNet";
  out.spec.args = {
      {"in_channels", s.dim("conv_in.weight", 1).value_or(3)},
      {"out_channels", s.dim("conv_out.weight", 0).value_or(3)},
      {"n_feat", s.first_dim({{"conv_in.weight", 0}, {"conv_out.weight", 1}}).value_or(64)},
      {"kernel_size", s.first_dim({{"conv_in.weight", 2}, {"conv_out.weight", 2}}).value_or(3)},
      {"stride", int64_t{2}},  // any other value cannot build: ResidualDownSample doubles channels
      {"n_RRG", count_or(s.count_indices("body."), 3)},
      {"n_MSRB", count_or(s.count_indices("body.0.body.") - 1, 2)},
      {"height", count_or(s.count_indices("body.0.body.0.blocks."), 3)},
      {"width", count_or(s.count_indices("body.0.body.0.blocks.0."), 2)},
      {"bias", s.has_any({"conv_in.bias", "conv_out.bias"})},
  };
  return out;
}

// ---- MIRNet-v2 ----------------------------------------------------------------------------

bool chan_factor_fits(double cf, int64_t n, int64_t c1, int64_t c2, const Shapes& s) {
  const auto as_int = [](double v) { return static_cast<int64_t>(v); };
  if (as_int(static_cast<double>(n) * cf) != c1) return false;
  if (as_int(static_cast<double>(n) * std::pow(cf, 2.0)) != c2) return false;
  const std::string mrb = "body.0.body.0.";
  const auto down4 = s.dim(mrb + "down4.1.body.0.bot.1.weight", 0);
  const auto up21 = s.dim(mrb + "up21_1.body.0.bot.0.weight", 0);
  const auto up32 = s.dim(mrb + "up32_1.body.0.bot.0.weight", 0);
  if (down4 && *down4 != as_int(static_cast<double>(c1) * cf)) return false;
  if (up21 && *up21 != as_int(python_floordiv(static_cast<double>(c1), cf))) return false;
  if (up32 && *up32 != as_int(python_floordiv(static_cast<double>(c2), cf))) return false;
  return true;
}

/// The shortest decimal chan_factor that reproduces every channel count (1.5, 2, 1.25, ...).
ArgValue derive_chan_factor(int64_t n, const Shapes& s) {
  const auto c1 = s.first_dim({{"body.0.body.0.dau_mid.body.0.weight", 0}, {"body.0.body.0.dau_mid.body.2.weight", 0}});
  const auto c2 = s.first_dim({{"body.0.body.0.dau_bot.body.0.weight", 0}, {"body.0.body.0.dau_bot.body.2.weight", 0}});
  if (!c1 || !c2) return 1.5;
  double scale = 1.0;
  for (int digits = 0; digits <= 4; ++digits, scale *= 10.0) {
    const double low = std::floor(static_cast<double>(*c1) / static_cast<double>(n) * scale) - 1.0;
    const double high = std::ceil(static_cast<double>(*c1 + 1) / static_cast<double>(n) * scale) + 1.0;
    for (double m = std::max(low, 1.0); m <= high; m += 1.0) {
      const double cf = m / scale;
      if (!chan_factor_fits(cf, n, *c1, *c2, s)) continue;
      if (cf == std::floor(cf)) return static_cast<int64_t>(cf);  // the yml wrote an int
      return cf;
    }
  }
  return static_cast<double>(*c1) / static_cast<double>(n);
}

DerivedArgs derive_mirnet_v2(const Shapes& s) {
  const int64_t n = s.first_dim({{"conv_in.weight", 0}, {"conv_out.weight", 1}}).value_or(80);
  const int64_t inp = s.dim("conv_in.weight", 1).value_or(3);
  const int64_t out_channels = s.dim("conv_out.weight", 0).value_or(3);
  // Without defocus_deblurring the forward adds the input to the output, which needs equal
  // channel counts; with it there is no input residual (6 -> 3 for the dual-pixel pair).
  const ArgValue task = inp != out_channels ? ArgValue(std::string("defocus_deblurring")) : ArgValue();
  DerivedArgs out;
  out.spec.network = "MIRNet_v2";
  out.spec.args = {{"inp_channels", inp},
                   {"out_channels", out_channels},
                   {"n_feat", n},
                   {"chan_factor", derive_chan_factor(n, s)},
                   {"n_RRG", int64_t{4}},
                   {"n_MRB", count_or(s.count_indices("body.0.body.") - 1, 2)},
                   {"height", int64_t{3}},
                   {"width", int64_t{2}},
                   {"scale", int64_t{1}},
                   {"bias", s.has_any({"conv_in.bias", "conv_out.bias"})},
                   {"task", task}};
  out.undetermined = {"n_RRG", "height", "width", "scale"};  // accepted and ignored by the code
  return out;
}

// ---- HINet --------------------------------------------------------------------------------

DerivedArgs derive_hinet(const Shapes& s) {
  const int64_t depth = std::min<int64_t>(count_or(s.count_indices("down_path_1."), 5), 24);
  DerivedArgs out;
  out.undetermined = {"relu_slope"};
  int64_t first = -1, last = -1;
  for (int64_t i = 0; i < depth; ++i) {
    const std::string level = std::to_string(i) + ".norm.";
    if (!s.has("down_path_1." + level + "weight") && !s.has("down_path_2." + level + "weight") &&
        !s.has("down_path_1." + level + "bias")) {
      continue;
    }
    if (first < 0) first = i;
    last = i;
  }
  // HIN runs at levels left..right clipped to 0..depth-1: a range reaching the last level could
  // extend further, and one starting at 0 could start lower; either way the network is the same.
  // HIN at every level reads as the defaults (0, 4) left untouched; a range the user narrowed
  // reads as written to end where it visibly ends.
  int64_t left = first, right = last;
  if (first < 0) {
    left = depth;
    right = std::max<int64_t>(depth, 4);
    out.undetermined.insert(out.undetermined.end(), {"hin_position_left", "hin_position_right"});
  } else {
    if (first == 0) out.undetermined.push_back("hin_position_left");
    if (last == depth - 1) out.undetermined.push_back("hin_position_right");
    if (first == 0 && last == depth - 1) right = std::max<int64_t>(depth - 1, 4);
  }
  out.spec.network = "HINet";
  out.spec.args = {{"in_chn", s.first_dim({{"conv_01.weight", 1}, {"conv_02.weight", 1}, {"last.weight", 0}}).value_or(3)},
                   {"wf", s.first_dim({{"conv_01.weight", 0}, {"conv_02.weight", 0}, {"last.weight", 1}}).value_or(64)},
                   {"depth", depth},
                   {"relu_slope", 0.2},
                   {"hin_position_left", left},
                   {"hin_position_right", right}};
  return out;
}

/// SSEN (our own layout, nets/ssen.h): widths from the heads, depths from the block counts,
/// the scale from the space-to-depth head (3*s^2 input channels).
DerivedArgs derive_ssen(const Shapes& s) {
  DerivedArgs out;
  const int64_t ref_in = s.dim("ref_head.weight", 1).value_or(48);
  const auto scale = static_cast<int64_t>(std::lround(std::sqrt(static_cast<double>(ref_in) / 3.0)));
  out.spec.network = "SSEN";
  out.spec.args = {{"scale", scale},
                   {"n_feats", s.first_dim({{"lr_head.weight", 0}, {"to_rgb.weight", 1}}).value_or(64)},
                   {"n_feat_blocks", s.count_indices("lr_blocks.")},
                   {"n_sr_blocks", s.count_indices("sr_blocks.")},
                   {"offset_groups", s.dim("alignment.0.estimator.mask_head.weight", 0).value_or(72) / 9}};
  return out;
}

}  // namespace

DerivedArgs derive_args(const std::string& network, const ShapeMap& shapes) {
  const Shapes s(shapes);
  if (network == "MPRNet") return derive_mprnet(s);
  if (network == "MIRNet") return derive_mirnet(s);
  if (network == "MIRNet_v2") return derive_mirnet_v2(s);
  if (network == "SSEN") return derive_ssen(s);
  return derive_hinet(s);
}

}  // namespace restora
