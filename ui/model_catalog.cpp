#include "model_catalog.h"

#include "background.h"

#include "engine/model_loader.h"
#include "models/model_registry.h"

#include <QFileInfo>

namespace restora::ui {

std::vector<RestoreTask> restoreTasks() {
  return {{QStringLiteral("denoise"), ModelCatalog::tr("Denoise")},
          {QStringLiteral("deblur"), ModelCatalog::tr("Deblur")},
          {QStringLiteral("derain"), ModelCatalog::tr("Derain")},
          {QStringLiteral("jpeg"), ModelCatalog::tr("JPEG artefacts")},
          {QStringLiteral("lowlight"), ModelCatalog::tr("Low light")},
          {QStringLiteral("sr"), ModelCatalog::tr("Super-resolution")},
          {QStringLiteral("refsr"), ModelCatalog::tr("Reference SR")},
          {QStringLiteral("defocus"), ModelCatalog::tr("Defocus (dual-pixel)")}};
}

QString taskForOfficialTask(const QString& official) {
  const QString task = official.toLower();
  if (task.startsWith(QLatin1String("defocus"))) return QStringLiteral("defocus");
  if (task.contains(QLatin1String("denois"))) return QStringLiteral("denoise");
  if (task.contains(QLatin1String("deblur"))) return QStringLiteral("deblur");
  if (task.contains(QLatin1String("derain"))) return QStringLiteral("derain");
  if (task.contains(QLatin1String("jpeg"))) return QStringLiteral("jpeg");
  if (task.startsWith(QLatin1String("enhancement")) || task.contains(QLatin1String("lowlight")))
    return QStringLiteral("lowlight");
  if (task.startsWith(QLatin1String("refsr"))) return QStringLiteral("refsr");
  if (task.startsWith(QLatin1String("sr"))) return QStringLiteral("sr");
  return {};
}

ModelCatalog::ModelCatalog(QObject* parent) : QObject(parent) {}

void ModelCatalog::add(ModelEntry entry) {
  const QString id = entry.id;
  for (ModelEntry& existing : entries_) {
    if (existing.id == id) {
      existing = std::move(entry);
      Q_EMIT changed();
      Q_EMIT added(id);
      return;
    }
  }
  entries_.push_back(std::move(entry));
  Q_EMIT changed();
  Q_EMIT added(id);
}

std::vector<const ModelEntry*> ModelCatalog::modelsFor(const QString& task) const {
  std::vector<const ModelEntry*> models;
  for (const ModelEntry& entry : entries_)
    if (entry.tasks.isEmpty() || entry.tasks.contains(task)) models.push_back(&entry);
  return models;
}

const ModelEntry* ModelCatalog::find(const QString& id) const {
  for (const ModelEntry& entry : entries_)
    if (entry.id == id) return &entry;
  return nullptr;
}

void ModelCatalog::loadCheckpoint(const QString& path) {
  runInBackground<std::shared_ptr<const LoadedModel>>(
      this,
      [path]() {
        ModelRequest request;
        request.weights = path.toStdString();
        return std::make_shared<const LoadedModel>(load_model(request));
      },
      [this, path](const Outcome<std::shared_ptr<const LoadedModel>>& outcome) {
        if (!outcome.value) {
          Q_EMIT failed(outcome.error);
          return;
        }
        const auto& model = *outcome.value;
        ModelEntry entry;
        entry.id = QFileInfo(path).absoluteFilePath();
        entry.label = tr("%1 (%2)").arg(QString::fromStdString(model->traits.network), QFileInfo(path).fileName());
        for (const std::string& official : model->detection.candidate_tasks) {
          const QString task = taskForOfficialTask(QString::fromStdString(official));
          if (!task.isEmpty() && !entry.tasks.contains(task)) entry.tasks << task;
        }
        entry.model = model;
        add(std::move(entry));
      });
}

void ModelCatalog::keepLoaded(const QString& id, std::shared_ptr<const restora::LoadedModel> model) {
  for (ModelEntry& entry : entries_)
    if (entry.id == id && !entry.model) entry.model = std::move(model);
}

void ModelCatalog::loadRegistered() {
  runInBackground<std::shared_ptr<std::vector<ModelEntry>>>(
      this,
      []() {
        auto entries = std::make_shared<std::vector<ModelEntry>>();
        const restora::ModelRegistry registry = restora::ModelRegistry::discover();
        for (const restora::ModelEntry& registered : registry.models()) {
          ModelEntry entry;
          entry.id = QString::fromStdString(registered.id);
          entry.label = tr("%1: %2 (%3)")
                            .arg(QString::fromStdString(registered.network.network), QString::fromStdString(registered.id),
                                 registered.origin == "bundled" ? tr("bundled") : tr("yours"));
          entry.tasks << QString::fromStdString(registered.task);
          entry.load = [registered]() { return std::make_shared<const LoadedModel>(load_registered_model(registered)); };
          entries->push_back(std::move(entry));
        }
        return entries;
      },
      [this](const Outcome<std::shared_ptr<std::vector<ModelEntry>>>& outcome) {
        if (!outcome.value) {
          Q_EMIT failed(outcome.error);
          return;
        }
        const auto& loaded = **outcome.value;
        for (auto it = loaded.rbegin(); it != loaded.rend(); ++it)
          if (!find(it->id)) entries_.insert(entries_.begin(), *it);
        Q_EMIT changed();
      });
}

}  // namespace restora::ui
