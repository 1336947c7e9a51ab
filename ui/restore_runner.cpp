#include "restore_runner.h"

#include "image_convert.h"
#include "scaled_views.h"

#include "common/error.h"
#include "engine/model_loader.h"
#include "io/image.h"
#include "runtime/threads.h"

#include <QMetaObject>
#include <QPointer>

#include <torch/torch.h>

namespace restora::ui {
namespace {
constexpr int kWorkerNiceSteps = 5;  // below the GUI thread, as the background jobs (background.cpp)
}

RestoreRunner::RestoreRunner(QObject* parent) : QObject(parent) {}

RestoreRunner::~RestoreRunner() {
  cancel_ = true;
  join();
}

void RestoreRunner::join() {
  if (worker_.joinable()) worker_.join();
}

void RestoreRunner::cancel() {
  if (running_) cancel_ = true;
}

bool RestoreRunner::start(RestoreRequest request) {
  if (running_ || (!request.model && !request.load_model) || request.input.isEmpty()) return false;
  join();  // a finished worker whose end has been reported
  running_ = true;
  cancel_ = false;
  Q_EMIT started();
  worker_ = std::thread([this, request = std::move(request), observer = observer_]() {
    // Reports go through queued calls: they are dropped if this object is gone, and the
    // destructor joins this thread before anything it uses is destroyed.
    const auto post = [this](End how, ImageState result, QString message) {
      QMetaObject::invokeMethod(
          this, [this, how, result = std::move(result), message]() { end(how, result, message); }, Qt::QueuedConnection);
    };
    // Below the GUI thread, so that it stays responsive while this fills every core.
    lower_this_threads_priority(kWorkerNiceSteps);
    std::shared_ptr<const LoadedModel> model = request.model;
    if (!model) {
      try {
        model = request.load_model();
      } catch (const std::exception& error) {
        post(End::Failed, {}, tr("Could not load the model %1: %2").arg(request.model_id, QString::fromUtf8(error.what())));
        return;
      }
      QMetaObject::invokeMethod(
          this, [this, id = request.model_id, model]() { Q_EMIT modelLoaded(id, model); }, Qt::QueuedConnection);
    }
    if (cancel_) {
      post(End::Cancelled, {}, {});
      return;
    }
    JobInput input;
    input.image = *request.input.after;
    JobStage stage{std::const_pointer_cast<RestorationNetworkImpl>(model->network), model->traits};
    JobCallbacks callbacks;
    if (request.preview && request.input.after_views) {
      const QSize size = request.input.after_views->size() * int(model->traits.scale);
      auto canvas = std::make_shared<ScaledViews>(ScaledViews::previewCanvas(*request.input.after_views, size));
      QMetaObject::invokeMethod(
          this, [this, canvas]() { Q_EMIT previewStarted(canvas); }, Qt::QueuedConnection);
      callbacks.on_tile = [this, level_sizes = canvas->levelSizes()](const FinishedTile& tile) {
        if (!tile.final_stage) return;
        const QRect region(int(tile.region.x), int(tile.region.y), int(tile.region.width), int(tile.region.height));
        // Scaled here, on the worker: the GUI thread only copies it in.
        TilePyramid pyramid = ScaledViews::tilePyramid(level_sizes, region, rgbTileImage(tile.rgb));
        QMetaObject::invokeMethod(
            this, [this, pyramid = std::move(pyramid)]() { Q_EMIT tileFinished(pyramid); }, Qt::QueuedConnection);
      };
    }
    callbacks.on_progress = [this, &observer](const JobProgress& progress) {
      const double fraction = progress.fraction;
      if (observer) observer(fraction);
      QMetaObject::invokeMethod(this, [this, fraction]() { Q_EMIT progressed(fraction); }, Qt::QueuedConnection);
    };
    JobResult result = run_job(input, {stage}, request.options, callbacks, &cancel_);
    if (cancel_ || result.status == JobResult::Status::cancelled) {
      post(End::Cancelled, {}, {});
    } else if (!result.finished()) {
      post(End::Failed, {}, QString::fromStdString(result.message));
    } else {
      auto restored = std::make_shared<const restora::Image>(std::move(result.image));
      post(End::Finished, makeState(request.input.before, std::move(restored), request.input), {});
    }
  });
  return true;
}

void RestoreRunner::end(End how, const ImageState& result, const QString& message) {
  join();
  running_ = false;
  cancel_ = false;
  switch (how) {
    case End::Finished: Q_EMIT finished(result); break;
    case End::Failed: Q_EMIT failed(message); break;
    case End::Cancelled: Q_EMIT cancelled(); break;
  }
}

}  // namespace restora::ui
