#include "cli/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace restora::cli {

ProgressBar::ProgressBar(std::string label)
    : label_(std::move(label)), enabled_(::isatty(STDERR_FILENO) == 1), start_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() {
  if (enabled_ && last_permille_ >= 0 && !finished_) std::fputc('\n', stderr);
}

void ProgressBar::update(double fraction) {
  if (!enabled_ || finished_) return;
  fraction = std::clamp(fraction, 0.0, 1.0);
  const int permille = static_cast<int>(fraction * 1000.0);
  if (permille == last_permille_) return;
  last_permille_ = permille;
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(fraction * kWidth);
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  char eta[32] = "";
  if (fraction > 0.01 && fraction < 1.0)
    std::snprintf(eta, sizeof eta, " ETA %.0fs", elapsed * (1.0 - fraction) / fraction);
  std::fprintf(stderr, "\r%s [%s%s] %5.1f%%%s   ", label_.c_str(), std::string(filled, '#').c_str(),
               std::string(kWidth - filled, '.').c_str(), fraction * 100.0, eta);
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (!enabled_ || finished_) return;
  update(1.0);
  std::fputc('\n', stderr);
  finished_ = true;
}

}  // namespace restora::cli
