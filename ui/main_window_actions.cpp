// MainWindow: actions, menus, status bar, and the operations they start.
#include "main_window.h"

#include "background.h"
#include "compare_view.h"
#include "photo_files.h"
#include "icons.h"
#include "image_pane.h"
#include "model_catalog.h"
#include "photo_document.h"
#include "recent_files.h"
#include "restore_panel.h"
#include "restore_runner.h"
#include "undo_texts.h"
#include "view_controller.h"

#include "runtime/devices.h"
#include "runtime/threads.h"
#include "runtime/version.h"

#include <QActionGroup>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QToolBar>
#include <QToolButton>
#include <QUndoStack>

#include <tuple>

namespace restora::ui {
namespace {

QString imageFilter() {
  return MainWindow::tr("Images (*.png *.jpg *.jpeg *.tif *.tiff *.webp *.bmp);;All files (*)");
}

QIcon icon(const char* name) { return themedIcon(QString::fromLatin1(name)); }

}  // namespace

void MainWindow::createActions() {
  actions_.open = new QAction(icon("document-open"), tr("&Open…"), this);
  actions_.open->setShortcut(QKeySequence::Open);
  connect(actions_.open, &QAction::triggered, this, &MainWindow::openDialog);
  actions_.save_as = new QAction(icon("document-save-as"), tr("Save &As…"), this);
  actions_.save_as->setShortcuts({QKeySequence::SaveAs, QKeySequence::Save});
  connect(actions_.save_as, &QAction::triggered, this, &MainWindow::saveAsDialog);
  actions_.ground_truth = new QAction(icon("document-open-ground-truth"), tr("Load &Ground Truth…"), this);
  connect(actions_.ground_truth, &QAction::triggered, this, &MainWindow::groundTruthDialog);
  actions_.quit = new QAction(icon("application-exit"), tr("&Quit"), this);
  actions_.quit->setShortcut(QKeySequence::Quit);
  connect(actions_.quit, &QAction::triggered, this, &QWidget::close);

  actions_.undo = undo_stack_->createUndoAction(this, tr("&Undo"));
  actions_.undo->setShortcut(QKeySequence::Undo);
  actions_.undo->setIcon(icon("edit-undo"));
  actions_.redo = undo_stack_->createRedoAction(this, tr("&Redo"));
  actions_.redo->setShortcut(QKeySequence::Redo);
  actions_.redo->setIcon(icon("edit-redo"));
  actions_.copy = new QAction(icon("edit-copy"), tr("&Copy Result"), this);
  actions_.copy->setShortcut(QKeySequence::Copy);
  connect(actions_.copy, &QAction::triggered, this, &MainWindow::copyResult);
  actions_.paste = new QAction(icon("edit-paste"), tr("&Paste"), this);
  actions_.paste->setShortcut(QKeySequence::Paste);
  connect(actions_.paste, &QAction::triggered, this, &MainWindow::paste);
  const auto edit_action = [this](const QString& text, Edit edit, const QKeySequence& keys, const char* icon_name) {
    auto* action = new QAction(icon(icon_name), text, this);
    action->setShortcut(keys);
    connect(action, &QAction::triggered, this, [this, edit]() { applyEditToPhoto(edit); });
    return action;
  };
  actions_.rotate_cw = edit_action(tr("Rotate 90° C&lockwise"), Edit::RotateClockwise, Qt::CTRL | Qt::Key_R, "object-rotate-right");
  actions_.rotate_ccw = edit_action(tr("Rotate 90° Cou&nter-clockwise"), Edit::RotateCounterClockwise, Qt::CTRL | Qt::SHIFT | Qt::Key_R, "object-rotate-left");
  actions_.flip_h = edit_action(tr("Flip &Horizontally"), Edit::FlipHorizontal, {}, "object-flip-horizontal");
  actions_.flip_v = edit_action(tr("Flip &Vertically"), Edit::FlipVertical, {}, "object-flip-vertical");
  actions_.crop = new QAction(icon("transform-crop"), tr("Cr&op to Selection"), this);
  actions_.crop->setToolTip(tr("Shift-drag over the picture to select"));
  connect(actions_.crop, &QAction::triggered, this, &MainWindow::cropToSelection);

  actions_.use_checkpoint = new QAction(tr("Use &Checkpoint…"), this);
  connect(actions_.use_checkpoint, &QAction::triggered, this, &MainWindow::checkpointDialog);
  actions_.run = new QAction(icon("media-playback-start"), tr("&Run"), this);
  actions_.run->setShortcut(Qt::CTRL | Qt::Key_Return);
  connect(actions_.run, &QAction::triggered, this, &MainWindow::runRestoration);
  actions_.cancel = new QAction(icon("process-stop"), tr("Ca&ncel"), this);
  actions_.cancel->setShortcut(QKeySequence::Cancel);
  connect(actions_.cancel, &QAction::triggered, this, &MainWindow::cancelRestoration);

  actions_.modes = new QActionGroup(this);
  const std::tuple<QString, CompareMode, const char*> modes[] = {
      {tr("&Side by Side"), CompareMode::SideBySide, "view-side-by-side"},
      {tr("S&plit"), CompareMode::Split, "view-split"},
      {tr("&Toggle"), CompareMode::Toggle, "view-toggle"},
      {tr("&Difference"), CompareMode::Difference, "view-difference"}};
  int number = 1;
  for (const auto& [text, mode, icon_name] : modes) {
    QAction* action = actions_.modes->addAction(icon(icon_name), text);
    action->setCheckable(true);
    action->setChecked(mode == compare_->mode());
    action->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_0 + number++)));
    action->setData(static_cast<int>(mode));
    connect(action, &QAction::triggered, this, [this, mode = mode]() { compare_->setMode(mode); });
  }
  connect(compare_, &CompareView::modeChanged, this, [this](CompareMode mode) {
    for (QAction* action : actions_.modes->actions()) action->setChecked(action->data().toInt() == static_cast<int>(mode));
  });
  actions_.flip_shown = new QAction(tr("Show &Other (Before/After)"), this);
  actions_.flip_shown->setShortcut(Qt::Key_Space);
  connect(actions_.flip_shown, &QAction::triggered, compare_, &CompareView::flipShown);
  ViewController* view = compare_->controller();
  actions_.zoom_in = new QAction(icon("zoom-in"), tr("Zoom &In"), this);
  actions_.zoom_in->setShortcut(QKeySequence::ZoomIn);
  connect(actions_.zoom_in, &QAction::triggered, view, &ViewController::zoomIn);
  actions_.zoom_out = new QAction(icon("zoom-out"), tr("Zoom O&ut"), this);
  actions_.zoom_out->setShortcut(QKeySequence::ZoomOut);
  connect(actions_.zoom_out, &QAction::triggered, view, &ViewController::zoomOut);
  actions_.fit = new QAction(icon("zoom-fit-best"), tr("&Fit to Window"), this);
  actions_.fit->setShortcut(Qt::CTRL | Qt::Key_0);
  connect(actions_.fit, &QAction::triggered, view, &ViewController::fitToView);
  actions_.actual = new QAction(icon("zoom-original"), tr("&Actual Size (100%)"), this);
  actions_.actual->setShortcut(Qt::CTRL | Qt::Key_1);
  connect(actions_.actual, &QAction::triggered, view, &ViewController::actualSize);
  actions_.about = new QAction(icon("help-about"), tr("&About Restora"), this);
  connect(actions_.about, &QAction::triggered, this, &MainWindow::showAbout);
  // Shortcuts work whichever pane or dock has the focus.
  for (QAction* action : findChildren<QAction*>()) addAction(action);
}

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(actions_.open);
  recent_ = new RecentFiles(file->addMenu(tr("Open &Recent")), this);
  connect(recent_, &RecentFiles::openRequested, this, &MainWindow::openPhoto);
  file->addAction(actions_.save_as);
  file->addSeparator();
  file->addAction(actions_.ground_truth);
  file->addSeparator();
  file->addAction(actions_.quit);

  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  edit->addAction(actions_.undo);
  edit->addAction(actions_.redo);
  actions_.history = history_dock_->toggleViewAction();
  actions_.history->setText(tr("Hi&story"));
  edit->addAction(actions_.history);
  edit->addSeparator();
  edit->addAction(actions_.copy);
  edit->addAction(actions_.paste);
  edit->addSeparator();
  edit->addAction(actions_.rotate_cw);
  edit->addAction(actions_.rotate_ccw);
  edit->addAction(actions_.flip_h);
  edit->addAction(actions_.flip_v);
  edit->addAction(actions_.crop);

  QMenu* restore = menuBar()->addMenu(tr("&Restore"));
  QAction* panel = restore_dock_->toggleViewAction();
  panel->setText(tr("Task and &Model…"));
  restore->addAction(panel);
  restore->addAction(actions_.use_checkpoint);
  restore->addSeparator();
  restore->addAction(actions_.run);
  restore->addAction(actions_.cancel);

  QMenu* view = menuBar()->addMenu(tr("&View"));
  view->addActions(actions_.modes->actions());
  view->addAction(actions_.flip_shown);
  view->addSeparator();
  view->addAction(actions_.zoom_in);
  view->addAction(actions_.zoom_out);
  view->addAction(actions_.fit);
  view->addAction(actions_.actual);

  view->addSeparator();
  view->addAction(toolbar_->toggleViewAction());

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(actions_.about);
}

