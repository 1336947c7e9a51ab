#include "training/losses.h"

#include "common/error.h"

#include <torch/torch.h>

#include <cmath>

namespace restora {
namespace {

namespace F = torch::nn::functional;

/// [C, 1, 5, 5] binomial kernel [.05 .25 .4 .25 .05] outer itself, one per channel.
torch::Tensor gauss_kernel(int64_t channels, const torch::TensorOptions& options) {
  auto k = torch::tensor({0.05, 0.25, 0.4, 0.25, 0.05}, options);
  return torch::outer(k, k).expand({channels, 1, 5, 5}).contiguous();
}

torch::Tensor conv_gauss(const torch::Tensor& image, const torch::Tensor& kernel) {
  auto padded = F::pad(image, F::PadFuncOptions({2, 2, 2, 2}).mode(torch::kReplicate));
  return F::conv2d(padded, kernel, F::Conv2dFuncOptions().groups(image.size(1)));
}

/// image minus its blurred, 2x down- and up-sampled version: the finest Laplacian band.
torch::Tensor laplacian(const torch::Tensor& image) {
  const auto kernel = gauss_kernel(image.size(1), image.options());
  const auto filtered = conv_gauss(image, kernel);
  using torch::indexing::None;
  using torch::indexing::Slice;
  const auto down = filtered.index({Slice(), Slice(), Slice(None, None, 2), Slice(None, None, 2)});
  auto spread = torch::zeros_like(filtered);
  spread.index_put_({Slice(), Slice(), Slice(None, None, 2), Slice(None, None, 2)}, down * 4);
  return image - conv_gauss(spread, kernel);
}

}  // namespace

torch::Tensor charbonnier_loss(const torch::Tensor& prediction, const torch::Tensor& target, double eps) {
  const auto diff = prediction - target;
  return torch::sqrt(diff * diff + eps * eps).mean();
}

torch::Tensor edge_loss(const torch::Tensor& prediction, const torch::Tensor& target) {
  return charbonnier_loss(laplacian(prediction), laplacian(target));
}

torch::Tensor psnr_loss(const torch::Tensor& prediction, const torch::Tensor& target) {
  const double scale = 10.0 / std::log(10.0);
  return scale * torch::log((prediction - target).square().mean({1, 2, 3}) + 1e-8).mean();
}

torch::Tensor l1_loss(const torch::Tensor& prediction, const torch::Tensor& target) {
  return (prediction - target).abs().mean();
}

torch::Tensor mse_loss(const torch::Tensor& prediction, const torch::Tensor& target) {
  return (prediction - target).square().mean();
}

void check_loss_terms(const std::vector<LossTerm>& terms) {
  if (terms.empty()) throw Error(ErrorKind::BadUsage, "training: no loss term given");
  for (const auto& term : terms) {
    if (term.kind != "charbonnier" && term.kind != "edge" && term.kind != "psnr" && term.kind != "l1" &&
        term.kind != "mse")
      throw Error(ErrorKind::BadUsage,
                  "training: unknown loss '" + term.kind + "' (expected charbonnier, edge, psnr, l1 or mse)");
  }
}

torch::Tensor total_loss(const std::vector<torch::Tensor>& outputs, const torch::Tensor& target,
                         const std::vector<LossTerm>& terms) {
  torch::Tensor total = torch::zeros({}, target.options());
  for (const auto& output : outputs) {
    for (const auto& term : terms) {
      torch::Tensor value;
      if (term.kind == "charbonnier") value = charbonnier_loss(output, target);
      else if (term.kind == "edge") value = edge_loss(output, target);
      else if (term.kind == "psnr") value = psnr_loss(output, target);
      else if (term.kind == "l1") value = restora::l1_loss(output, target);
      else if (term.kind == "mse") value = restora::mse_loss(output, target);
      else check_loss_terms({term});
      total = total + term.weight * value;
    }
  }
  return total;
}

}  // namespace restora
