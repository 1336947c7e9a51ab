#include "checkpoint/network_detection.h"

#include "checkpoint/network_detection_args.h"
#include "checkpoint/network_detection_layouts.h"
#include "common/error.h"
#include "nets/official_configs.h"

#include <algorithm>
#include <set>
#include <sstream>
#include <tuple>

namespace restora {
namespace {

constexpr const char* kNetworks[] = {"MPRNet", "MIRNet", "MIRNet_v2", "HINet", "SSEN"};
constexpr size_t kMaxExamples = 6;

std::string strip_module(const std::string& name) {
  static const std::string prefix = "module.";
  return name.compare(0, prefix.size(), prefix) == 0 ? name.substr(prefix.size()) : name;
}

ShapeMap shape_map(const std::vector<TensorInfo>& tensors) {
  ShapeMap shapes;
  for (const TensorInfo& info : tensors) shapes[strip_module(info.name)] = info.shape;
  return shapes;
}

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

KeyDiff diff_shapes(const ShapeMap& actual, const ShapeMap& expected) {
  KeyDiff diff;
  const auto note = [&diff](std::string text) {
    if (diff.examples.size() < kMaxExamples) diff.examples.push_back(std::move(text));
  };
  for (const auto& [name, shape] : expected) {
    const auto it = actual.find(name);
    if (it == actual.end()) {
      ++diff.missing;
      note("missing " + name);
    } else if (it->second != shape) {
      ++diff.mismatched;
      note(name + " is " + shape_text(it->second) + ", expected " + shape_text(shape));
    }
  }
  for (const auto& [name, shape] : actual) {
    if (expected.count(name) == 0) {
      ++diff.unexpected;
      note("unexpected " + name);
    }
  }
  return diff;
}

/// One configuration tried against the dict.
struct Trial {
  NetworkSpec spec;
  KeyDiff diff;
  const OfficialConfig* official = nullptr;  ///< null: the configuration derived from the shapes
};

std::optional<Trial> try_spec(const NetworkSpec& spec, const ShapeMap& actual, const OfficialConfig* official) {
  try {
    return Trial{spec, diff_shapes(actual, shape_map(expected_state_dict(spec))), official};
  } catch (const Error&) {
    return std::nullopt;  // arguments no network can be built with: not a candidate
  }
}

struct NetworkTrials {
  DerivedArgs derived;
  std::vector<Trial> trials;  ///< derived first, then every official configuration

