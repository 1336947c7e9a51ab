#include "training/evaluation.h"

#include "common/error.h"
#include "engine/job.h"
#include "io/image.h"
#include "io/image_file.h"
#include "training/synthetic_reference.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>

namespace restora {
namespace {

bool is_image_file(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".bmp" || ext == ".tif" || ext == ".tiff" ||
         ext == ".webp";
}

struct Pattern {
  std::filesystem::path folder;
  std::string prefix, suffix;
};

Pattern split_pattern(const std::string& glob) {
  const std::filesystem::path path(glob);
  const std::string name = path.filename().string();
  const auto star = name.find('*');
  if (star == std::string::npos || name.find('*', star + 1) != std::string::npos ||
      path.parent_path().string().find('*') != std::string::npos)
    throw Error(ErrorKind::BadUsage, "pattern '" + glob + "' must have exactly one '*', in the file name");
  return {path.has_parent_path() ? path.parent_path() : ".", name.substr(0, star), name.substr(star + 1)};
}

std::map<std::string, std::filesystem::path> match(const std::string& glob) {
  const Pattern p = split_pattern(glob);
  std::error_code error;
  if (!std::filesystem::is_directory(p.folder, error))
    throw Error(ErrorKind::BadInput, "folder " + p.folder.string() + " of pattern '" + glob + "' does not exist");
  std::map<std::string, std::filesystem::path> found;
  for (const auto& entry : std::filesystem::directory_iterator(p.folder)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || name.size() < p.prefix.size() + p.suffix.size()) continue;
    if (name.compare(0, p.prefix.size(), p.prefix) != 0) continue;
    if (name.compare(name.size() - p.suffix.size(), p.suffix.size(), p.suffix) != 0) continue;
    found[name.substr(p.prefix.size(), name.size() - p.prefix.size() - p.suffix.size())] = entry.path();
  }
  return found;
}

torch::Tensor quantized(const torch::Tensor& image) { return image.mul(255.0).round().div(255.0); }

double size_checked_psnr(const torch::Tensor& a, const torch::Tensor& b, const MetricOptions& options) {
  if (!a.sizes().equals(b.sizes())) return std::numeric_limits<double>::quiet_NaN();
  return psnr(a, b, options);
}

}  // namespace

std::vector<EvalImage> clean_images(const std::string& folder_or_glob) {
  if (std::filesystem::path(folder_or_glob).filename().string().find('*') != std::string::npos) {
    std::vector<EvalImage> images;
    for (const auto& [key, path] : match(folder_or_glob))
      if (is_image_file(path)) images.push_back({key, path, std::nullopt, std::nullopt});
    if (images.empty()) throw Error(ErrorKind::BadInput, "no image file matches '" + folder_or_glob + "'");
    return images;
  }
  const std::filesystem::path folder(folder_or_glob);
  std::error_code error;
  if (!std::filesystem::is_directory(folder, error))
    throw Error(ErrorKind::BadInput, "evaluation folder " + folder.string() + " does not exist or is not a folder");
  std::vector<EvalImage> images;
  for (const auto& entry : std::filesystem::directory_iterator(folder))
    if (entry.is_regular_file() && is_image_file(entry.path()))
      images.push_back({entry.path().filename().string(), entry.path(), std::nullopt, std::nullopt});
  std::sort(images.begin(), images.end(), [](const EvalImage& a, const EvalImage& b) { return a.name < b.name; });
  if (images.empty()) throw Error(ErrorKind::BadInput, "evaluation folder " + folder.string() + " holds no image");
  return images;
}

std::vector<EvalImage> paired_images(const std::string& degraded_glob, const std::string& reference_glob) {
  const auto degraded = match(degraded_glob);
  const auto references = match(reference_glob);
  std::vector<EvalImage> images;
  for (const auto& [key, path] : degraded) {
    const auto reference = references.find(key);
    if (reference == references.end())
      throw Error(ErrorKind::BadInput, path.string() + " has no reference matching '" + reference_glob + "'");
    images.push_back({key, reference->second, path, std::nullopt});
  }
  if (images.empty())
    throw Error(ErrorKind::BadInput, "no file matches '" + degraded_glob + "'");
  return images;
}

void attach_reference_photos(std::vector<EvalImage>& images, const std::string& glob) {
  if (std::filesystem::path(glob).filename().string().find('*') == std::string::npos) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(glob, error))
      throw Error(ErrorKind::BadInput, "reference photo " + glob + " does not exist or is not a file");
    for (auto& image : images) image.reference_photo = glob;
    return;
  }
  const auto photos = match(glob);
  for (auto& image : images) {
    // A folder image is named by its file name; its key is the name without the extension.
    const bool from_folder = !image.degraded && image.reference.filename() == image.name;
    const std::string key = from_folder ? image.reference.stem().string() : image.name;
    const auto photo = photos.find(key);
    if (photo == photos.end())
      throw Error(ErrorKind::BadInput, image.reference.string() + " has no reference photo matching '" + glob + "'");
    image.reference_photo = photo->second;
  }
}

