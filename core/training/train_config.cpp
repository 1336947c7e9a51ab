#include "training/train_config.h"

#include "common/error.h"
#include "training/degradation.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <set>

namespace restora {
namespace {

using nlohmann::json;

class ConfigReader {
 public:
  explicit ConfigReader(std::filesystem::path file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(ErrorKind::BadInput, "training config " + file_.string() + ": " + what);
  }

  /// Refuses fields outside `known` (a typo must not silently fall back to a default).
  void only(const json& object, const std::string& where, const std::set<std::string>& known) const {
    if (!object.is_object()) fail(where + " must be an object");
    for (const auto& item : object.items())
      if (!known.count(item.key())) fail("unknown field '" + where + (where.empty() ? "" : ".") + item.key() + "'");
  }

  template <typename T>
  T get(const json& object, const std::string& key, const std::string& where, const T& fallback,
        bool required = false) const {
    if (!object.contains(key)) {
      if (required) fail("missing field '" + where + key + "'");
      return fallback;
    }
    try {
      return object.at(key).get<T>();
    } catch (const json::exception&) {
      fail("field '" + where + key + "' has the wrong type");
    }
  }

  std::filesystem::path path(const std::string& text) const {
    std::filesystem::path p(text);
    return p.is_absolute() ? p : (file_.parent_path() / p).lexically_normal();
  }

 private:
  std::filesystem::path file_;
};

ArgValue to_arg(const ConfigReader& reader, const std::string& name, const json& value) {
  if (value.is_null()) return std::monostate{};
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_number_integer()) return value.get<int64_t>();
  if (value.is_number()) return value.get<double>();
  if (value.is_string()) return value.get<std::string>();
  reader.fail("network argument '" + name + "' must be null, a bool, a number or a string");
}

void read_network(const ConfigReader& r, const json& j, TrainConfig& c) {
  r.only(j, "network", {"type", "args"});
  c.network.network = r.get<std::string>(j, "type", "network.", "", true);
  // The argument names are checked by the network factory, which knows each network's.
  if (j.contains("args") && !j.at("args").is_object()) r.fail("network.args must be an object");
}

void read_network_args(const ConfigReader& r, const json& j, TrainConfig& c) {
  if (!j.contains("args")) return;
  for (const auto& item : j.at("args").items()) c.network.args[item.key()] = to_arg(r, item.key(), item.value());
}

void read_data(const ConfigReader& r, const json& j, TrainConfig& c) {
  r.only(j, "data", {"root", "folders", "channels", "max_side", "min_patch_std"});
  const auto root = r.path(r.get<std::string>(j, "root", "data.", "."));
  const auto folders = r.get<std::vector<std::string>>(j, "folders", "data.", {}, true);
  if (folders.empty()) r.fail("data.folders is empty");
  for (const auto& folder : folders) c.data.folders.push_back((root / folder).lexically_normal());
  c.data.channels = r.get<int64_t>(j, "channels", "data.", 3);
  c.data.max_side = r.get<int64_t>(j, "max_side", "data.", 1000);
  c.data.min_patch_std = r.get<double>(j, "min_patch_std", "data.", 0.02);
  if (c.data.channels != 1 && c.data.channels != 3) r.fail("data.channels must be 1 or 3");
  if (c.data.max_side < 64) r.fail("data.max_side must be at least 64");
}

void read_batches(const ConfigReader& r, const json& j, TrainConfig& c) {
  if (!j.is_array() || j.empty()) r.fail("batches must be a non-empty array");
  for (const auto& stage : j) {
    r.only(stage, "batches[]", {"from", "batch", "patch"});
    BatchStage s;
    s.from_iteration = r.get<int64_t>(stage, "from", "batches[].", 0);
    s.batch = r.get<int64_t>(stage, "batch", "batches[].", 0, true);
    s.patch = r.get<int64_t>(stage, "patch", "batches[].", 0, true);
    if (s.batch < 1 || s.patch < 8) r.fail("batches[]: batch must be >= 1 and patch >= 8");
    c.batches.push_back(s);
  }
}

void read_loss(const ConfigReader& r, const json& j, TrainConfig& c) {
  if (!j.is_array() || j.empty()) r.fail("loss must be a non-empty array");
  for (const auto& term : j) {
    r.only(term, "loss[]", {"kind", "weight"});
    c.loss.push_back({r.get<std::string>(term, "kind", "loss[].", "", true), r.get<double>(term, "weight", "loss[].", 1.0)});
  }
  try {
    check_loss_terms(c.loss);
  } catch (const Error& e) {
    r.fail(e.what());
  }
}

void read_optimizer(const ConfigReader& r, const json& j, TrainConfig& c) {
  r.only(j, "optimizer", {"lr", "lr_min", "betas", "eps", "weight_decay", "warmup", "grad_clip", "lr_scale"});
  c.lr = r.get<double>(j, "lr", "optimizer.", 2e-4);
  c.lr_min = r.get<double>(j, "lr_min", "optimizer.", 1e-7);
  const auto betas = r.get<std::vector<double>>(j, "betas", "optimizer.", {0.9, 0.999});
  if (betas.size() != 2 || betas[0] < 0 || betas[0] >= 1 || betas[1] < 0 || betas[1] >= 1)
    r.fail("optimizer.betas must be two numbers in [0, 1)");
  c.adam.beta1 = betas[0];
  c.adam.beta2 = betas[1];
  c.adam.eps = r.get<double>(j, "eps", "optimizer.", 1e-8);
  c.adam.weight_decay = r.get<double>(j, "weight_decay", "optimizer.", 0.0);
  c.warmup = r.get<int64_t>(j, "warmup", "optimizer.", 0);
  c.grad_clip = r.get<double>(j, "grad_clip", "optimizer.", 0.0);
  for (const auto& [key, factor] : r.get<std::map<std::string, double>>(j, "lr_scale", "optimizer.", {})) {
    if (key.empty() || !(factor >= 0 && factor <= 10)) r.fail("optimizer.lr_scale: parameter-name keys with factors in [0, 10]");
    c.adam.lr_scales.emplace_back(key, factor);
  }
  if (!(c.lr > 0) || c.lr_min < 0 || c.lr_min > c.lr) r.fail("optimizer: need lr > 0 and 0 <= lr_min <= lr");
  if (c.warmup < 0 || c.grad_clip < 0) r.fail("optimizer: warmup and grad_clip must not be negative");
}

void read_validation(const ConfigReader& r, const json& j, TrainConfig& c) {
  r.only(j, "validation", {"root", "folder", "suffix", "every", "images", "degradations", "seed"});
  const auto root = r.path(r.get<std::string>(j, "root", "validation.", "."));
  c.validation.folder = (root / r.get<std::string>(j, "folder", "validation.", "", true)).lexically_normal();
  c.validation.suffix = r.get<std::string>(j, "suffix", "validation.", "");
  c.validation.every = r.get<int64_t>(j, "every", "validation.", 2000);
  c.validation.images = r.get<int64_t>(j, "images", "validation.", 8);
  c.validation.degradations = r.get<std::vector<std::string>>(j, "degradations", "validation.", {}, true);
  c.validation.seed = r.get<uint64_t>(j, "seed", "validation.", 0);
  if (c.validation.every < 1 || c.validation.images < 1) r.fail("validation: every and images must be >= 1");
  for (const auto& spec : c.validation.degradations) {
    try {
      parse_degradation(spec);
    } catch (const Error& e) {
      r.fail(std::string("validation: ") + e.what());
    }
  }
}

}  // namespace

