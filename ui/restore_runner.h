#pragma once
#include "image_state.h"

#include "engine/job.h"

#include <QImage>
#include <QObject>
#include <QRect>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace restora {
struct LoadedModel;
}

namespace restora::ui {

/// What to restore with what.
struct RestoreRequest {
  QString model_id;
  std::shared_ptr<const restora::LoadedModel> model;
  /// Loads the model on the worker when `model` is null (registry models load on first use).
  std::function<std::shared_ptr<const restora::LoadedModel>()> load_model;
  restora::JobOptions options;  ///< tiles, precision, ensemble, device
  ImageState input;  ///< its `after` picture is restored; `before` is carried over
  /// Make a preview canvas (previewStarted) and send each finished tile (tileFinished).
  bool preview = true;
};

class ScaledViews;
struct TilePyramid;

/// The GUI's one door to the engine: runs a restoration on its own worker thread and reports on
/// the GUI thread, through the engine's job API (tiles within the memory budget, cancelled
/// between tiles). One run at a time: start() refuses a second.
/// The destructor cancels and waits, so closing the window during a run exits cleanly.
class RestoreRunner : public QObject {
  Q_OBJECT

 public:
  explicit RestoreRunner(QObject* parent = nullptr);
  ~RestoreRunner() override;

  bool isRunning() const { return running_; }
  /// False (and nothing happens) while a run is in progress or the request has no model/picture.
  bool start(RestoreRequest request);
  /// Asks the running job to stop at its next check; it ends in cancelled(). Any thread.
  void cancel();

  /// Called on the worker thread with each progress report, before it is posted to the GUI
  /// thread: tests use it to cancel at an exact point of the job, independent of timing.
  void setWorkerProgressObserver(std::function<void(double)> observer) { observer_ = std::move(observer); }

 Q_SIGNALS:
  void started();
  /// A model that load_model loaded, for the catalogue to keep.
  void modelLoaded(const QString& id, std::shared_ptr<const restora::LoadedModel> model);
  /// The after picture to show while the run goes on (the input dimmed, at the output's size).
  void previewStarted(std::shared_ptr<restora::ui::ScaledViews> canvas);
  /// A finished tile, scaled for every level of the canvas (ScaledViews::paste).
  void tileFinished(const restora::ui::TilePyramid& tile);
  void progressed(double fraction);
  void finished(const restora::ui::ImageState& result);
  void failed(const QString& message);
  void cancelled();

 private:
  enum class End { Finished, Failed, Cancelled };
  void end(End how, const ImageState& result, const QString& message);
  void join();

  std::thread worker_;
  std::atomic<bool> cancel_{false};
  std::atomic<bool> running_{false};
  std::function<void(double)> observer_;
};

}  // namespace restora::ui
