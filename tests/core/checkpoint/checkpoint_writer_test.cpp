// write_checkpoint output is read back bit-exact by our reader and by Python's torch.load
// (Debian's /usr/bin/python3 with torch 1.13).
#include "checkpoint/checkpoint.h"
#include "common/error.h"
#include "support/shared_data.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace restora {
namespace {

std::string hex_bytes(const torch::Tensor& t) {
  const torch::Tensor c = t.contiguous();
  const auto* p = static_cast<const unsigned char*>(c.data_ptr());
  static const char* digits = "0123456789abcdef";
  std::string out;
  const auto count = static_cast<size_t>(c.numel()) * c.element_size();
  for (size_t i = 0; i < count; ++i) {
    out += digits[p[i] >> 4];
    out += digits[p[i] & 15];
  }
  return out;
}

/// Every dtype the writer supports, plus views, a 0-dim and an empty tensor, and two names
/// over one storage.
StateDict varied_state_dict() {
  torch::manual_seed(7);
  StateDict sd;
  const torch::Tensor base = torch::randn({4, 6});
  sd.insert("conv.weight", base);
  sd.insert("conv.weight_alias", base);
  sd.insert("transposed", base.t());                   // non-contiguous view of the same storage
  sd.insert("row_view", base[2]);                      // storage offset 12
  sd.insert("half", torch::randn({3, 5}).to(torch::kHalf));
  sd.insert("bf16", torch::randn({7}).to(torch::kBFloat16));
  sd.insert("double", torch::randn({2, 2, 2}, torch::kDouble));
  sd.insert("long", torch::arange(-5, 5, torch::kLong) * int64_t{123456789012});
  sd.insert("int", torch::arange(-3, 3, torch::kInt));
  sd.insert("byte", torch::arange(250, 256, torch::kLong).to(torch::kByte));
  sd.insert("bool", torch::tensor({true, false, true}));
  sd.insert("scalar", torch::tensor(2.5f));
  sd.insert("empty", torch::zeros({0, 3}));
  return sd;
}

const std::map<std::string, std::string> kMetadata{
    {"network", "MPRNet"}, {"note", "ünïcode ✓, quotes ' \" and \\ backslash"}, {"empty", ""}};

TEST(CheckpointWriter, OurReaderReadsWhatWeWriteBitExactWithSharingAndMetadata) {
  const auto dir = test::make_temp_dir("ckpt-writer");
  const auto path = dir / "out.pth";
  const StateDict sd = varied_state_dict();
  write_checkpoint(path, sd, kMetadata);
  CheckpointReadOptions keep_types;
  keep_types.to_float32 = false;
  const Checkpoint back = read_checkpoint(path, keep_types);
  EXPECT_EQ(back.format, "zip");
  EXPECT_EQ(back.container_key, "params");
  EXPECT_EQ(back.metadata, kMetadata);
  ASSERT_EQ(back.state_dict.size(), sd.size());
  for (size_t i = 0; i < sd.size(); ++i) {
    const auto& [name, expected] = sd.entries()[i];
    const torch::Tensor& got = back.state_dict.entries()[i].second;
    EXPECT_EQ(back.state_dict.entries()[i].first, name);
    EXPECT_EQ(got.scalar_type(), expected.scalar_type()) << name;
    EXPECT_EQ(got.sizes(), expected.sizes()) << name;
    EXPECT_EQ(got.strides(), expected.strides()) << name;
    EXPECT_EQ(hex_bytes(got), hex_bytes(expected)) << name;
  }
  const auto storage = [&](const char* name) { return back.state_dict.find(name)->storage().unsafeGetStorageImpl(); };
  EXPECT_EQ(storage("conv.weight"), storage("conv.weight_alias"));
  EXPECT_EQ(storage("conv.weight"), storage("transposed"));
  EXPECT_EQ(storage("conv.weight"), storage("row_view"));
  EXPECT_EQ(back.state_dict.find("row_view")->storage_offset(), 12);
  // Converting on read keeps the sharing too.
  const Checkpoint as_f32 = read_checkpoint(path);
  EXPECT_EQ(as_f32.state_dict.find("half")->scalar_type(), torch::kFloat);
  EXPECT_TRUE(torch::equal(*as_f32.state_dict.find("half"), sd.find("half")->to(torch::kFloat)));
  EXPECT_EQ(as_f32.state_dict.find("long")->scalar_type(), torch::kLong);
  std::filesystem::remove_all(dir);
}

int run_python(const std::string& script, const std::filesystem::path& dir, std::string& output) {
  const auto script_path = dir / "check.py";
  std::ofstream(script_path) << script;
  const auto log = dir / "python.log";
  const std::string command =
      "/usr/bin/python3 '" + script_path.string() + "' '" + dir.string() + "' > '" + log.string() + "' 2>&1";
  const int status = std::system(command.c_str());
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  output = text.str();
  return status;
}

TEST(CheckpointWriter, PythonTorchLoadReadsWhatWeWrite) {
  const auto dir = test::make_temp_dir("ckpt-python");
  const StateDict sd = varied_state_dict();
  write_checkpoint(dir / "out.pth", sd, kMetadata);
  const std::string script = R"(
import json, sys, torch
d = sys.argv[1]
ck = torch.load(d + "/out.pth")
p = ck["params"]
out = {"type": type(p).__name__, "metadata": ck["metadata"], "keys": list(ck.keys()), "tensors": []}
for name, t in p.items():
    raw = t.contiguous().reshape(-1).view(torch.uint8) if t.numel() else torch.zeros(0, dtype=torch.uint8)
    out["tensors"].append([name, str(t.dtype).replace("torch.", ""), list(t.shape), list(t.stride()),
                           bytes(raw.numpy()).hex()])
out["shared"] = [p["conv.weight"].data_ptr() == p["conv.weight_alias"].data_ptr(),
                 p["transposed"].storage().data_ptr() == p["conv.weight"].storage().data_ptr(),
                 p["row_view"].storage_offset()]
json.dump(out, open(d + "/python.json", "w"))
)";
  std::string output;
  ASSERT_EQ(run_python(script, dir, output), 0) << output;
  std::ifstream in(dir / "python.json");
  const nlohmann::json py = nlohmann::json::parse(in);
  EXPECT_EQ(py["type"], "OrderedDict");
  const nlohmann::json keys_expected = nlohmann::json::array({"params", "metadata"});
  EXPECT_EQ(py["keys"], keys_expected);
  const auto metadata = py["metadata"].get<std::map<std::string, std::string>>();
  EXPECT_EQ(metadata, kMetadata);
  const nlohmann::json shared_expected = nlohmann::json::array({true, true, 12});
  EXPECT_EQ(py["shared"], shared_expected);
  ASSERT_EQ(py["tensors"].size(), sd.size());
  const std::map<c10::ScalarType, std::string> python_names{
      {torch::kFloat, "float32"}, {torch::kHalf, "float16"}, {torch::kBFloat16, "bfloat16"},
      {torch::kDouble, "float64"}, {torch::kLong, "int64"}, {torch::kInt, "int32"},
      {torch::kByte, "uint8"}, {torch::kBool, "bool"}};
  for (size_t i = 0; i < sd.size(); ++i) {
    const auto& [name, t] = sd.entries()[i];
    const auto& row = py["tensors"][i];
    EXPECT_EQ(row[0], name);
    EXPECT_EQ(row[1], python_names.at(t.scalar_type())) << name;
    EXPECT_EQ(row[2].get<std::vector<int64_t>>(), t.sizes().vec()) << name;
    EXPECT_EQ(row[3].get<std::vector<int64_t>>(), t.strides().vec()) << name;
    EXPECT_EQ(row[4].get<std::string>(), hex_bytes(t)) << name;
  }
  std::filesystem::remove_all(dir);
}