TrainConfig load_train_config(const std::filesystem::path& file) {
  ConfigReader r(file);
  std::ifstream in(file);
  if (!in) throw Error(ErrorKind::BadInput, "training config " + file.string() + " cannot be read");
  json j;
  try {
    j = json::parse(in);
  } catch (const json::exception& e) {
    r.fail(std::string("not valid JSON (") + e.what() + ")");
  }
  r.only(j, "", {"name", "task", "network", "data", "degradation", "batches", "loss", "optimizer", "iterations", "seed",
                 "log_every", "checkpoint_every", "validation", "notes", "warm_start", "init_from",
                 "reference_curriculum"});
  TrainConfig c;
  c.file = file;
  c.name = r.get<std::string>(j, "name", "", "", true);
  if (c.name.empty() || c.name.find_first_of("/\\ ") != std::string::npos || c.name[0] == '.')
    r.fail("name must be a non-empty file name without slashes or spaces");
  c.task = r.get<std::string>(j, "task", "", "", true);
  if (!j.contains("network")) r.fail("missing field 'network'");
  read_network(r, j.at("network"), c);
  read_network_args(r, j.at("network"), c);
  if (!j.contains("data")) r.fail("missing field 'data'");
  read_data(r, j.at("data"), c);
  c.degradation = r.get<std::string>(j, "degradation", "", "", true);
  try {
    parse_degradation(c.degradation);
  } catch (const Error& e) {
    r.fail(e.what());
  }
  if (!j.contains("batches")) r.fail("missing field 'batches'");
  read_batches(r, j.at("batches"), c);
  if (!j.contains("loss")) r.fail("missing field 'loss'");
  read_loss(r, j.at("loss"), c);
  read_optimizer(r, j.value("optimizer", json::object()), c);
  c.iterations = r.get<int64_t>(j, "iterations", "", 0, true);
  c.seed = r.get<uint64_t>(j, "seed", "", 0);
  c.log_every = r.get<int64_t>(j, "log_every", "", 50);
  c.checkpoint_every = r.get<int64_t>(j, "checkpoint_every", "", 500);
  if (c.iterations < 1 || c.log_every < 1 || c.checkpoint_every < 1)
    r.fail("iterations, log_every and checkpoint_every must be >= 1");
  if (c.warmup >= c.iterations) r.fail("optimizer.warmup must be below iterations");
  c.reference_curriculum = r.get<int64_t>(j, "reference_curriculum", "", 0);
  if (c.reference_curriculum < 0 || c.reference_curriculum > c.iterations)
    r.fail("reference_curriculum must lie in 0..iterations");
  if (!j.contains("validation")) r.fail("missing field 'validation'");
  read_validation(r, j.at("validation"), c);
  if (j.contains("warm_start")) c.warm_start = r.path(r.get<std::string>(j, "warm_start", "", ""));
  if (j.contains("init_from")) c.init_from = r.path(r.get<std::string>(j, "init_from", "", ""));
  // Notes are free text and warm_start only says where a run without state begins: either may
  // change between sessions without breaking a resume.
  j.erase("notes");
  j.erase("warm_start");
  c.canonical = j.dump();
  return c;
}

}  // namespace restora
