#include "engine/model_loader.h"

#include "checkpoint/checkpoint.h"
#include "common/error.h"
#include "nets/network_factory.h"

#include <torch/torch.h>

namespace restora {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

}  // namespace

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
