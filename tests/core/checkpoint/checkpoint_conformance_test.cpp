// Every conformance checkpoint (zip, legacy, legacy from CUDA) reads to the state dict that
// meta.json describes, identically across formats, with shared parameters still shared.
#include "checkpoint/checkpoint.h"
#include "common/error.h"
#include "support/conformance.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <set>

namespace restora {
namespace {

std::string strip_module(const std::string& key) { return key.rfind("module.", 0) == 0 ? key.substr(7) : key; }

const void* storage_of(const torch::Tensor& t) { return t.storage().unsafeGetStorageImpl(); }

std::vector<test::ConformanceCase> all_cases() {
  std::vector<test::ConformanceCase> cases;
  for (const char* arch : {"mprnet", "mirnet", "mirnetv2", "hinet"})
    for (auto& c : test::conformance_cases(arch)) cases.push_back(std::move(c));
  return cases;
}

TEST(CheckpointConformance, EveryCaseHasItsNineCheckpointsAndMoreThanOneFormat) {
  const auto cases = all_cases();
  EXPECT_EQ(cases.size(), 9u);
  size_t files = 0;
  for (const auto& c : cases) {
    EXPECT_GE(c.weight_files().size(), 2u) << c.name;
    files += c.weight_files().size();
  }
  EXPECT_EQ(files, 20u);  // 9 zip + 9 legacy + 2 legacy_cuda
}

TEST(CheckpointConformance, NamesAndShapesEqualMetaStateDictInEveryFormat) {
  for (const auto& c : all_cases()) {
    const auto& expected = c.meta.at("state_dict");
    for (const auto& path : c.weight_files()) {
      SCOPED_TRACE(path.string());
      const Checkpoint ck = read_checkpoint(path);
      EXPECT_EQ(ck.format, path.filename() == "weights.pth" ? "zip" : "legacy");
      EXPECT_EQ(ck.container_key, c.meta.at("checkpoint").at("state_dict_key").get<std::string>());
      ASSERT_EQ(ck.state_dict.size(), expected.size());
      for (size_t i = 0; i < expected.size(); ++i) {
        const auto& [name, tensor] = ck.state_dict.entries()[i];
        EXPECT_EQ(name, strip_module(expected[i][0].get<std::string>()));
        EXPECT_EQ(tensor.sizes().vec(), expected[i][1].get<std::vector<int64_t>>()) << name;
        EXPECT_EQ(tensor.scalar_type(), torch::kFloat) << name;
      }
      const auto& prefix = c.meta.at("checkpoint").at("key_prefix");
      const bool prefixed = prefix.is_string() && prefix.get<std::string>() == "module.";
      EXPECT_EQ(!ck.notes.empty(), prefixed);
    }
  }
}

TEST(CheckpointConformance, AllFormatsOfACaseHoldIdenticalTensors) {
  for (const auto& c : all_cases()) {
    const auto files = c.weight_files();
    ASSERT_FALSE(files.empty()) << c.name;
    const Checkpoint reference = read_checkpoint(files.front());
    for (size_t f = 1; f < files.size(); ++f) {
      SCOPED_TRACE(files[f].string());
      const Checkpoint other = read_checkpoint(files[f]);
      ASSERT_EQ(other.state_dict.size(), reference.state_dict.size());
      for (size_t i = 0; i < reference.state_dict.size(); ++i) {
        const auto& [name, tensor] = reference.state_dict.entries()[i];
        EXPECT_EQ(other.state_dict.entries()[i].first, name);
        EXPECT_TRUE(torch::equal(other.state_dict.entries()[i].second, tensor)) << name;
      }
    }
  }
}

TEST(CheckpointConformance, SharedKeyGroupsAliasOneStorageAndUniqueCountsMatch) {
  for (const auto& c : all_cases()) {
    const auto& meta = c.meta.at("checkpoint");
    for (const auto& path : c.weight_files()) {
      SCOPED_TRACE(path.string());
      const Checkpoint ck = read_checkpoint(path);
      for (const auto& group : meta.at("shared_key_groups")) {
        const torch::Tensor* first = ck.state_dict.find(strip_module(group[0].get<std::string>()));
        ASSERT_NE(first, nullptr);
        for (const auto& key : group) {
          const torch::Tensor* t = ck.state_dict.find(strip_module(key.get<std::string>()));
          ASSERT_NE(t, nullptr) << key;
          EXPECT_EQ(storage_of(*t), storage_of(*first)) << key;
          EXPECT_EQ(t->data_ptr(), first->data_ptr()) << key;
        }
      }
      std::set<const void*> storages;
      for (const auto& entry : ck.state_dict.entries()) storages.insert(storage_of(entry.second));
      EXPECT_EQ(storages.size(), meta.at("num_unique_tensors").get<size_t>());
    }
  }
}

TEST(CheckpointConformance, ExplicitKeySelectsAnEntryAndAMissingKeyListsTheAvailableOnes) {
  const auto cases = test::conformance_cases("mprnet");
  ASSERT_FALSE(cases.empty());
  const auto path = cases.front().dir / "weights.pth";
  CheckpointReadOptions options;
  options.key = "state_dict";
  EXPECT_EQ(read_checkpoint(path, options).container_key, "state_dict");
  options.key = "params";
  try {
    read_checkpoint(path, options);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput);
    const std::string message = e.what();
    EXPECT_NE(message.find("\"params\""), std::string::npos) << message;
    EXPECT_NE(message.find("epoch, state_dict, optimizer"), std::string::npos) << message;
    EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace restora
