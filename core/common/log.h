#pragma once
#include <functional>
#include <string>

namespace restora {

enum class LogLevel { Debug, Info, Warning };

/// Where core messages go. The default prints warnings to stderr as "restora: warning: ..." and
/// drops the rest; front ends (CLI progress bars, GUI) install their own. Thread-safe.
using LogSink = std::function<void(LogLevel level, const std::string& message)>;

/// Installs `sink` (an empty function restores the default) and returns the previous one.
LogSink set_log_sink(LogSink sink);

/// Sends a one-line message to the current sink.
void log_message(LogLevel level, const std::string& message);
inline void log_warning(const std::string& message) { log_message(LogLevel::Warning, message); }

}  // namespace restora
