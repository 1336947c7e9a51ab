#include "support/tensor_checks.h"

#include <torch/torch.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>

namespace restora::test {

torch::Tensor read_f32(const std::filesystem::path& path, const std::vector<int64_t>& shape) {
  auto tensor = torch::empty(shape, torch::kFloat32);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot open " << path;
    return tensor;
  }
  const auto bytes = static_cast<std::streamsize>(tensor.numel() * sizeof(float));
  in.read(reinterpret_cast<char*>(tensor.data_ptr<float>()), bytes);
  if (in.gcount() != bytes || in.peek() != std::char_traits<char>::eof())
    ADD_FAILURE() << path << " does not hold exactly " << tensor.numel() << " float32 values";
  return tensor;
}

double max_abs_diff(const torch::Tensor& a, const torch::Tensor& b) {
  if (a.sizes() != b.sizes()) return std::numeric_limits<double>::infinity();
  if (a.numel() == 0) return 0.0;
  return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}

::testing::AssertionResult all_close(const torch::Tensor& actual, const torch::Tensor& expected, double tolerance) {
  if (actual.sizes() != expected.sizes()) {
    std::ostringstream shapes;
    shapes << "shape " << actual.sizes() << " differs from expected " << expected.sizes();
    return ::testing::AssertionFailure() << shapes.str();
  }
  const double diff = max_abs_diff(actual, expected);
  // RESTORA_REPORT_DIFFS=1 prints every comparison, to report the largest parity error seen.
  if (std::getenv("RESTORA_REPORT_DIFFS") != nullptr) {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    std::printf("max-abs-diff %s.%s %.3g\n", test ? test->test_suite_name() : "?", test ? test->name() : "?", diff);
  }
  if (diff <= tolerance) return ::testing::AssertionSuccess() << "max abs diff " << diff;
  return ::testing::AssertionFailure() << "max abs diff " << diff << " > tolerance " << tolerance;
}

}  // namespace restora::test
