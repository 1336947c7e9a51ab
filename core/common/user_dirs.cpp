#include "common/user_dirs.h"

#include "common/error.h"

#include <cstdlib>
#include <string>

namespace restora {
namespace {

std::filesystem::path xdg_dir(const char* variable, const char* fallback_below_home) {
  if (const char* value = std::getenv(variable); value && *value && std::filesystem::path(value).is_absolute()) {
    return std::filesystem::path(value) / "restora";
  }
  const char* home = std::getenv("HOME");
  if (!home || !*home)
    throw Error(ErrorKind::Failed, std::string("neither ") + variable + " nor HOME is set: no place for Restora's files");
  return std::filesystem::path(home) / fallback_below_home / "restora";
}

}  // namespace

std::filesystem::path user_cache_dir() { return xdg_dir("XDG_CACHE_HOME", ".cache"); }
std::filesystem::path user_data_dir() { return xdg_dir("XDG_DATA_HOME", ".local/share"); }

}  // namespace restora
