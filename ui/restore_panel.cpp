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
  // Long model names must not widen the dock past a third of the window: the box elides them.
  for (QComboBox* box : {task_, model_, device_, tile_mode_, precision_}) {
    box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    box->setMinimumContentsLength(14);
  }
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
  tile_mode_->addItem(tr("Automatic (fits the memory)"), QStringLiteral("auto"));
  tile_mode_->addItem(tr("Manual"), QStringLiteral("manual"));
  tile_mode_->addItem(tr("Whole image"), QStringLiteral("whole"));
  tile_size_->setRange(32, 4096);
  tile_size_->setValue(512);
  tile_size_->setSuffix(tr(" px"));
  overlap_->setRange(0, 256);
  overlap_->setValue(32);
  overlap_->setSuffix(tr(" px"));
  // Outside manual mode the boxes show "auto" rather than a size that is not the one used (the
  // engine takes the model's calibrated tile or what fits the memory); the manual values come back.
  tile_size_->setSpecialValueText(tr("auto"));
  overlap_->setSpecialValueText(tr("auto"));
  const auto manual_only = [this] {
    const bool manual = tile_mode_->currentData().toString() == QLatin1String("manual");
    if (manual == tile_size_->isEnabled()) return;
    if (manual) {
      tile_size_->setMinimum(32);
      overlap_->setMinimum(0);
      tile_size_->setValue(manual_tile_);
      overlap_->setValue(manual_overlap_);
    } else {  // leaving manual mode (the boxes are still enabled): keep its values
      manual_tile_ = tile_size_->value();
      manual_overlap_ = overlap_->value();
      tile_size_->setMinimum(31);
      overlap_->setMinimum(-1);
      tile_size_->setValue(31);
      overlap_->setValue(-1);
    }
    tile_size_->setEnabled(manual);
    overlap_->setEnabled(manual);
  };
  connect(tile_mode_, qOverload<int>(&QComboBox::currentIndexChanged), this, manual_only);
  manual_only();
  precision_->addItem(tr("Automatic"), QStringLiteral("auto"));
  precision_->addItem(QStringLiteral("fp32"), QStringLiteral("fp32"));
  precision_->addItem(QStringLiteral("bf16"), QStringLiteral("bf16"));
  ensemble_->setToolTip(tr("Average eight flipped and rotated runs: slightly better, eight times slower."));
  form->addRow(tr("T&iles:"), tile_mode_);
  form->addRow(tr("Tile &size:"), tile_size_);
  form->addRow(tr("&Overlap:"), overlap_);
  form->addRow(tr("&Precision:"), precision_);
  form->addRow(ensemble_);
  return box;
}

restora::JobOptions RestorePanel::jobOptions() const {
  restora::JobOptions options;
  options.device = torch::Device(device());
  const QString mode = tile_mode_->currentData().toString();
  if (mode == QLatin1String("whole")) options.tiling.tile = 0;
  if (mode == QLatin1String("manual")) {
    options.tiling.tile = tile_size_->value();
    options.tiling.overlap = overlap_->value();
  }
  const QString precision = precision_->currentData().toString();
  options.precision = precision == QLatin1String("fp32")   ? restora::Precision::fp32
                      : precision == QLatin1String("bf16") ? restora::Precision::bf16
                                                           : restora::Precision::automatic;
  options.ensemble = ensemble_->isChecked();
  return options;
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
  for (const ModelEntry* entry : catalog_->modelsFor(taskId())) {
    model_->addItem(entry->label, entry->id);
    model_->setItemData(model_->count() - 1, entry->label, Qt::ToolTipRole);  // in full where the box elides it
  }
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
