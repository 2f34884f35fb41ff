// JSON (RFC 8259) reader/writer; see json.h.
#include "json.h"

#include <charconv>
#include <cstdio>

namespace ember::json {

const Value *Value::find(std::string_view key) const {
  for (const auto &[k, v] : members)
    if (k == key)
      return &v;
  return nullptr;
}

namespace {

constexpr int kMaxDepth = 64;

class Parser {
public:
  explicit Parser(std::string_view s) : s_(s) {}

  bool run(Value &out, std::string &error) {
    if (!value(out, 0)) {
      error = err_ + " at byte " + std::to_string(pos_);
      return false;
    }
    skip_ws();
    if (pos_ != s_.size()) {
      error = "trailing characters at byte " + std::to_string(pos_);
      return false;
    }
    return true;
  }

private:
  std::string_view s_;
  size_t pos_ = 0;
  std::string err_;

  bool fail(const char *what) {
    err_ = what;
    return false;
  }
  void skip_ws() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' ||
                                s_[pos_] == '\n' || s_[pos_] == '\r'))
      ++pos_;
  }
  bool literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word)
      return fail("invalid literal");
    pos_ += word.size();
    return true;
  }

  bool value(Value &out, int depth) {
    skip_ws();
    if (pos_ >= s_.size())
      return fail("unexpected end of input");
    if (depth > kMaxDepth)
      return fail("nesting too deep");
    char c = s_[pos_];
    switch (c) {
    case '{':
      return object(out, depth);
    case '[':
      return array(out, depth);
    case '"':
      out.kind = Value::Kind::String;
      return string(out.text);
    case 't':
      out.kind = Value::Kind::Bool;
      out.b = true;
      return literal("true");
    case 'f':
      out.kind = Value::Kind::Bool;
      out.b = false;
      return literal("false");
    case 'n':
      out.kind = Value::Kind::Null;
      return literal("null");
    default:
      if (c == '-' || (c >= '0' && c <= '9'))
        return number(out);
      return fail("unexpected character");
    }
  }

  bool digits() {
    size_t start = pos_;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9')
      ++pos_;
    return pos_ > start;
  }

  bool number(Value &out) {
    size_t start = pos_;
    if (s_[pos_] == '-')
      ++pos_;
    if (pos_ < s_.size() && s_[pos_] == '0')
      ++pos_;
    else if (!digits())
      return fail("invalid number");
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      if (!digits())
        return fail("invalid number");
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-'))
        ++pos_;
      if (!digits())
        return fail("invalid number");
    }
    out.kind = Value::Kind::Number;
    out.text = std::string(s_.substr(start, pos_ - start));
    return true;
  }

  bool hex4(uint32_t &cp) {
    if (pos_ + 4 > s_.size())
      return fail("truncated \\u escape");
    cp = 0;
    for (int i = 0; i < 4; ++i) {
      char h = s_[pos_++];
      cp <<= 4;
      if (h >= '0' && h <= '9')
        cp |= static_cast<uint32_t>(h - '0');
      else if (h >= 'a' && h <= 'f')
        cp |= static_cast<uint32_t>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F')
        cp |= static_cast<uint32_t>(h - 'A' + 10);
      else
        return fail("invalid \\u escape");
    }
    return true;
  }

  static void utf8(std::string &out, uint32_t cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  bool string(std::string &out) {
    ++pos_; // opening quote
    out.clear();
    while (true) {
      if (pos_ >= s_.size())
        return fail("unterminated string");
      unsigned char c = static_cast<unsigned char>(s_[pos_++]);
      if (c == '"')
        return true;
      if (c < 0x20)
        return fail("control character in string");
      if (c != '\\') {
        out.push_back(static_cast<char>(c));
        continue;
      }
      if (pos_ >= s_.size())
        return fail("unterminated string");
      char e = s_[pos_++];
      switch (e) {
      case '"':
      case '\\':
      case '/':
        out.push_back(e);
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'u': {
        uint32_t cp;
        if (!hex4(cp))
          return false;
        if (cp >= 0xD800 && cp < 0xDC00) {
          uint32_t lo;
          if (s_.substr(pos_, 2) != "\\u")
            return fail("unpaired surrogate in \\u escape");
          pos_ += 2;
          if (!hex4(lo))
            return false;
          if (lo < 0xDC00 || lo >= 0xE000)
            return fail("unpaired surrogate in \\u escape");
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        } else if (cp >= 0xDC00 && cp < 0xE000) {
          return fail("unpaired surrogate in \\u escape");
        }
        utf8(out, cp);
        break;
      }
      default:
        return fail("invalid escape in string");
      }
    }
  }

  bool array(Value &out, int depth) {
    ++pos_;
    out.kind = Value::Kind::Array;
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      out.items.emplace_back();
      if (!value(out.items.back(), depth + 1))
        return false;
      skip_ws();
      if (pos_ >= s_.size())
        return fail("unexpected end of input in array");
      char c = s_[pos_++];
      if (c == ']')
        return true;
      if (c != ',')
        return fail("expected ',' or ']' in array");
    }
  }

  bool object(Value &out, int depth) {
    ++pos_;
    out.kind = Value::Kind::Object;
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      skip_ws();
      if (pos_ >= s_.size())
        return fail("unexpected end of input in object");
      if (s_[pos_] != '"')
        return fail("expected a string key in object");
      std::string key;
      if (!string(key))
        return false;
      skip_ws();
      if (pos_ >= s_.size() || s_[pos_] != ':')
        return fail("expected ':' in object");
      ++pos_;
      out.members.emplace_back(std::move(key), Value{});
      if (!value(out.members.back().second, depth + 1))
        return false;
      skip_ws();
      if (pos_ >= s_.size())
        return fail("unexpected end of input in object");
      char c = s_[pos_++];
      if (c == '}')
        return true;
      if (c != ',')
        return fail("expected ',' or '}' in object");
    }
  }
};

} // namespace

bool parse(std::string_view text, Value &out, std::string &error) {
  out = Value{};
  return Parser(text).run(out, error);
}

bool to_uint64(const Value &v, uint64_t &out) {
  if (!v.is_number() || v.text.empty() || v.text[0] == '-' ||
      v.text.find_first_of(".eE") != std::string::npos)
    return false;
  auto [p, ec] =
      std::from_chars(v.text.data(), v.text.data() + v.text.size(), out);
  return ec == std::errc() && p == v.text.data() + v.text.size();
}

bool to_int64(const Value &v, int64_t &out) {
  if (!v.is_number() || v.text.find_first_of(".eE") != std::string::npos)
    return false;
  auto [p, ec] =
      std::from_chars(v.text.data(), v.text.data() + v.text.size(), out);
  return ec == std::errc() && p == v.text.data() + v.text.size();
}

bool to_double(const Value &v, double &out) {
  if (!v.is_number())
    return false;
  // from_chars: exact and independent of the C locale (unlike strtod).
  auto [p, ec] =
      std::from_chars(v.text.data(), v.text.data() + v.text.size(), out);
  return ec == std::errc() && p == v.text.data() + v.text.size();
}

void write_string(std::string &out, std::string_view s) {
  out.push_back('"');
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(ch);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out.push_back(ch);
    }
  }
  out.push_back('"');
}

void write_double(std::string &out, double d) {
  // The shortest text that reads back as the same double (locale-free).
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d);
  std::string s(buf, ec == std::errc() ? p : buf);
  // Keep it a JSON number that reads back as a double ("1" -> "1.0").
  if (s.find_first_of(".eE") == std::string::npos)
    s += ".0";
  out += s;
}

} // namespace ember::json
