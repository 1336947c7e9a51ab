#pragma once
#include "image_edits.h"
#include "image_state.h"
#include "undo_ids.h"

#include <QElapsedTimer>
#include <QMainWindow>

class QAction;
class QActionGroup;
class QDockWidget;
class QLabel;
class QProgressBar;
class QStackedWidget;
class QToolBar;
class QToolButton;
class QUndoStack;

namespace restora::ui {

class CompareView;
class MetricsPresenter;
class ModelCatalog;
class PhotoDocument;
class RecentFiles;
class RestorePanel;
class RestoreRunner;

/// The application window: menus File / Edit / Restore / View / Help, a toolbar, the compare view (or the
/// first-run hint), the Restore and History docks and a status bar with progress, ETA and Cancel.
/// Slow work (decoding, restoring, edits, saving) runs off the GUI thread.
class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  QUndoStack* undoStack() const { return undo_stack_; }
  PhotoDocument* document() const { return document_; }
  CompareView* compareView() const { return compare_; }
  RestoreRunner* runner() const { return runner_; }
  ModelCatalog* catalog() const { return catalog_; }
  RestorePanel* restorePanel() const { return panel_; }
  MetricsPresenter* metrics() const { return metrics_; }
  /// The last error shown to the user (status bar), for tests.
  QString lastError() const { return last_error_; }

  /// Decodes the photo off the GUI thread; ends in PhotoDocument::opened() or an error message.
  void openPhoto(const QString& path);
  void loadGroundTruth(const QString& path);
  void useCheckpoint(const QString& path);
  /// Saves the after picture; `quality` (JPEG, WebP) < 1 means the last one chosen (95 at first).
  void savePhoto(const QString& path, int quality = 0);
  /// The JPEG/WebP quality Save As offers: the last one chosen, 95 at first (QSettings).
  static int savedQuality();
  void runRestoration();
  void cancelRestoration();
  void applyEditToPhoto(Edit edit);
  void cropToSelection();

 Q_SIGNALS:
  /// An operation failed; the message is also in the status bar.
  void errorShown(const QString& message);
  void saved(const QString& path);
  void groundTruthLoaded();

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void createActions();
  void createMenus();
  void createDocks();
  void createToolBar();
  void createStatusBar();
  void readSettings();
  void writeSettings() const;

  void openDialog();
  void saveAsDialog();
  void groundTruthDialog();
  void checkpointDialog();
  void paste();
  void copyResult();
  void showAbout();

  void showError(const QString& message);
  void onStateChanged();
  void onProgress(double fraction);
  void onRestored(const ImageState& result);
  void onRunEnded();
  void updateActions();
  void pushState(ImageState state, CommandId id, const QString& text);

  PhotoDocument* document_;
  QUndoStack* undo_stack_;
  ModelCatalog* catalog_;
  RestoreRunner* runner_;
  CompareView* compare_;
  MetricsPresenter* metrics_;
  QStackedWidget* centre_;
  QLabel* empty_state_;
  RestorePanel* panel_ = nullptr;
  QDockWidget* restore_dock_ = nullptr;
  QDockWidget* history_dock_ = nullptr;
  QToolBar* toolbar_ = nullptr;
  RecentFiles* recent_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* eta_ = nullptr;
  QToolButton* status_cancel_ = nullptr;
  QElapsedTimer run_clock_;
  QString run_model_name_;
  QString last_error_;
  bool editing_ = false;

  struct Actions {
    QAction* open = nullptr;
    QAction* save_as = nullptr;
    QAction* ground_truth = nullptr;
    QAction* quit = nullptr;
    QAction* undo = nullptr;
    QAction* redo = nullptr;
    QAction* history = nullptr;
    QAction* copy = nullptr;
    QAction* paste = nullptr;
    QAction* rotate_cw = nullptr;
    QAction* rotate_ccw = nullptr;
    QAction* flip_h = nullptr;
    QAction* flip_v = nullptr;
    QAction* crop = nullptr;
    QAction* use_checkpoint = nullptr;
    QAction* run = nullptr;
    QAction* cancel = nullptr;
    QActionGroup* modes = nullptr;
    QAction* flip_shown = nullptr;
    QAction* zoom_in = nullptr;
    QAction* zoom_out = nullptr;
    QAction* fit = nullptr;
    QAction* actual = nullptr;
    QAction* about = nullptr;
  } actions_;
};

}  // namespace restora::ui
