#pragma once
#include <QFutureWatcher>
#include <QObject>
#include <QString>
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

/// Runs `work` (returning T; it may throw) on the global thread pool and calls `done(Outcome<T>)`
/// on `context`'s thread when it finishes. `work` must own everything it uses (capture values,
/// never `this`): it may outlive `context`, whose destruction only drops the reply.
template <typename T, typename Work, typename Done>
void runInBackground(QObject* context, Work work, Done done) {
  auto* watcher = new QFutureWatcher<Outcome<T>>(context);
  QObject::connect(watcher, &QFutureWatcherBase::finished, context, [watcher, done = std::move(done)]() {
    done(watcher->result());
    watcher->deleteLater();
  });
  watcher->setFuture(QtConcurrent::run([work = std::move(work)]() -> Outcome<T> {
    try {
      return {work(), {}};
    } catch (const std::exception& error) {
      return {std::nullopt, QString::fromStdString(error.what())};
    }
  }));
}

}  // namespace restora::ui
