#include "nets/network_spec.h"

#include "common/error.h"

#include <sstream>

namespace restora {
namespace {

const ArgValue* find_arg(const ArgMap& args, const std::string& name) {
  const auto it = args.find(name);
  return it == args.end() ? nullptr : &it->second;
}

[[noreturn]] void wrong_type(const std::string& name, const ArgValue& value, const char* wanted) {
  throw Error(ErrorKind::BadInput,
              "constructor argument " + name + " = " + to_python_literal(value) + " is not " + wanted);
}

}  // namespace

int64_t arg_int(const ArgMap& args, const std::string& name, int64_t fallback) {
  const ArgValue* value = find_arg(args, name);
  if (value == nullptr) return fallback;
  if (const auto* i = std::get_if<int64_t>(value)) return *i;
  wrong_type(name, *value, "an integer");
}

double arg_double(const ArgMap& args, const std::string& name, double fallback) {
  const ArgValue* value = find_arg(args, name);
  if (value == nullptr) return fallback;
  if (const auto* d = std::get_if<double>(value)) return *d;
  if (const auto* i = std::get_if<int64_t>(value)) return static_cast<double>(*i);
  wrong_type(name, *value, "a number");
}

bool arg_bool(const ArgMap& args, const std::string& name, bool fallback) {
  const ArgValue* value = find_arg(args, name);
  if (value == nullptr) return fallback;
  if (const auto* b = std::get_if<bool>(value)) return *b;
  wrong_type(name, *value, "True or False");
}

std::optional<std::string> arg_string(const ArgMap& args, const std::string& name) {
  const ArgValue* value = find_arg(args, name);
  if (value == nullptr || std::holds_alternative<std::monostate>(*value)) return std::nullopt;
  if (const auto* s = std::get_if<std::string>(value)) return *s;
  wrong_type(name, *value, "a string");
}

std::string to_python_literal(const ArgValue& value) {
  struct Visitor {
    std::string operator()(std::monostate) const { return "None"; }
    std::string operator()(bool b) const { return b ? "True" : "False"; }
    std::string operator()(int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const {
      std::ostringstream out;
      out << d;
      std::string text = out.str();
      if (text.find_first_of(".e") == std::string::npos) text += ".0";
      return text;
    }
    std::string operator()(const std::string& s) const { return "'" + s + "'"; }
  };
  return std::visit(Visitor{}, value);
}

}  // namespace restora
