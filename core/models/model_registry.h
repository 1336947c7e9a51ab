#pragma once
#include "engine/model_loader.h"
#include "nets/network_spec.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace restora {

/// Training facts of a model as its manifest records them (see docs/MODELS.md).
struct ModelTraining {
  std::string data;            ///< training sets
  std::string degradation;     ///< e.g. gaussian:0-55
  int64_t iterations = 0;
  int64_t sessions = 0;
  double wall_seconds = 0;
  std::map<std::string, double> validation_psnr;  ///< "CBSD68 gaussian:25" -> dB
  std::string config;          ///< the committed training config, relative to the manifest
  std::string status;          ///< "done" or "still training"
};

/// One model of a models.json manifest.
struct ModelEntry {
  std::string id;        ///< network-task[-xN][-variant], e.g. hinet-denoise-lite
  NetworkSpec network;   ///< class name and constructor arguments (official names)
  std::string task;      ///< denoise, deblur, derain, jpeg, lowlight, sr, refsr, defocus
  int64_t scale = 1;
  std::string file;      ///< relative to the manifest's folder
  std::string sha256;    ///< of the file, lowercase hex
  int64_t size = 0;      ///< bytes
  int64_t tile = 0;      ///< "inference": {"tile", "overlap"}: see ModelTraits::tile
  int64_t overlap = 0;
  ModelTraining training;
  std::string notes;
  std::string origin;              ///< "bundled" or "user"
  std::filesystem::path path;      ///< the file, resolved
  std::filesystem::path manifest;  ///< the manifest it came from
};

enum class ChecksumStatus { Ok, Changed, Missing };
const char* to_string(ChecksumStatus status);

/// Bundled models (resources/models/models.json) and the user's ($XDG_DATA_HOME/restora/models/
/// models.json), in that order. A missing manifest is an empty one; an unreadable one throws
/// restora::Error(BadInput) naming it and the field. An id listed twice keeps its first entry
/// (bundled wins) and the duplicate is reported in warnings().
class ModelRegistry {
 public:
  /// The default places: bundled_models_dir() and user_models_dir().
  static ModelRegistry discover();
  /// Explicit manifest folders with their origin names (tests, tools).
  explicit ModelRegistry(const std::vector<std::pair<std::filesystem::path, std::string>>& folders);

  const std::vector<ModelEntry>& models() const { return models_; }
  const std::vector<std::string>& warnings() const { return warnings_; }
  const ModelEntry* find(const std::string& id) const;
  /// find() or restora::Error(BadUsage) naming the id and how to list the known ones.
  const ModelEntry& get(const std::string& id) const;

 private:
  std::vector<ModelEntry> models_;
  std::vector<std::string> warnings_;
};

/// Folder of the bundled models: $RESTORA_MODELS_DIR when set, else <prefix>/share/restora/models
/// beside an installed executable, else the source tree's resources/models.
std::filesystem::path bundled_models_dir();
/// user_data_dir() / "models".
std::filesystem::path user_models_dir();

/// Reads one manifest (its entries' paths resolved against its folder).
std::vector<ModelEntry> read_manifest(const std::filesystem::path& manifest, const std::string& origin);

/// Compares the file's SHA-256 and size with the entry.
ChecksumStatus verify_checksum(const ModelEntry& entry);

/// The model ready to run: checksum verified (a changed or missing file is refused with
/// restora::Error(BadInput) saying so), the network built from the manifest's spec, weights loaded
/// strictly, traits from the manifest (task, scale).
LoadedModel load_registered_model(const ModelEntry& entry);

}  // namespace restora
