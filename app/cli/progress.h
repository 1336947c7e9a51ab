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
  void finish();

 private:
  std::string label_;
  bool enabled_;
  bool finished_ = false;
  int last_permille_ = -1;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace restora::cli
