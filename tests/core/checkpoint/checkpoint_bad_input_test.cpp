// Hostile or broken files: each must end in one clear Error(BadInput) naming the file, with
// bounded memory, never a crash or a hang.
#include "checkpoint/checkpoint.h"
#include "checkpoint_test_files.h"
#include "common/error.h"
#include "support/shared_data.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <fstream>

namespace restora {
namespace {

using checkpoint_detail::PickleWriter;
using test::TensorClaim;
using namespace std::string_literals;

std::string error_of(const std::string& bytes) {
  try {
    read_checkpoint_from_bytes(bytes.data(), bytes.size(), "bad.pth");
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput) << e.what();
    const std::string message = e.what();
    EXPECT_EQ(message.rfind("bad.pth", 0), 0u) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    return message;
  }
  ADD_FAILURE() << "no error";
  return "";
}

#define EXPECT_ERROR_MENTIONS(bytes, text)                        \
  do {                                                             \
    const std::string message_ = error_of(bytes);                  \
    EXPECT_NE(message_.find(text), std::string::npos) << message_; \
  } while (0)

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes(static_cast<size_t>(std::filesystem::file_size(path)), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return bytes;
}

TEST(CheckpointBadInput, AHandMadeValidCheckpointReadsSoTheVariationsBelowTestWhatTheyClaim) {
  const std::string bytes = test::zip_checkpoint({}, test::float_bytes(4));
  const Checkpoint ck = read_checkpoint_from_bytes(bytes.data(), bytes.size(), "ok.pth");
  ASSERT_EQ(ck.state_dict.size(), 1u);
  EXPECT_TRUE(torch::equal(*ck.state_dict.find("w"), torch::tensor({0.5f, 1.5f, 2.5f, 3.5f}).reshape({2, 2})));
}

TEST(CheckpointBadInput, EmptyFileAndForeignFilesAreRefused) {
  EXPECT_ERROR_MENTIONS(std::string(), "empty");
  EXPECT_ERROR_MENTIONS(std::string("hello, world"), "not a PyTorch checkpoint");
  EXPECT_ERROR_MENTIONS(PickleWriter().proto().integer(5).stop().bytes(), "legacy magic number");
  EXPECT_ERROR_MENTIONS(std::string("PK\x03\x04 not really a zip"), "end of central directory");
}

TEST(CheckpointBadInput, MissingFileIsABadInputNamingThePath) {
  try {
    read_checkpoint("/nonexistent/weights.pth");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadInput);
    EXPECT_NE(std::string(e.what()).find("/nonexistent/weights.pth"), std::string::npos);
  }
}

TEST(CheckpointBadInput, EveryTruncationOfRealCheckpointsIsRefused) {
  for (const char* name : {"mprnet/tiny_a/weights.pth", "mprnet/tiny_a/weights_legacy_cuda.pth",
                           "hinet/tiny_a/weights_legacy.pth"}) {
    SCOPED_TRACE(name);
    const std::string whole = file_bytes(test::shared_path(std::string("conformance/") + name));
    ASSERT_GT(whole.size(), 1000u);
    for (size_t cut : {size_t{1}, size_t{2}, size_t{30}, size_t{500}, whole.size() / 2, whole.size() - 23,
                       whole.size() - 1})
      error_of(whole.substr(0, cut));
  }
}

TEST(CheckpointBadInput, ZipWithoutDataPklIsRefused) {
  EXPECT_ERROR_MENTIONS(test::zip_of({{"archive/version", "3\n"}}), "no data.pkl");
  EXPECT_ERROR_MENTIONS(test::zip_of({}), "no data.pkl");
}

TEST(CheckpointBadInput, CompressedAndCorruptRecordsAreRefused) {
  std::string bytes = test::zip_checkpoint({}, test::float_bytes(4));
  std::string compressed = bytes;
  const size_t central = compressed.find("PK\x01\x02");
  ASSERT_NE(central, std::string::npos);
  compressed[central + 10] = 8;  // method: deflate
  EXPECT_ERROR_MENTIONS(compressed, "is compressed");

  const std::string data = test::float_bytes(4);
  const size_t at = bytes.find(data);
  ASSERT_NE(at, std::string::npos);
  bytes[at + 5] ^= 0x40;
  EXPECT_ERROR_MENTIONS(bytes, "CRC mismatch");
}

