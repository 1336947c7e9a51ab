#include "training/optimizer.h"

#include "common/error.h"

#include <torch/torch.h>

#include <cmath>

namespace restora {

Adam::Adam(std::vector<torch::Tensor> parameters, std::vector<std::string> names, AdamOptions options)
    : parameters_(std::move(parameters)), names_(std::move(names)), options_(options) {
  TORCH_CHECK(parameters_.size() == names_.size(), "Adam: one name per parameter");
  torch::NoGradGuard no_grad;
  for (const auto& p : parameters_) {
    exp_avg_.push_back(torch::zeros_like(p, torch::MemoryFormat::Preserve));
    exp_avg_sq_.push_back(torch::zeros_like(p, torch::MemoryFormat::Preserve));
  }
  for (const auto& name : names_) {
    double scale = 1.0;
    for (const auto& [key, factor] : options_.lr_scales) {
      if (name.find(key) != std::string::npos) {
        scale = factor;
        break;
      }
    }
    lr_scale_.push_back(scale);
  }
}

void Adam::step(double lr) {
  torch::NoGradGuard no_grad;
  ++step_;
  const double bias1 = 1.0 - std::pow(options_.beta1, static_cast<double>(step_));
  const double bias2_sqrt = std::sqrt(1.0 - std::pow(options_.beta2, static_cast<double>(step_)));
  for (size_t i = 0; i < parameters_.size(); ++i) {
    auto& p = parameters_[i];
    if (!p.grad().defined()) continue;
    auto grad = p.grad();
    if (options_.weight_decay != 0) grad = grad.add(p, options_.weight_decay);
    exp_avg_[i].mul_(options_.beta1).add_(grad, 1.0 - options_.beta1);
    exp_avg_sq_[i].mul_(options_.beta2).addcmul_(grad, grad, 1.0 - options_.beta2);
    const auto denom = (exp_avg_sq_[i].sqrt() / bias2_sqrt).add_(options_.eps);
    p.addcdiv_(exp_avg_[i], denom, -lr * lr_scale_[i] / bias1);
  }
}

void Adam::zero_grad() {
  for (auto& p : parameters_) {
    if (p.grad().defined()) p.mutable_grad().zero_();
  }
}

StateDict Adam::state() const {
  StateDict state;
  for (size_t i = 0; i < parameters_.size(); ++i) {
    state.insert("exp_avg." + names_[i], exp_avg_[i]);
    state.insert("exp_avg_sq." + names_[i], exp_avg_sq_[i]);
  }
  return state;
}

void Adam::load_state(const StateDict& state, int64_t steps) {
  torch::NoGradGuard no_grad;
  for (size_t i = 0; i < parameters_.size(); ++i) {
    for (auto [prefix, target] : {std::pair{"exp_avg.", &exp_avg_[i]}, std::pair{"exp_avg_sq.", &exp_avg_sq_[i]}}) {
      const auto* saved = state.find(prefix + names_[i]);
      if (!saved || !saved->sizes().equals(target->sizes()))
        throw Error(ErrorKind::BadInput, std::string("optimiser state: ") + (saved ? "mismatched " : "missing ") +
                                             prefix + names_[i]);
      target->copy_(*saved);
    }
  }
  step_ = steps;
}

double learning_rate(int64_t iteration, double lr, double lr_min, int64_t warmup, int64_t total) {
  if (iteration < warmup) return lr * static_cast<double>(iteration + 1) / static_cast<double>(warmup);
  const double span = static_cast<double>(std::max<int64_t>(1, total - warmup));
  const double progress = std::min(1.0, static_cast<double>(iteration - warmup) / span);
  return lr_min + 0.5 * (lr - lr_min) * (1.0 + std::cos(M_PI * progress));
}

double clip_gradients(const std::vector<torch::Tensor>& parameters, double max_norm) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> norms;
  for (const auto& p : parameters) {
    if (p.grad().defined()) norms.push_back(p.grad().norm(2));
  }
  if (norms.empty()) return 0;
  const double total = torch::stack(norms).norm(2).item<double>();
  if (max_norm > 0) {
    const double coefficient = max_norm / (total + 1e-6);
    if (coefficient < 1) {
      for (const auto& p : parameters) {
        if (p.grad().defined()) p.grad().mul_(coefficient);
      }
    }
  }
  return total;
}

}  // namespace restora
