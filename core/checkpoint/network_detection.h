#pragma once
#include "checkpoint/state_dict.h"
#include "nets/network_spec.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace restora {

/// What the caller knows that shapes cannot tell: which official task the file was trained
/// for (an id of nets/official_configs.h, e.g. "sr_x3", "gopro") and the SR scale.
struct DetectionHints {
  std::optional<std::string> task;
  std::optional<int64_t> scale;
};

/// How a state dict differs from the names and shapes a network configuration expects.
struct KeyDiff {
  int64_t missing = 0;     ///< expected, absent
  int64_t unexpected = 0;  ///< present, not expected
  int64_t mismatched = 0;  ///< present and expected, with another shape
  std::vector<std::string> examples;  ///< the first few differences, one short phrase each
  int64_t total() const { return missing + unexpected + mismatched; }
};

struct Detection {
  /// True when the names and shapes are exactly those of one network configuration.
  bool recognised = false;
  /// Recognised: the network and its constructor arguments (all of them; what the shapes cannot
  /// tell is the value the candidate tasks share, else the official default). Otherwise: the
  /// nearest network and its closest configuration.
  NetworkSpec spec;
  /// Official task ids whose configuration has exactly these names and shapes (after hints).
  /// Empty for a recognised but non-official configuration.
  std::vector<std::string> candidate_tasks;
  /// Arguments the shapes cannot tell (e.g. HINet relu_slope, MIRNet-v2 scale), in spec.args
  /// with the value explained above.
  std::vector<std::string> undetermined_args;
  int64_t scale = 1;  ///< SR factor: from the hint or the candidates, else 1
  /// Not recognised: "not a checkpoint of a supported network".
  std::string reason;
  /// Against the best-matching configuration of spec.network (all zero when recognised).
  KeyDiff diff;
};

/// Tells the network and its constructor arguments from state-dict names and shapes alone (a
/// leading "module." is ignored). Works for any width and depth, not only the official ones.
/// Throws restora::Error(BadUsage) when a hint contradicts the shapes or names no official
/// configuration of the detected network; hints are ignored for an unrecognised dict.
Detection detect_network(const std::vector<TensorInfo>& tensors, const DetectionHints& hints = {});

/// Names and shapes of `tensors` against `expected` (leading "module." ignored on both sides).
KeyDiff diff_state_dict(const std::vector<TensorInfo>& tensors, const std::vector<TensorInfo>& expected);

/// One line for messages: "not a checkpoint of a supported network (nearest: HINet, 3 keys
/// differ: 1 missing, 2 unexpected, 0 with another shape; e.g. missing last.bias)".
std::string describe_mismatch(const Detection& detection);

/// Sum of numel over every entry (shared storages counted once per name).
int64_t count_elements(const StateDict& state_dict);
int64_t count_elements(const std::vector<TensorInfo>& tensors);

/// Sum of numel over distinct tensors: entries with the same storage, offset and numel (the
/// shared PReLU of MPRNet, the repeated DAUs of MIRNet) count once.
int64_t count_unique_parameters(const StateDict& state_dict);

}  // namespace restora
