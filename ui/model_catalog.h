#pragma once
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

namespace restora {
struct LoadedModel;
}

namespace restora::ui {

/// A task the Restore panel offers (id as in the model ids: denoise, deblur, ...).
struct RestoreTask {
  QString id;
  QString label;
};

/// The tasks in the order the panel lists them.
std::vector<RestoreTask> restoreTasks();

/// The panel's task id for an official task name of a checkpoint ("enhancement_lol" -> "lowlight").
QString taskForOfficialTask(const QString& official_task);

/// A model the panel offers: a checkpoint the user picked for this session (loaded at once, so a
/// bad file is reported when it is picked), or a registry model (loaded on its first run).
struct ModelEntry {
  QString id;        ///< unique in the catalogue (the checkpoint's path for session checkpoints)
  QString label;     ///< for people: "HINet (weights.pth)"
  QStringList tasks; ///< panel task ids it fits; empty: the file cannot tell, offered for every task
  std::shared_ptr<const restora::LoadedModel> model;  ///< null until loaded
  /// Loads the model (checksum, build, strict load; throws restora::Error) when `model` is null.
  std::function<std::shared_ptr<const restora::LoadedModel>()> load;
};

/// The models the Restore panel can offer.
class ModelCatalog : public QObject {
  Q_OBJECT

 public:
  explicit ModelCatalog(QObject* parent = nullptr);

  /// Adds or replaces (same id) a model.
  void add(ModelEntry entry);
  std::vector<const ModelEntry*> modelsFor(const QString& task) const;
  const ModelEntry* find(const QString& id) const;

  /// Loads a checkpoint (detection, strict load) off the GUI thread; ends in added() or failed().
  void loadCheckpoint(const QString& path);
  /// Lists the registry's models (bundled, then the user's) off the GUI thread and puts them first,
  /// so the default model of each task is preselected; emits changed(), not added(). Only the
  /// manifests are read: each model's weights are loaded by its first run.
  void loadRegistered();
  /// Keeps a model loaded by a run, so the next run does not load it again.
  void keepLoaded(const QString& id, std::shared_ptr<const restora::LoadedModel> model);

 Q_SIGNALS:
  void changed();
  void added(const QString& id);
  void failed(const QString& message);

 private:
  std::vector<ModelEntry> entries_;
};

}  // namespace restora::ui
