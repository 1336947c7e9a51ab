#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace restora {

/// A constructor argument as the official Python code spells it: None, bool, int, float or str.
using ArgValue = std::variant<std::monostate, bool, int64_t, double, std::string>;

/// Constructor arguments keyed by their official Python names ("n_feat", "scale_unetfeats",
/// "hin_position_left", "task", ...), so that a spec reads exactly like the manifests in
/// ../shared/conformance/manifests and like the authors' yml files.
using ArgMap = std::map<std::string, ArgValue>;

/// Which network, with which constructor arguments. `network` is the official class name:
/// "MPRNet", "MIRNet", "MIRNet_v2", "HINet" (and "SSEN").
struct NetworkSpec {
  std::string network;
  ArgMap args;
};

/// Typed look-ups with a default for absent arguments; a present argument of the wrong type
/// throws restora::Error(BadInput) naming it.
int64_t arg_int(const ArgMap& args, const std::string& name, int64_t fallback);
double arg_double(const ArgMap& args, const std::string& name, double fallback);  // ints accepted
bool arg_bool(const ArgMap& args, const std::string& name, bool fallback);
std::optional<std::string> arg_string(const ArgMap& args, const std::string& name);  // None -> nullopt

/// "None", "True", "3", "0.2", "'defocus_deblurring'": Python spelling, for messages and inspect.
std::string to_python_literal(const ArgValue& value);

}  // namespace restora
