#pragma once
#include <QWidget>

#include "engine/job.h"

#include <string>

class QCheckBox;
class QComboBox;
class QPushButton;
class QSpinBox;
class QLabel;

namespace restora::ui {

class ModelCatalog;

/// The Restore dock: task -> the models for it -> options -> Run / Cancel. It only collects
/// choices; the main window starts and stops the job.
class RestorePanel : public QWidget {
  Q_OBJECT

 public:
  RestorePanel(ModelCatalog* catalog, QWidget* parent = nullptr);

  QString taskId() const;
  /// The chosen model's catalogue id; empty when the task has none yet.
  QString modelId() const;
  void selectModel(const QString& id);
  std::string device() const;
  /// The engine options chosen: tiles (automatic from the memory budget, a manual size and
  /// overlap, or the whole image), precision, self-ensemble and the device.
  restora::JobOptions jobOptions() const;
  void setRunning(bool running);
  void setCanRun(bool has_photo);

 Q_SIGNALS:
  void runRequested();
  void cancelRequested();
  void useCheckpointRequested();

 private:
  void fillModels();
  void updateButtons();
  QWidget* makeOptions();

  ModelCatalog* catalog_;
  QComboBox* task_;
  QComboBox* model_;
  QLabel* no_model_;
  QComboBox* device_;
  QComboBox* tile_mode_;
  QSpinBox* tile_size_;
  QSpinBox* overlap_;
  int manual_tile_ = 512;    ///< the manual tile and overlap, kept while the boxes show "auto"
  int manual_overlap_ = 32;
  QComboBox* precision_;
  QCheckBox* ensemble_;
  QPushButton* run_;
  QPushButton* cancel_;
  bool running_ = false;
  bool has_photo_ = false;
};

}  // namespace restora::ui
