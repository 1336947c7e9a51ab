#pragma once
#include "engine/restorer.h"
#include "metrics/metrics.h"
#include "training/degradation.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace restora {

/// One evaluation image: a clean reference and, for paired sets, its degraded file.
struct EvalImage {
  std::string name;                       ///< what a '*' matched, or the file name
  std::filesystem::path reference;
  std::optional<std::filesystem::path> degraded;
  /// Reference-based SR (SSEN): the photo that guides the restoration (not the ground truth).
  std::optional<std::filesystem::path> reference_photo;
};

/// Every image file of a folder (sorted), or of a pattern with one '*' in the file name
/// ('stereo/*_left.png': named by what the '*' matched), as clean references to degrade.
std::vector<EvalImage> clean_images(const std::string& folder_or_glob);

/// Gives each image its RefSR reference photo: `glob` without '*' is one photo for all; with one
/// '*' in the file name, the file whose '*' part is the image's name (a folder image's name
/// without its extension). Throws restora::Error(BadInput) naming an image without one.
void attach_reference_photos(std::vector<EvalImage>& images, const std::string& glob);

/// References made from the evaluation set itself, for measuring reference-based SR where no
/// real pairs exist (docs/SSEN.md):
///   SameScene   another view of the image's own clean photo (same_scene_reference: shifted,
///               rescaled, rotated, colour-jittered, seeded by `seed` and the image's index),
///               written as a PNG into `folder`
///   OtherScene  the clean photo of image (i + n/2) mod n: an unrelated scene (needs n >= 2)
enum class SyntheticReferenceKind { SameScene, OtherScene };
void attach_synthetic_references(std::vector<EvalImage>& images, SyntheticReferenceKind kind, uint64_t seed,
                                 const std::filesystem::path& folder);

/// Pairs files of two patterns by what their '*' matches ('Set5/x4/*_LR.png' with
/// 'Set5/x4/*_HR.png'). The '*' must be in the file name, once. Throws restora::Error(BadUsage)
/// for malformed patterns and BadInput when nothing pairs or a degraded file lacks its reference.
std::vector<EvalImage> paired_images(const std::string& degraded_glob, const std::string& reference_glob);

struct EvalOptions {
  MetricOptions metric;         ///< channel and border crop
  uint64_t seed = 0;            ///< image i, degradation d: noise seeded by mix_seed(seed, i, d)
  /// Score the result as the saved 8-bit file it would be (rounded to 1/255), as the published
  /// tables do. The degraded input's PSNR is measured unrounded and unclipped.
  bool quantize = true;
  /// Restore in tiles of this side (0: whole images) with this overlap, as the engine would.
  int64_t tile = 0;
  int64_t overlap = 0;
};

struct EvalRow {
  std::string image;
  std::string degradation;  ///< the spec, or "pair"
  double psnr = 0, ssim = 0;
  double input_psnr = 0;    ///< NaN where input and reference differ in size (SR)
  double seconds = 0;       ///< restoring only
};

/// Whatever restores an image ([1, 3, H, W] float -> [1, 3, H', W'] in [0, 1]): a model or a
/// baseline; the second argument is the image's RefSR reference photo, or null.
using RestoreFunction = std::function<torch::Tensor(const torch::Tensor&, const Image*)>;

/// Restores every image under every degradation (or each pair once) and scores it against its
/// reference. `progress(done, total)` after each image. `options.tile` is ignored here.
std::vector<EvalRow> evaluate(const RestoreFunction& restore, const std::vector<EvalImage>& images,
                              const std::vector<Degradation>& degradations, const EvalOptions& options,
                              const std::function<void(size_t, size_t)>& progress = {});

/// The same with a model, whole or in tiles as `options` say. Images with a reference photo run
/// through the engine's job (run_job), which resizes the reference and tiles it in step.
std::vector<EvalRow> evaluate(Restorer& restorer, const std::vector<EvalImage>& images,
                              const std::vector<Degradation>& degradations, const EvalOptions& options,
                              const std::function<void(size_t, size_t)>& progress = {});

/// Mean rows per degradation, in first-seen order (image = "mean of N").
std::vector<EvalRow> mean_rows(const std::vector<EvalRow>& rows);

}  // namespace restora
