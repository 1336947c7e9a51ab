#pragma once
#include "batch/batch_plan.h"
#include "io/image_file.h"

#include <atomic>
#include <functional>
#include <string>

namespace restora {

/// Restores one decoded image. Today batch_restorer() (core/batch/batch_restore.h) wraps the
/// whole-image restore_image; the engine's job API replaces it there without touching the runner.
/// May throw restora::Error (the file fails; a cancelled job rethrows once `cancel` is set).
using ImageRestoreFunction = std::function<Image(const Image& input, const std::atomic<bool>* cancel)>;

/// What happened to one file (one line of the CSV log).
struct BatchFileResult {
  std::string path;     ///< relative to the input folder (generic form, UTF-8)
  std::string status;   ///< "ok", "failed" or "skipped"
  std::string reason;   ///< why it failed or was skipped; "" when ok
  double seconds = 0;   ///< decode + restore + encode
  std::string output;   ///< relative to the output folder; "" when none was written
};

struct BatchSummary {
  size_t ok = 0;
  size_t failed = 0;
  size_t skipped = 0;        ///< not candidates (hidden, Thumbs.db, no image extension)
  size_t already_done = 0;   ///< outputs that existed under --overwrite skip (a resumed batch)
  bool cancelled = false;
  std::filesystem::path log;
};

struct BatchCallbacks {
  /// After each file, on the calling thread: its result and how many of `total` files are done.
  std::function<void(const BatchFileResult& result, size_t done, size_t total)> on_file;
};

struct BatchRunOptions {
  ReadOptions read;
  WriteOptions write;
  /// Decode the next file and encode the previous one on their own threads while the network
  /// runs; false does each step in turn (to measure the gain).
  bool pipelined = true;
};

/// Runs the plan: every candidate is decoded, restored and written (atomically) to its output by
/// the overwrite policy, in a three-stage pipeline (the next file is decoded and the previous one
/// encoded while `restore` runs). A bad file is logged as failed with its reason and the batch
/// goes on. Creates the output folders (the mirrored tree) and appends one log line per file
/// to output_dir/batch_log_name(shard). `cancel` stops after the file being restored (its
/// output is still written or dropped whole, never partial). Throws Error(Failed) only when the
/// output folder or the log cannot be created.
BatchSummary run_batch(const BatchOptions& options, const BatchPlan& plan, const BatchRunOptions& run_options,
                       const ImageRestoreFunction& restore, const BatchCallbacks& callbacks = {},
                       const std::atomic<bool>* cancel = nullptr);

}  // namespace restora
