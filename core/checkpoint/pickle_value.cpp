#include "checkpoint/pickle_value.h"

namespace restora::checkpoint_detail {

const char* kind_name(ValueKind kind) {
  switch (kind) {
    case ValueKind::None: return "None";
    case ValueKind::Bool: return "bool";
    case ValueKind::Int: return "int";
    case ValueKind::BigInt: return "int";
    case ValueKind::Float: return "float";
    case ValueKind::String: return "str";
    case ValueKind::List: return "list";
    case ValueKind::Tuple: return "tuple";
    case ValueKind::Dict: return "dict";
    case ValueKind::Global: return "global";
    case ValueKind::Storage: return "storage";
    case ValueKind::Tensor: return "tensor";
  }
  return "?";
}

const Value* Value::get(std::string_view key) const {
  if (kind != ValueKind::Dict) return nullptr;
  for (const auto& [k, v] : entries)
    if (k->is_string(key)) return v;
  return nullptr;
}

Value* ValueArena::make(ValueKind kind) {
  if (values_.size() >= max_values_) return nullptr;
  Value& value = values_.emplace_back();
  value.kind = kind;
  return &value;
}

}  // namespace restora::checkpoint_detail
