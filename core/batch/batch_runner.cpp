#include "batch/batch_runner.h"

#include "batch/batch_log.h"
#include "common/error.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <set>
#include <system_error>

namespace restora {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

bool is_within(const fs::path& inner, const fs::path& outer) {
  auto i = inner.begin();
  for (auto o = outer.begin(); o != outer.end(); ++o, ++i)
    if (i == inner.end() || *i != *o) return false;
  return true;
}

/// "name-1.ext", "name-2.ext", ...: the first that neither exists nor is taken by this batch.
fs::path free_name(const fs::path& wanted, const std::set<fs::path>& taken, int first = 1) {
  for (int n = first;; ++n) {
    fs::path candidate = wanted.parent_path() / (wanted.stem().string() + "-" + std::to_string(n) + wanted.extension().string());
    std::error_code error;
    if (!fs::exists(candidate, error) && taken.count(candidate) == 0) return candidate;
  }
}

/// One candidate that will be decoded, restored and written.
struct WorkItem {
  const PlannedFile* file;
  fs::path target;
};

struct Decoded {
  Image image;
  std::string error;  ///< non-empty: the file failed to decode
  double seconds = 0;
};

struct Encoded {
  std::string error;
  double seconds = 0;
};

Decoded decode(const WorkItem& item, const ReadOptions& options) {
  const auto start = Clock::now();
  Decoded decoded;
  try {
    decoded.image = read_image(item.file->input, options);
  } catch (const std::exception& error) {
    decoded.error = error.what();
  }
  decoded.seconds = seconds_since(start);
  return decoded;
}

Encoded encode(const WorkItem& item, const Image& image, const WriteOptions& options) {
  const auto start = Clock::now();
  Encoded encoded;
  try {
    std::error_code error;
    fs::create_directories(item.target.parent_path(), error);
    if (error)
      throw Error(ErrorKind::Failed, "'" + item.target.parent_path().string() + "': cannot create the folder: " + error.message());
    remove_interrupted_writes(item.target);  // what a killed run left for this output
    write_image(item.target, image, options);
  } catch (const std::exception& error) {
    encoded.error = error.what();
  }
  encoded.seconds = seconds_since(start);
  return encoded;
}

class Runner {
 public:
  Runner(const BatchOptions& options, const BatchPlan& plan, const BatchRunOptions& run_options,
         const ImageRestoreFunction& restore, const BatchCallbacks& callbacks, const std::atomic<bool>* cancel)
      : options_(options), plan_(plan), run_options_(run_options), restore_(restore), callbacks_(callbacks),
        cancel_(cancel), log_(open_log(plan, options.shard)) {
    summary_.log = log_.path();
  }

  BatchSummary run() {
    const std::vector<WorkItem> work = resolve_targets();
    pipeline(work);
    return summary_;
  }

 private:
  static fs::path open_log(const BatchPlan& plan, const Shard& shard) {
    std::error_code error;
    fs::create_directories(plan.output_dir, error);
    if (error)
      throw Error(ErrorKind::Failed, "'" + plan.output_dir.string() + "': cannot create the output folder: " + error.message());
    return plan.output_dir / batch_log_name(shard);
  }

  bool cancelled() const { return cancel_ != nullptr && cancel_->load(); }

  void report(const PlannedFile& file, const std::string& status, const std::string& reason, double seconds,
              const fs::path& output) {
    BatchFileResult result;
    result.path = file.relative.generic_u8string();
    result.status = status;
    result.reason = reason;
    result.seconds = seconds;
    result.output = output.empty() ? "" : output.lexically_relative(plan_.output_dir).generic_u8string();
    log_.append(result.path, result.status, result.reason, result.seconds, result.output);
    ++done_;
    if (callbacks_.on_file) callbacks_.on_file(result, done_, plan_.files.size());
  }

