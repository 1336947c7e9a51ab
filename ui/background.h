#pragma once
#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>
#include <optional>
#include <utility>

namespace restora::ui {

/// A value computed off the GUI thread, or the one-line message of what went wrong.
template <typename T>
struct Outcome {
  std::optional<T> value;
  QString error;
};

/// The pool our background work runs on. Not Qt's global pool: QPainter and QImage split large
/// scalings and conversions into pieces on the global pool and block the GUI thread until they
/// ran, so a long metric job holding a global-pool thread stalled every repaint (71 s seen).
QThreadPool* backgroundPool();
/// Puts the calling (pool) thread below the GUI thread's priority; every job starts with it.
void lowerPriority();

/// Runs `work` (returning T; it may throw) on backgroundPool() and calls `done(Outcome<T>)`
/// on `context`'s thread when it finishes. `work` must own everything it uses (capture values,
/// never `this`): it may outlive `context`, whose destruction only drops the reply.
template <typename T, typename Work, typename Done>
void runInBackground(QObject* context, Work work, Done done) {
  auto* watcher = new QFutureWatcher<Outcome<T>>(context);
  QObject::connect(watcher, &QFutureWatcherBase::finished, context, [watcher, done = std::move(done)]() {
    done(watcher->result());
    watcher->deleteLater();
  });
  watcher->setFuture(QtConcurrent::run(backgroundPool(), [work = std::move(work)]() -> Outcome<T> {
    lowerPriority();
    try {
      return {work(), {}};
    } catch (const std::exception& error) {
      return {std::nullopt, QString::fromStdString(error.what())};
    }
  }));
}

}  // namespace restora::ui