  const Trial* best() const {
    const Trial* best = nullptr;
    for (const Trial& trial : trials) {
      if (best == nullptr || trial.diff.total() < best->diff.total()) best = &trial;
    }
    return best;
  }
};

NetworkTrials run_trials(const std::string& network, const ShapeMap& actual) {
  NetworkTrials out{derive_args(network, actual), {}};
  if (auto trial = try_spec(out.derived.spec, actual, nullptr)) out.trials.push_back(std::move(*trial));
  for (const OfficialConfig* config : official_configs_of(network)) {
    if (auto trial = try_spec(config->spec(), actual, config)) out.trials.push_back(std::move(*trial));
  }
  return out;
}

std::string args_text(const ArgMap& args) {
  std::string text;
  for (const auto& [name, value] : args) text += (text.empty() ? "" : ", ") + name + "=" + to_python_literal(value);
  return text;
}

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

std::string fits_text(const Detection& d) {
  return d.candidate_tasks.empty() ? "which is no official configuration"
                                   : "which fits the official " + join(d.candidate_tasks);
}

/// Recognised: the official tasks with exactly these shapes, and the values they agree on for
/// what the shapes cannot tell.
void fill_candidates(Detection& d, const NetworkTrials& trials) {
  std::vector<const OfficialConfig*> matching;
  for (const Trial& trial : trials.trials) {
    if (trial.official != nullptr && trial.diff.total() == 0) matching.push_back(trial.official);
  }
  for (const OfficialConfig* config : matching) d.candidate_tasks.push_back(config->task);
  if (matching.empty()) return;
  for (const std::string& name : d.undetermined_args) {
    const auto value = matching.front()->args.find(name);
    if (value == matching.front()->args.end()) continue;
    const bool shared = std::all_of(matching.begin(), matching.end(), [&](const OfficialConfig* c) {
      const auto it = c->args.find(name);
      return it != c->args.end() && it->second == value->second;
    });
    if (shared) d.spec.args[name] = value->second;
  }
  const int64_t scale = matching.front()->scale;
  if (std::all_of(matching.begin(), matching.end(), [&](const OfficialConfig* c) { return c->scale == scale; })) {
    d.scale = scale;
  }
}

void apply_task_hint(Detection& d, const std::string& task) {
  const OfficialConfig* config = find_official_config(d.spec.network, task);
  if (config == nullptr) {
    throw Error(ErrorKind::BadUsage, "--task " + task + " is not an official " + d.spec.network +
                                         " configuration (known: " + official_task_list(d.spec.network) + ")");
  }
  if (std::find(d.candidate_tasks.begin(), d.candidate_tasks.end(), config->task) == d.candidate_tasks.end()) {
    throw Error(ErrorKind::BadUsage, "--task " + task + " contradicts the file: it holds " + d.spec.network + "(" +
                                         args_text(d.spec.args) + "), " + fits_text(d));
  }
  d.candidate_tasks = {config->task};
  d.spec.args = config->args;
  d.scale = config->scale;
}

void apply_scale_hint(Detection& d, int64_t scale) {
  if (scale < 1) throw Error(ErrorKind::BadUsage, "--scale " + std::to_string(scale) + " must be 1 or more");
  if (d.spec.network == "SSEN") {  // the scale is in the shapes (space-to-depth head)
    if (scale != d.scale)
      throw Error(ErrorKind::BadUsage, "--scale " + std::to_string(scale) + " contradicts the file: it holds an SSEN x" +
                                           std::to_string(d.scale));
    return;
  }
  const bool has_sr = d.spec.network == "MIRNet" || d.spec.network == "MIRNet_v2";
  if (!has_sr && scale != 1) {
    throw Error(ErrorKind::BadUsage, "--scale " + std::to_string(scale) + " contradicts the file: " +
                                         d.spec.network + " has no super-resolution configuration");
  }
  std::vector<std::string> kept;
  for (const std::string& task : d.candidate_tasks) {
    if (find_official_config(d.spec.network, task)->scale == scale) kept.push_back(task);
  }
  if (!d.candidate_tasks.empty() && kept.empty()) {
    throw Error(ErrorKind::BadUsage, "--scale " + std::to_string(scale) + " contradicts the file: it fits the official " +
                                         join(d.candidate_tasks) + ", none of them x" + std::to_string(scale));
  }
  d.candidate_tasks = kept;
  if (kept.size() == 1) d.spec.args = find_official_config(d.spec.network, kept.front())->args;
  if (d.spec.network == "MIRNet_v2") d.spec.args["scale"] = scale;
  d.scale = scale;
}

}  // namespace

KeyDiff diff_state_dict(const std::vector<TensorInfo>& tensors, const std::vector<TensorInfo>& expected) {
  return diff_shapes(shape_map(tensors), shape_map(expected));
}

Detection detect_network(const std::vector<TensorInfo>& tensors, const DetectionHints& hints) {
  const ShapeMap actual = shape_map(tensors);
  std::optional<NetworkTrials> nearest;
  const Trial* nearest_trial = nullptr;
  for (const char* network : kNetworks) {
    NetworkTrials trials = run_trials(network, actual);
    const Trial* best = trials.best();
    if (best == nullptr) continue;
    if (nearest_trial == nullptr || best->diff.total() < nearest_trial->diff.total()) {
      const auto offset = best - trials.trials.data();
      nearest = std::move(trials);
      nearest_trial = nearest->trials.data() + offset;
    }
  }

  Detection d;
  if (nearest_trial == nullptr) {  // cannot happen: the official configurations always build
    d.reason = "not a checkpoint of a supported network";
    return d;
  }
  d.spec = nearest_trial->spec;
  d.diff = nearest_trial->diff;
  if (d.diff.total() != 0 || actual.empty()) {
    d.reason = "not a checkpoint of a supported network";
    return d;
  }
  d.recognised = true;
  d.undetermined_args = nearest->derived.undetermined;
  fill_candidates(d, *nearest);
  if (d.spec.network == "SSEN") d.scale = arg_int(d.spec.args, "scale", 4);
  if (hints.task) apply_task_hint(d, *hints.task);
  if (hints.scale) apply_scale_hint(d, *hints.scale);
  return d;
}

std::string describe_mismatch(const Detection& d) {
  if (d.recognised) return "recognised as " + d.spec.network;
  std::ostringstream out;
  out << d.reason << " (nearest: " << d.spec.network << ", " << d.diff.total() << " keys differ: " << d.diff.missing
      << " missing, " << d.diff.unexpected << " unexpected, " << d.diff.mismatched << " with another shape";
  if (!d.diff.examples.empty()) out << "; e.g. " << d.diff.examples.front();
  out << ")";
  return out.str();
}

int64_t count_elements(const std::vector<TensorInfo>& tensors) {
  int64_t total = 0;
  for (const TensorInfo& info : tensors) {
    int64_t n = 1;
    for (const int64_t size : info.shape) n *= size;
    total += n;
  }
  return total;
}

int64_t count_elements(const StateDict& state_dict) {
  int64_t total = 0;
  for (const auto& [name, tensor] : state_dict.entries()) {
    if (tensor.defined()) total += tensor.numel();
  }
  return total;
}

int64_t count_unique_parameters(const StateDict& state_dict) {
  std::set<std::tuple<const void*, int64_t, int64_t>> seen;
  int64_t total = 0;
  for (const auto& [name, tensor] : state_dict.entries()) {
    if (!tensor.defined()) continue;
    const void* storage = tensor.has_storage() ? static_cast<const void*>(tensor.storage().unsafeGetStorageImpl())
                                               : static_cast<const void*>(tensor.unsafeGetTensorImpl());
    if (seen.emplace(storage, tensor.storage_offset(), tensor.numel()).second) total += tensor.numel();
  }
  return total;
}

}  // namespace restora
