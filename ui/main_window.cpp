#include "main_window.h"

#include "background.h"
#include "compare_view.h"
#include "history_budget.h"
#include "image_convert.h"
#include "metrics_presenter.h"
#include "photo_files.h"
#include "model_catalog.h"
#include "photo_document.h"
#include "recent_files.h"
#include "restore_panel.h"
#include "restore_runner.h"
#include "state_command.h"
#include "undo_texts.h"


#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QMimeData>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QUndoStack>
#include <QUndoView>

#include <algorithm>

namespace restora::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      document_(new PhotoDocument(this)),
      undo_stack_(new QUndoStack(this)),
      catalog_(new ModelCatalog(this)),
      runner_(new RestoreRunner(this)),
      compare_(new CompareView(this)),
      metrics_(new MetricsPresenter(document_, compare_, this)),
      centre_(new QStackedWidget(this)),
      empty_state_(new QLabel(this)) {
  setObjectName(QStringLiteral("MainWindow"));
  setWindowTitle(tr("Restora"));
  setAcceptDrops(true);
  empty_state_->setObjectName(QStringLiteral("placeholder"));
  empty_state_->setAlignment(Qt::AlignCenter);
  empty_state_->setWordWrap(true);
  empty_state_->setText(tr("<h2>No photo open</h2><p>Open a photo with <b>File › Open</b> (%1), drop one here, "
                           "or paste one (%2).</p><p>Then pick a task and a model in the Restore panel and press "
                           "<b>Run</b>.</p>")
                            .arg(QKeySequence(QKeySequence::Open).toString(QKeySequence::NativeText),
                                 QKeySequence(QKeySequence::Paste).toString(QKeySequence::NativeText)));
  centre_->addWidget(empty_state_);
  centre_->addWidget(compare_);
  setCentralWidget(centre_);

  createActions();
  createDocks();
  createToolBar();
  createMenus();
  createStatusBar();

  connect(document_, &PhotoDocument::stateChanged, this, &MainWindow::onStateChanged);
  connect(document_, &PhotoDocument::opened, this, [this]() { undo_stack_->clear(); });
  connect(catalog_, &ModelCatalog::failed, this, &MainWindow::showError);
  connect(catalog_, &ModelCatalog::added, this, [this](const QString& id) {
    panel_->selectModel(id);
    statusBar()->showMessage(tr("Model ready: %1").arg(catalog_->find(id)->label), 5000);
  });
  connect(runner_, &RestoreRunner::progressed, this, &MainWindow::onProgress);
  connect(runner_, &RestoreRunner::modelLoaded, catalog_, &ModelCatalog::keepLoaded);
  connect(runner_, &RestoreRunner::previewStarted, compare_, &CompareView::beginPreview);
  connect(runner_, &RestoreRunner::tileFinished, compare_, &CompareView::previewTile);
  connect(runner_, &RestoreRunner::finished, this, &MainWindow::onRestored);
  connect(runner_, &RestoreRunner::failed, this, [this](const QString& message) {
    compare_->endPreview();
    onRunEnded();
    showError(tr("The restoration failed: %1").arg(message));
  });
  connect(runner_, &RestoreRunner::cancelled, this, [this]() {
    compare_->endPreview();
    onRunEnded();
    statusBar()->showMessage(tr("Restoration cancelled; the photo is unchanged."), 5000);
  });
  connect(undo_stack_, &QUndoStack::cleanChanged, this, &MainWindow::updateActions);
  connect(catalog_, &ModelCatalog::changed, this, &MainWindow::updateActions);
  catalog_->loadRegistered();
  readSettings();
  updateActions();
}

MainWindow::~MainWindow() { runner_->cancel(); }

void MainWindow::createDocks() {
  panel_ = new RestorePanel(catalog_, this);
  restore_dock_ = new QDockWidget(tr("Restore"), this);
  restore_dock_->setObjectName(QStringLiteral("restoreDock"));
  restore_dock_->setWidget(panel_);
  addDockWidget(Qt::RightDockWidgetArea, restore_dock_);
  connect(panel_, &RestorePanel::runRequested, this, &MainWindow::runRestoration);
  connect(panel_, &RestorePanel::cancelRequested, this, &MainWindow::cancelRestoration);
  connect(panel_, &RestorePanel::useCheckpointRequested, this, &MainWindow::checkpointDialog);

  auto* history = new QUndoView(undo_stack_, this);
  history->setEmptyLabel(tr("<opened photo>"));
  history_dock_ = new QDockWidget(tr("History"), this);
  history_dock_->setObjectName(QStringLiteral("historyDock"));
  history_dock_->setWidget(history);
  addDockWidget(Qt::RightDockWidgetArea, history_dock_);
}

void MainWindow::readSettings() {
  const QSettings settings;
  if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) resize(1200, 760);
  // First run: the docks take a third of the window at most; the photo gets the rest.
  if (!restoreState(settings.value(QStringLiteral("window/state")).toByteArray()))
    resizeDocks({restore_dock_, history_dock_}, {360, 360}, Qt::Horizontal);
}

void MainWindow::writeSettings() const {
  QSettings settings;
  settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
  settings.setValue(QStringLiteral("window/state"), saveState());
}

