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
  /// --net-arg NAME=VALUE: constructor arguments the weights cannot tell (HINet's relu_slope),
  /// VALUE spelled as in Python (0.2, True, None, 'text').
  std::vector<std::pair<std::string, std::string>> net_args;
};

struct LoadedModel {
  std::shared_ptr<RestorationNetworkImpl> network;
  ModelTraits traits;
  Detection detection;
  std::vector<std::string> notes;     ///< from reading and detection, for the user
};

/// Checkpoint -> detection -> configuration -> network -> strict load. Throws restora::Error:
/// BadInput for files that are not checkpoints of a supported network or do not load,
/// BadUsage for hints that contradict the file or --net-args the file determines or does not have.
/// Every argument the weights cannot tell and --net-arg does not give is named in a note.
LoadedModel load_model(const ModelRequest& request);

/// Sets the --net-arg values (NAME, Python literal) in a recognised detection's spec. Returns a
/// note for every argument the weights cannot tell that none of them gives (its assumed default).
/// Throws Error(BadUsage) for names the network lacks or the weights determine, and bad values.
std::vector<std::string> apply_net_args(const std::vector<std::pair<std::string, std::string>>& net_args,
                                        Detection& detection);

}  // namespace restora
