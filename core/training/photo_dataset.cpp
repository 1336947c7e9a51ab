#include "training/photo_dataset.h"

#include "common/error.h"
#include "training/degradation.h"
#include "training/synthetic_reference.h"

#include <ATen/CPUGeneratorImpl.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <mutex>

namespace restora {
namespace {

bool is_photo_file(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".bmp" || ext == ".tif" || ext == ".tiff" ||
         ext == ".webp";
}

std::vector<std::filesystem::path> list_photos(const std::filesystem::path& folder) {
  std::error_code error;
  if (!std::filesystem::is_directory(folder, error))
    throw Error(ErrorKind::BadInput, "training folder " + folder.string() + " does not exist or is not a folder");
  std::vector<std::filesystem::path> found;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
    if (entry.is_regular_file() && is_photo_file(entry.path())) found.push_back(entry.path());
  }
  // Directory order is not stable across file systems; the data order must be.
  std::sort(found.begin(), found.end());
  if (found.empty()) throw Error(ErrorKind::BadInput, "training folder " + folder.string() + " holds no photo");
  return found;
}

cv::Mat load_photo(const std::filesystem::path& file, int64_t channels, int64_t max_side) {
  cv::Mat mat = cv::imread(file.string(), channels == 1 ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
  if (mat.empty()) throw Error(ErrorKind::BadInput, "training photo " + file.string() + " cannot be decoded");
  if (mat.channels() == 3) cv::cvtColor(mat, mat, cv::COLOR_BGR2RGB);
  const int64_t long_side = std::max(mat.rows, mat.cols);
  if (long_side > max_side) {
    const int factor = static_cast<int>(std::min<int64_t>(4, (long_side + max_side - 1) / max_side));
    cv::Mat small;
    cv::resize(mat, small, cv::Size(mat.cols / factor, mat.rows / factor), 0, 0, cv::INTER_AREA);
    mat = small;
  }
  return mat;
}

double gray_std(const cv::Mat& patch) {
  cv::Mat gray = patch;
  if (patch.channels() == 3) cv::cvtColor(patch, gray, cv::COLOR_RGB2GRAY);
  cv::Scalar mean, stddev;
  cv::meanStdDev(gray, mean, stddev);
  return stddev[0] / 255.0;
}

/// One of the 8 symmetries of the square: k quarter turns, then a mirror when `flip`.
cv::Mat transformed(const cv::Mat& patch, int symmetry) {
  cv::Mat out = patch.clone();
  const int turns = symmetry % 4;
  if (turns == 1) cv::rotate(patch, out, cv::ROTATE_90_CLOCKWISE);
  if (turns == 2) cv::rotate(patch, out, cv::ROTATE_180);
  if (turns == 3) cv::rotate(patch, out, cv::ROTATE_90_COUNTERCLOCKWISE);
  if (symmetry >= 4) cv::flip(out, out, 1);
  return out;
}

/// An 8-bit HWC patch as a [C, P, P] float32 tensor on [0, 1].
torch::Tensor to_tensor(const cv::Mat& patch) {
  const cv::Mat contiguous = patch.isContinuous() ? patch : patch.clone();
  auto hwc = torch::from_blob(contiguous.data, {contiguous.rows, contiguous.cols, contiguous.channels()}, torch::kUInt8);
  return hwc.permute({2, 0, 1}).to(torch::kFloat32).div_(255.0).contiguous();
}

}  // namespace

uint64_t random_below(at::Generator& generator, uint64_t bound) {
  std::lock_guard<std::mutex> lock(generator.mutex());
  auto* impl = generator.get<at::CPUGeneratorImpl>();
  // Rejection sampling keeps the draw unbiased for any bound.
  const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  uint64_t value = 0;
  do {
    value = impl->random64();
  } while (value >= limit);
  return value % bound;
}

PhotoDataset::PhotoDataset(PhotoDatasetOptions options) : options_(std::move(options)) {
  if (options_.channels != 1 && options_.channels != 3)
    throw Error(ErrorKind::BadInput, "training data: channels must be 1 or 3");
  for (const auto& folder : options_.folders) {
    for (auto& file : list_photos(folder)) {
      photos_.push_back(load_photo(file, options_.channels, options_.max_side));
      files_.push_back(std::move(file));
    }
  }
  if (photos_.empty()) throw Error(ErrorKind::BadInput, "training data: no folder given");
}

int64_t PhotoDataset::total_pixels() const {
  int64_t total = 0;
  for (const auto& photo : photos_) total += int64_t{photo.rows} * photo.cols;
  return total;
}

int64_t PhotoDataset::smallest_side() const {
  int64_t side = INT64_MAX;
  for (const auto& photo : photos_) side = std::min<int64_t>(side, std::min(photo.rows, photo.cols));
  return side;
}

torch::Tensor PhotoDataset::sample_patch(size_t index, int64_t patch, at::Generator& generator, PatchPlace* place) const {
  const cv::Mat& photo = photos_.at(index);
  TORCH_CHECK(patch <= photo.rows && patch <= photo.cols, "patch larger than the photo");
  cv::Mat crop;
  PatchPlace drawn;
  for (int attempt = 0; attempt < 10; ++attempt) {
    drawn.top = static_cast<int>(random_below(generator, photo.rows - patch + 1));
    drawn.left = static_cast<int>(random_below(generator, photo.cols - patch + 1));
    crop = photo(cv::Rect(drawn.left, drawn.top, static_cast<int>(patch), static_cast<int>(patch)));
    if (gray_std(crop) >= options_.min_patch_std) break;
  }
  drawn.symmetry = static_cast<int>(random_below(generator, 8));
  if (place != nullptr) *place = drawn;
  return to_tensor(transformed(crop, drawn.symmetry));
}

torch::Tensor PhotoDataset::sample_reference(size_t index, const PatchPlace& place, int64_t patch, size_t unrelated,
                                             at::Generator& generator, double difficulty) const {
  constexpr double kUnrelatedShare = 0.2;
  using R = SyntheticReferenceRanges;
  const int side = static_cast<int>(patch);
  cv::Mat crop;
  if (uniform(generator, 0, 1) < kUnrelatedShare) {
    const cv::Mat& other = photos_.at(unrelated);
    const int top = static_cast<int>(random_below(generator, other.rows - side + 1));
    const int left = static_cast<int>(random_below(generator, other.cols - side + 1));
    crop = other(cv::Rect(left, top, side, side));
  } else {
    crop = warped_view(photos_.at(index), place.left + patch / 2.0, place.top + patch / 2.0, cv::Size(side, side),
                       generator, difficulty);
  }
  auto reference = to_tensor(transformed(crop, place.symmetry));
  const int64_t channels = reference.size(0);
  std::vector<float> gains, offsets;
  for (int64_t i = 0; i < channels; ++i) {
    gains.push_back(static_cast<float>(uniform(generator, R::kMinGain, R::kMaxGain)));
    offsets.push_back(static_cast<float>(uniform(generator, -R::kMaxOffset, R::kMaxOffset)));
  }
  const auto gain = torch::tensor(gains).view({channels, 1, 1});
  const auto offset = torch::tensor(offsets).view({channels, 1, 1});
  return reference.mul(gain).add(offset).clamp(0.0, 1.0);
}

}  // namespace restora
