#pragma once
#include <cstdio>
#include <filesystem>
#include <string>

namespace restora {

/// The batch's CSV log (path,status,reason,seconds,output), opened for appending: every line is
/// written, flushed and fdatasync'ed as soon as its file is done, so a killed batch keeps the
/// log of everything it finished and a resumed batch continues the same file.
class BatchLog {
 public:
  /// Opens (creating with the header line when new) `path`; Error(Failed) when it cannot.
  explicit BatchLog(const std::filesystem::path& path);
  ~BatchLog();
  BatchLog(const BatchLog&) = delete;
  BatchLog& operator=(const BatchLog&) = delete;

  void append(const std::string& path, const std::string& status, const std::string& reason, double seconds,
              const std::string& output);
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::FILE* file_ = nullptr;
};

/// One CSV field: quoted (with doubled quotes) when it holds a comma, quote or line break.
std::string csv_field(const std::string& text);

}  // namespace restora