TEST(CheckpointBadInput, UnknownGlobalsAreRefusedByNameAndNeverCalled) {
  // pickle.dumps of a __reduce__ returning (os.system, ("touch pwned",)), protocol 2.
  PickleWriter p;
  p.proto().global("os", "system").unicode("touch /tmp/restora-pwned").raw("\x85").reduce().stop();
  EXPECT_ERROR_MENTIONS(test::zip_with_pickle(p.bytes()), "refuses global os.system");
  EXPECT_ERROR_MENTIONS(p.bytes(), "refuses global os.system");  // as a legacy file
  EXPECT_FALSE(std::filesystem::exists("/tmp/restora-pwned"));
  for (const auto& [module, name] : std::vector<std::pair<std::string, std::string>>{
           {"builtins", "eval"}, {"__builtin__", "getattr"}, {"torch", "load"}, {"torch._utils", "_rebuild_qtensor"},
           {"subprocess", "Popen"}, {"torch", "ComplexFloatStorage"}})
    EXPECT_ERROR_MENTIONS(test::zip_with_pickle(PickleWriter().proto().global(module, name).stop().bytes()),
                          "refuses global " + module + "." + name);
  // INST names its class inline: the same allow-list applies.
  EXPECT_ERROR_MENTIONS(test::zip_with_pickle("\x80\x02(ios\nsystem\n."), "refuses global os.system");
}

TEST(CheckpointBadInput, DeepNestingIsRefused) {
  const std::string nested = "\x80\x02" + std::string(100000, ']') + std::string(99999, 'a') + ".";
  EXPECT_ERROR_MENTIONS(test::zip_with_pickle(nested), "nested deeper");
  const std::string tuples = "\x80\x02N" + std::string(100000, '\x85') + ".";
  EXPECT_ERROR_MENTIONS(test::zip_with_pickle(tuples), "nested deeper");
}

TEST(CheckpointBadInput, MemoAndStackAbuseIsRefused) {
  EXPECT_ERROR_MENTIONS(test::zip_with_pickle("\x80\x02h\x07."), "memo entry 7");
  EXPECT_ERROR_MENTIONS(test::zip_with_pickle("\x80\x02j\xff\xff\xff\xff."), "memo entry 4294967295");
  EXPECT_ERROR_MENTIONS(test::zip_with_pickle("\x80\x02" "0."), "stack underflow");
  EXPECT_ERROR_MENTIONS(test::zip_with_pickle("\x80\x02" "2."), "stack underflow");
  EXPECT_ERROR_MENTIONS(test::zip_with_pickle("\x80\x02."), "STOP with 0 objects");
  EXPECT_ERROR_MENTIONS(test::zip_with_pickle("\x80\x02NN."), "STOP with 2 objects");
  EXPECT_ERROR_MENTIONS(test::zip_with_pickle("\x80\x02(N(t0t0u."), "no MARK");
  EXPECT_ERROR_MENTIONS(test::zip_with_pickle("\x80\x02}Ns."), "stack underflow");
  EXPECT_ERROR_MENTIONS(test::zip_with_pickle("\x80\x02]NNs."), "SETITEM on a list");
  // A huge memo index costs one map entry, not a 4-GiB table.
  EXPECT_ERROR_MENTIONS(test::zip_with_pickle("\x80\x02]r\xff\xff\xff\xff."), "holds a list");
  // Millions of pushes: refused at a fixed bound, without running out of memory.
  std::string flood = "\x80\x02";
  for (int i = 0; i < 1100000; ++i) flood += "]0";
  EXPECT_ERROR_MENTIONS(test::zip_with_pickle(flood + "N."), "too many objects");
  EXPECT_ERROR_MENTIONS(test::zip_with_pickle("\x80\x02N" + std::string(5000000, '2') + "."), "stack too deep");
}

TEST(CheckpointBadInput, OpcodesOutsideProtocol2AreRefused) {
  EXPECT_ERROR_MENTIONS(test::zip_with_pickle("\x80\x03N."), "protocol 3");
  EXPECT_ERROR_MENTIONS(test::zip_with_pickle("\x80\x02" "B\x01\x00\x00\x00x."s), "opcode 0x42");
  EXPECT_ERROR_MENTIONS(test::zip_with_pickle("\x80\x02\x82\x01."), "EXT1/2/4");
  EXPECT_ERROR_MENTIONS(test::zip_with_pickle("\x80\x02Pfoo\n."), "PERSID");
  EXPECT_ERROR_MENTIONS(test::zip_with_pickle("\x80\x02" "N(X\x03\x00\x00\x00" "foot" "Q."s), "not a torch storage");
}

TEST(CheckpointBadInput, StoragesBeyondTheirRecordOrTheFileAreRefusedBeforeAllocating) {
  EXPECT_ERROR_MENTIONS(test::zip_checkpoint({}, test::float_bytes(2)), "holds 8 bytes, its tensors need 16");
  TensorClaim terabytes;
  terabytes.storage_numel = int64_t{1} << 40;
  EXPECT_ERROR_MENTIONS(test::zip_checkpoint(terabytes, test::float_bytes(4)), "more than the file holds");
  TensorClaim missing_record;
  EXPECT_ERROR_MENTIONS(test::zip_with_pickle(test::params_pickle(missing_record)), "data/0 is missing");
}

