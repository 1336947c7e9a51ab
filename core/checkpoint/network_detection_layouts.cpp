#include "checkpoint/network_detection_layouts.h"

#include "common/error.h"
#include "nets/ssen.h"

#include <algorithm>
#include <cmath>
#include <string>

// Mirrors the module trees of the official constructors (MPRNet.py, MIRNet_model.py,
// mirnet_v2_arch.py, hinet_arch.py): every name here is a parameter or buffer path there.

namespace restora {
namespace {

using Shape = std::vector<int64_t>;

// Collects names under a growing prefix, so that each block is written once.
class LayoutWriter {
 public:
  explicit LayoutWriter(std::vector<TensorInfo>& out) : out_(out) {}
  LayoutWriter sub(const std::string& name) const { return LayoutWriter(out_, prefix_ + name + "."); }
  void add(const std::string& name, Shape shape) const {
    if (out_.size() > kMaxKeys) throw Error(ErrorKind::BadInput, "network configuration is implausibly large");
    out_.push_back({prefix_ + name, std::move(shape)});
  }
  /// nn.Conv2d(in, out, k, groups, bias): weight [out, in/groups, k, k] (+ bias [out]).
  void conv(const std::string& name, int64_t in, int64_t out, int64_t k, bool bias, int64_t groups = 1) const {
    if (in % groups != 0 || out % groups != 0) {  // nn.Conv2d refuses these
      throw Error(ErrorKind::BadInput, prefix_ + name + ": channels not divisible by groups");
    }
    add(name + ".weight", {out, in / groups, k, k});
    if (bias) add(name + ".bias", {out});
  }

