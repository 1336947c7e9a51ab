#pragma once
#include <cstdint>
#include <string>

namespace restora::checkpoint_detail {

/// Emits protocol-2 pickle opcodes, one call per opcode; the caller keeps the stack balanced.
/// Used by write_checkpoint, and by tests to build hostile pickles by hand.
class PickleWriter {
 public:
  PickleWriter& proto() { return op("\x80\x02"); }
  PickleWriter& stop() { return op("."); }
  PickleWriter& mark() { return op("("); }
  PickleWriter& none() { return op("N"); }
  PickleWriter& boolean(bool v) { return op(v ? "\x88" : "\x89"); }
  PickleWriter& empty_dict() { return op("}"); }
  PickleWriter& empty_list() { return op("]"); }
  PickleWriter& empty_tuple() { return op(")"); }
  PickleWriter& tuple() { return op("t"); }          ///< items since the mark
  PickleWriter& setitems() { return op("u"); }       ///< pairs since the mark into the dict below it
  PickleWriter& reduce() { return op("R"); }
  PickleWriter& binpersid() { return op("Q"); }
  PickleWriter& global(const std::string& module, const std::string& name);
  PickleWriter& integer(int64_t v);                   ///< BININT1/BININT2/BININT/LONG1
  PickleWriter& unicode(const std::string& utf8);     ///< BINUNICODE
  PickleWriter& raw(const std::string& bytes) { return op(bytes); }
  const std::string& bytes() const { return out_; }

 private:
  PickleWriter& op(const std::string& bytes) {
    out_ += bytes;
    return *this;
  }
  std::string out_;
};

}  // namespace restora::checkpoint_detail
