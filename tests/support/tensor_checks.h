#pragma once
#include <torch/types.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <vector>

namespace restora::test {

/// Reads a raw little-endian float32 file (the conformance `.f32` format) into a tensor of `shape`;
/// fails the test when the size does not match.
torch::Tensor read_f32(const std::filesystem::path& path, const std::vector<int64_t>& shape);

/// max |a - b|, or +inf when the shapes differ.
double max_abs_diff(const torch::Tensor& a, const torch::Tensor& b);

/// Passes when shapes are equal and max |a - b| <= tolerance; the message gives the difference.
::testing::AssertionResult all_close(const torch::Tensor& actual, const torch::Tensor& expected, double tolerance);

}  // namespace restora::test
