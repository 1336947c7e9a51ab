#pragma once
#include <stdexcept>
#include <string>

namespace restora {

/// What went wrong, in the terms of the exit-code contract: BadUsage and BadInput exit 2
/// (bad arguments, unusable input files), Failed exits 1 (the job ran but something failed).
enum class ErrorKind { BadUsage, BadInput, Failed };

/// The one exception type core code throws for conditions a user can cause. Its message is a
/// complete one-line sentence naming the file or argument concerned.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

/// 0/1/2 per the contract above.
int exit_code_for(ErrorKind kind);

}  // namespace restora
