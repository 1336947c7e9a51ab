#include "training/training_log.h"

#include "common/error.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace restora {
namespace {

const char* kLossHeader = "iteration,wall_seconds,lr,loss,grad_norm";
const char* kValidationHeader = "iteration,wall_seconds,degradation,psnr,ssim,input_psnr";

void append(const std::filesystem::path& file, const char* header, const std::string& row) {
  std::error_code error;
  const bool fresh = !std::filesystem::exists(file, error) || std::filesystem::file_size(file, error) == 0;
  std::ofstream out(file, std::ios::app);
  if (fresh) out << header << '\n';
  out << row << '\n';
  out.flush();
  if (!out) throw Error(ErrorKind::Failed, "cannot append to " + file.string());
}

std::vector<std::vector<std::string>> read_rows(const std::filesystem::path& file) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream cells_in(line);
    std::string cell;
    while (std::getline(cells_in, cell, ',')) cells.push_back(cell);
    if (!cells.empty()) rows.push_back(cells);
  }
  return rows;
}

void truncate(const std::filesystem::path& file, int64_t iteration) {
  std::error_code error;
  if (!std::filesystem::exists(file, error)) return;
  std::ifstream in(file);
  std::string header, line, kept;
  std::getline(in, header);
  kept = header + "\n";
  while (std::getline(in, line)) {
    if (!line.empty() && std::stoll(line.substr(0, line.find(','))) <= iteration) kept += line + "\n";
  }
  in.close();
  std::ofstream out(file, std::ios::trunc);
  out << kept;
}

/// One panel: polylines of (x, y) series scaled into `area`, with min/max labels.
void draw_panel(cv::Mat& canvas, cv::Rect area, const std::string& title,
                const std::vector<std::pair<std::string, std::vector<cv::Point2d>>>& series) {
  double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
  for (const auto& [name, points] : series)
    for (const auto& p : points) {
      x0 = std::min(x0, p.x), x1 = std::max(x1, p.x), y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
    }
  cv::rectangle(canvas, area, cv::Scalar(180, 180, 180));
  cv::putText(canvas, title, {area.x + 6, area.y + 18}, cv::FONT_HERSHEY_SIMPLEX, 0.5, cv::Scalar(0, 0, 0));
  if (x0 > x1) return;
  if (x1 == x0) x1 = x0 + 1;
  if (y1 == y0) y1 = y0 + 1;
  const cv::Scalar colours[] = {{200, 60, 20}, {20, 140, 20}, {20, 20, 200}, {160, 20, 160}};
  int index = 0;
  for (const auto& [name, points] : series) {
    std::vector<cv::Point> pixels;
    for (const auto& p : points)
      pixels.emplace_back(area.x + static_cast<int>((p.x - x0) / (x1 - x0) * (area.width - 1)),
                          area.y + area.height - 1 - static_cast<int>((p.y - y0) / (y1 - y0) * (area.height - 30)));
    const auto colour = colours[index % 4];
    cv::polylines(canvas, pixels, false, colour, 1, cv::LINE_AA);
    cv::putText(canvas, name, {area.x + 6, area.y + 36 + 16 * index}, cv::FONT_HERSHEY_SIMPLEX, 0.4, colour);
    ++index;
  }
  std::ostringstream range;
  range << std::setprecision(5) << "y " << y0 << " .. " << y1 << ", iterations " << x0 << " .. " << x1;
  cv::putText(canvas, range.str(), {area.x + area.width - 330, area.y + 18}, cv::FONT_HERSHEY_SIMPLEX, 0.4,
              cv::Scalar(80, 80, 80));
}

}  // namespace

TrainingLog::TrainingLog(std::filesystem::path run_dir) : dir_(std::move(run_dir)) {
  std::filesystem::create_directories(dir_);
}

void TrainingLog::loss_row(int64_t iteration, double wall_seconds, double lr, double loss, double grad_norm) {
  std::ostringstream row;
  row << iteration << ',' << std::fixed << std::setprecision(1) << wall_seconds << ',' << std::scientific
      << std::setprecision(4) << lr << ',' << std::fixed << std::setprecision(6) << loss << ',' << std::scientific
      << std::setprecision(4) << grad_norm;
  append(dir_ / "loss.csv", kLossHeader, row.str());
}

void TrainingLog::validation_row(int64_t iteration, double wall_seconds, const ValidationScore& score) {
  std::ostringstream row;
  row << iteration << ',' << std::fixed << std::setprecision(1) << wall_seconds << ',' << score.degradation << ','
      << std::setprecision(4) << score.psnr << ',' << std::setprecision(5) << score.ssim << ','
      << std::setprecision(4) << score.input_psnr;
  append(dir_ / "validation.csv", kValidationHeader, row.str());
}

void TrainingLog::plot() const {
  try {
    std::vector<cv::Point2d> loss;
    for (const auto& row : read_rows(dir_ / "loss.csv"))
      if (row.size() >= 4) loss.emplace_back(std::stod(row[0]), std::stod(row[3]));
    std::map<std::string, std::vector<cv::Point2d>> psnr;
    for (const auto& row : read_rows(dir_ / "validation.csv"))
      if (row.size() >= 4) psnr[row[2]].emplace_back(std::stod(row[0]), std::stod(row[3]));
    cv::Mat canvas(520, 800, CV_8UC3, cv::Scalar(255, 255, 255));
    draw_panel(canvas, {10, 10, 780, 240}, "training loss", {{"loss", loss}});
    std::vector<std::pair<std::string, std::vector<cv::Point2d>>> psnr_series(psnr.begin(), psnr.end());
    draw_panel(canvas, {10, 270, 780, 240}, "validation PSNR (dB)", psnr_series);
    const auto temporary = (dir_ / "plot.partial.png").string();
    if (cv::imwrite(temporary, canvas)) std::filesystem::rename(temporary, dir_ / "plot.png");
  } catch (const std::exception&) {
    // Best effort by contract: the logs themselves are what counts.
  }
}

void truncate_logs_after(const std::filesystem::path& run_dir, int64_t iteration) {
  truncate(run_dir / "loss.csv", iteration);
  truncate(run_dir / "validation.csv", iteration);
}

}  // namespace restora
