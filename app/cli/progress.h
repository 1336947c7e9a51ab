#pragma once
#include <chrono>
#include <string>

namespace restora::cli {

/// A one-line progress bar on stderr with percentage and ETA, redrawn in place; silent when
/// stderr is not a terminal (logs and pipes get only the final messages).
class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ~ProgressBar();
  void update(double fraction);
  /// Same, with a detail after the percentage (e.g. "tile 3/12, 0.42 MP/s"); ETA from `eta_seconds`
  /// when it is not negative.
  void update(double fraction, const std::string& detail, double eta_seconds);
  void finish();

 private:
  std::string label_;
  bool enabled_;
  bool finished_ = false;
  int last_permille_ = -1;
  std::string last_detail_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace restora::cli
