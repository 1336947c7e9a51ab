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
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  update(fraction, "", fraction > 0.01 && fraction < 1.0 ? elapsed * (1.0 - fraction) / fraction : -1.0);
}

void ProgressBar::update(double fraction, const std::string& detail, double eta_seconds) {
  if (!enabled_ || finished_) return;
  fraction = std::clamp(fraction, 0.0, 1.0);
  const int permille = static_cast<int>(fraction * 1000.0);
  if (permille == last_permille_ && detail == last_detail_) return;
  last_permille_ = permille;
  last_detail_ = detail;
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(fraction * kWidth);
  char eta[32] = "";
  if (eta_seconds >= 0 && fraction < 1.0) std::snprintf(eta, sizeof eta, " ETA %.0fs", eta_seconds);
  std::fprintf(stderr, "\r%s [%s%s] %5.1f%%%s%s%s   ", label_.c_str(), std::string(filled, '#').c_str(),
               std::string(kWidth - filled, '.').c_str(), fraction * 100.0, detail.empty() ? "" : ", ",
               detail.c_str(), eta);
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (!enabled_ || finished_) return;
  if (last_permille_ < 1000) update(1.0, last_detail_, -1.0);
  std::fputc('\n', stderr);
  finished_ = true;
}

}  // namespace restora::cli
