#include "batch/batch_log.h"

#include "common/error.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace restora {

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

BatchLog::BatchLog(const std::filesystem::path& path) : path_(path) {
  file_ = std::fopen(path.c_str(), "ab");
  if (file_ == nullptr)
    throw Error(ErrorKind::Failed, "'" + path.string() + "': cannot open the batch log: " + std::strerror(errno));
  std::fseek(file_, 0, SEEK_END);
  if (std::ftell(file_) == 0) {
    std::fputs("path,status,reason,seconds,output\n", file_);
    std::fflush(file_);
  }
}

BatchLog::~BatchLog() {
  if (file_ != nullptr) std::fclose(file_);
}

void BatchLog::append(const std::string& path, const std::string& status, const std::string& reason, double seconds,
                      const std::string& output) {
  char time[32];
  std::snprintf(time, sizeof time, "%.3f", seconds);
  const std::string line = csv_field(path) + "," + status + "," + csv_field(reason) + "," + time + "," +
                           csv_field(output) + "\n";
  std::fputs(line.c_str(), file_);
  std::fflush(file_);
  ::fdatasync(::fileno(file_));
}

}  // namespace restora
