#include "training/run_state.h"

#include "checkpoint/checkpoint.h"
#include "common/error.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <fstream>
#include <sstream>

namespace restora {

StateDict module_state(const torch::nn::Module& module) {
  StateDict state;
  for (const auto& item : module.named_parameters(true))
    if (item.value().defined()) state.insert(item.key(), item.value().detach().cpu());
  for (const auto& item : module.named_buffers(true))
    if (item.value().defined()) state.insert(item.key(), item.value().detach().cpu());
  return state;
}

void write_text_atomically(const std::filesystem::path& path, const std::string& text) {
  const auto temporary = path.string() + ".partial";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw Error(ErrorKind::Failed, "cannot write " + temporary);
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) throw Error(ErrorKind::Failed, "cannot replace " + path.string() + ": " + error.message());
}

void save_run_state(const std::filesystem::path& run_dir, RunState state, const StateDict& weights,
                    const StateDict& optimizer) {
  std::filesystem::create_directories(run_dir);
  const auto previous = load_run_state(run_dir);
  const std::string tag = std::to_string(state.iteration);
  state.weights_file = "weights-" + tag + ".pth";
  state.optimizer_file = "optimizer-" + tag + ".pth";
  write_checkpoint(run_dir / state.weights_file, weights, {{"iteration", tag}});
  write_checkpoint(run_dir / state.optimizer_file, optimizer, {{"adam_steps", std::to_string(state.adam_steps)}});
  nlohmann::json j = {{"iteration", state.iteration},       {"adam_steps", state.adam_steps},
                      {"wall_seconds", state.wall_seconds}, {"sessions", state.sessions},
                      {"best_psnr", state.best_psnr},       {"best_iteration", state.best_iteration},
                      {"config", state.config},             {"weights_file", state.weights_file},
                      {"optimizer_file", state.optimizer_file}};
  write_text_atomically(run_dir / "state.json", j.dump(2) + "\n");
  if (previous && previous->weights_file != state.weights_file) {
    std::error_code ignored;
    std::filesystem::remove(run_dir / previous->weights_file, ignored);
    std::filesystem::remove(run_dir / previous->optimizer_file, ignored);
  }
}

std::optional<RunState> load_run_state(const std::filesystem::path& run_dir) {
  const auto file = run_dir / "state.json";
  std::error_code error;
  if (!std::filesystem::exists(file, error)) return std::nullopt;
  std::ifstream in(file);
  try {
    const auto j = nlohmann::json::parse(in);
    RunState s;
    s.iteration = j.at("iteration").get<int64_t>();
    s.adam_steps = j.at("adam_steps").get<int64_t>();
    s.wall_seconds = j.at("wall_seconds").get<double>();
    s.sessions = j.at("sessions").get<int64_t>();
    s.best_psnr = j.at("best_psnr").get<double>();
    s.best_iteration = j.at("best_iteration").get<int64_t>();
    s.config = j.at("config").get<std::string>();
    s.weights_file = j.at("weights_file").get<std::string>();
    s.optimizer_file = j.at("optimizer_file").get<std::string>();
    return s;
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorKind::BadInput, "resume state " + file.string() + " is unreadable (" + e.what() + ")");
  }
}

}  // namespace restora
