#pragma once
#include <torch/types.h>

namespace restora {

/// Which values PSNR/SSIM compare.
enum class MetricChannel {
  /// Every channel as it is (colour denoising tables: RGB; gray images: their one channel).
  All,
  /// The Y of BT.601 YCbCr, Y = 16 + (65.481 R + 128.553 G + 24.966 B) / 255 on the 0-255 scale, as
  /// MATLAB's rgb2ycbcr and BasicSR compute it (SR and deraining tables). A one-channel image is its Y.
  Y,
};

/// The published conventions in one place. Inputs are [N, C, H, W] (C = 1 or 3) float tensors on
/// the scale given by `data_range` (1 for [0, 1] images, 255 for [0, 255]); values are compared as
/// they are (no clamping, no rounding: quantise first to score an 8-bit output as a saved file).
struct MetricOptions {
  MetricChannel channel = MetricChannel::All;
  int crop_border = 0;      ///< pixels dropped from every side before measuring (SR: the scale)
  double data_range = 1.0;  ///< peak value of the inputs' scale
};

/// Peak signal-to-noise ratio in dB, 10 log10(peak^2 / MSE), MSE over every kept pixel and channel of
/// one image; for N > 1 the mean of the per-image values (tables average over images). Identical
/// images give +infinity. Throws restora::Error(BadInput) on mismatched or unusable shapes.
double psnr(const torch::Tensor& restored, const torch::Tensor& reference, const MetricOptions& options = {});

/// Structural similarity of Wang et al. (2004): 11x11 Gaussian window with sigma 1.5, K1 = 0.01,
/// K2 = 0.03, statistics at the valid window positions only (no padded borders), mean over positions
/// and then over channels; for N > 1 the mean of the per-image values. The image must keep at least
/// 11x11 pixels after the border crop.
double ssim(const torch::Tensor& restored, const torch::Tensor& reference, const MetricOptions& options = {});

/// The per-image values of psnr() and ssim(): [N] float64.
torch::Tensor psnr_per_image(const torch::Tensor& restored, const torch::Tensor& reference,
                             const MetricOptions& options = {});
torch::Tensor ssim_per_image(const torch::Tensor& restored, const torch::Tensor& reference,
                             const MetricOptions& options = {});

/// [N, 3, H, W] RGB -> [N, 1, H, W] BT.601 Y on the same scale as `data_range` (so in [16/255, 235/255]
/// for [0, 1] inputs). One-channel inputs are returned as they are.
torch::Tensor bt601_y(const torch::Tensor& image, double data_range = 1.0);

}  // namespace restora