TEST(CheckpointWriter, ARealCheckpointReadByUsAndRewrittenEqualsTorchLoadOfTheOriginal) {
  // Ties our reader's values to torch.load's: the legacy CUDA file is the hardest layout.
  const auto original = test::shared_path("conformance/mprnet/tiny_a/weights_legacy_cuda.pth");
  const auto dir = test::make_temp_dir("ckpt-rewrite");
  write_checkpoint(dir / "out.pth", read_checkpoint(original).state_dict);
  const std::string script = R"(
import sys, torch
d = sys.argv[1]
ours = torch.load(d + "/out.pth")["params"]
theirs = torch.load(")" + original.string() + R"(", map_location="cpu")["state_dict"]
assert [k[len("module."):] for k in theirs] == list(ours), "key lists differ"
for k, t in theirs.items():
    o = ours[k[len("module."):]]
    assert o.dtype == t.dtype and o.shape == t.shape and torch.equal(o, t), k
print("compared", len(theirs), "tensors")
)";
  std::string output;
  ASSERT_EQ(run_python(script, dir, output), 0) << output;
  EXPECT_NE(output.find("compared 226 tensors"), std::string::npos) << output;
  std::filesystem::remove_all(dir);
}

TEST(CheckpointWriter, UnwritableDestinationIsAFailureNamingThePath) {
  StateDict sd;
  sd.insert("w", torch::zeros({2}));
  try {
    write_checkpoint("/nonexistent-dir/out.pth", sd);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Failed);
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/out.pth"), std::string::npos);
  }
}

}  // namespace
}  // namespace restora
