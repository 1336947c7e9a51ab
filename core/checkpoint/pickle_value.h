#pragma once
#include <c10/core/ScalarType.h>

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace restora::checkpoint_detail {

/// The few Python object kinds a checkpoint pickle may build. Storage and Tensor stand for the
/// results of the allow-listed torch callables; nothing else is ever constructed.
enum class ValueKind { None, Bool, Int, BigInt, Float, String, List, Tuple, Dict, Global, Storage, Tensor };

const char* kind_name(ValueKind kind);

/// One pickled object. Values live in a ValueArena and refer to each other by pointer, so
/// memo sharing and even cycles cost nothing and destruction never recurses.
struct Value {
  ValueKind kind = ValueKind::None;
  bool boolean = false;
  int64_t integer = 0;      ///< Int; Storage: index in the StorageTable; Tensor: storage offset
  double real = 0.0;
  std::string text;         ///< String (raw bytes), Global ("module.name"), BigInt (little-endian two's complement)
  std::vector<Value*> items;                     ///< List, Tuple; Tensor: [storage]
  std::vector<std::pair<Value*, Value*>> entries;  ///< Dict (insertion order)
  std::vector<int64_t> sizes, strides;           ///< Tensor
  int depth = 0;            ///< nesting depth, bounded by the unpickler

  bool is_string(std::string_view s) const { return kind == ValueKind::String && text == s; }
  /// Dict entry with this string key, or nullptr.
  const Value* get(std::string_view key) const;
};

class ValueArena {
 public:
  explicit ValueArena(size_t max_values) : max_values_(max_values) {}
  /// A new value; returns nullptr when the arena is full (the caller reports it).
  Value* make(ValueKind kind);

 private:
  std::deque<Value> values_;
  size_t max_values_;
};

/// One storage named by a persistent id ("storage", class, key, location, numel).
struct StorageInfo {
  std::string key;
  c10::ScalarType dtype = c10::ScalarType::Float;
  int64_t numel = 0;
  std::string location;
};

}  // namespace restora::checkpoint_detail
