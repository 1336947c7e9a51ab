#pragma once
#include "batch/batch_runner.h"
#include "engine/job.h"

#include <vector>

namespace restora {

/// The batch's per-image restoration: the engine's job API (tiles within the memory budget) on
/// the batch's thread, one image at a time. A failed job throws its Error; a cancelled one
/// throws Error(Failed, "cancelled") after the batch's cancel flag is set.
ImageRestoreFunction batch_restorer(std::vector<JobStage> chain, JobOptions options);

}  // namespace restora
