#include "checkpoint/unpickler.h"

#include "checkpoint/pickle_text.h"
#include "checkpoint/torch_globals.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>

namespace restora::checkpoint_detail {

namespace {

std::string hex_byte(uint8_t b) {
  static const char* digits = "0123456789abcdef";
  return std::string("0x") + digits[b >> 4] + digits[b & 15];
}

}  // namespace

Unpickler::Unpickler(Cursor& in, ValueArena& arena, StorageTable& storages, UnpicklerLimits limits)
    : in_(in), arena_(arena), storages_(storages), limits_(limits) {}

void Unpickler::fail(const std::string& what) const {
  in_.source().fail("pickle error at offset " + std::to_string(op_offset_) + ": " + what);
}

Value* Unpickler::make(ValueKind kind) {
  Value* value = arena_.make(kind);
  if (!value) fail("too many objects in the pickle");
  return value;
}

void Unpickler::push(Value* value) {
  if (stack_.size() >= limits_.max_stack) fail("pickle stack too deep");
  stack_.push_back(value);
}

Value* Unpickler::pop() {
  const size_t floor = marks_.empty() ? 0 : marks_.back();
  if (stack_.size() <= floor) fail("stack underflow");
  Value* value = stack_.back();
  stack_.pop_back();
  return value;
}

Value* Unpickler::top() {
  const size_t floor = marks_.empty() ? 0 : marks_.back();
  if (stack_.size() <= floor) fail("stack underflow");
  return stack_.back();
}

std::vector<Value*> Unpickler::pop_to_mark() {
  if (marks_.empty()) fail("no MARK on the stack");
  const size_t mark = marks_.back();
  marks_.pop_back();
  std::vector<Value*> items(stack_.begin() + static_cast<std::ptrdiff_t>(mark), stack_.end());
  stack_.resize(mark);
  return items;
}

void Unpickler::add_child(Value* parent, const Value* child) {
  parent->depth = std::max(parent->depth, child->depth + 1);
  if (parent->depth > limits_.max_depth) fail("objects nested deeper than " + std::to_string(limits_.max_depth));
}

Value* Unpickler::make_int(int64_t v) {
  Value* value = make(ValueKind::Int);
  value->integer = v;
  return value;
}

Value* Unpickler::make_string(std::string s) {
  Value* value = make(ValueKind::String);
  value->text = std::move(s);
  return value;
}

Value* Unpickler::make_tuple(std::vector<Value*> items) {
  Value* value = make(ValueKind::Tuple);
  for (const Value* item : items) add_child(value, item);
  value->items = std::move(items);
  return value;
}

Value* Unpickler::make_long(const std::string& le) {
  // Drop redundant sign-extension bytes, then fit int64 when possible.
  std::string bytes = le;
  while (bytes.size() > 1) {
    const auto last = static_cast<uint8_t>(bytes.back());
    const auto prev = static_cast<uint8_t>(bytes[bytes.size() - 2]);
    if ((last == 0x00 && !(prev & 0x80)) || (last == 0xff && (prev & 0x80)))
      bytes.pop_back();
    else
      break;
  }
  if (bytes.size() <= 8) {
    uint64_t u = 0;
    for (size_t i = 0; i < bytes.size(); ++i) u |= static_cast<uint64_t>(static_cast<uint8_t>(bytes[i])) << (8 * i);
    if (!bytes.empty() && (static_cast<uint8_t>(bytes.back()) & 0x80) && bytes.size() < 8)
      u |= ~uint64_t{0} << (8 * bytes.size());
    int64_t v = 0;
    std::memcpy(&v, &u, sizeof v);
    return make_int(v);
  }
  Value* value = make(ValueKind::BigInt);
  value->text = std::move(bytes);
  return value;
}

Value* Unpickler::parse_int_line(const std::string& line, bool long_suffix) {
  std::string digits = line;
  if (long_suffix && !digits.empty() && digits.back() == 'L') digits.pop_back();
  if (!long_suffix && digits == "00") {
    Value* v = make(ValueKind::Bool);
    return v;
  }
  if (!long_suffix && digits == "01") {
    Value* v = make(ValueKind::Bool);
    v->boolean = true;
    return v;
  }
  int64_t v = 0;
  const char* first = digits.data();
  const char* last = digits.data() + digits.size();
  if (first != last && *first == '+') ++first;
  const auto [ptr, ec] = std::from_chars(first, last, v);
  if (ec != std::errc() || ptr != last || first == last) fail("bad or too large integer literal");
  return make_int(v);
}

Value* Unpickler::make_global(const std::string& module, const std::string& name) {
  const std::string full = module + "." + name;
  if (!is_allowed_global(full))
    fail("refuses global " + full + " (only PyTorch tensor, storage and OrderedDict globals are allowed)");
  Value* value = make(ValueKind::Global);
  value->text = full;
  return value;
}

void Unpickler::memo_put(uint64_t index) {
  Value* value = top();
  memo_[index] = value;
}

void Unpickler::memo_get(uint64_t index) {
  const auto it = memo_.find(index);
  if (it == memo_.end()) fail("memo entry " + std::to_string(index) + " was never stored");
  push(it->second);
}

void Unpickler::append(Value* list, const std::vector<Value*>& items) {
  if (list->kind != ValueKind::List) fail(std::string("APPEND to a ") + kind_name(list->kind));
  for (Value* item : items) {
    add_child(list, item);
    list->items.push_back(item);
  }
}

void Unpickler::set_items(Value* dict, const std::vector<Value*>& flat) {
  if (dict->kind != ValueKind::Dict) fail(std::string("SETITEM on a ") + kind_name(dict->kind));
  if (flat.size() % 2 != 0) fail("odd number of items for SETITEMS");
  for (size_t i = 0; i < flat.size(); i += 2) {
    add_child(dict, flat[i]);
    add_child(dict, flat[i + 1]);
    // Python dict semantics: a repeated string key replaces the earlier value in place.
    auto same = std::find_if(dict->entries.begin(), dict->entries.end(), [&](const auto& e) {
      return flat[i]->kind == ValueKind::String && e.first->is_string(flat[i]->text);
    });
    if (same != dict->entries.end())
      same->second = flat[i + 1];
    else
      dict->entries.emplace_back(flat[i], flat[i + 1]);
  }
}

std::vector<int64_t> Unpickler::int_tuple(const Value* v, const char* what) const {
  if (v->kind != ValueKind::Tuple) fail(std::string("tensor ") + what + " is a " + kind_name(v->kind) + ", not a tuple");
  if (v->items.size() > static_cast<size_t>(limits_.max_dims))
    fail(std::string("tensor ") + what + " has " + std::to_string(v->items.size()) + " dimensions");
  std::vector<int64_t> out;
  for (const Value* item : v->items) {
    if (item->kind != ValueKind::Int) fail(std::string("tensor ") + what + " holds a " + kind_name(item->kind));
    if (item->integer < 0) fail(std::string("negative tensor ") + what);
    out.push_back(item->integer);
  }
  return out;
}

Value* Unpickler::load() {
  while (!stopped_) {
    op_offset_ = in_.position();
    dispatch(in_.byte());
  }
  if (stack_.size() != 1 || !marks_.empty()) fail("STOP with " + std::to_string(stack_.size()) + " objects on the stack");
  return stack_.back();
}

void Unpickler::dispatch(uint8_t op) {
  switch (op) {
    case 0x80: {  // PROTO
      const uint8_t proto = in_.byte();
      if (proto > 2) fail("pickle protocol " + std::to_string(proto) + " is not supported (PyTorch writes 2)");
      return;
    }
    case '.': stopped_ = true; return;  // STOP
    case '(': marks_.push_back(stack_.size()); if (marks_.size() > limits_.max_stack) fail("too many MARKs"); return;
    case '0': pop(); return;                          // POP
    case '1': pop_to_mark(); return;                  // POP_MARK
    case '2': push(top()); return;                    // DUP
    case 'N': push(make(ValueKind::None)); return;    // NONE
    case 0x88: case 0x89: {                           // NEWTRUE, NEWFALSE
      Value* v = make(ValueKind::Bool);
      v->boolean = op == 0x88;
      push(v);
      return;
    }
    case 'J': push(make_int(static_cast<int32_t>(static_cast<uint32_t>(in_.u64_le(4))))); return;  // BININT
    case 'K': push(make_int(static_cast<int64_t>(in_.u64_le(1)))); return;  // BININT1
    case 'M': push(make_int(static_cast<int64_t>(in_.u64_le(2)))); return;  // BININT2
    case 'I': push(parse_int_line(in_.line(), false)); return;              // INT
    case 'L': push(parse_int_line(in_.line(), true)); return;               // LONG
    case 0x8a: push(make_long(in_.bytes(in_.byte()))); return;               // LONG1
    case 0x8b: {                                                             // LONG4
      const auto n = static_cast<int32_t>(static_cast<uint32_t>(in_.u64_le(4)));
      if (n < 0) fail("negative LONG4 length");
      push(make_long(in_.bytes(static_cast<uint64_t>(n))));
      return;
    }
    case 'F': {  // FLOAT
      const std::string text = in_.line();
      double d = 0;
      const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
      if (ec != std::errc() || ptr != text.data() + text.size()) fail("bad float literal");
      Value* v = make(ValueKind::Float);
      v->real = d;
      push(v);
      return;
    }
    case 'G': {  // BINFLOAT, big-endian
      uint64_t bits = 0;
      for (int i = 0; i < 8; ++i) bits = (bits << 8) | in_.byte();
      Value* v = make(ValueKind::Float);
      std::memcpy(&v->real, &bits, sizeof bits);
      push(v);
      return;
    }
    case 'S': push(make_string(decode_string_literal(in_.line(), [this](const std::string& m) { fail(m); }))); return;
    case 'V': push(make_string(decode_raw_unicode_escape(in_.line()))); return;
    case 'T': {  // BINSTRING: signed 32-bit length
      const auto n = static_cast<int32_t>(static_cast<uint32_t>(in_.u64_le(4)));
      if (n < 0) fail("negative BINSTRING length");
      push(make_string(in_.bytes(static_cast<uint64_t>(n))));
      return;
    }
    case 'U': push(make_string(in_.bytes(in_.byte()))); return;   // SHORT_BINSTRING
    case 'X': push(make_string(in_.bytes(in_.u64_le(4)))); return;  // BINUNICODE
    case ']': push(make(ValueKind::List)); return;                   // EMPTY_LIST
    case ')': push(make_tuple({})); return;                          // EMPTY_TUPLE
    case '}': push(make(ValueKind::Dict)); return;                   // EMPTY_DICT
    case 'l': {                                                      // LIST
      Value* list = make(ValueKind::List);
      append(list, pop_to_mark());
      push(list);
      return;
    }
    case 't': push(make_tuple(pop_to_mark())); return;  // TUPLE
    case 0x85: case 0x86: case 0x87: {                   // TUPLE1..3
      const size_t n = static_cast<size_t>(op - 0x84);
      std::vector<Value*> items(n);
      for (size_t i = n; i-- > 0;) items[i] = pop();
      push(make_tuple(std::move(items)));
      return;
    }
    case 'd': {  // DICT
      Value* dict = make(ValueKind::Dict);
      set_items(dict, pop_to_mark());
      push(dict);
      return;
    }
    case 'a': {  // APPEND
      Value* item = pop();
      append(top(), {item});
      return;
    }
    case 'e': {  // APPENDS
      std::vector<Value*> items = pop_to_mark();
      append(top(), items);
      return;
    }
    case 's': {  // SETITEM
      Value* value = pop();
      Value* key = pop();
      set_items(top(), {key, value});
      return;
    }
    case 'u': {  // SETITEMS
      std::vector<Value*> flat = pop_to_mark();
      set_items(top(), flat);
      return;
    }
    case 'p': {  // PUT
      const Value* index = parse_int_line(in_.line(), false);
      if (index->kind != ValueKind::Int || index->integer < 0) fail("bad PUT index");
      memo_put(static_cast<uint64_t>(index->integer));
      return;
    }
    case 'g': {  // GET
      const Value* index = parse_int_line(in_.line(), false);
      if (index->kind != ValueKind::Int || index->integer < 0) fail("bad GET index");
      memo_get(static_cast<uint64_t>(index->integer));
      return;
    }
    case 'q': memo_put(in_.u64_le(1)); return;  // BINPUT
    case 'r': memo_put(in_.u64_le(4)); return;  // LONG_BINPUT
    case 'h': memo_get(in_.u64_le(1)); return;  // BINGET
    case 'j': memo_get(in_.u64_le(4)); return;  // LONG_BINGET
    case 'c': {                                 // GLOBAL
      const std::string module = in_.line();
      const std::string name = in_.line();
      push(make_global(module, name));
      return;
    }
    case 'R': {  // REDUCE
      const Value* args = pop();
      const Value* callable = pop();
      push(call(callable, args));
      return;
    }
    case 0x81: {  // NEWOBJ: cls.__new__(cls, *args)
      const Value* args = pop();
      const Value* cls = pop();
      push(call(cls, args));
      return;
    }
    case 'i': {  // INST: class named inline, args after the mark
      const std::string module = in_.line();
      const std::string name = in_.line();
      const Value* cls = make_global(module, name);
      push(call(cls, make_tuple(pop_to_mark())));
      return;
    }
    case 'o': {  // OBJ: class and args after the mark
      std::vector<Value*> items = pop_to_mark();
      if (items.empty()) fail("OBJ without a class");
      const Value* cls = items.front();
      items.erase(items.begin());
      push(call(cls, make_tuple(std::move(items))));
      return;
    }
    case 'b': {  // BUILD
      const Value* state = pop();
      build(top(), state);
      return;
    }
    case 'Q': push(persistent_load(pop())); return;  // BINPERSID
    case 'P': fail("text persistent ids (PERSID) are not used by PyTorch");
    case 0x82: case 0x83: case 0x84: fail("extension registry opcodes (EXT1/2/4) are not supported");
    default:
      fail("opcode " + hex_byte(op) + " is not part of pickle protocol 2");
  }
}

}  // namespace restora::checkpoint_detail
