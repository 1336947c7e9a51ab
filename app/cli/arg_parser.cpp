#include "cli/arg_parser.h"

#include "common/error.h"

#include <sstream>

namespace restora::cli {

const std::string& ParsedArgs::value(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) throw Error(ErrorKind::BadUsage, "missing required option --" + name);
  return it->second;
}

std::optional<std::string> ParsedArgs::optional_value(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> ParsedArgs::values(const std::string& name) const {
  const auto it = all_values_.find(name);
  if (it == all_values_.end()) return {};
  return it->second;
}

long long ParsedArgs::int_value(const std::string& name, long long fallback, long long min,
                                long long max) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  const std::string& text = it->second;
  size_t used = 0;
  long long number = 0;
  try {
    number = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size())
    throw Error(ErrorKind::BadUsage, "--" + name + " expects a whole number, got '" + text + "'");
  if (number < min || number > max)
    throw Error(ErrorKind::BadUsage, "--" + name + " must be between " + std::to_string(min) + " and " +
                                         std::to_string(max) + ", got " + text);
  return number;
}

ArgParser::ArgParser(std::string usage, std::string summary)
    : usage_(std::move(usage)), summary_(std::move(summary)) {
  flag("help", 'h', "show this help and exit");
}

ArgParser& ArgParser::option(const std::string& long_name, char short_name, const std::string& value_name,
                             const std::string& help) {
  specs_.push_back({long_name, short_name, value_name.empty() ? "VALUE" : value_name, help});
  return *this;
}

ArgParser& ArgParser::flag(const std::string& long_name, char short_name, const std::string& help) {
  specs_.push_back({long_name, short_name, "", help});
  return *this;
}

ArgParser& ArgParser::positional(const std::string& name, const std::string& help) {
  positionals_.emplace_back(name, help);
  return *this;
}

const ArgParser::Spec* ArgParser::find_long(const std::string& name) const {
  for (const auto& spec : specs_)
    if (spec.long_name == name) return &spec;
  return nullptr;
}

const ArgParser::Spec* ArgParser::find_short(char name) const {
  for (const auto& spec : specs_)
    if (spec.short_name != 0 && spec.short_name == name) return &spec;
  return nullptr;
}

ParsedArgs ArgParser::parse(const std::vector<std::string>& args) const {
  ParsedArgs parsed;
  bool options_ended = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_ended || arg.size() < 2 || arg[0] != '-') {
      parsed.positionals_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_ended = true;
      continue;
    }
    const Spec* spec = nullptr;
    std::optional<std::string> inline_value;
    if (arg[1] == '-') {
      std::string name = arg.substr(2);
      const auto eq = name.find('=');
      if (eq != std::string::npos) {
        inline_value = name.substr(eq + 1);
        name.resize(eq);
      }
      spec = find_long(name);
    } else if (arg.size() == 2) {
      spec = find_short(arg[1]);
    }
    if (spec == nullptr) throw Error(ErrorKind::BadUsage, "unknown option '" + arg + "' (see --help)");
    if (spec->value_name.empty()) {
      if (inline_value) throw Error(ErrorKind::BadUsage, "option --" + spec->long_name + " takes no value");
      parsed.values_[spec->long_name] = "";
      if (spec->long_name == "help") return parsed;  // --help wins over everything else
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= args.size())
        throw Error(ErrorKind::BadUsage, "option --" + spec->long_name + " needs a value (" + spec->value_name + ")");
      inline_value = args[++i];
    }
    parsed.values_[spec->long_name] = *inline_value;
    parsed.all_values_[spec->long_name].push_back(*inline_value);
  }
  if (parsed.positionals_.size() != positionals_.size()) {
    if (parsed.positionals_.size() > positionals_.size())
      throw Error(ErrorKind::BadUsage, "unexpected argument '" + parsed.positionals_[positionals_.size()] + "'");
    throw Error(ErrorKind::BadUsage, "missing argument " + positionals_[parsed.positionals_.size()].first);
  }
  return parsed;
}

std::string ArgParser::help() const {
  std::ostringstream out;
  out << "usage: " << usage_ << "\n\n" << summary_ << "\n";
  if (!positionals_.empty()) {
    out << "\narguments:\n";
    for (const auto& [name, help] : positionals_) out << "  " << name << "\n      " << help << '\n';
  }
  out << "\noptions:\n";
  for (const auto& spec : specs_) {
    out << "  ";
    if (spec.short_name != 0) out << '-' << spec.short_name << ", ";
    out << "--" << spec.long_name;
    if (!spec.value_name.empty()) out << ' ' << spec.value_name;
    out << "\n      " << spec.help << '\n';
  }
  return out.str();
}

}  // namespace restora::cli
