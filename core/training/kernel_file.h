#pragma once
#include <torch/types.h>

#include <string>

namespace restora {

/// A blur kernel read from a file, as [K, K] float32 summing to 1 with K odd (a kernel of even or
/// unequal sides is zero-padded on its far sides).
///   FILE.mat#N   the N-th (1-based, as in MATLAB) matrix of the first variable of a MATLAB file,
///                a cell array of kernels (DPIR's Levin09.mat and kernels_12.mat; v5 and v7.3 files,
///                read with libmatio); FILE.mat alone means #1
///   FILE.png     a grayscale image of the kernel (any format OpenCV reads)
/// Throws restora::Error(BadInput) naming the file and what is wrong.
torch::Tensor load_blur_kernel(const std::string& reference);

}  // namespace restora
