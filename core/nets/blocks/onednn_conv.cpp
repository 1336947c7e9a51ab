#include "nets/blocks/onednn_conv.h"

#include "nets/blocks/onednn_config.h"

#include <torch/autograd.h>

#include <ATen/record_function.h>

#include <c10/core/InferenceMode.h>

#include <map>
#include <mutex>
#include <optional>
#include <tuple>
#include <unordered_map>
#include <vector>

#if RESTORA_HAVE_ONEDNN
#include <dnnl.hpp>
#endif

namespace restora {
namespace {
thread_local ConvPrecision t_precision = ConvPrecision::fp32;
}  // namespace

ConvPrecisionScope::ConvPrecisionScope(ConvPrecision precision) : previous_(t_precision) { t_precision = precision; }
ConvPrecisionScope::~ConvPrecisionScope() { t_precision = previous_; }
ConvPrecision conv_precision() { return t_precision; }

#if RESTORA_HAVE_ONEDNN
namespace {

using dnnl::memory;
using Tag = memory::format_tag;

/// oneDNN's Winograd may transform whole maps at once: its scratchpad then grows with the map
/// (612 MB for 128 channels at 512x512, 4.5x the input) and is kept per thread. Past this
/// bound a direct convolution runs instead, so large images cost no more than this extra.
constexpr size_t kWinogradMaxScratchpad = size_t{256} << 20;

dnnl::engine& cpu_engine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

memory::dims to_dims(c10::IntArrayRef sizes) { return memory::dims(sizes.begin(), sizes.end()); }

/// One compiled convolution for one input shape and layout.
struct Plan {
  dnnl::convolution_forward primitive;
  memory::desc src, dst, weights;
  bool reorder_src = false, reorder_dst = false;
  /// The output is returned channels-last (whatever the input's layout): the kernel writes that.
  bool output_channels_last = false;
  memory::desc scratchpad;
  std::string implementation;
};

/// (N, C, H, W, channels-last, Winograd wanted, activation, its negative slope, residual added, bf16)
using PlanKey = std::tuple<int64_t, int64_t, int64_t, int64_t, bool, bool, bool, float, bool, bool>;

/// Weights in a oneDNN layout, valid while the weight tensor is the same one at the same version.
struct CachedWeights {
  const void* weight_impl = nullptr;
  int64_t weight_version = -1;
  memory::desc desc;
  torch::Tensor storage;  // owns the bytes behind `mem`
  memory mem;
};

}  // namespace

struct OnednnConv::State {
  std::mutex mutex;
  std::map<PlanKey, std::optional<Plan>> plans;  // nullopt: oneDNN cannot run this key
  std::vector<CachedWeights> weights;
};

namespace {

std::array<int64_t, 2> output_size(const torch::Tensor& input, const torch::Tensor& weight, const ConvGeometry& g) {
  std::array<int64_t, 2> out{};
  for (int axis = 0; axis < 2; ++axis) {
    const int64_t k_eff = g.dilation[axis] * (weight.size(2 + axis) - 1) + 1;
    out[axis] = (input.size(2 + axis) + 2 * g.padding[axis] - k_eff) / g.stride[axis] + 1;
  }
  return out;
}

bool wants_winograd(const torch::Tensor& input, const torch::Tensor& weight, const ConvGeometry& g,
                    const ConvPolicy& policy) {
  const auto out = output_size(input, weight, g);
  return policy.algorithm == ConvAlgorithm::winograd && weight.size(2) == 3 && weight.size(3) == 3 &&
         g.stride == std::array<int64_t, 2>{1, 1} && g.dilation == std::array<int64_t, 2>{1, 1} && g.groups == 1 &&
         out[0] * out[1] >= policy.winograd_min_pixels;
}

std::optional<Plan> make_plan(const torch::Tensor& input, const torch::Tensor& weight, bool has_bias,
                              const ConvGeometry& g, bool channels_last, bool winograd, const ConvPostOps& post,
                              bool bf16) {
  const int64_t kh = weight.size(2), kw = weight.size(3);
  const int64_t oc = weight.size(0);
  const auto out = output_size(input, weight, g);
  std::array<int64_t, 2> pad_r{};
  for (int axis = 0; axis < 2; ++axis) {
    const int64_t k_eff = g.dilation[axis] * (weight.size(2 + axis) - 1) + 1;
    if (input.size(2 + axis) + 2 * g.padding[axis] < k_eff) return std::nullopt;
    // oneDNN wants the right padding that the output actually reaches.
    pad_r[axis] = (out[axis] - 1) * g.stride[axis] + k_eff - input.size(2 + axis) - g.padding[axis];
  }
  const memory::dims src_dims = to_dims(input.sizes());
  const memory::dims dst_dims{input.size(0), oc, out[0], out[1]};
  const memory::dims w_dims = g.groups == 1 ? to_dims(weight.sizes())
                                            : memory::dims{g.groups, oc / g.groups, weight.size(1), kh, kw};
  const memory::desc user_src(src_dims, memory::data_type::f32, channels_last ? Tag::nhwc : Tag::nchw);
  const memory::desc user_dst(dst_dims, memory::data_type::f32, channels_last ? Tag::nhwc : Tag::nchw);
  const auto compute_type = bf16 ? memory::data_type::bf16 : memory::data_type::f32;
  const memory::desc any_src(src_dims, compute_type, Tag::any);
  const memory::desc any_dst(dst_dims, memory::data_type::f32, Tag::any);
  const memory::desc any_w(w_dims, compute_type, Tag::any);
  const memory::desc bias_md = has_bias ? memory::desc({oc}, memory::data_type::f32, Tag::a) : memory::desc();

  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  dnnl::post_ops ops;
  if (post.activation) ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, post.negative_slope, 0.0f);
  // The residual is put in the output first; the kernel adds its result to what it finds there.
  if (post.residual.defined()) ops.append_sum(1.0f);
  attr.set_post_ops(ops);
  // Direct convolution runs channels-last data in place; Winograd and planar (NCHW) data need
  // oneDNN's blocked layout, reordered on the way in and out as LibTorch does.
  std::vector<std::pair<dnnl::algorithm, bool>> attempts;
  if (winograd) attempts.push_back({dnnl::algorithm::convolution_winograd, false});
  if (channels_last && !bf16) attempts.push_back({dnnl::algorithm::convolution_direct, true});
  attempts.push_back({dnnl::algorithm::convolution_direct, false});
  for (const auto& [alg, user_layout] : attempts) {
    try {
      const auto& src_md = user_layout ? user_src : any_src;
      // bf16 writes float outputs; it keeps the user's layout where that is channels-last.
      const auto& dst_md = user_layout || (bf16 && channels_last) ? user_dst : any_dst;
      const dnnl::convolution_forward::desc desc(
          dnnl::prop_kind::forward_inference, alg, src_md, any_w, bias_md, dst_md, {g.stride[0], g.stride[1]},
          {g.dilation[0] - 1, g.dilation[1] - 1}, {g.padding[0], g.padding[1]}, {pad_r[0], pad_r[1]});
      const dnnl::convolution_forward::primitive_desc pd(desc, attr, cpu_engine());
      Plan plan;
      plan.primitive = dnnl::convolution_forward(pd);
      plan.src = pd.src_desc();
      plan.dst = pd.dst_desc();
      plan.weights = pd.weights_desc();
      plan.reorder_src = plan.src != user_src;
      // A planar input whose kernel computes channels-last gets its output channels-last, as
      // the kernel wrote it: LibTorch's channels-last tensors are the same values, and the next
      // convolution then reads them without a reorder (MIRNet: 730 reorders a forward fewer).
      const memory::desc nhwc_dst(dst_dims, memory::data_type::f32, Tag::nhwc);
      plan.output_channels_last = channels_last || plan.dst == nhwc_dst;
      plan.reorder_dst = plan.dst != (plan.output_channels_last ? nhwc_dst : user_dst);
      plan.scratchpad = pd.scratchpad_desc();
      plan.implementation = pd.impl_info_str();
      if (alg == dnnl::algorithm::convolution_winograd &&
          plan.scratchpad.get_size() > kWinogradMaxScratchpad) {
        continue;
      }
      return plan;
    } catch (const dnnl::error&) {
      // This algorithm or layout is not offered for this shape: try the next one. But Winograd
      // takes no activation post-op here, and on a map large enough for it, it gains more than
      // the fusion would (MPRNet: 3.0 s unfused, 3.6-4.3 s fused direct): then run in steps.
      const bool has_post_ops = post.activation || post.residual.defined();
      if (alg == dnnl::algorithm::convolution_winograd && has_post_ops) {
        const auto plain = make_plan(input, weight, has_bias, g, channels_last, winograd, {}, bf16);
        if (plain && plain->implementation.find("wino") != std::string::npos) return std::nullopt;
      }
    }
  }
  return std::nullopt;
}

torch::Tensor bytes_tensor(size_t bytes) { return torch::empty({static_cast<int64_t>(bytes)}, torch::kUInt8); }

/// Working memory of one thread, kept between calls: large fresh allocations are mmap'ed and
/// page-faulted anew every time, which costs Winograd (large scratchpads) half its gain.
/// release_conv_workspace() gives it back.
struct ThreadBuffers {
  struct Buffer {
    std::unique_ptr<char[]> data;  // uninitialised: every byte is written before it is read
    size_t size = 0;
  };
  Buffer src, dst, scratchpad;
  static void* ensure(Buffer& buffer, size_t bytes) {
    if (buffer.size < bytes) {
      buffer.data.reset();  // never hold the old and the new at once
      buffer.data.reset(new char[bytes]);
      buffer.size = bytes;
    }
    return buffer.data.get();
  }
};

ThreadBuffers& thread_buffers() {
  thread_local ThreadBuffers buffers;
  return buffers;
}

memory weights_in_layout(const torch::Tensor& weight, const memory::desc& desc, torch::Tensor& storage,
                         int64_t groups) {
  const auto w = weight.contiguous();
  const memory::dims dims = desc.dims();
  const memory::desc user_md(dims, memory::data_type::f32, groups == 1 ? Tag::oihw : Tag::goihw);
  memory user(user_md, cpu_engine(), w.data_ptr());
  storage = bytes_tensor(desc.get_size());
  memory target(desc, cpu_engine(), storage.data_ptr());
  dnnl::stream stream(cpu_engine());
  dnnl::reorder(user, target).execute(stream, user, target);
  stream.wait();
  return target;
}

}  // namespace

