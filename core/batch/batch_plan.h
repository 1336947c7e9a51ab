#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace restora {

/// What to do when an output file already exists.
enum class OverwritePolicy {
  Skip,     ///< leave it (the default: how a stopped batch resumes)
  Rename,   ///< write "name-1.ext", "name-2.ext", ... instead
  Replace,  ///< replace it atomically (never when it is an input)
};

/// Shard K of N (K from 1): file i (from 0) of the byte-sorted relative paths of every walked
/// file belongs to shard (i mod N) + 1, so each file (skipped ones too) is in exactly one shard.
struct Shard {
  int index = 1;
  int count = 1;
  bool whole() const { return count == 1; }
};

struct BatchOptions {
  std::filesystem::path input_dir;
  std::filesystem::path output_dir;
  bool recursive = false;
  /// Output file name: {name} (input stem), {model}, {scale}, {ext} (output extension, no dot).
  std::string name_pattern = "{name}.{ext}";
  /// Output format extension without the dot (png, jpg, tif, webp); "" keeps the input's format.
  std::string format;
  std::string model_name;  ///< for {model}
  int64_t scale = 1;       ///< for {scale}
  OverwritePolicy overwrite = OverwritePolicy::Skip;
  Shard shard;
};

/// One file of the walk, with what the batch does with it.
struct PlannedFile {
  std::filesystem::path input;     ///< absolute
  std::filesystem::path relative;  ///< to the input folder (the log and the shard order use it)
  std::filesystem::path output;    ///< the output by the pattern (before the overwrite policy); empty if skipped
  std::string skip_reason;         ///< non-empty: not a candidate (hidden, Thumbs.db, no image extension)
  /// Inputs before this one in the whole sorted list (every shard's) whose output is the same:
  /// 0 = this one owns the name. Counted before sharding, so every shard decides alike.
  int earlier_claimants = 0;
};

/// The walk's result: this shard's files and the folders, absolute and normalised.
struct BatchPlan {
  std::filesystem::path input_dir;
  std::filesystem::path output_dir;
  std::vector<PlannedFile> files;
};

/// This shard's files in byte order of their relative paths (UTF-8). Candidates are files with an
/// image extension (png, jpg, jpeg, tif, tiff, webp, bmp, any case); hidden files, Thumbs.db,
/// .DS_Store and other files are listed as skipped. Hidden folders and the output folder (when
/// inside the input folder) are never walked. Throws Error(BadUsage) for a missing input folder,
/// an output folder equal to the input folder, or a bad pattern.
BatchPlan plan_batch(const BatchOptions& options);

/// "{name}-{model}-x{scale}.{ext}" with the values put in; Error(BadUsage) for an unknown
/// placeholder or a pattern without {name} (outputs would collide).
std::string expand_name_pattern(const std::string& pattern, const std::string& name, const std::string& model,
                                int64_t scale, const std::string& ext);

/// "K/N" -> Shard; Error(BadUsage) unless 1 <= K <= N.
Shard parse_shard(const std::string& text);
/// "skip" | "rename" | "replace" -> policy; Error(BadUsage) otherwise.
OverwritePolicy parse_overwrite_policy(const std::string& text);

/// "restora-batch.csv", or "restora-batch-K-of-N.csv" for a shard.
std::string batch_log_name(const Shard& shard);

}  // namespace restora