void MainWindow::createToolBar() {
  toolbar_ = new QToolBar(tr("Toolbar"), this);
  toolbar_->setObjectName(QStringLiteral("mainToolBar"));
  toolbar_->toggleViewAction()->setText(tr("Show Tool&bar"));
  addToolBar(Qt::TopToolBarArea, toolbar_);
  const std::initializer_list<QAction*> groups[] = {
      {actions_.open, actions_.save_as},
      {actions_.undo, actions_.redo},
      {actions_.run, actions_.cancel},
  };
  for (const auto& group : groups) {
    toolbar_->addActions(QList<QAction*>(group));
    toolbar_->addSeparator();
  }
  toolbar_->addActions(actions_.modes->actions());
  toolbar_->addSeparator();
  toolbar_->addActions({actions_.zoom_out, actions_.zoom_in, actions_.fit, actions_.actual});
  // A tool button shows only its icon: its tooltip names the action and its shortcut. Undo and
  // Redo keep Qt's own, which follows their changing text ("Undo Rotate 90°").
  for (QAction* action : toolbar_->actions()) {
    if (action->isSeparator() || action == actions_.undo || action == actions_.redo) continue;
    QString text = action->text().remove(QLatin1Char('&')).remove(QChar(0x2026));
    if (!action->shortcut().isEmpty())
      text += QStringLiteral(" (%1)").arg(action->shortcut().toString(QKeySequence::NativeText));
    action->setToolTip(text);
  }
}

