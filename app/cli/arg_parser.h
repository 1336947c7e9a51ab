#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace restora::cli {

/// Parsed command line of one subcommand: option values by long name, flags, positionals.
class ParsedArgs {
 public:
  bool has(const std::string& name) const { return values_.count(name) != 0; }
  /// The option's value; throws restora::Error(BadUsage) when a required option is absent.
  const std::string& value(const std::string& name) const;
  std::optional<std::string> optional_value(const std::string& name) const;
  /// Integer value checked against [min, max]; `fallback` when the option is absent.
  long long int_value(const std::string& name, long long fallback, long long min, long long max) const;
  /// Every value of a repeatable option, in command-line order (value() is the last one).
  std::vector<std::string> values(const std::string& name) const;
  const std::vector<std::string>& positionals() const { return positionals_; }

 private:
  friend class ArgParser;
  std::map<std::string, std::string> values_;  // flags map to ""
  std::map<std::string, std::vector<std::string>> all_values_;
  std::vector<std::string> positionals_;
};

/// A small getopt_long-like parser: --name VALUE, --name=VALUE, -n VALUE, --flag, positionals.
/// Every error is a restora::Error(BadUsage) whose message names the offending argument.
class ArgParser {
 public:
  ArgParser(std::string usage, std::string summary);
  ArgParser& option(const std::string& long_name, char short_name, const std::string& value_name,
                    const std::string& help);
  ArgParser& flag(const std::string& long_name, char short_name, const std::string& help);
  ArgParser& positional(const std::string& name, const std::string& help);
  /// Fails on unknown options, missing values and a wrong number of positionals.
  ParsedArgs parse(const std::vector<std::string>& args) const;
  std::string help() const;

 private:
  struct Spec {
    std::string long_name;
    char short_name;
    std::string value_name;  // empty for flags
    std::string help;
  };
  const Spec* find_long(const std::string& name) const;
  const Spec* find_short(char name) const;

  std::string usage_;
  std::string summary_;
  std::vector<Spec> specs_;
  std::vector<std::pair<std::string, std::string>> positionals_;
};

}  // namespace restora::cli