 private:
  static constexpr size_t kMaxKeys = 1000000;
  LayoutWriter(std::vector<TensorInfo>& out, std::string prefix) : out_(out), prefix_(std::move(prefix)) {}
  std::vector<TensorInfo>& out_;
  std::string prefix_;
};

void require(bool condition, const std::string& network, const std::string& what) {
  if (!condition) throw Error(ErrorKind::BadInput, network + ": " + what);
}

// ---- MPRNet -------------------------------------------------------------------------------

struct MprnetSizes {
  int64_t n, s, o, num_cab, k, r;
  bool bias;
};

void mprnet_cab(const LayoutWriter& w, int64_t c, const MprnetSizes& z) {
  w.conv("CA.conv_du.0", c, c / z.r, 1, z.bias);
  w.conv("CA.conv_du.2", c / z.r, c, 1, z.bias);
  w.conv("body.0", c, c, z.k, z.bias);
  w.add("body.1.weight", {1});  // the one PReLU shared by every CAB
  w.conv("body.2", c, c, z.k, z.bias);
}

void mprnet_unet(const LayoutWriter& w, const MprnetSizes& z, bool encoder, bool csff) {
  const int64_t c[] = {z.n, z.n + z.s, z.n + 2 * z.s};
  const std::string part = encoder ? "encoder_level" : "decoder_level";
  for (int level = 0; level < 3; ++level) {
    for (int i = 0; i < 2; ++i) {
      mprnet_cab(w.sub(part + std::to_string(level + 1) + "." + std::to_string(i)), c[level], z);
    }
  }
  if (encoder) {
    w.conv("down12.down.1", c[0], c[1], 1, false);
    w.conv("down23.down.1", c[1], c[2], 1, false);
    if (!csff) return;
    for (const char* which : {"enc", "dec"}) {
      for (int level = 0; level < 3; ++level) {
        w.conv(std::string("csff_") + which + std::to_string(level + 1), c[level], c[level], 1, z.bias);
      }
    }
    return;
  }
  mprnet_cab(w.sub("skip_attn1"), c[0], z);
  mprnet_cab(w.sub("skip_attn2"), c[1], z);
  w.conv("up21.up.1", c[1], c[0], 1, false);
  w.conv("up32.up.1", c[2], c[1], 1, false);
}

void mprnet_orsnet(const LayoutWriter& w, const MprnetSizes& z) {
  const int64_t c = z.n + z.o;
  for (int orb = 1; orb <= 3; ++orb) {
    const LayoutWriter body = w.sub("orb" + std::to_string(orb) + ".body");
    for (int64_t i = 0; i < z.num_cab; ++i) mprnet_cab(body.sub(std::to_string(i)), c, z);
    body.conv(std::to_string(z.num_cab), c, c, z.k, false);
  }
  for (const char* which : {"up_enc", "up_dec"}) {
    w.conv(std::string(which) + "1.up.1", z.n + z.s, z.n, 1, false);
  }
  for (const char* which : {"up_enc", "up_dec"}) {
    w.conv(std::string(which) + "2.0.up.1", z.n + 2 * z.s, z.n + z.s, 1, false);
    w.conv(std::string(which) + "2.1.up.1", z.n + z.s, z.n, 1, false);
  }
  for (const char* which : {"conv_enc", "conv_dec"}) {
    for (int i = 1; i <= 3; ++i) w.conv(which + std::to_string(i), z.n, c, 1, z.bias);
  }
}

void mprnet_layout(const LayoutWriter& w, const ArgMap& a) {
  const MprnetSizes z{arg_int(a, "n_feat", 96),   arg_int(a, "scale_unetfeats", 48),
                      arg_int(a, "scale_orsnetfeats", 32), arg_int(a, "num_cab", 8),
                      arg_int(a, "kernel_size", 3), arg_int(a, "reduction", 4), arg_bool(a, "bias", false)};
  require(z.n > 0 && z.s >= 0 && z.o >= 0 && z.num_cab >= 0 && z.num_cab < 10000 && z.k > 0 && z.r > 0,
          "MPRNet", "invalid sizes");
  for (int i = 1; i <= 3; ++i) {
    const LayoutWriter shallow = w.sub("shallow_feat" + std::to_string(i));
    shallow.conv("0", 3, z.n, z.k, z.bias);  // conv(3, n_feat): in_c is never used
    mprnet_cab(shallow.sub("1"), z.n, z);
  }
  mprnet_unet(w.sub("stage1_encoder"), z, true, false);
  mprnet_unet(w.sub("stage1_decoder"), z, false, false);
  mprnet_unet(w.sub("stage2_encoder"), z, true, true);
  mprnet_unet(w.sub("stage2_decoder"), z, false, false);
  mprnet_orsnet(w.sub("stage3_orsnet"), z);
  for (const char* sam : {"sam12", "sam23"}) {
    w.conv(std::string(sam) + ".conv1", z.n, z.n, 1, z.bias);
    w.conv(std::string(sam) + ".conv2", z.n, 3, 1, z.bias);
    w.conv(std::string(sam) + ".conv3", 3, z.n, 1, z.bias);
  }
  w.conv("concat12", 2 * z.n, z.n, z.k, z.bias);
  w.conv("concat23", 2 * z.n, z.n + z.o, z.k, z.bias);
  w.conv("tail", z.n + z.o, 3, z.k, z.bias);
}

// ---- MIRNet -------------------------------------------------------------------------------

void mirnet_dau(const LayoutWriter& w, int64_t c) {
  w.conv("body.0", c, c, 3, false);
  w.add("body.1.weight", {1});
  w.conv("body.2", c, c, 3, false);
  w.add("SA.spatial.conv.weight", {1, 2, 5, 5});
  w.conv("CA.conv_du.0", c, c / 8, 1, false);
  w.conv("CA.conv_du.2", c / 8, c, 1, false);
  w.conv("conv1x1", 2 * c, c, 1, false);
}

void mirnet_resample_chain(const LayoutWriter& w, int64_t c, int64_t steps, bool down) {
  for (int64_t i = 0; i < steps; ++i) {
    const LayoutWriter step = w.sub("body." + std::to_string(i));
    step.conv("top.0", c, c, 1, false);
    step.add("top.1.weight", {1});
    step.add("top.2.weight", {c, c, 3, 3});  // Conv2d and ConvTranspose2d(C, C) look alike
    step.add("top.3.weight", {1});
    if (down) {
      step.add("top.4.filt", {c, 1, 3, 3});
      step.conv("top.5", c, 2 * c, 1, false);
      step.add("bot.0.filt", {c, 1, 3, 3});
      step.conv("bot.1", c, 2 * c, 1, false);
      c *= 2;
    } else {
      step.conv("top.4", c, c / 2, 1, false);
      step.conv("bot.1", c, c / 2, 1, false);
      c /= 2;
    }
  }
}

void mirnet_msrb(const LayoutWriter& w, int64_t n, int64_t height, int64_t width, bool bias) {
  for (int64_t i = 0; i < height; ++i) {
    for (int64_t j = 0; j < width; ++j) {
      mirnet_dau(w.sub("blocks." + std::to_string(i) + "." + std::to_string(j)), n << i);
    }
  }
  for (int64_t i = 1; i < height; ++i) mirnet_resample_chain(w.sub("last_up." + std::to_string(i)), n << i, i, false);
  // down["{C}_{s}"]: level i reaches every coarser level; up["{C}_{s}"]: the reverse.
  for (int64_t i = 0; i < height; ++i) {
    for (int64_t steps = height - 1 - i; steps >= 1; --steps) {
      const std::string key = std::to_string(n << i) + "_" + std::to_string(int64_t{1} << steps);
      mirnet_resample_chain(w.sub("down." + key), n << i, steps, true);
    }
  }
  for (int64_t i = height - 1; i >= 0; --i) {
    for (int64_t steps = i; steps >= 1; --steps) {
      const std::string key = std::to_string(n << i) + "_" + std::to_string(int64_t{1} << steps);
      mirnet_resample_chain(w.sub("up." + key), n << i, steps, false);
    }
  }
  w.conv("conv_out", n, n, 3, bias);
  for (int64_t i = 0; i < height; ++i) {
    const int64_t c = n << i;
    const int64_t d = std::max<int64_t>(c / 8, 4);
    const LayoutWriter skff = w.sub("selective_kernel." + std::to_string(i));
    skff.conv("conv_du.0", c, d, 1, false);
    skff.add("conv_du.1.weight", {1});
    for (int64_t f = 0; f < height; ++f) skff.conv("fcs." + std::to_string(f), d, c, 1, false);
  }
}

void mirnet_layout(const LayoutWriter& w, const ArgMap& a) {
  const int64_t n = arg_int(a, "n_feat", 64), k = arg_int(a, "kernel_size", 3);
  const int64_t n_rrg = arg_int(a, "n_RRG", 3), n_msrb = arg_int(a, "n_MSRB", 2);
  const int64_t height = arg_int(a, "height", 3), width = arg_int(a, "width", 2);
  const bool bias = arg_bool(a, "bias", false);
  // ResidualDownSample always doubles the channels, so any other stride cannot run.
  require(arg_int(a, "stride", 2) == 2, "MIRNet", "stride must be 2");
  require(n > 0 && k > 0 && n_rrg >= 0 && n_msrb >= 0 && height >= 1 && height <= 16 && width >= 1 &&
              n_rrg * n_msrb * width < 100000,
          "MIRNet", "invalid sizes");
  w.conv("conv_in", arg_int(a, "in_channels", 3), n, k, bias);
  for (int64_t r = 0; r < n_rrg; ++r) {
    const LayoutWriter rrg = w.sub("body." + std::to_string(r) + ".body");
    for (int64_t m = 0; m < n_msrb; ++m) mirnet_msrb(rrg.sub(std::to_string(m)), n, height, width, bias);
    rrg.conv(std::to_string(n_msrb), n, n, 3, false);
  }
  w.conv("conv_out", n, arg_int(a, "out_channels", 3), k, bias);
}

// ---- MIRNet-v2 ----------------------------------------------------------------------------

void mirnet_v2_rcb(const LayoutWriter& w, int64_t c, bool bias, int64_t groups) {
  w.conv("body.0", c, c, 3, bias, groups);
  w.conv("body.2", c, c, 3, bias, groups);
  w.conv("gcnet.conv_mask", c, 1, 1, bias);
  w.conv("gcnet.channel_add_conv.0", c, c, 1, bias);
  w.conv("gcnet.channel_add_conv.2", c, c, 1, bias);
}

void mirnet_v2_mrb(const LayoutWriter& w, int64_t n, double cf, bool bias, int64_t groups) {
  const auto down = [cf](int64_t c) { return static_cast<int64_t>(static_cast<double>(c) * cf); };
  const auto up = [cf](int64_t c) { return static_cast<int64_t>(python_floordiv(static_cast<double>(c), cf)); };
  const int64_t c1 = static_cast<int64_t>(static_cast<double>(n) * cf);
  const int64_t c2 = static_cast<int64_t>(static_cast<double>(n) * std::pow(cf, 2.0));
  mirnet_v2_rcb(w.sub("dau_top"), n, bias, groups);
  mirnet_v2_rcb(w.sub("dau_mid"), c1, bias, groups);
  mirnet_v2_rcb(w.sub("dau_bot"), c2, bias, groups);
  w.conv("down2.body.0.bot.1", n, down(n), 1, false);
  w.conv("down4.0.body.0.bot.1", n, down(n), 1, false);
  w.conv("down4.1.body.0.bot.1", c1, down(c1), 1, false);
  for (const char* name : {"up21_1", "up21_2"}) w.conv(std::string(name) + ".body.0.bot.0", c1, up(c1), 1, false);
  for (const char* name : {"up32_1", "up32_2"}) w.conv(std::string(name) + ".body.0.bot.0", c2, up(c2), 1, false);
  w.conv("conv_out", n, n, 1, bias);
  for (const auto& [name, c] : {std::pair<const char*, int64_t>{"skff_top", n}, {"skff_mid", c1}}) {
    const int64_t d = std::max<int64_t>(static_cast<int64_t>(static_cast<double>(c) / 8.0), 4);
    w.conv(std::string(name) + ".conv_du.0", c, d, 1, false);
    w.conv(std::string(name) + ".fcs.0", d, c, 1, false);
    w.conv(std::string(name) + ".fcs.1", d, c, 1, false);
  }
}

void mirnet_v2_layout(const LayoutWriter& w, const ArgMap& a) {
  const int64_t n = arg_int(a, "n_feat", 80), n_mrb = arg_int(a, "n_MRB", 2);
  const double cf = arg_double(a, "chan_factor", 1.5);
  const bool bias = arg_bool(a, "bias", false);
  require(n > 0 && n_mrb >= 0 && n_mrb < 100000 && cf > 0.0 && cf < 1000.0, "MIRNet_v2", "invalid sizes");
  w.conv("conv_in", arg_int(a, "inp_channels", 3), n, 3, bias);
  const int64_t groups[] = {1, 2, 4, 4};  // n_RRG is ignored: always these four groups
  for (int r = 0; r < 4; ++r) {
    const LayoutWriter rrg = w.sub("body." + std::to_string(r) + ".body");
    for (int64_t m = 0; m < n_mrb; ++m) mirnet_v2_mrb(rrg.sub(std::to_string(m)), n, cf, bias, groups[r]);
    rrg.conv(std::to_string(n_mrb), n, n, 3, bias);
  }
  w.conv("conv_out", n, arg_int(a, "out_channels", 3), 3, bias);
}

// ---- HINet --------------------------------------------------------------------------------

void hinet_block(const LayoutWriter& w, int64_t in, int64_t out, bool downsample, bool csff, bool hin) {
  w.conv("identity", in, out, 1, true);
  w.conv("conv_1", in, out, 3, true);
  w.conv("conv_2", out, out, 3, true);
  if (downsample && csff) {
    w.conv("csff_enc", out, out, 3, true);
    w.conv("csff_dec", out, out, 3, true);
  }
  if (hin) {
    w.add("norm.weight", {out / 2});
    w.add("norm.bias", {out / 2});
  }
  if (downsample) w.conv("downsample", out, out, 4, false);
}

void hinet_layout(const LayoutWriter& w, const ArgMap& a) {
  const int64_t in = arg_int(a, "in_chn", 3), wf = arg_int(a, "wf", 64), depth = arg_int(a, "depth", 5);
  const int64_t left = arg_int(a, "hin_position_left", 0), right = arg_int(a, "hin_position_right", 4);
  require(in > 0 && wf > 0 && depth >= 1 && depth <= 24, "HINet", "invalid sizes");
  for (const int path : {1, 2}) {
    int64_t prev = wf;
    for (int64_t i = 0; i < depth; ++i) {
      const bool downsample = i + 1 < depth;
      const bool hin = left <= i && i <= right;
      hinet_block(w.sub("down_path_" + std::to_string(path) + "." + std::to_string(i)), prev, wf << i,
                  downsample, path == 2, hin);
      prev = wf << i;
    }
  }
  // The down paths are registered before conv_01/conv_02, so they come first.
  w.conv("conv_01", in, wf, 3, true);
  w.conv("conv_02", in, wf, 3, true);
  for (const int path : {1, 2}) {
    int64_t prev = wf << (depth - 1);
    int64_t j = 0;
    for (int64_t i = depth - 2; i >= 0; --i, ++j) {
      const LayoutWriter up = w.sub("up_path_" + std::to_string(path) + "." + std::to_string(j));
      up.add("up.weight", {prev, wf << i, 2, 2});  // ConvTranspose2d: [in, out, k, k]
      up.add("up.bias", {wf << i});
      hinet_block(up.sub("conv_block"), prev, wf << i, false, false, false);
      prev = wf << i;
    }
  }
  for (const int path : {1, 2}) {
    for (int64_t i = depth - 2, j = 0; i >= 0; --i, ++j) {
      w.conv("skip_conv_" + std::to_string(path) + "." + std::to_string(j), wf << i, wf << i, 3, true);
    }
  }
  w.conv("sam12.conv1", wf, wf, 3, true);
  w.conv("sam12.conv2", wf, 3, 3, true);
  w.conv("sam12.conv3", 3, wf, 3, true);
  w.conv("cat12", 2 * wf, wf, 1, true);
  w.conv("last", wf, in, 3, true);
}

}  // namespace

double python_floordiv(double a, double b) {
  // CPython float_floor_div: floor((a - fmod(a, b)) / b), corrected as CPython does.
  double mod = std::fmod(a, b);
  double div = (a - mod) / b;
  if (mod != 0.0 && ((b < 0) != (mod < 0))) div -= 1.0;
  if (div == 0.0) return std::copysign(0.0, a / b);
  double floordiv = std::floor(div);
  if (div - floordiv > 0.5) floordiv += 1.0;
  return floordiv;
}

std::vector<TensorInfo> expected_state_dict(const NetworkSpec& spec) {
  std::vector<TensorInfo> out;
  const LayoutWriter root(out);
  if (spec.network == "MPRNet") {
    mprnet_layout(root, spec.args);
  } else if (spec.network == "MIRNet") {
    mirnet_layout(root, spec.args);
  } else if (spec.network == "MIRNet_v2") {
    mirnet_v2_layout(root, spec.args);
  } else if (spec.network == "HINet") {
    hinet_layout(root, spec.args);
  } else if (spec.network == "SSEN") {
    // No official code: our module is the layout.
    for (const auto& item : make_ssen(spec.args)->named_parameters())
      out.push_back({item.key(), item.value().sizes().vec()});
  } else {
    throw Error(ErrorKind::BadInput, "no state-dict layout for network '" + spec.network + "'");
  }
  return out;
}

}  // namespace restora
