#include "models/model_registry.h"

#include "checkpoint/checkpoint.h"
#include "common/error.h"
#include "common/user_dirs.h"
#include "models/sha256.h"
#include "nets/network_factory.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <set>

namespace restora {
namespace {

using nlohmann::json;

[[noreturn]] void bad_manifest(const std::filesystem::path& manifest, const std::string& what) {
  throw Error(ErrorKind::BadInput, "model manifest " + manifest.string() + ": " + what);
}

ArgValue to_arg(const json& value) {
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_number_integer()) return value.get<int64_t>();
  if (value.is_number()) return value.get<double>();
  if (value.is_string()) return value.get<std::string>();
  return std::monostate{};
}

ModelTraining read_training(const json& j) {
  ModelTraining t;
  t.data = j.value("data", "");
  t.degradation = j.value("degradation", "");
  t.iterations = j.value("iterations", int64_t{0});
  t.sessions = j.value("sessions", int64_t{0});
  t.wall_seconds = j.value("wall_seconds", 0.0);
  if (j.contains("validation_psnr"))
    for (const auto& item : j.at("validation_psnr").items()) t.validation_psnr[item.key()] = item.value().get<double>();
  t.config = j.value("config", "");
  t.status = j.value("status", "");
  return t;
}

const std::set<std::string> kTasks = {"denoise", "deblur", "derain", "jpeg", "lowlight", "sr", "refsr", "defocus"};

ModelEntry read_entry(const json& j, const std::filesystem::path& manifest, const std::string& origin) {
  ModelEntry e;
  try {
    e.id = j.at("id").get<std::string>();
    e.network.network = j.at("network").get<std::string>();
    const json args = j.value("args", json::object());  // held: items() of a temporary would dangle
    for (const auto& item : args.items()) e.network.args[item.key()] = to_arg(item.value());
    e.task = j.at("task").get<std::string>();
    e.scale = j.value("scale", int64_t{1});
    e.file = j.at("file").get<std::string>();
    e.sha256 = j.at("sha256").get<std::string>();
    e.size = j.at("size").get<int64_t>();
    if (j.contains("inference")) {
      e.tile = j.at("inference").value("tile", int64_t{0});
      e.overlap = j.at("inference").value("overlap", int64_t{0});
    }
    if (j.contains("training")) e.training = read_training(j.at("training"));
    e.notes = j.value("notes", "");
  } catch (const json::exception& error) {
    bad_manifest(manifest, "an entry lacks a field or has a wrong type (" + std::string(error.what()) + ")");
  }
  if (e.id.empty() || e.id.find_first_of(" /\\") != std::string::npos) bad_manifest(manifest, "bad id '" + e.id + "'");
  if (e.tile < 0 || e.overlap < 0 || (e.tile > 0 && 2 * e.overlap >= e.tile))
    bad_manifest(manifest, "model " + e.id + ": inference tile must be positive and over twice its overlap");
  if (!kTasks.count(e.task)) bad_manifest(manifest, "model " + e.id + ": unknown task '" + e.task + "'");
  if (e.sha256.size() != 64) bad_manifest(manifest, "model " + e.id + ": sha256 must be 64 hex digits");
  if (std::filesystem::path(e.file).is_absolute() || e.file.find("..") != std::string::npos)
    bad_manifest(manifest, "model " + e.id + ": file must be a path inside the manifest's folder");
  e.origin = origin;
  e.manifest = manifest;
  e.path = manifest.parent_path() / e.file;
  return e;
}

std::filesystem::path executable_dir() {
  std::error_code error;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::filesystem::path() : exe.parent_path();
}

}  // namespace

const char* to_string(ChecksumStatus status) {
  switch (status) {
    case ChecksumStatus::Ok: return "ok";
    case ChecksumStatus::Changed: return "CHANGED";
    case ChecksumStatus::Missing: return "MISSING";
  }
  return "?";
}

