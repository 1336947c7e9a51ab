#include "restore_panel.h"

#include "model_catalog.h"

#include "runtime/devices.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace restora::ui {

RestorePanel::RestorePanel(ModelCatalog* catalog, QWidget* parent)
    : QWidget(parent),
      catalog_(catalog),
      task_(new QComboBox(this)),
      model_(new QComboBox(this)),
      no_model_(new QLabel(this)),
      device_(new QComboBox(this)),
      tile_mode_(new QComboBox(this)),
      tile_size_(new QSpinBox(this)),
      overlap_(new QSpinBox(this)),
      precision_(new QComboBox(this)),
      ensemble_(new QCheckBox(tr("Self-ensemble (8 flips and rotations)"), this)),
      run_(new QPushButton(tr("Run"), this)),  // no mnemonic: Alt+R opens the Restore menu
      cancel_(new QPushButton(tr("Cancel"), this)) {
  setObjectName(QStringLiteral("restorePanel"));
  for (const RestoreTask& task : restoreTasks()) task_->addItem(task.label, task.id);
  task_->setObjectName(QStringLiteral("taskBox"));
  model_->setObjectName(QStringLiteral("modelBox"));
  run_->setObjectName(QStringLiteral("runButton"));
  cancel_->setObjectName(QStringLiteral("cancelButton"));
  no_model_->setWordWrap(true);
  no_model_->setText(tr("No model for this task yet. Use a checkpoint (.pth) of MPRNet, MIRNet, MIRNet-v2 "
                        "or HINet as downloaded from its authors."));
  auto* use_checkpoint = new QPushButton(tr("Use checkpoint…"), this);
  use_checkpoint->setObjectName(QStringLiteral("useCheckpointButton"));

  auto* layout = new QVBoxLayout(this);
  auto* choice = new QFormLayout;
  choice->addRow(tr("&Task:"), task_);
  choice->addRow(tr("&Model:"), model_);
  layout->addLayout(choice);
  layout->addWidget(no_model_);
  layout->addWidget(use_checkpoint);
  layout->addWidget(makeOptions());
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(run_);
  buttons->addWidget(cancel_);
  layout->addLayout(buttons);
  layout->addStretch(1);

  connect(task_, &QComboBox::currentIndexChanged, this, &RestorePanel::fillModels);
  connect(catalog_, &ModelCatalog::changed, this, &RestorePanel::fillModels);
  connect(use_checkpoint, &QPushButton::clicked, this, &RestorePanel::useCheckpointRequested);
  connect(run_, &QPushButton::clicked, this, &RestorePanel::runRequested);
  connect(cancel_, &QPushButton::clicked, this, &RestorePanel::cancelRequested);
  fillModels();
}

QWidget* RestorePanel::makeOptions() {
  auto* box = new QGroupBox(tr("Options"), this);
  auto* form = new QFormLayout(box);
  for (const DeviceInfo& device : available_devices())
    device_->addItem(QString::fromStdString(device.description), QString::fromStdString(device.name));
  form->addRow(tr("&Device:"), device_);
  // The whole-image Restorer has no tiles, precisions or ensemble yet: these stay visible but
  // disabled until the engine's job API provides them, so nobody believes they take effect.
  const QString later = tr("Needs the engine's tiled job API, which this build does not have yet.");
  tile_mode_->addItems({tr("Whole image")});
  tile_size_->setRange(64, 4096);
  tile_size_->setValue(512);
  overlap_->setRange(0, 256);
  overlap_->setValue(32);
  precision_->addItems({QStringLiteral("fp32")});
  for (QWidget* unsupported : std::initializer_list<QWidget*>{tile_size_, overlap_, ensemble_}) {
    unsupported->setEnabled(false);
    unsupported->setToolTip(later);
  }
  form->addRow(tr("T&iles:"), tile_mode_);
  form->addRow(tr("Tile &size:"), tile_size_);
  form->addRow(tr("&Overlap:"), overlap_);
  form->addRow(tr("&Precision:"), precision_);
  form->addRow(ensemble_);
  return box;
}

QString RestorePanel::taskId() const { return task_->currentData().toString(); }
QString RestorePanel::modelId() const { return model_->currentData().toString(); }
std::string RestorePanel::device() const { return device_->currentData().toString().toStdString(); }

void RestorePanel::selectModel(const QString& id) {
  const ModelEntry* entry = catalog_->find(id);
  if (entry == nullptr) return;
  if (!entry->tasks.isEmpty() && !entry->tasks.contains(taskId()))
    task_->setCurrentIndex(task_->findData(entry->tasks.front()));
  model_->setCurrentIndex(model_->findData(id));
}

void RestorePanel::fillModels() {
  const QString kept = modelId();
  model_->clear();
  for (const ModelEntry* entry : catalog_->modelsFor(taskId())) model_->addItem(entry->label, entry->id);
  const int index = model_->findData(kept);
  if (index >= 0) model_->setCurrentIndex(index);
  no_model_->setVisible(model_->count() == 0);
  updateButtons();
}

void RestorePanel::setRunning(bool running) {
  running_ = running;
  updateButtons();
}

void RestorePanel::setCanRun(bool has_photo) {
  has_photo_ = has_photo;
  updateButtons();
}

void RestorePanel::updateButtons() {
  run_->setEnabled(!running_ && has_photo_ && model_->count() > 0);
  cancel_->setEnabled(running_);
}

}  // namespace restora::ui
