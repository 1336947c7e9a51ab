#pragma once
#include "checkpoint/network_detection.h"
#include "engine/restorer.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace restora {

/// A checkpoint file and what the user says about it where the shapes cannot tell.
struct ModelRequest {
  std::filesystem::path weights;
  std::optional<std::string> key;     ///< --key: container entry holding the weights
  std::optional<std::string> task;    ///< --task: an official task id
  std::optional<int64_t> scale;       ///< --scale: SR factor
};

struct LoadedModel {
  std::shared_ptr<RestorationNetworkImpl> network;
  ModelTraits traits;
  Detection detection;
  std::vector<std::string> notes;     ///< from reading and detection, for the user
};

/// Checkpoint -> detection -> configuration -> network -> strict load. Throws restora::Error:
/// BadInput for files that are not checkpoints of a supported network or do not load,
/// BadUsage for hints that contradict the file.
LoadedModel load_model(const ModelRequest& request);

}  // namespace restora
