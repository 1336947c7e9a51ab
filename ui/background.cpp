#include "background.h"

#include "runtime/threads.h"

#include <QCoreApplication>
#include <QThread>

#include <algorithm>

namespace restora::ui {
namespace {
constexpr int kBackgroundNiceSteps = 5;  // as the restoration worker: below the GUI thread
}  // namespace

void lowerPriority() { lower_this_threads_priority(kBackgroundNiceSteps); }

QThreadPool* backgroundPool() {
  // Owned by the application, whose destruction waits for the jobs still running.
  static QThreadPool* pool = [] {
    auto* created = new QThreadPool(QCoreApplication::instance());
    created->setMaxThreadCount(std::max(2, QThread::idealThreadCount()));
    return created;
  }();
  return pool;
}

}  // namespace restora::ui