OnednnConv::OnednnConv() : state_(std::make_unique<State>()) {}
OnednnConv::~OnednnConv() = default;
OnednnConv::OnednnConv(const OnednnConv&) : state_(std::make_unique<State>()) {}
OnednnConv& OnednnConv::operator=(const OnednnConv&) {
  state_ = std::make_unique<State>();
  return *this;
}

bool OnednnConv::compiled_in() { return true; }

torch::Tensor OnednnConv::run(const torch::Tensor& input, const torch::Tensor& weight, const torch::Tensor& bias,
                              const ConvGeometry& geometry, const ConvPolicy& policy, const ConvPostOps& post) {
  const bool needs_graph = torch::GradMode::is_enabled() &&
                           (input.requires_grad() || weight.requires_grad() || (bias.defined() && bias.requires_grad()));
  auto is_plain_cpu_float = [](const torch::Tensor& t) {
    return t.device().is_cpu() && t.scalar_type() == torch::kFloat && t.layout() == torch::kStrided;
  };
  if (needs_graph || input.dim() != 4 || weight.dim() != 4 || !is_plain_cpu_float(input) || !is_plain_cpu_float(weight) ||
      (bias.defined() && !is_plain_cpu_float(bias)) || input.numel() == 0 ||
      input.size(1) != weight.size(1) * geometry.groups ||
      (post.residual.defined() && (!is_plain_cpu_float(post.residual) || post.residual.requires_grad()))) {
    return {};
  }
  const bool channels_last = input.suggest_memory_format() == at::MemoryFormat::ChannelsLast;
  const auto src = input.contiguous(channels_last ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous);
  const auto bias_values = bias.defined() ? bias.contiguous() : bias;
  if (post.residual.defined()) {
    const auto out = output_size(src, weight, geometry);
    if (post.residual.sizes() != c10::IntArrayRef{src.size(0), weight.size(0), out[0], out[1]}) return {};
  }
  const bool bf16 = t_precision == ConvPrecision::bf16 && policy.algorithm != ConvAlgorithm::exact;
  const bool winograd = !bf16 && wants_winograd(src, weight, geometry, policy);
  const PlanKey key{src.size(0), src.size(1),    src.size(2),         src.size(3),
                    channels_last, winograd, post.activation, post.negative_slope, post.residual.defined(), bf16};

  Plan plan;
  memory weights;
  {
    const std::lock_guard<std::mutex> lock(state_->mutex);
    auto found = state_->plans.find(key);
    if (found == state_->plans.end()) {
      found = state_->plans.emplace(key, make_plan(src, weight, bias.defined(), geometry, channels_last, winograd, post, bf16)).first;
    }
    if (!found->second) return {};
    plan = *found->second;
    // Weights made under InferenceMode have no version counter: re-layout them every call.
    const bool tracked = !weight.is_inference();
    CachedWeights* cached = nullptr;
    for (auto& entry : state_->weights) {
      if (entry.desc == plan.weights) cached = &entry;
    }
    if (!cached) cached = &state_->weights.emplace_back();
    if (!tracked || cached->weight_impl != weight.unsafeGetTensorImpl() || cached->weight_version != weight._version()) {
      c10::InferenceMode normal_tensors(false);  // the cache outlives any caller's inference mode
      cached->desc = plan.weights;
      cached->mem = weights_in_layout(weight, plan.weights, cached->storage, geometry.groups);
      cached->weight_impl = tracked ? weight.unsafeGetTensorImpl() : nullptr;
      cached->weight_version = tracked ? weight._version() : -1;
    }
    weights = cached->mem;
  }

  // Shows up in torch::autograd::profiler traces under oneDNN's implementation name.
  RECORD_FUNCTION(plan.implementation, std::vector<c10::IValue>());
  auto& engine = cpu_engine();
  dnnl::stream stream(engine);
  const memory::dims dst_dims = plan.dst.dims();
  const auto output_format = plan.output_channels_last ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
  auto output = torch::empty(dst_dims, src.options().memory_format(output_format));
  const memory::desc user_src(plan.src.dims(), memory::data_type::f32, channels_last ? Tag::nhwc : Tag::nchw);
  const memory::desc user_dst(dst_dims, memory::data_type::f32, plan.output_channels_last ? Tag::nhwc : Tag::nchw);
  memory src_mem(user_src, engine, src.data_ptr());
  memory dst_mem(user_dst, engine, output.data_ptr());
  auto& buffers = thread_buffers();
  if (plan.reorder_src) {
    memory blocked(plan.src, engine, ThreadBuffers::ensure(buffers.src, plan.src.get_size()));
    dnnl::reorder(src_mem, blocked).execute(stream, src_mem, blocked);
    src_mem = blocked;
  }
  memory conv_dst = dst_mem;
  if (plan.reorder_dst) {
    conv_dst = memory(plan.dst, engine, ThreadBuffers::ensure(buffers.dst, plan.dst.get_size()));
  }
  if (post.residual.defined()) {
    const auto residual = post.residual.contiguous(output_format);
    memory residual_mem(user_dst, engine, residual.data_ptr());
    // One pass that also brings it into the kernel's layout where that differs.
    dnnl::reorder(residual_mem, conv_dst).execute(stream, residual_mem, conv_dst);
  }
  // A scratchpad per thread (not oneDNN's per-primitive one) lets threads share the plan.
  void* scratch = ThreadBuffers::ensure(buffers.scratchpad, std::max<size_t>(plan.scratchpad.get_size(), 1));
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src_mem},
                                       {DNNL_ARG_WEIGHTS, weights},
                                       {DNNL_ARG_DST, conv_dst},
                                       {DNNL_ARG_SCRATCHPAD, memory(plan.scratchpad, engine, scratch)}};
  if (bias_values.defined()) {
    args.emplace(DNNL_ARG_BIAS, memory({{weight.size(0)}, memory::data_type::f32, Tag::a}, engine, bias_values.data_ptr()));
  }
  plan.primitive.execute(stream, args);
  if (plan.reorder_dst) dnnl::reorder(conv_dst, dst_mem).execute(stream, conv_dst, dst_mem);
  stream.wait();
  return output;
}