TEST(CheckpointBadInput, TensorsReachingOutsideTheirStorageAreRefused) {
  TensorClaim offset;
  offset.offset = 100;
  EXPECT_ERROR_MENTIONS(test::zip_checkpoint(offset, test::float_bytes(4)), "reaches beyond its storage");
  TensorClaim stride;
  stride.strides = {3, 1};
  EXPECT_ERROR_MENTIONS(test::zip_checkpoint(stride, test::float_bytes(4)), "reaches beyond its storage");
  TensorClaim overflow;
  overflow.sizes = {int64_t{1} << 40, int64_t{1} << 40};
  overflow.strides = {int64_t{1} << 40, int64_t{1} << 40};
  EXPECT_ERROR_MENTIONS(test::zip_checkpoint(overflow, test::float_bytes(4)), "reaches beyond its storage");
  TensorClaim expanded;  // a broadcast view claiming 2^40 elements over 4 floats
  expanded.sizes = {int64_t{1} << 40};
  expanded.strides = {0};
  EXPECT_ERROR_MENTIONS(test::zip_checkpoint(expanded, test::float_bytes(4)), "more elements than its storage");
  TensorClaim negative;
  negative.sizes = {-1, 2};
  EXPECT_ERROR_MENTIONS(test::zip_checkpoint(negative, test::float_bytes(4)), "negative tensor size");
  TensorClaim ragged;
  ragged.strides = {1};
  EXPECT_ERROR_MENTIONS(test::zip_checkpoint(ragged, test::float_bytes(4)), "differ in length");
  TensorClaim complex;
  complex.storage_class = "ComplexDoubleStorage";
  EXPECT_ERROR_MENTIONS(test::zip_checkpoint(complex, test::float_bytes(4)), "ComplexDoubleStorage");
}

TEST(CheckpointBadInput, HugeLengthsInThePickleAreCheckedAgainstWhatIsLeft) {
  EXPECT_ERROR_MENTIONS(test::zip_with_pickle("\x80\x02X\xf0\xff\xff\xff" "abc."), "4294967280 bytes claimed");
  EXPECT_ERROR_MENTIONS(test::zip_with_pickle("\x80\x02\x8b\xff\xff\xff\x7f."), "truncated pickle");
  EXPECT_ERROR_MENTIONS(test::zip_with_pickle("\x80\x02T\xff\xff\xff\xff."), "negative BINSTRING");
  EXPECT_ERROR_MENTIONS(test::zip_with_pickle("\x80\x02I99999999999999999999999\n."), "too large integer");
  // A central directory claiming 65534 entries in a few bytes.
  std::string zip = test::zip_of({{"archive/data.pkl", "\x80\x02}."}});
  const size_t end = zip.rfind("PK\x05\x06");
  zip[end + 8] = zip[end + 10] = '\xfe';
  zip[end + 9] = zip[end + 11] = '\xff';
  EXPECT_ERROR_MENTIONS(zip, "more entries than it can hold");
}

/// A legacy (torch < 1.6) file: magic, protocol, sys_info, {"w": tensor over 4 floats}, keys,
/// then the storage as an element count (`count_written`) and its bytes.
std::string legacy_checkpoint(uint64_t count_written) {
  PickleWriter p;
  p.proto().raw(std::string("\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19", 12)).stop();
  p.proto().integer(1001).stop();
  p.proto().empty_dict().unicode("little_endian").boolean(true).raw("s").stop();
  p.proto().empty_dict().unicode("w").global("torch._utils", "_rebuild_tensor_v2").mark();
  p.mark().unicode("storage").global("torch.cuda", "FloatStorage").unicode("94823").unicode("cuda:0").integer(4);
  p.none().tuple().binpersid().integer(0).mark().integer(4).tuple().mark().integer(1).tuple().boolean(false);
  p.global("collections", "OrderedDict").empty_tuple().reduce().tuple().reduce().raw("s").stop();
  p.proto().empty_list().unicode("94823").raw("a").stop();
  std::string bytes = p.bytes();
  for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<char>((count_written >> (8 * i)) & 0xFF));
  return bytes + test::float_bytes(4);
}

TEST(CheckpointBadInput, AHandMadeLegacyFileReadsAndItsStorageCountMustMatchItsHeader) {
  const std::string ok = legacy_checkpoint(4);
  const Checkpoint ck = read_checkpoint_from_bytes(ok.data(), ok.size(), "ok.pth");
  EXPECT_EQ(ck.format, "legacy");
  EXPECT_EQ(ck.container_key, "");
  ASSERT_NE(ck.state_dict.find("w"), nullptr);
  EXPECT_TRUE(torch::equal(*ck.state_dict.find("w"), torch::tensor({0.5f, 1.5f, 2.5f, 3.5f})));
  EXPECT_ERROR_MENTIONS(legacy_checkpoint(3), "holds 3 elements, its tensor header says 4");
  EXPECT_ERROR_MENTIONS(legacy_checkpoint(uint64_t{1} << 62), "its tensor header says 4");
  EXPECT_ERROR_MENTIONS(ok.substr(0, ok.size() - 1), "beyond the end of the file");
}

}  // namespace
}  // namespace restora
