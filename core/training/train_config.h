#pragma once
#include "nets/network_spec.h"
#include "training/batch_source.h"
#include "training/losses.h"
#include "training/optimizer.h"
#include "training/photo_dataset.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace restora {

/// Validation every `every` iterations on the first `images` photos (sorted by name) of a folder
/// of clean images, whole, each degraded with every spec under a fixed seed per image.
struct ValidationConfig {
  std::filesystem::path folder;
  std::string suffix;  ///< only files whose name ends with this (e.g. "_HR.png" in Set5/x4); "" = every image
  int64_t every = 2000;
  int64_t images = 8;
  std::vector<std::string> degradations;
  uint64_t seed = 0;
};

/// Everything one training run is: docs/TRAINING.md describes the JSON file it is read from.
/// Relative paths in the file are relative to the folder that holds the file.
struct TrainConfig {
  std::filesystem::path file;
  std::string name;   ///< the run's name: its resume state lives in <state root>/<name>/
  std::string task;   ///< manifest task: denoise, sr, jpeg, deblur, ...
  NetworkSpec network;
  PhotoDatasetOptions data;
  std::string degradation;
  std::vector<BatchStage> batches;
  std::vector<LossTerm> loss;
  AdamOptions adam;
  double lr = 2e-4;
  double lr_min = 1e-7;
  int64_t warmup = 0;
  double grad_clip = 0;  ///< max global gradient norm; 0: no clipping
  int64_t iterations = 0;
  uint64_t seed = 0;
  int64_t log_every = 50;
  int64_t checkpoint_every = 500;
  ValidationConfig validation;
  /// Committed weights (written by train, with an "iterations" metadata entry) that --resume
  /// starts from when no resume state exists: same iteration, fresh optimiser moments.
  std::filesystem::path warm_start;
  /// Weights of a network of the same shape (another scale's or task's model) that a fresh run
  /// starts from instead of random ones: fine-tuning. The run still counts from iteration 0.
  std::filesystem::path init_from;
  /// Reference-based networks: iterations over which the same-scene references grow from aligned
  /// to the full synthetic transform, quadratically (0: full from the start). Offsets start at zero and a 3x3
  /// deformable tap only has a gradient within a pixel or two, so matches far off at first teach
  /// the network to ignore the reference.
  int64_t reference_curriculum = 0;
  std::string canonical;  ///< the parsed file re-serialised (sorted keys), notes and warm_start left out: what a resume compares
};

/// Reads and checks a training config. Throws restora::Error(BadInput) naming the file and the
/// field for unreadable JSON, unknown or missing fields and out-of-range values.
TrainConfig load_train_config(const std::filesystem::path& file);

}  // namespace restora
