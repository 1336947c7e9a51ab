#pragma once
#include <filesystem>

namespace restora {

/// $XDG_CACHE_HOME/restora, or ~/.cache/restora when unset or relative (XDG Base Directory rules).
/// Training resume states live under its train/ folder.
std::filesystem::path user_cache_dir();

/// $XDG_DATA_HOME/restora, or ~/.local/share/restora: user models live under its models/ folder.
std::filesystem::path user_data_dir();

}  // namespace restora
