// The torch-specific half of the Unpickler: what the allow-listed callables build, BUILD on
// an OrderedDict, and storage persistent ids. Nothing here runs code named by the file.
#include "checkpoint/torch_globals.h"
#include "checkpoint/unpickler.h"

#include <c10/core/ScalarType.h>

namespace restora::checkpoint_detail {

namespace {

/// offset + sum((size_i - 1) * stride_i) + 1, or -1 on overflow; 0 for an empty tensor.
int64_t required_extent(int64_t offset, const std::vector<int64_t>& sizes, const std::vector<int64_t>& strides) {
  int64_t last = offset;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] == 0) return 0;
    int64_t step = 0;
    if (__builtin_mul_overflow(sizes[i] - 1, strides[i], &step) || __builtin_add_overflow(last, step, &last))
      return -1;
  }
  return last == std::numeric_limits<int64_t>::max() ? -1 : last + 1;
}

}  // namespace

Value* Unpickler::call(const Value* callable, const Value* args) {
  if (callable->kind != ValueKind::Global) fail(std::string("call of a ") + kind_name(callable->kind));
  if (args->kind != ValueKind::Tuple) fail("call arguments are not a tuple");
  const std::string& name = callable->text;
  const auto& a = args->items;
  if (name == "collections.OrderedDict") {
    if (!a.empty()) fail("OrderedDict called with arguments");
    Value* dict = make(ValueKind::Dict);
    return dict;
  }
  if (name == "torch._utils._rebuild_tensor_v2") return rebuild_tensor(args, true);
  if (name == "torch._utils._rebuild_tensor") return rebuild_tensor(args, false);
  if (name == "torch._utils._rebuild_parameter") {
    if (a.size() < 2 || a[0]->kind != ValueKind::Tensor) fail("_rebuild_parameter without a tensor");
    return a[0];
  }
  if (name == "torch.Size") {
    if (a.size() != 1 || a[0]->kind != ValueKind::Tuple) fail("torch.Size needs one tuple");
    return a[0];
  }
  fail(name + " cannot be called");
}

Value* Unpickler::rebuild_tensor(const Value* args, bool v2) {
  const auto& a = args->items;
  // v2: (storage, offset, size, stride, requires_grad, backward_hooks[, metadata]); v1: the first 4.
  if (v2 ? (a.size() != 6 && a.size() != 7) : a.size() != 4)
    fail("tensor rebuild with " + std::to_string(a.size()) + " arguments");
  if (a[0]->kind != ValueKind::Storage) fail("tensor rebuilt from a " + std::string(kind_name(a[0]->kind)));
  if (a[1]->kind != ValueKind::Int || a[1]->integer < 0) fail("bad tensor storage offset");
  Value* tensor = make(ValueKind::Tensor);
  tensor->sizes = int_tuple(a[2], "size");
  tensor->strides = int_tuple(a[3], "stride");
  if (tensor->sizes.size() != tensor->strides.size()) fail("tensor size and stride differ in length");
  tensor->integer = a[1]->integer;
  tensor->items = {a[0]};
  add_child(tensor, a[0]);

  const StorageInfo& storage = storages_.infos.at(static_cast<size_t>(a[0]->integer));
  const int64_t extent = required_extent(tensor->integer, tensor->sizes, tensor->strides);
  if (extent < 0 || extent > storage.numel)
    fail("tensor reaches beyond its storage " + storage.key + " (" + std::to_string(storage.numel) + " elements)");
  int64_t numel = 1;
  for (int64_t s : tensor->sizes)
    if (__builtin_mul_overflow(numel, s, &numel)) fail("tensor element count overflows");
  // Real state dicts never expand a storage; refusing it keeps later copies bounded by the file.
  if (numel > std::max<int64_t>(storage.numel, 1)) fail("tensor has more elements than its storage " + storage.key);
  return tensor;
}

void Unpickler::build(Value* object, const Value* state) {
  // torch pickles an OrderedDict state_dict with BUILD({"_metadata": OrderedDict(...)}); the
  // version metadata is of no use here, so it is accepted and dropped. Nothing else is built.
  if (object->kind == ValueKind::Dict) {
    const Value* dict_state = state;
    if (state->kind == ValueKind::Tuple && state->items.size() == 2 && state->items[1]->kind == ValueKind::None)
      dict_state = state->items[0];
    if (dict_state->kind == ValueKind::None) return;
    if (dict_state->kind == ValueKind::Dict) {
      for (const auto& entry : dict_state->entries)
        if (!entry.first->is_string("_metadata")) fail("BUILD sets attribute other than _metadata on a dict");
      return;
    }
  }
  fail(std::string("BUILD on a ") + kind_name(object->kind) + " is not supported");
}

Value* Unpickler::persistent_load(const Value* pid) {
  // zip: ("storage", cls, key, location, numel); legacy: the same plus view_metadata (None).
  if (pid->kind != ValueKind::Tuple || pid->items.empty() || !pid->items[0]->is_string("storage"))
    fail("persistent id is not a torch storage");
  const auto& a = pid->items;
  if (a.size() != 5 && a.size() != 6) fail("storage persistent id with " + std::to_string(a.size()) + " fields");
  if (a.size() == 6 && a[5]->kind != ValueKind::None) fail("storage views (PyTorch < 0.4 files) are not supported");
  if (a[1]->kind != ValueKind::Global) fail("storage class is not a global");
  const auto dtype = storage_dtype(a[1]->text);
  if (!dtype) fail("unsupported storage class " + a[1]->text);
  if (a[2]->kind != ValueKind::String || a[2]->text.empty()) fail("storage key is not a string");
  if (a[3]->kind != ValueKind::String) fail("storage location is not a string");
  if (a[4]->kind != ValueKind::Int || a[4]->integer < 0) fail("bad storage element count");
  int64_t bytes = 0;
  if (__builtin_mul_overflow(a[4]->integer, static_cast<int64_t>(c10::elementSize(*dtype)), &bytes) ||
      static_cast<uint64_t>(bytes) > limits_.max_storage_bytes)
    fail("storage " + a[2]->text + " claims " + std::to_string(a[4]->integer) +
         " elements, more than the file holds");

  const std::string& key = a[2]->text;
  if (const auto it = storages_.by_key.find(key); it != storages_.by_key.end()) {
    const StorageInfo& known = storages_.infos.at(static_cast<size_t>(it->second->integer));
    if (known.dtype != *dtype || known.numel != a[4]->integer) fail("storage " + key + " described twice differently");
    return it->second;
  }
  Value* storage = make(ValueKind::Storage);
  storage->integer = static_cast<int64_t>(storages_.infos.size());
  storages_.infos.push_back(StorageInfo{key, *dtype, a[4]->integer, a[3]->text});
  storages_.by_key.emplace(key, storage);
  return storage;
}

}  // namespace restora::checkpoint_detail
