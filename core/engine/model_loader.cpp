#include "engine/model_loader.h"

#include "checkpoint/checkpoint.h"
#include "common/error.h"
#include "nets/network_factory.h"

#include <torch/torch.h>

#include <algorithm>

namespace restora {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

/// A Python literal as --net-arg spells it, typed like the argument's current value.
ArgValue parse_net_arg(const std::string& name, const std::string& text, const ArgValue& current) {
  const auto bad = [&](const std::string& expected) {
    return Error(ErrorKind::BadUsage, "--net-arg " + name + "=" + text + ": expected " + expected);
  };
  if (text == "None") return std::monostate{};
  if (std::holds_alternative<bool>(current)) {
    if (text == "True") return true;
    if (text == "False") return false;
    throw bad("True or False");
  }
  if (std::holds_alternative<int64_t>(current) || std::holds_alternative<double>(current)) {
    size_t used = 0;
    try {
      if (std::holds_alternative<int64_t>(current)) {
        const long long number = std::stoll(text, &used);
        if (used == text.size()) return static_cast<int64_t>(number);
      } else {
        const double number = std::stod(text, &used);
        if (used == text.size()) return number;
      }
    } catch (const std::exception&) {
    }
    throw bad(std::holds_alternative<int64_t>(current) ? "a whole number" : "a number");
  }
  std::string value = text;
  if (value.size() >= 2 && (value.front() == '\'' || value.front() == '"') && value.back() == value.front())
    value = value.substr(1, value.size() - 2);
  return value;
}

}  // namespace

std::vector<std::string> apply_net_args(const std::vector<std::pair<std::string, std::string>>& net_args,
                                        Detection& detection) {
  const auto& undetermined = detection.undetermined_args;
  std::vector<std::string> given;
  for (const auto& [name, text] : net_args) {
    const auto found = detection.spec.args.find(name);
    if (found == detection.spec.args.end())
      throw Error(ErrorKind::BadUsage, "--net-arg " + name + ": " + detection.spec.network + " has no such constructor argument");
    if (std::find(undetermined.begin(), undetermined.end(), name) == undetermined.end())
      throw Error(ErrorKind::BadUsage, "--net-arg " + name + ": the weights determine it (" +
                                           to_python_literal(found->second) + ")");
    found->second = parse_net_arg(name, text, found->second);
    given.push_back(name);
  }
  std::vector<std::string> notes;
  for (const auto& name : undetermined) {
    if (std::find(given.begin(), given.end(), name) != given.end()) continue;
    const auto found = detection.spec.args.find(name);
    if (found == detection.spec.args.end()) continue;
    notes.push_back("assumed " + name + "=" + to_python_literal(found->second) +
                    " (the weights cannot tell; pass --net-arg " + name + "=VALUE if it was trained with another)");
  }
  return notes;
}

LoadedModel load_model(const ModelRequest& request) {
  CheckpointReadOptions read_options;
  read_options.key = request.key;
  Checkpoint checkpoint = read_checkpoint(request.weights, read_options);

  LoadedModel model;
  model.notes = checkpoint.notes;
  model.detection = detect_network(tensor_infos(checkpoint.state_dict), DetectionHints{request.task, request.scale});
  const Detection& detection = model.detection;
  if (!detection.recognised)
    throw Error(ErrorKind::BadInput, "'" + request.weights.string() + "': " + describe_mismatch(detection));

  for (auto& note : apply_net_args(request.net_args, model.detection)) model.notes.push_back(std::move(note));
  model.network = make_network(detection.spec);
  try {
    load_state_dict(*model.network, checkpoint.state_dict);
  } catch (const Error& error) {
    throw Error(ErrorKind::BadInput, "'" + request.weights.string() + "': " + error.what());
  }

  model.traits.network = detection.spec.network;
  if (detection.candidate_tasks.size() == 1) model.traits.task = detection.candidate_tasks.front();
  model.traits.scale = detection.scale;
  model.traits.dual_pixel = model.network->input_channels() == 6;
  if (detection.candidate_tasks.size() > 1) {
    std::string note = "the file fits several official tasks (" + join(detection.candidate_tasks) + ")";
    if (!request.task && !request.scale) note += "; restoring at scale " + std::to_string(detection.scale) +
                                                 " (pass --task or --scale to choose)";
    model.notes.push_back(note);
  }
  return model;
}

}  // namespace restora
