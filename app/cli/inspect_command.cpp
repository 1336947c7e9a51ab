// `restora-cli inspect FILE`: which network a .pth file holds, with which constructor arguments.
#include "checkpoint/checkpoint.h"
#include "checkpoint/network_detection.h"
#include "cli/model_options.h"
#include "engine/model_loader.h"
#include "cli/arg_parser.h"
#include "cli/command_registry.h"
#include "common/error.h"
#include "nets/official_configs.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace restora::cli {
namespace {

nlohmann::json arg_json(const ArgValue& value) {
  struct Visitor {
    nlohmann::json operator()(std::monostate) const { return nullptr; }
    nlohmann::json operator()(bool b) const { return b; }
    nlohmann::json operator()(int64_t i) const { return i; }
    nlohmann::json operator()(double d) const { return d; }
    nlohmann::json operator()(const std::string& s) const { return s; }
  };
  return std::visit(Visitor{}, value);
}

std::string python_call(const NetworkSpec& spec) {
  std::string text = spec.network + "(";
  bool first = true;
  for (const auto& [name, value] : spec.args) {
    text += (first ? "" : ", ") + name + "=" + to_python_literal(value);
    first = false;
  }
  return text + ")";
}

std::string joined(const std::vector<std::string>& items, const std::string& empty) {
  if (items.empty()) return empty;
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

nlohmann::json report_json(const std::string& file, const Checkpoint& checkpoint, const Detection& d) {
  nlohmann::json out;
  out["file"] = file;
  out["recognised"] = d.recognised;
  out["network"] = d.spec.network;
  nlohmann::json args = nlohmann::json::object();
  for (const auto& [name, value] : d.spec.args) args[name] = arg_json(value);
  out["constructor_args"] = args;
  out["constructor_call"] = python_call(d.spec);
  out["candidate_tasks"] = d.candidate_tasks;
  out["undetermined_args"] = d.undetermined_args;
  out["scale"] = d.scale;
  out["tensors"] = checkpoint.state_dict.size();
  out["elements"] = count_elements(checkpoint.state_dict);
  out["unique_parameters"] = count_unique_parameters(checkpoint.state_dict);
  out["format"] = checkpoint.format;
  out["container_key"] = checkpoint.container_key;
  out["notes"] = checkpoint.notes;
  if (!d.recognised) {
    out["reason"] = d.reason;
    out["differing_keys"] = {{"missing", d.diff.missing},
                             {"unexpected", d.diff.unexpected},
                             {"mismatched", d.diff.mismatched},
                             {"total", d.diff.total()},
                             {"examples", d.diff.examples}};
  }
  return out;
}

void print_text(const std::string& file, const Checkpoint& checkpoint, const Detection& d) {
  std::cout << "file:               " << file << '\n';
  if (d.recognised) {
    std::cout << "network:            " << d.spec.network << '\n'
              << "candidate tasks:    " << joined(d.candidate_tasks, "none (not an official configuration)") << '\n'
              << "constructor:        " << python_call(d.spec) << '\n';
    if (!d.undetermined_args.empty()) {
      std::cout << "not in the shapes:  " << joined(d.undetermined_args, "") << " (shown: "
                << (d.candidate_tasks.empty() ? "official defaults" : "the candidates' values, else defaults")
                << "; narrow with --task/--scale)\n";
    }
    if (d.scale != 1) std::cout << "scale:              x" << d.scale << '\n';
  } else {
    std::cout << "network:            not recognised (nearest: " << d.spec.network << ", " << d.diff.total()
              << " keys differ)\n";
  }
  std::cout << "tensors:            " << checkpoint.state_dict.size() << '\n'
            << "unique parameters:  " << count_unique_parameters(checkpoint.state_dict) << '\n'
            << "elements:           " << count_elements(checkpoint.state_dict) << '\n'
            << "format:             " << checkpoint.format << '\n'
            << "container key:      " << (checkpoint.container_key.empty() ? "(bare state dict)" : checkpoint.container_key)
            << '\n';
  for (const std::string& note : checkpoint.notes) std::cout << "note:               " << note << '\n';
}

int run_inspect(const std::vector<std::string>& args) {
  ArgParser parser("restora-cli inspect FILE [--json] [--key K] [--task T] [--scale N]",
                   "Tell which network a PyTorch checkpoint holds, from its key names and shapes alone:\n"
                   "network, official tasks it fits, constructor arguments, parameter counts.\n"
                   "Exit 0 when recognised, 2 when not (or unreadable).");
  parser.positional("FILE", "the .pth checkpoint")
      .flag("json", 'j', "print one JSON object instead of text")
      .option("key", 'k', "K", "container entry holding the weights (params, params_ema, state_dict, ...)")
      .option("task", 't', "T", "the official task the file was trained for (narrows the candidates)")
      .option("scale", 's', "N", "super-resolution scale the file was trained for")
      .option("net-arg", 0, "NAME=VALUE", "a constructor argument the weights cannot tell, e.g. relu_slope=0.1 (repeatable)");
  const ParsedArgs parsed = parser.parse(args);
  if (parsed.has("help")) {
    std::cout << parser.help();
    return 0;
  }
  const std::string file = parsed.positionals().at(0);
  CheckpointReadOptions options;
  options.key = parsed.optional_value("key");
  DetectionHints hints;
  hints.task = parsed.optional_value("task");
  if (parsed.has("scale")) hints.scale = parsed.int_value("scale", 1, 1, 16);

  const Checkpoint checkpoint = read_checkpoint(file, options);
  Detection detection = detect_network(tensor_infos(checkpoint.state_dict), hints);
  if (detection.recognised) apply_net_args(net_args(parsed), detection);
  if (parsed.has("json")) {
    std::cout << report_json(file, checkpoint, detection).dump(2) << '\n';
  } else {
    print_text(file, checkpoint, detection);
  }
  if (!detection.recognised) {
    std::cerr << "restora-cli: " << file << ": " << describe_mismatch(detection) << '\n';
    return 2;
  }
  return 0;
}

const CommandRegistration registration({"inspect", "tell which network a checkpoint holds", run_inspect});

}  // namespace
}  // namespace restora::cli