void MainWindow::createStatusBar() {
  progress_ = new QProgressBar(this);
  progress_->setObjectName(QStringLiteral("progressBar"));
  progress_->setMaximumWidth(220);
  progress_->setRange(0, 1000);
  eta_ = new QLabel(this);
  status_cancel_ = new QToolButton(this);
  status_cancel_->setDefaultAction(actions_.cancel);
  status_cancel_->setToolButtonStyle(Qt::ToolButtonTextOnly);
  statusBar()->addPermanentWidget(eta_);
  statusBar()->addPermanentWidget(progress_);
  statusBar()->addPermanentWidget(status_cancel_);
  for (QWidget* widget : std::initializer_list<QWidget*>{progress_, eta_, status_cancel_}) widget->hide();
  statusBar()->showMessage(tr("Ready. LibTorch %1, %n thread(s).", nullptr, configured_threads())
                               .arg(QString::fromStdString(torch_version())));
}

void MainWindow::updateActions() {
  const bool photo = document_->hasPhoto();
  const bool running = runner_->isRunning();
  const bool idle = !running && !editing_;
  actions_.save_as->setEnabled(photo);
  actions_.copy->setEnabled(photo);
  actions_.ground_truth->setEnabled(photo);
  for (QAction* action : {actions_.rotate_cw, actions_.rotate_ccw, actions_.flip_h, actions_.flip_v, actions_.crop})
    action->setEnabled(photo && idle);
  // Undo/redo would pull the picture from under a running job: wait for it to end.
  undo_stack_->setActive(idle);
  actions_.undo->setEnabled(idle && undo_stack_->canUndo());
  actions_.redo->setEnabled(idle && undo_stack_->canRedo());
  actions_.run->setEnabled(photo && idle && !panel_->modelId().isEmpty());
  actions_.cancel->setEnabled(running);
  panel_->setCanRun(photo && idle);
  panel_->setRunning(running);
  setWindowModified(photo && !undo_stack_->isClean());
}

