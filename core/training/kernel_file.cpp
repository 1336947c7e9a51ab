#include "training/kernel_file.h"

#include "common/error.h"

#include <matio.h>
#include <opencv2/imgcodecs.hpp>
#include <torch/torch.h>

#include <memory>

namespace restora {
namespace {

[[noreturn]] void bad_kernel(const std::string& reference, const std::string& why) {
  throw Error(ErrorKind::BadInput, "blur kernel '" + reference + "': " + why);
}

/// MATLAB stores column-major: element (r, c) of an R x C matrix is at c * R + r.
torch::Tensor from_matlab_matrix(const std::string& reference, matvar_t* m) {
  if (m == nullptr || m->rank != 2 || m->isComplex || m->data == nullptr)
    bad_kernel(reference, "the entry is not a real 2-D matrix");
  const int64_t rows = static_cast<int64_t>(m->dims[0]), cols = static_cast<int64_t>(m->dims[1]);
  if (rows < 1 || cols < 1 || rows > 256 || cols > 256) bad_kernel(reference, "the matrix is empty or over 256 x 256");
  torch::ScalarType type;
  switch (m->data_type) {
    case MAT_T_DOUBLE: type = torch::kFloat64; break;
    case MAT_T_SINGLE: type = torch::kFloat32; break;
    default: bad_kernel(reference, "the matrix is not of doubles or singles");
  }
  return torch::from_blob(m->data, {cols, rows}, type).t().to(torch::kFloat64).clone();  // owns its data
}

torch::Tensor read_mat(const std::string& reference, const std::string& path, int64_t index) {
  std::unique_ptr<mat_t, decltype(&Mat_Close)> file(Mat_Open(path.c_str(), MAT_ACC_RDONLY), &Mat_Close);
  if (!file) bad_kernel(reference, "not a readable MATLAB file");
  std::unique_ptr<matvar_t, decltype(&Mat_VarFree)> variable(Mat_VarReadNext(file.get()), &Mat_VarFree);
  if (!variable) bad_kernel(reference, "the file holds no variable");
  if (variable->class_type != MAT_C_CELL) {
    if (index != 1) bad_kernel(reference, "the first variable is one matrix, not a cell array of kernels");
    return from_matlab_matrix(reference, variable.get());
  }
  size_t count = 1;
  for (int d = 0; d < variable->rank; ++d) count *= variable->dims[d];
  if (index < 1 || static_cast<size_t>(index) > count)
    bad_kernel(reference, "no kernel #" + std::to_string(index) + " (the file holds " + std::to_string(count) + ")");
  return from_matlab_matrix(reference, Mat_VarGetCell(variable.get(), static_cast<int>(index - 1)));
}

torch::Tensor read_image(const std::string& reference) {
  const cv::Mat image = cv::imread(reference, cv::IMREAD_GRAYSCALE | cv::IMREAD_ANYDEPTH);
  if (image.empty()) bad_kernel(reference, "not a readable image");
  cv::Mat values;
  image.convertTo(values, CV_64F);
  return torch::from_blob(values.data, {values.rows, values.cols}, torch::kFloat64).clone();
}

}  // namespace

torch::Tensor load_blur_kernel(const std::string& reference) {
  const auto hash = reference.rfind('#');
  const std::string path = hash == std::string::npos ? reference : reference.substr(0, hash);
  const bool is_mat = path.size() > 4 && path.compare(path.size() - 4, 4, ".mat") == 0;
  torch::Tensor kernel;
  if (is_mat) {
    int64_t index = 1;
    if (hash != std::string::npos) {
      const std::string text = reference.substr(hash + 1);
      if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 6)
        bad_kernel(reference, "'#" + text + "' is not a kernel number");
      index = std::stoll(text);
    }
    kernel = read_mat(reference, path, index);
  } else {
    if (hash != std::string::npos) bad_kernel(reference, "'#N' picks a kernel of a .mat file only");
    kernel = read_image(reference);
  }
  if (!torch::isfinite(kernel).all().item<bool>() || (kernel < 0).any().item<bool>())
    bad_kernel(reference, "the kernel has negative or non-finite values");
  const double sum = kernel.sum().item<double>();
  if (sum <= 0) bad_kernel(reference, "the kernel sums to zero");
  // Odd and square, so that the kernel has a centre tap: pad the far sides.
  int64_t size = std::max(kernel.size(0), kernel.size(1));
  size += size % 2 == 0;
  kernel = torch::constant_pad_nd(kernel, {0, size - kernel.size(1), 0, size - kernel.size(0)});
  return (kernel / sum).to(torch::kFloat32).contiguous();
}

}  // namespace restora
