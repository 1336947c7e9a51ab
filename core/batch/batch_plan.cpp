#include "batch/batch_plan.h"

#include "common/error.h"
#include "io/image_file.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <system_error>

namespace restora {
namespace {

namespace fs = std::filesystem;

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool has_image_extension(const fs::path& path) {
  const std::string extension = lower(path.extension().string());
  for (const char* known : {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".bmp"})
    if (extension == known) return true;
  return false;
}

/// Why a walked file is not a candidate; "" when it is one.
std::string skip_reason(const fs::path& file) {
  const std::string name = file.filename().string();
  if (lower(name) == "thumbs.db") return "Thumbs.db (a Windows thumbnail cache)";
  if (name == ".DS_Store") return ".DS_Store (macOS folder settings)";
  if (!name.empty() && name[0] == '.') return "hidden file";
  if (!has_image_extension(file)) return "not an image extension";
  return "";
}

/// Whether `inner` is `outer` or lies inside it (both absolute and normalised).
bool is_within(const fs::path& inner, const fs::path& outer) {
  auto i = inner.begin();
  for (auto o = outer.begin(); o != outer.end(); ++o, ++i)
    if (i == inner.end() || *i != *o) return false;
  return true;
}

fs::path normalised(const fs::path& path) {
  std::error_code error;
  const fs::path absolute = fs::weakly_canonical(fs::absolute(path), error);
  return error ? fs::absolute(path).lexically_normal() : absolute;
}

std::vector<fs::path> walk(const fs::path& input_dir, const fs::path& output_dir, bool recursive) {
  std::vector<fs::path> files;
  std::error_code error;
  // Only an output folder inside the input folder is excluded (one above it contains everything).
  const bool output_inside = is_within(output_dir, input_dir);
  fs::recursive_directory_iterator it(input_dir, fs::directory_options::skip_permission_denied, error);
  if (error) throw Error(ErrorKind::BadUsage, "'" + input_dir.string() + "': cannot list the folder: " + error.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (error) break;
    const fs::path path = it->path();
    if (it->is_directory(error)) {
      const std::string name = path.filename().string();
      const bool hidden = !name.empty() && name[0] == '.';
      if (!recursive || hidden || (output_inside && is_within(normalised(path), output_dir)))
        it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(error)) files.push_back(path);
  }
  return files;
}

std::string output_extension(const BatchOptions& options, const fs::path& input) {
  if (!options.format.empty()) return lower(options.format);
  const std::string own = lower(input.extension().string()).substr(1);
  return own == "bmp" ? "png" : own;  // BMP cannot hold metadata or 16 bits: outputs are PNG
}

}  // namespace

std::string expand_name_pattern(const std::string& pattern, const std::string& name, const std::string& model,
                                int64_t scale, const std::string& ext) {
  if (pattern.find("{name}") == std::string::npos)
    throw Error(ErrorKind::BadUsage, "--name '" + pattern + "' must contain {name} (outputs would overwrite each other)");
  std::string out;
  for (size_t i = 0; i < pattern.size();) {
    if (pattern[i] != '{') {
      out += pattern[i++];
      continue;
    }
    const size_t close = pattern.find('}', i);
    const std::string key = close == std::string::npos ? "" : pattern.substr(i + 1, close - i - 1);
    if (key == "name") out += name;
    else if (key == "model") out += model;
    else if (key == "scale") out += std::to_string(scale);
    else if (key == "ext") out += ext;
    else throw Error(ErrorKind::BadUsage, "--name '" + pattern + "': unknown placeholder (use {name}, {model}, {scale}, {ext})");
    i = close + 1;
  }
  if (out.find('/') != std::string::npos)
    throw Error(ErrorKind::BadUsage, "--name '" + pattern + "' must not contain '/' (the folder tree is mirrored)");
  return out;
}

BatchPlan plan_batch(const BatchOptions& options) {
  std::error_code error;
  if (!fs::is_directory(options.input_dir, error))
    throw Error(ErrorKind::BadUsage, "'" + options.input_dir.string() + "': no such input folder");
  const fs::path input_dir = normalised(options.input_dir);
  const fs::path output_dir = normalised(options.output_dir);
  if (input_dir == output_dir)
    throw Error(ErrorKind::BadUsage, "the output folder is the input folder '" + options.input_dir.string() +
                                         "': give another one (it may lie inside the input folder)");
  if (!options.format.empty() && !is_writable_image_format("x." + options.format))
    throw Error(ErrorKind::BadUsage, "--format '" + options.format + "': use png, jpg, tif or webp");
  expand_name_pattern(options.name_pattern, "x", options.model_name, options.scale, "png");  // validates

  std::vector<std::pair<std::string, fs::path>> sorted;
  for (const fs::path& file : walk(input_dir, output_dir, options.recursive))
    sorted.emplace_back(file.lexically_relative(input_dir).generic_u8string(), file);
  // std::string compares as unsigned char: byte order of the UTF-8 paths, the same on every machine.
  std::sort(sorted.begin(), sorted.end());

  BatchPlan plan{input_dir, output_dir, {}};
  std::map<fs::path, int> claims;  // output -> inputs that want it so far, over all shards
  for (size_t i = 0; i < sorted.size(); ++i) {
    const bool ours = static_cast<int>(i % static_cast<size_t>(options.shard.count)) + 1 == options.shard.index;
    PlannedFile file;
    file.input = sorted[i].second;
    file.relative = fs::u8path(sorted[i].first);
    file.skip_reason = skip_reason(file.input);
    if (file.skip_reason.empty()) {
      const std::string name = expand_name_pattern(options.name_pattern, file.input.stem().string(), options.model_name,
                                                   options.scale, output_extension(options, file.input));
      file.output = output_dir / file.relative.parent_path() / name;
      file.earlier_claimants = claims[file.output]++;
    }
    if (ours) plan.files.push_back(std::move(file));
  }
  return plan;
}

Shard parse_shard(const std::string& text) {
  const size_t slash = text.find('/');
  const auto bad = [&] { return Error(ErrorKind::BadUsage, "--shard '" + text + "': give K/N with 1 <= K <= N, e.g. 2/8"); };
  if (slash == std::string::npos || slash == 0 || slash + 1 == text.size()) throw bad();
  const std::string k = text.substr(0, slash), n = text.substr(slash + 1);
  const auto digits = [](const std::string& s) { return s.size() <= 6 && std::all_of(s.begin(), s.end(), ::isdigit); };
  if (!digits(k) || !digits(n)) throw bad();
  Shard shard{std::stoi(k), std::stoi(n)};
  if (shard.count < 1 || shard.index < 1 || shard.index > shard.count) throw bad();
  return shard;
}

OverwritePolicy parse_overwrite_policy(const std::string& text) {
  if (text == "skip") return OverwritePolicy::Skip;
  if (text == "rename") return OverwritePolicy::Rename;
  if (text == "replace") return OverwritePolicy::Replace;
  throw Error(ErrorKind::BadUsage, "--overwrite '" + text + "': use skip, rename or replace");
}

std::string batch_log_name(const Shard& shard) {
  if (shard.whole()) return "restora-batch.csv";
  return "restora-batch-" + std::to_string(shard.index) + "-of-" + std::to_string(shard.count) + ".csv";
}

}  // namespace restora