  /// Applies the overwrite policy and the never-an-input rule; logs what is not worked on.
  std::vector<WorkItem> resolve_targets() {
    std::vector<WorkItem> work;
    std::set<fs::path> taken;
    for (const PlannedFile& file : plan_.files) {
      if (!file.skip_reason.empty()) {
        ++summary_.skipped;
        report(file, "skipped", file.skip_reason, 0, {});
        continue;
      }
      fs::path target = file.output;
      std::error_code error;
      // An output inside the input tree (but outside the never-walked output folder) would be an
      // input of the next run, or overwrite one.
      if (is_within(target, plan_.input_dir) && !is_within(plan_.output_dir, plan_.input_dir)) {
        fail(file, "its output '" + target.string() + "' would lie among the input files");
        continue;
      }
      if (fs::equivalent(target, file.input, error)) {
        fail(file, "its output would overwrite the input itself");
        continue;
      }
      // Another input wants the same name: decided by the whole list's order, so that shards agree.
      const bool clash = file.earlier_claimants > 0 || taken.count(target) != 0;
      const bool exists = clash || fs::exists(target, error);
      if (exists && options_.overwrite == OverwritePolicy::Skip) {
        ++summary_.already_done;
        report(file, "skipped", clash ? "another input has the same output name" : "output exists", 0,
               clash ? fs::path() : target);
        continue;
      }
      // The k-th later claimant starts at name-k, so shards that cannot see each other's names differ.
      if (exists && options_.overwrite == OverwritePolicy::Rename)
        target = free_name(target, taken, std::max(1, file.earlier_claimants));
      if (exists && options_.overwrite == OverwritePolicy::Replace && clash) {
        fail(file, "another input of this batch has the same output '" + target.string() + "'");
        continue;
      }
      taken.insert(target);
      work.push_back({&file, target});
    }
    return work;
  }

  void fail(const PlannedFile& file, const std::string& reason, double seconds = 0) {
    ++summary_.failed;
    report(file, "failed", reason, seconds, {});
  }

  void finish_write(const WorkItem& item, std::future<Encoded>& pending, double earlier_seconds) {
    const Encoded encoded = pending.get();
    if (encoded.error.empty()) {
      ++summary_.ok;
      report(*item.file, "ok", "", earlier_seconds + encoded.seconds, item.target);
    } else {
      fail(*item.file, encoded.error, earlier_seconds + encoded.seconds);
    }
  }

  /// decode(i + 1) and encode(i - 1) run on their own threads while restore(i) runs here.
  void pipeline(const std::vector<WorkItem>& work) {
    if (work.empty()) return;
    const ReadOptions read = run_options_.read;
    const WriteOptions write = run_options_.write;
    // Deferred futures run on get(): the same loop, one step after the other.
    const std::launch policy = run_options_.pipelined ? std::launch::async : std::launch::deferred;
    auto start_decode = [&](size_t i) { return std::async(policy, decode, work[i], read); };
    std::future<Decoded> next = start_decode(0);
    std::future<Encoded> pending;
    size_t pending_index = 0;
    double pending_seconds = 0;
    for (size_t i = 0; i < work.size(); ++i) {
      Decoded decoded = next.get();
      if (cancelled()) break;
      if (i + 1 < work.size()) next = start_decode(i + 1);
      if (!decoded.error.empty()) {
        fail(*work[i].file, decoded.error, decoded.seconds);
        continue;
      }
      const auto start = Clock::now();
      Image restored;
      std::string error;
      try {
        restored = restore_(decoded.image, cancel_);
      } catch (const std::exception& e) {
        error = e.what();
      }
      decoded.image = Image();  // release the input before the next one is held
      const double seconds = decoded.seconds + seconds_since(start);
      if (pending.valid()) finish_write(work[pending_index], pending, pending_seconds);
      if (cancelled()) break;  // the image being restored when cancel came is dropped whole
      if (!error.empty()) {
        fail(*work[i].file, error, seconds);
        continue;
      }
      pending = std::async(policy, encode, work[i], std::move(restored), write);
      pending_index = i;
      pending_seconds = seconds;
    }
    if (next.valid() && run_options_.pipelined) next.wait();
    if (pending.valid()) finish_write(work[pending_index], pending, pending_seconds);
    summary_.cancelled = cancelled();
  }

  const BatchOptions& options_;
  const BatchPlan& plan_;
  const BatchRunOptions& run_options_;
  const ImageRestoreFunction& restore_;
  const BatchCallbacks& callbacks_;
  const std::atomic<bool>* cancel_;
  BatchLog log_;
  BatchSummary summary_;
  size_t done_ = 0;
};

}  // namespace

BatchSummary run_batch(const BatchOptions& options, const BatchPlan& plan, const BatchRunOptions& run_options,
                       const ImageRestoreFunction& restore, const BatchCallbacks& callbacks,
                       const std::atomic<bool>* cancel) {
  return Runner(options, plan, run_options, restore, callbacks, cancel).run();
}

}  // namespace restora
