#pragma once
#include "checkpoint/byte_source.h"
#include "checkpoint/pickle_value.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace restora::checkpoint_detail {

/// Storages named by persistent ids so far; one Value per key, so every tensor over a key
/// points at the same storage (this is what keeps shared parameters shared).
struct StorageTable {
  std::vector<StorageInfo> infos;
  std::unordered_map<std::string, Value*> by_key;
};

/// Limits that keep a hostile pickle from using unbounded memory.
struct UnpicklerLimits {
  size_t max_stack = size_t{1} << 22;
  int max_depth = 200;
  int max_dims = 32;
  /// No storage may claim more bytes than this (the checkpoint file's size).
  uint64_t max_storage_bytes = 0;
};

/// A pickle (protocol <= 2) reader that builds plain values and never executes anything.
/// GLOBAL is refused for every name outside a fixed allow-list (OrderedDict, the tensor rebuild
/// functions, torch storage classes, torch.Size); REDUCE/NEWOBJ/BUILD only act on those.
/// Persistent ids must be torch storage ids: ("storage", class, key, location, numel[, view]).
class Unpickler {
 public:
  Unpickler(Cursor& in, ValueArena& arena, StorageTable& storages, UnpicklerLimits limits = {});
  /// Reads one pickle up to and including STOP and returns its object.
  Value* load();

 private:
  void dispatch(uint8_t op);
  [[noreturn]] void fail(const std::string& what) const;
  Value* make(ValueKind kind);
  void push(Value* value);
  Value* pop();
  Value* top();
  std::vector<Value*> pop_to_mark();
  void add_child(Value* parent, const Value* child);
  Value* make_int(int64_t v);
  Value* make_string(std::string s);
  Value* make_tuple(std::vector<Value*> items);
  Value* make_long(const std::string& le_bytes);
  Value* parse_int_line(const std::string& line, bool long_suffix);
  Value* make_global(const std::string& module, const std::string& name);
  void memo_put(uint64_t index);
  void memo_get(uint64_t index);
  void append(Value* list, const std::vector<Value*>& items);
  void set_items(Value* dict, const std::vector<Value*>& flat);
  Value* call(const Value* callable, const Value* args);
  Value* rebuild_tensor(const Value* args, bool v2);
  void build(Value* object, const Value* state);
  Value* persistent_load(const Value* pid);
  std::vector<int64_t> int_tuple(const Value* v, const char* what) const;

  Cursor& in_;
  ValueArena& arena_;
  StorageTable& storages_;
  UnpicklerLimits limits_;
  std::vector<Value*> stack_;
  std::vector<size_t> marks_;
  std::unordered_map<uint64_t, Value*> memo_;
  uint64_t op_offset_ = 0;
  bool stopped_ = false;
};

}  // namespace restora::checkpoint_detail