std::vector<ModelEntry> read_manifest(const std::filesystem::path& manifest, const std::string& origin) {
  std::error_code error;
  if (!std::filesystem::exists(manifest, error)) return {};
  std::ifstream in(manifest);
  json j;
  try {
    j = json::parse(in);
  } catch (const json::exception& e) {
    bad_manifest(manifest, std::string("not valid JSON (") + e.what() + ")");
  }
  if (!j.is_object() || !j.contains("models") || !j.at("models").is_array())
    bad_manifest(manifest, "expected an object with a \"models\" array");
  std::vector<ModelEntry> entries;
  for (const auto& item : j.at("models")) entries.push_back(read_entry(item, manifest, origin));
  return entries;
}

ModelRegistry::ModelRegistry(const std::vector<std::pair<std::filesystem::path, std::string>>& folders) {
  for (const auto& [folder, origin] : folders) {
    for (auto& entry : read_manifest(folder / "models.json", origin)) {
      if (const auto* earlier = find(entry.id)) {
        warnings_.push_back("model id " + entry.id + " of " + entry.manifest.string() + " is ignored: " +
                            earlier->manifest.string() + " already defines it");
        continue;
      }
      models_.push_back(std::move(entry));
    }
  }
}

ModelRegistry ModelRegistry::discover() {
  return ModelRegistry({{bundled_models_dir(), "bundled"}, {user_models_dir(), "user"}});
}

const ModelEntry* ModelRegistry::find(const std::string& id) const {
  for (const auto& model : models_)
    if (model.id == id) return &model;
  return nullptr;
}

const ModelEntry& ModelRegistry::get(const std::string& id) const {
  if (const auto* model = find(id)) return *model;
  std::string known;
  for (const auto& model : models_) known += (known.empty() ? "" : ", ") + model.id;
  throw Error(ErrorKind::BadUsage, "unknown model id '" + id + "' (known: " + (known.empty() ? "none" : known) +
                                       "; 'restora-cli models' lists them, --weights FILE.pth takes any checkpoint)");
}

std::filesystem::path bundled_models_dir() {
  if (const char* dir = std::getenv("RESTORA_MODELS_DIR"); dir && *dir) return dir;
  std::error_code error;
  const auto installed = executable_dir().parent_path() / "share" / "restora" / "models";
  if (std::filesystem::exists(installed / "models.json", error)) return installed;
  return std::filesystem::path(RESTORA_SOURCE_MODELS_DIR);
}

std::filesystem::path user_models_dir() { return user_data_dir() / "models"; }

ChecksumStatus verify_checksum(const ModelEntry& entry) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(entry.path, error)) return ChecksumStatus::Missing;
  const auto size = std::filesystem::file_size(entry.path, error);
  if (error || static_cast<int64_t>(size) != entry.size) return ChecksumStatus::Changed;
  return sha256_file(entry.path) == entry.sha256 ? ChecksumStatus::Ok : ChecksumStatus::Changed;
}

LoadedModel load_registered_model(const ModelEntry& entry) {
  const auto status = verify_checksum(entry);
  if (status == ChecksumStatus::Missing)
    throw Error(ErrorKind::BadInput, "model " + entry.id + ": its file " + entry.path.string() + " is missing");
  if (status == ChecksumStatus::Changed)
    throw Error(ErrorKind::BadInput, "model " + entry.id + ": " + entry.path.string() +
                                         " does not match the SHA-256 and size in " + entry.manifest.string() +
                                         " (the file changed or is damaged): refusing to load it");
  const Checkpoint checkpoint = read_checkpoint(entry.path);
  LoadedModel model;
  model.network = make_network(entry.network);
  try {
    load_state_dict(*model.network, checkpoint.state_dict);
  } catch (const Error& error) {
    throw Error(ErrorKind::BadInput, "model " + entry.id + ": " + error.what());
  }
  model.detection.recognised = true;
  model.detection.spec = entry.network;
  model.detection.scale = entry.scale;
  model.traits.network = entry.network.network;
  model.traits.task = entry.task;
  model.traits.scale = entry.scale;
  model.traits.dual_pixel = model.network->input_channels() == 6;
  model.traits.tile = entry.tile;
  model.traits.overlap = entry.overlap;
  model.notes = checkpoint.notes;
  return model;
}

}  // namespace restora