void MainWindow::openDialog() {
  const QString dir = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
  const QString path = QFileDialog::getOpenFileName(this, tr("Open Photo"), dir, imageFilter());
  if (!path.isEmpty()) openPhoto(path);
}

void MainWindow::saveAsDialog() {
  if (!document_->hasPhoto()) return;
  const QFileInfo source(document_->path());
  const QString suggested = document_->path().isEmpty()
                                ? tr("restored.png")
                                : source.dir().filePath(source.completeBaseName() + tr("-restored.") + source.suffix());
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Save Restored Photo"), suggested,
      tr("PNG (*.png);;JPEG (*.jpg *.jpeg);;TIFF (*.tif *.tiff);;WebP (*.webp);;BMP (*.bmp)"));
  if (path.isEmpty()) return;
  const QString suffix = QFileInfo(path).suffix().toLower();
  int quality = savedQuality();
  if (suffix == QLatin1String("jpg") || suffix == QLatin1String("jpeg") || suffix == QLatin1String("webp")) {
    bool ok = false;
    quality = QInputDialog::getInt(this, tr("Save Restored Photo"),
                                   tr("%1 quality (1–100; higher keeps more detail in a larger file):").arg(suffix.toUpper()),
                                   quality, 1, 100, 1, &ok);
    if (!ok) return;
    QSettings().setValue(QStringLiteral("save/quality"), quality);
  }
  savePhoto(path, quality);
}

void MainWindow::groundTruthDialog() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Load Ground Truth"), QFileInfo(document_->path()).path(),
                                                    imageFilter());
  if (!path.isEmpty()) loadGroundTruth(path);
}

void MainWindow::checkpointDialog() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Use Checkpoint"), {},
                                                    tr("PyTorch checkpoints (*.pth *.pt *.ckpt);;All files (*)"));
  if (!path.isEmpty()) useCheckpoint(path);
}

void MainWindow::runRestoration() {
  const ModelEntry* model = catalog_->find(panel_->modelId());
  if (!document_->hasPhoto() || model == nullptr) {
    showError(tr("Open a photo and choose a model first (Restore › Use Checkpoint…)."));
    return;
  }
  RestoreRequest request;
  request.model_id = model->id;
  request.model = model->model;
  request.load_model = model->load;
  request.options = panel_->jobOptions();
  request.input = document_->state();
  if (!runner_->start(std::move(request))) {
    showError(tr("A restoration is already running; wait for it or cancel it."));
    return;
  }
  run_model_name_ = model->label;
  run_clock_.start();
  progress_->setRange(0, 0);  // busy until the first fraction arrives
  for (QWidget* widget : std::initializer_list<QWidget*>{progress_, eta_, status_cancel_}) widget->show();
  eta_->setText(tr("Restoring with %1…").arg(run_model_name_));
  updateActions();
}

