#pragma once
#include <ATen/core/Generator.h>
#include <torch/types.h>

namespace restora {

/// [K, K] float32 kernels summing to 1, K odd.

/// An antialiased disk of `radius` pixels: each tap holds the share of its pixel square inside the
/// circle (4x4 supersampling), as MATLAB's fspecial('disk') approximates it.
torch::Tensor disk_kernel(double radius);

/// A random camera-shake kernel: a 2-D random walk whose velocity keeps some inertia and turns at
/// random (after Boracchi and Foi's trajectories), scaled to about `length` pixels of path, drawn
/// with bilinear splats and normalised.
torch::Tensor motion_kernel(double length, at::Generator& generator);

/// [N, C, H, W] convolved with a [K, K] kernel per image (kernels [N, K, K]), borders replicated.
torch::Tensor blur(const torch::Tensor& images, const torch::Tensor& kernels);

}  // namespace restora