void release_conv_workspace() { thread_buffers() = ThreadBuffers(); }

std::string conv_isa() {
  switch (dnnl::get_effective_cpu_isa()) {
    case dnnl::cpu_isa::sse41: return "sse41";
    case dnnl::cpu_isa::avx: return "avx";
    case dnnl::cpu_isa::avx2: return "avx2";
    case dnnl::cpu_isa::avx2_vnni: return "avx2_vnni";
    case dnnl::cpu_isa::avx512_core: return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni: return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16: return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx: return "avx512_core_amx";
    default: return "other";
  }
}

std::string conv_library_version() {
  const auto* v = dnnl::version();
  return "oneDNN " + std::to_string(v->major) + '.' + std::to_string(v->minor) + '.' + std::to_string(v->patch);
}

bool bf16_convolutions_available() {
  const auto isa = dnnl::get_effective_cpu_isa();
  return isa == dnnl::cpu_isa::avx512_core || isa == dnnl::cpu_isa::avx512_core_vnni ||
         isa == dnnl::cpu_isa::avx512_core_bf16 || isa == dnnl::cpu_isa::avx512_core_amx;
}

ConvWorkspace conv_workspace() {
  const auto& buffers = thread_buffers();
  return {buffers.src.size + buffers.dst.size, buffers.scratchpad.size};
}

std::vector<std::string> OnednnConv::implementations() const {
  const std::lock_guard<std::mutex> lock(state_->mutex);
  std::vector<std::string> names;
  for (const auto& [key, plan] : state_->plans) names.push_back(plan ? plan->implementation : "torch::conv2d");
  return names;
}

#else  // without oneDNN every call goes to torch::conv2d

struct OnednnConv::State {};
OnednnConv::OnednnConv() = default;
OnednnConv::~OnednnConv() = default;
OnednnConv::OnednnConv(const OnednnConv&) {}
OnednnConv& OnednnConv::operator=(const OnednnConv&) { return *this; }
bool OnednnConv::compiled_in() { return false; }
torch::Tensor OnednnConv::run(const torch::Tensor&, const torch::Tensor&, const torch::Tensor&, const ConvGeometry&,
                              const ConvPolicy&, const ConvPostOps&) {
  return {};
}

std::vector<std::string> OnednnConv::implementations() const { return {}; }
std::string conv_isa() { return "none"; }
std::string conv_library_version() { return "no oneDNN"; }
bool bf16_convolutions_available() { return false; }
void release_conv_workspace() {}
ConvWorkspace conv_workspace() { return {}; }

#endif

}  // namespace restora
