#include "checkpoint/state_dict.h"

#include "checkpoint/checkpoint.h"
#include "common/error.h"

#include <torch/torch.h>

#include <sstream>

namespace restora {

void StateDict::insert(std::string name, torch::Tensor tensor) {
  for (auto& entry : entries_) {
    if (entry.first == name) {
      entry.second = std::move(tensor);
      return;
    }
  }
  entries_.emplace_back(std::move(name), std::move(tensor));
}

const torch::Tensor* StateDict::find(const std::string& name) const {
  for (const auto& entry : entries_)
    if (entry.first == name) return &entry.second;
  return nullptr;
}

std::vector<TensorInfo> tensor_infos(const StateDict& state_dict) {
  std::vector<TensorInfo> out;
  out.reserve(state_dict.size());
  for (const auto& [name, tensor] : state_dict.entries()) out.push_back({name, tensor.sizes().vec()});
  return out;
}

namespace {

std::string shape_text(c10::IntArrayRef sizes) {
  std::ostringstream s;
  s << sizes;
  return s.str();
}

/// "3 missing (a, b, c)" listing at most `shown` names.
std::string summarize(const std::vector<std::string>& names, const char* what) {
  constexpr size_t kShown = 5;
  std::string out = std::to_string(names.size()) + " " + what + " (";
  for (size_t i = 0; i < names.size() && i < kShown; ++i) out += (i ? ", " : "") + names[i];
  return out + (names.size() > kShown ? ", ...)" : ")");
}

}  // namespace

void load_state_dict(torch::nn::Module& module, const StateDict& state_dict) {
  std::vector<std::pair<std::string, torch::Tensor>> targets;
  for (const auto& item : module.named_parameters(true))
    if (item.value().defined()) targets.emplace_back(item.key(), item.value());
  for (const auto& item : module.named_buffers(true))
    if (item.value().defined()) targets.emplace_back(item.key(), item.value());

  std::vector<std::string> missing, unexpected, mismatched;
  std::unordered_map<std::string, bool> wanted;
  for (const auto& [name, target] : targets) {
    wanted[name] = true;
    const torch::Tensor* source = state_dict.find(name);
    if (!source)
      missing.push_back(name);
    else if (source->sizes() != target.sizes())
      mismatched.push_back(name + ": file " + shape_text(source->sizes()) + " vs network " + shape_text(target.sizes()));
  }
  for (const auto& entry : state_dict.entries())
    if (!wanted.count(entry.first)) unexpected.push_back(entry.first);

  if (!missing.empty() || !unexpected.empty() || !mismatched.empty()) {
    std::string message = "the weights do not fit the network:";
    if (!missing.empty()) message += " " + summarize(missing, "missing");
    if (!unexpected.empty()) message += std::string(missing.empty() ? " " : "; ") + summarize(unexpected, "unexpected");
    if (!mismatched.empty())
      message += std::string(missing.empty() && unexpected.empty() ? " " : "; ") +
                 summarize(mismatched, "with a different shape");
    throw Error(ErrorKind::BadInput, message);
  }
  torch::NoGradGuard no_grad;
  for (auto& [name, target] : targets) target.copy_(*state_dict.find(name));
}

}  // namespace restora
