#include "support/conformance.h"

#include "support/shared_data.h"
#include "support/tensor_checks.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <fstream>

namespace restora::test {

nlohmann::json load_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) {
    ADD_FAILURE() << "cannot open " << path;
    return nullptr;
  }
  try {
    return nlohmann::json::parse(in);
  } catch (const std::exception& error) {
    ADD_FAILURE() << path << ": " << error.what();
    return nullptr;
  }
}

ArgMap args_from_json(const nlohmann::json& constructor_args) {
  ArgMap args;
  for (const auto& [name, value] : constructor_args.items()) {
    if (value.is_null())
      args[name] = std::monostate{};
    else if (value.is_boolean())
      args[name] = value.get<bool>();
    else if (value.is_number_integer())
      args[name] = value.get<int64_t>();
    else if (value.is_number_float())
      args[name] = value.get<double>();
    else if (value.is_string())
      args[name] = value.get<std::string>();
    else
      ADD_FAILURE() << "constructor argument " << name << " has an unsupported JSON type";
  }
  return args;
}

NetworkSpec ConformanceCase::spec() const {
  std::string network = meta.value("official_source", nlohmann::json::object()).value("class", "");
  if (network.empty()) network = meta.value("arch", "");
  return NetworkSpec{network, args_from_json(meta.at("constructor_args"))};
}

std::vector<int64_t> ConformanceCase::shape_of(const std::string& file) const {
  // meta.json lists every .f32 of every case with its shape; search them all.
  std::vector<int64_t> shape;
  const std::function<void(const nlohmann::json&)> search = [&](const nlohmann::json& node) {
    if (!shape.empty()) return;
    if (node.is_object()) {
      if (node.contains("file") && node["file"] == file && node.contains("shape")) {
        shape = node["shape"].get<std::vector<int64_t>>();
        return;
      }
      if (node.contains(file) && node[file].is_object() && node[file].contains("shape")) {
        shape = node[file]["shape"].get<std::vector<int64_t>>();
        return;
      }
      for (const auto& item : node) search(item);
    } else if (node.is_array()) {
      for (const auto& item : node) search(item);
    }
  };
  search(meta.at("cases"));
  if (shape.empty()) ADD_FAILURE() << name << ": no shape for " << file << " in meta.json";
  return shape;
}

torch::Tensor ConformanceCase::tensor(const std::string& file) const {
  return read_f32(dir / file, shape_of(file));
}

std::vector<std::filesystem::path> ConformanceCase::weight_files() const {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string file = entry.path().filename().string();
    if (file.rfind("weights", 0) == 0 && entry.path().extension() == ".pth") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<ConformanceCase> conformance_cases(const std::string& arch) {
  std::vector<ConformanceCase> cases;
  const auto root = shared_path("conformance/" + arch);
  if (!std::filesystem::is_directory(root)) return cases;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    if (!entry.is_directory() || !std::filesystem::exists(entry.path() / "meta.json")) continue;
    cases.push_back({arch + "/" + entry.path().filename().string(), entry.path(), load_json(entry.path() / "meta.json")});
  }
  std::sort(cases.begin(), cases.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  if (cases.empty()) ADD_FAILURE() << "no conformance cases under " << root;
  return cases;
}

std::vector<std::filesystem::path> manifest_files(const std::string& prefix) {
  std::vector<std::filesystem::path> files;
  const auto root = shared_path("conformance/manifests");
  if (!std::filesystem::is_directory(root)) return files;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    const std::string file = entry.path().filename().string();
    if (file.rfind(prefix, 0) == 0 && entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) ADD_FAILURE() << "no manifests " << prefix << "* under " << root;
  return files;
}

}  // namespace restora::test
