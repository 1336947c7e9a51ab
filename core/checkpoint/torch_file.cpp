#include "checkpoint/torch_file.h"

#include <torch/torch.h>

#include <cstring>

namespace restora::checkpoint_detail {

namespace {

// About 160 MB at most; real files need some 25 values per tensor (optimizer state included).
constexpr size_t kMaxValues = size_t{1} << 20;
// 0x1950a86a20f9469cfc6c, little-endian: the first pickle of every legacy torch.save file.
const std::string kLegacyMagic("\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19", 10);
constexpr int64_t kLegacyProtocol = 1001;

bool host_is_little_endian() {
  const uint16_t one = 1;
  unsigned char first = 0;
  std::memcpy(&first, &one, 1);
  return first == 1;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

TorchFile::TorchFile(ByteSource& source) : source_(source), arena_(kMaxValues) {
  if (!host_is_little_endian()) throw std::runtime_error("checkpoint reading needs a little-endian host");
  if (source.size() == 0) source.fail("the file is empty");
  unsigned char head[4] = {0, 0, 0, 0};
  source.read(0, head, std::min<uint64_t>(4, source.size()));
  if (head[0] == 'P' && head[1] == 'K') {
    format_ = "zip";
    parse_zip();
  } else if (head[0] == 0x80) {
    format_ = "legacy";
    parse_legacy();
  } else {
    source.fail("not a PyTorch checkpoint (neither a zip archive nor a legacy pickle)");
  }
}

UnpicklerLimits TorchFile::limits() const {
  UnpicklerLimits limits;
  limits.max_storage_bytes = source_.size();
  return limits;
}

void TorchFile::parse_zip() {
  zip_ = std::make_unique<ZipArchive>(source_);
  std::string pickle_name;
  for (const std::string& name : zip_->names()) {
    if (name != "data.pkl" && !ends_with(name, "/data.pkl")) continue;
    // Only <root>/data.pkl counts; deeper ones would be foreign archives.
    if (name.find('/') != name.rfind('/')) continue;
    if (!pickle_name.empty()) source_.fail("zip archive holds more than one data.pkl");
    pickle_name = name;
  }
  if (pickle_name.empty()) source_.fail("zip archive has no data.pkl (not a PyTorch checkpoint)");
  zip_root_ = pickle_name.substr(0, pickle_name.size() - std::string("data.pkl").size());
  if (zip_->contains(zip_root_ + "byteorder")) {
    const std::string order = zip_->read_small(zip_->record(zip_root_ + "byteorder"), 16);
    if (order != "little") source_.fail("storages are stored " + order + "-endian; only little-endian is supported");
  }
  const std::string pickle = zip_->read_small(zip_->record(pickle_name), source_.size());
  MemorySource memory(pickle.data(), pickle.size(), source_.name() + " (" + pickle_name + ")");
  Cursor in(memory, 0, pickle.size());
  root_ = Unpickler(in, arena_, storages_, limits()).load();
}

void TorchFile::parse_legacy() {
  Cursor in(source_, 0, source_.size());
  const Value* magic = Unpickler(in, arena_, storages_, limits()).load();
  if (magic->kind != ValueKind::BigInt || magic->text != kLegacyMagic)
    source_.fail("not a PyTorch checkpoint (legacy magic number missing)");
  const Value* protocol = Unpickler(in, arena_, storages_, limits()).load();
  if (protocol->kind != ValueKind::Int || protocol->integer != kLegacyProtocol)
    source_.fail("unsupported legacy protocol version");
  const Value* sys_info = Unpickler(in, arena_, storages_, limits()).load();
  const Value* little = sys_info->get("little_endian");
  if (!little || little->kind != ValueKind::Bool) source_.fail("legacy header lacks sys_info.little_endian");
  if (!little->boolean) source_.fail("saved on a big-endian machine; only little-endian files are supported");
  root_ = Unpickler(in, arena_, storages_, limits()).load();
  const Value* keys = Unpickler(in, arena_, storages_, limits()).load();
  locate_legacy_storages(in, *keys);
}

void TorchFile::locate_legacy_storages(Cursor& in, const Value& keys) {
  if (keys.kind != ValueKind::List) source_.fail("legacy storage key list is missing");
  constexpr uint64_t kUnset = ~uint64_t{0};
  legacy_offsets_.assign(storages_.infos.size(), kUnset);
  uint64_t at = in.position();
  for (const Value* key : keys.items) {
    if (key->kind != ValueKind::String) source_.fail("legacy storage key is not a string");
    const auto it = storages_.by_key.find(key->text);
    if (it == storages_.by_key.end()) source_.fail("legacy storage " + key->text + " is listed but never used");
    const auto index = static_cast<size_t>(it->second->integer);
    if (legacy_offsets_[index] != kUnset) source_.fail("legacy storage " + key->text + " is listed twice");
    const StorageInfo& info = storages_.infos[index];
    source_.check_range(at, 8, "element count of storage " + info.key);
    unsigned char count_bytes[8];
    source_.read(at, count_bytes, 8);
    uint64_t count = 0;
    for (int i = 0; i < 8; ++i) count |= static_cast<uint64_t>(count_bytes[i]) << (8 * i);
    if (count != static_cast<uint64_t>(info.numel))
      source_.fail("storage " + info.key + " holds " + std::to_string(count) + " elements, its tensor header says " +
                   std::to_string(info.numel));
    at += 8;
    const uint64_t bytes = count * c10::elementSize(info.dtype);  // bounded: numel was checked against the file size
    source_.check_range(at, bytes, "storage " + info.key);
    legacy_offsets_[index] = at;
    at += bytes;
  }
  for (size_t i = 0; i < legacy_offsets_.size(); ++i)
    if (legacy_offsets_[i] == kUnset) source_.fail("storage " + storages_.infos[i].key + " has no data in the file");
}

torch::Tensor TorchFile::load_storage(size_t index) {
  if (loaded_.size() < storages_.infos.size()) loaded_.resize(storages_.infos.size());
  if (loaded_[index].defined()) return loaded_[index];
  const StorageInfo& info = storages_.infos[index];
  const uint64_t bytes = static_cast<uint64_t>(info.numel) * c10::elementSize(info.dtype);
  uint64_t offset = 0;
  std::optional<uint32_t> crc;
  if (zip_) {
    const ZipRecord record = zip_->record(zip_root_ + "data/" + info.key);
    if (record.size != bytes)
      source_.fail("storage record " + record.name + " holds " + std::to_string(record.size) + " bytes, its tensors need " +
                   std::to_string(bytes));
    offset = record.data_offset;
    crc = record.crc32;
  } else {
    offset = legacy_offsets_.at(index);
  }
  source_.check_range(offset, bytes, "storage " + info.key);  // before allocating anything
  torch::Tensor storage = torch::empty({info.numel}, torch::TensorOptions().dtype(info.dtype));
  source_.read(offset, storage.data_ptr(), static_cast<size_t>(bytes));
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
  if (crc && crc32_update(0, storage.data_ptr(), static_cast<size_t>(bytes)) != *crc)
    source_.fail("storage record " + info.key + " is corrupt (CRC mismatch)");
#endif
  if (info.dtype == torch::kBool) {
    const auto* p = static_cast<const unsigned char*>(storage.data_ptr());
    for (int64_t i = 0; i < info.numel; ++i)
      if (p[i] > 1) source_.fail("bool storage " + info.key + " holds a value other than 0 or 1");
  }
  loaded_[index] = storage;
  return storage;
}

torch::Tensor TorchFile::tensor(const Value& value, bool to_float32) {
  const auto index = static_cast<size_t>(value.items.at(0)->integer);
  torch::Tensor storage = load_storage(index);
  if (to_float32 && storage.is_floating_point() && storage.scalar_type() != torch::kFloat) {
    if (loaded_f32_.size() < loaded_.size()) loaded_f32_.resize(loaded_.size());
    if (!loaded_f32_[index].defined()) loaded_f32_[index] = storage.to(torch::kFloat);
    storage = loaded_f32_[index];
  }
  // Extents were checked against the storage size when the tensor was unpickled.
  return storage.as_strided(value.sizes, value.strides, value.integer);
}

}  // namespace restora::checkpoint_detail
