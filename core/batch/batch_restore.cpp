#include "batch/batch_restore.h"

#include "common/error.h"

namespace restora {

ImageRestoreFunction batch_restorer(std::vector<JobStage> chain, JobOptions options) {
  return [chain = std::move(chain), options = std::move(options)](const Image& input, const std::atomic<bool>* cancel) {
    JobInput job;
    job.image = input;  // shares the pixels (cv::Mat): no copy
    JobResult result = run_job(job, chain, options, {}, cancel);
    if (!result.finished()) throw Error(result.error_kind, result.message);
    return std::move(result.image);
  };
}

}  // namespace restora
