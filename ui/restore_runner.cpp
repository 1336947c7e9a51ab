#include "restore_runner.h"

#include "common/error.h"
#include "engine/model_loader.h"
#include "io/image.h"

#include <QMetaObject>
#include <QPointer>

#include <torch/torch.h>

namespace restora::ui {

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
  if (running_ || !request.model || request.input.isEmpty()) return false;
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
    JobInput input;
    input.image = *request.input.after;
    JobStage stage{std::const_pointer_cast<RestorationNetworkImpl>(request.model->network), request.model->traits};
    JobCallbacks callbacks;
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