void MainWindow::closeEvent(QCloseEvent* event) {
  writeSettings();
  // The runner's destructor waits for its worker; asking it to stop first keeps that short.
  runner_->cancel();
  event->accept();
}

void MainWindow::showError(const QString& message) {
  last_error_ = message;
  statusBar()->showMessage(message);
  Q_EMIT errorShown(message);
}

void MainWindow::openPhoto(const QString& path) {
  if (runner_->isRunning()) {
    showError(tr("'%1' was not opened: a restoration is running (cancel it first).").arg(path));
    return;
  }
  statusBar()->showMessage(tr("Opening %1…").arg(QFileInfo(path).fileName()));
  runInBackground<ImageState>(
      this,
      [path]() { return loadPhotoState(path); },
      [this, path](const Outcome<ImageState>& outcome) {
        if (!outcome.value) {
          showError(tr("Could not open the photo. %1").arg(outcome.error));
          return;
        }
        document_->open(path, *outcome.value);
        recent_->add(path);
        const QSize size = imageSize(*outcome.value->after);
        statusBar()->showMessage(tr("Opened %1 (%2 × %3).").arg(QFileInfo(path).fileName()).arg(size.width()).arg(size.height()), 5000);
      });
}

void MainWindow::loadGroundTruth(const QString& path) {
  runInBackground<std::shared_ptr<const restora::Image>>(
      this, [path]() { return loadPicture(path); },
      [this, path](const Outcome<std::shared_ptr<const restora::Image>>& outcome) {
        if (!outcome.value) {
          showError(tr("Could not load the ground truth. %1").arg(outcome.error));
          return;
        }
        document_->setGroundTruth(path, *outcome.value);
        Q_EMIT groundTruthLoaded();
      });
}

void MainWindow::useCheckpoint(const QString& path) {
  statusBar()->showMessage(tr("Reading checkpoint %1…").arg(QFileInfo(path).fileName()));
  catalog_->loadCheckpoint(path);
}

int MainWindow::savedQuality() { return std::clamp(QSettings().value(QStringLiteral("save/quality"), 95).toInt(), 1, 100); }

void MainWindow::savePhoto(const QString& path, int quality) {
  if (!document_->hasPhoto()) return;
  const auto picture = document_->state().after;
  if (quality < 1) quality = savedQuality();
  runInBackground<bool>(
      this,
      [path, picture, quality]() {
        savePicture(path, *picture, quality);
        return true;
      },
      [this, path](const Outcome<bool>& outcome) {
        if (!outcome.value) {
          showError(tr("Could not save. %1").arg(outcome.error));
          return;
        }
        undo_stack_->setClean();
        statusBar()->showMessage(tr("Saved %1.").arg(QDir::toNativeSeparators(path)), 5000);
        Q_EMIT saved(path);
      });
}

void MainWindow::paste() {
  const QMimeData* mime = QApplication::clipboard()->mimeData();
  if (mime == nullptr) return;
  if (mime->hasUrls() && !mime->urls().isEmpty() && mime->urls().front().isLocalFile()) {
    openPhoto(mime->urls().front().toLocalFile());
    return;
  }
  if (!mime->hasImage()) {
    showError(tr("The clipboard holds no picture to paste."));
    return;
  }
  const QImage pasted = qvariant_cast<QImage>(mime->imageData());
  runInBackground<ImageState>(
      this,
      [pasted]() { return pastedState(pasted); },
      [this](const Outcome<ImageState>& outcome) {
        if (!outcome.value) {
          showError(tr("Could not paste the picture. %1").arg(outcome.error));
          return;
        }
        document_->open({}, *outcome.value);
      });
}

void MainWindow::copyResult() {
  if (!document_->hasPhoto()) return;
  QApplication::clipboard()->setImage(toFullDepthImage(*document_->state().after));
  statusBar()->showMessage(tr("Result copied to the clipboard."), 3000);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  const QMimeData* mime = event->mimeData();
  if (mime->hasUrls() && !mime->urls().isEmpty() && mime->urls().front().isLocalFile()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  const QList<QUrl> urls = event->mimeData()->urls();
  if (urls.isEmpty() || !urls.front().isLocalFile()) return;
  event->acceptProposedAction();
  openPhoto(urls.front().toLocalFile());
}

void MainWindow::onStateChanged() {
  centre_->setCurrentWidget(document_->hasPhoto() ? static_cast<QWidget*>(compare_) : empty_state_);
  compare_->setState(document_->state());
  const QString name = document_->path().isEmpty() ? tr("Pasted picture") : QFileInfo(document_->path()).fileName();
  setWindowTitle(document_->hasPhoto() ? tr("%1[*] — Restora").arg(name) : tr("Restora"));
  updateActions();
}

void MainWindow::pushState(ImageState state, CommandId id, const QString& text) {
  // Over the budget the older history goes (QUndoStack cannot drop single commands); the step
  // being pushed stays undoable.
  if (historyBytes(*undo_stack_, state) > historyBudget() && undo_stack_->count() > 0) {
    undo_stack_->clear();
    statusBar()->showMessage(tr("The history outgrew its memory budget (%1 MiB); older steps were dropped.")
                                 .arg(historyBudget() / (1024 * 1024)), 10000);
  }
  undo_stack_->push(new StateCommand(document_, document_->state(), std::move(state), id, text));
}

}  // namespace restora::ui
