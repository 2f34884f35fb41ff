// A small JSON reader/writer for the safetensors header and checkpoint
// metadata (internal to frontend/src/serialize). Numbers keep their source
// text so 64-bit integers and doubles convert without loss.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ember::json {

struct Value {
  enum class Kind { Null, Bool, Number, String, Array, Object };
  Kind kind = Kind::Null;
  bool b = false;
  std::string text; // Number: its source text; String: the decoded string
  std::vector<Value> items;                           // Array
  std::vector<std::pair<std::string, Value>> members; // Object, source order

  bool is_object() const { return kind == Kind::Object; }
  bool is_array() const { return kind == Kind::Array; }
  bool is_string() const { return kind == Kind::String; }
  bool is_number() const { return kind == Kind::Number; }
  bool is_bool() const { return kind == Kind::Bool; }
  /// The member `key` of an object, or null.
  const Value *find(std::string_view key) const;
};

/// Parses one JSON value followed only by whitespace. On a syntax error
/// returns false with `error` naming the problem and its byte offset.
bool parse(std::string_view text, Value &out, std::string &error);

/// A non-negative integer that fits in uint64 (no sign, fraction or
/// exponent); false otherwise.
bool to_uint64(const Value &v, uint64_t &out);
/// An integer that fits in int64; false otherwise.
bool to_int64(const Value &v, int64_t &out);
/// Any number (strtod of its text); false for a non-number.
bool to_double(const Value &v, double &out);

/// Appends `s` as a quoted JSON string (escaping quotes, backslashes and
/// control characters).
void write_string(std::string &out, std::string_view s);
/// Appends a double so that to_double() gives back the same bits (finite
/// values only).
void write_double(std::string &out, double d);

} // namespace ember::json