void MainWindow::cancelRestoration() {
  if (!runner_->isRunning()) return;
  runner_->cancel();
  eta_->setText(tr("Cancelling…"));
}

void MainWindow::onProgress(double fraction) {
  if (fraction <= 0.0 || fraction >= 1.0) return;
  progress_->setRange(0, 1000);
  progress_->setValue(int(fraction * 1000));
  const double elapsed = run_clock_.elapsed() / 1000.0;
  eta_->setText(tr("About %1 s left").arg(qRound(elapsed * (1.0 - fraction) / fraction)));
}

void MainWindow::onRestored(const ImageState& result) {
  onRunEnded();
  pushState(result, CommandId::Restore, restoreCommandText(run_model_name_));
  statusBar()->showMessage(tr("Restored with %1 in %2 s.").arg(run_model_name_).arg(run_clock_.elapsed() / 1000.0, 0, 'f', 1), 8000);
}

void MainWindow::onRunEnded() {
  for (QWidget* widget : std::initializer_list<QWidget*>{progress_, eta_, status_cancel_}) widget->hide();
  updateActions();
}

void MainWindow::applyEditToPhoto(Edit edit) {
  if (!document_->hasPhoto() || runner_->isRunning() || editing_) return;
  editing_ = true;
  updateActions();
  const ImageState current = document_->state();
  runInBackground<ImageState>(
      this,
      [current, edit]() { return editedState(current, edit); },
      [this, edit](const Outcome<ImageState>& outcome) {
        editing_ = false;
        if (outcome.value) {
          const bool rotation = edit == Edit::RotateClockwise || edit == Edit::RotateCounterClockwise;
          pushState(*outcome.value, rotation ? CommandId::Rotate : CommandId::Flip, editCommandText(edit));
        } else {
          showError(tr("The edit failed: %1").arg(outcome.error));
        }
        updateActions();
      });
}

void MainWindow::cropToSelection() {
  const QRect selection = compare_->firstPane()->selection().united(compare_->secondPane()->selection());
  if (!document_->hasPhoto() || selection.isEmpty()) {
    showError(tr("Select a rectangle first: Shift-drag over the picture."));
    return;
  }
  if (runner_->isRunning() || editing_) return;
  editing_ = true;
  updateActions();
  const ImageState current = document_->state();
  runInBackground<ImageState>(
      this,
      [current, selection]() { return croppedState(current, selection); },
      [this, selection](const Outcome<ImageState>& outcome) {
        editing_ = false;
        if (outcome.value) {
          compare_->firstPane()->clearSelection();
          compare_->secondPane()->clearSelection();
          pushState(*outcome.value, CommandId::Crop, cropCommandText(selection.size()));
        } else {
          showError(tr("The crop failed: %1").arg(outcome.error));
        }
        updateActions();
      });
}

void MainWindow::showAbout() {
  QString devices;
  for (const DeviceInfo& device : available_devices())
    devices += QStringLiteral("<li>%1 (%2)</li>").arg(QString::fromStdString(device.description), QString::fromStdString(device.name));
  QMessageBox::about(this, tr("About Restora"),
                     tr("<h3>Restora %1</h3><p>Photo restoration with deep networks: MPRNet, MIRNet, MIRNet-v2, "
                        "HINet and SSEN.</p><p>Qt %2, LibTorch %3; %4 inference thread(s) on %5 core(s).</p>"
                        "<p>Devices:</p><ul>%6</ul>")
                         .arg(QString::fromStdString(version()), QString::fromLatin1(qVersion()),
                              QString::fromStdString(torch_version()))
                         .arg(configured_threads())
                         .arg(hardware_cores())
                         .arg(devices));
}

}  // namespace restora::ui