void attach_synthetic_references(std::vector<EvalImage>& images, SyntheticReferenceKind kind, uint64_t seed,
                                 const std::filesystem::path& folder) {
  const size_t n = images.size();
  if (kind == SyntheticReferenceKind::OtherScene) {
    if (n < 2) throw Error(ErrorKind::BadUsage, "other-scene references need at least two images");
    for (size_t i = 0; i < n; ++i) images[i].reference_photo = images[(i + n / 2) % n].reference;
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    // Read as evaluate() reads the clean image (orientation applied, any depth and layout), so
    // that the view lines up with it.
    Image view = image_from_rgb_tensor(rgb_tensor(read_image(images[i].reference)), 8);
    auto generator = make_generator(mix_seed(seed, i, 0x5eed));
    view.pixels = same_scene_reference(view.pixels, generator);
    const auto path = folder / ("ref_" + std::to_string(i) + ".png");
    write_image(path, view);
    images[i].reference_photo = path;
  }
}

std::vector<EvalRow> evaluate(Restorer& restorer, const std::vector<EvalImage>& images,
                              const std::vector<Degradation>& degradations, const EvalOptions& options,
                              const std::function<void(size_t, size_t)>& progress) {
  const RestoreFunction restore = [&](const torch::Tensor& input, const Image* reference_photo) {
    if (!restorer.network().takes_reference())
      return options.tile > 0 ? restorer.restore_in_tiles(input, options.tile, options.overlap) : restorer.restore(input);
    // A reference-based model (with its photo, or in self-similarity mode without) runs as the
    // engine runs it. 16 bits keep the synthetic input as it is, to 1/65535.
    JobInput job;
    job.image = image_from_rgb_tensor(input.clamp(0.0, 1.0), 16);
    if (reference_photo != nullptr) job.reference = *reference_photo;
    JobOptions job_options;
    job_options.tiling.tile = options.tile;
    job_options.tiling.overlap = options.overlap;
    job_options.device = restorer.device();
    const JobResult result = run_job(job, {JobStage{restorer.shared_network(), restorer.traits()}}, job_options);
    if (!result.finished()) throw Error(result.error_kind, result.message);
    return rgb_tensor(result.image);
  };
  return evaluate(restore, images, degradations, options, progress);
}

std::vector<EvalRow> evaluate(const RestoreFunction& restore, const std::vector<EvalImage>& images,
                              const std::vector<Degradation>& degradations, const EvalOptions& options,
                              const std::function<void(size_t, size_t)>& progress) {
  const bool paired = !images.empty() && images.front().degraded.has_value();
  const size_t runs = paired ? 1 : degradations.size();
  const size_t total = runs * images.size();
  std::vector<EvalRow> rows;
  for (size_t i = 0; i < images.size(); ++i) {
    const torch::Tensor reference = rgb_tensor(read_image(images[i].reference));
    std::optional<Image> reference_photo;
    if (images[i].reference_photo) reference_photo = read_image(*images[i].reference_photo);
    for (size_t d = 0; d < runs; ++d) {
      // SR protocol (the benchmarks' modcrop): the clean image cropped to a multiple of the factor.
      const int64_t factor = paired ? 1 : degradations[d].scale();
      const torch::Tensor target = reference.narrow(2, 0, reference.size(2) / factor * factor)
                                       .narrow(3, 0, reference.size(3) / factor * factor);
      torch::Tensor input;
      EvalRow row;
      row.image = images[i].name;
      if (paired) {
        input = rgb_tensor(read_image(*images[i].degraded));
        row.degradation = "pair";
      } else {
        auto generator = make_generator(mix_seed(options.seed, i, d));
        input = degrade(target, degradations[d], generator);
        row.degradation = degradations[d].spec;
      }
      const auto start = std::chrono::steady_clock::now();
      torch::Tensor restored;
      try {
        restored = restore(input, reference_photo ? &*reference_photo : nullptr);
      } catch (const Error& error) {
        // The engine's reference checks say "the reference (WxH) ...": name the file.
        const std::string what = error.what();
        if (reference_photo && what.rfind("the reference", 0) == 0)
          throw Error(error.kind(), images[i].reference_photo->string() + ": " + what);
        throw;
      }
      row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (options.quantize) restored = quantized(restored);
      if (!restored.sizes().equals(target.sizes()))
        throw Error(ErrorKind::BadInput, "the result for " + row.image + " is " + std::to_string(restored.size(3)) +
                                             "x" + std::to_string(restored.size(2)) + ", its reference " +
                                             images[i].reference.string() + " is " + std::to_string(target.size(3)) +
                                             "x" + std::to_string(target.size(2)));
      row.psnr = psnr(restored, target, options.metric);
      row.ssim = ssim(restored, target, options.metric);
      row.input_psnr = size_checked_psnr(input, target, options.metric);
      rows.push_back(row);
      if (progress) progress(rows.size(), total);
    }
  }
  return rows;
}

std::vector<EvalRow> mean_rows(const std::vector<EvalRow>& rows) {
  std::vector<EvalRow> means;
  std::vector<size_t> counts;
  for (const auto& row : rows) {
    auto it = std::find_if(means.begin(), means.end(), [&](const EvalRow& m) { return m.degradation == row.degradation; });
    if (it == means.end()) {
      means.push_back(EvalRow{"", row.degradation, 0, 0, 0, 0});
      counts.push_back(0);
      it = means.end() - 1;
    }
    const size_t k = static_cast<size_t>(it - means.begin());
    it->psnr += row.psnr, it->ssim += row.ssim, it->input_psnr += row.input_psnr, it->seconds += row.seconds;
    ++counts[k];
  }
  for (size_t k = 0; k < means.size(); ++k) {
    const double n = static_cast<double>(counts[k]);
    means[k].image = "mean of " + std::to_string(counts[k]);
    means[k].psnr /= n, means[k].ssim /= n, means[k].input_psnr /= n, means[k].seconds /= n;
  }
  return means;
}

}  // namespace restora
