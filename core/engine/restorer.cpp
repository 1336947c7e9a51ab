#include "engine/restorer.h"

#include "common/error.h"
#include "engine/tile_source.h"
#include "engine/tiled_stage.h"
#include "nets/blocks/onednn_conv.h"
#include "nets/size_rule.h"
#include "runtime/heap.h"
#include "runtime/threads.h"

#include <torch/torch.h>

#include <algorithm>

namespace restora {

Restorer::Restorer(std::shared_ptr<RestorationNetworkImpl> network, ModelTraits traits, torch::Device device)
    : network_(std::move(network)), traits_(std::move(traits)), device_(device) {
  network_->eval();
  network_->to(device_);
}

torch::Tensor Restorer::prepare_input(const torch::Tensor& rgb, const torch::Tensor& right_view) const {
  if (rgb.dim() != 4 || rgb.size(0) != 1 || rgb.size(1) != 3)
    throw Error(ErrorKind::BadInput, "the image must be RGB ([1, 3, H, W])");
  torch::Tensor input = rgb;
  if (traits_.dual_pixel) {
    if (!right_view.defined())
      throw Error(ErrorKind::BadInput, "this dual-pixel defocus model needs the right view as well (--dp-right FILE)");
    if (right_view.sizes() != rgb.sizes())
      throw Error(ErrorKind::BadInput, "the right dual-pixel view is not the same size as the left view");
    input = torch::cat({rgb, right_view}, 1);
  } else if (right_view.defined()) {
    throw Error(ErrorKind::BadUsage, "a right dual-pixel view was given but this model is not a dual-pixel model");
  }
  // The official SR networks of both MIRNets keep the size: they restore an input already
  // upscaled (bicubic) to the output size. SSEN upsamples inside (internal_scale).
  const int64_t upscale = traits_.scale / std::max<int64_t>(1, network_->internal_scale());
  if (upscale > 1) {
    namespace F = torch::nn::functional;
    input = F::interpolate(input, F::InterpolateFuncOptions()
                                      .size(std::vector<int64_t>{rgb.size(2) * upscale, rgb.size(3) * upscale})
                                      .mode(torch::kBicubic)
                                      .align_corners(false))
                .clamp(0.0, 1.0);
  }
  return input;
}

torch::Tensor Restorer::restore(const torch::Tensor& rgb, const torch::Tensor& right_view,
                                const ProgressCallback& progress, const std::atomic<bool>* cancel) {
  apply_threads_to_this_thread();
  c10::InferenceMode inference;  // thread-local: created on the thread that runs the job
  // Convolutions keep per-thread working memory between layers; give it back after the image.
  struct ReleaseWorkspace {
    ~ReleaseWorkspace() {
      release_conv_workspace();
      return_freed_memory();
    }
  } release_workspace;
  if (progress) progress(0.0);
  const torch::Tensor input = prepare_input(rgb, right_view).to(device_);
  const int64_t height = input.size(2);
  const int64_t width = input.size(3);
  if (cancel != nullptr && cancel->load()) throw Error(ErrorKind::Failed, "cancelled");
  const torch::Tensor padded = pad_to_multiple(input, network_->size_multiple());
  torch::Tensor output = network_->forward(padded);
  const int64_t scale = network_->internal_scale();
  output = crop_to(output, height * scale, width * scale).clamp(0.0, 1.0).to(torch::kCPU);
  if (progress) progress(1.0);
  return output;
}

torch::Tensor Restorer::restore_in_tiles(const torch::Tensor& rgb, int64_t tile, int64_t overlap) {
  if (network_->takes_reference())
    throw Error(ErrorKind::BadUsage, traits_.network + " takes a reference: run it through the job API");
  apply_threads_to_this_thread();
  c10::InferenceMode inference;
  struct ReleaseWorkspace {
    ~ReleaseWorkspace() {
      release_conv_workspace();
      return_freed_memory();
    }
  } release_workspace;
  const TensorSource source(prepare_input(rgb, {}));
  const int64_t scale = network_->internal_scale();
  TensorSink sink(source.height() * scale, source.width() * scale);
  StageSettings settings;
  settings.tile = tile;
  settings.overlap = overlap;
  settings.device = device_;
  run_tiled_stage(*network_, source, nullptr, sink, settings);
  return sink.pixels().clamp(0.0, 1.0);
}

Image restore_image(Restorer& restorer, const Image& image, const torch::Tensor& right_view,
                    const ProgressCallback& progress, const std::atomic<bool>* cancel) {
  const torch::Tensor restored = restorer.restore(rgb_tensor(image), right_view, progress, cancel);
  // make_output_like carries alpha over (resized for SR); only the colour planes are stored.
  Image result = make_output_like(image, restored.size(3), restored.size(2));
  store_rgb(result, result.bounds(), restored);
  return result;
}

}  // namespace restora
