// SPDX-License-Identifier: MIT
#include "evt/format/jq_shortcut.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <optional>

#include "evt/format/json_text.hpp"

namespace evt::format {

namespace {

enum class Field { topic, partition, offset, timestamp, timestamp_type, key, value };

// jq's kinds, in jq's order (jv_kind): values of different kinds compare by this rank.
enum class Kind { null, false_, true_, number, string, array, object };

struct Value {
  Kind kind = Kind::null;
  double number = 0;
  std::string_view text;  // a string's bytes
};

bool truthy(const Value& value) {
  return value.kind != Kind::null && value.kind != Kind::false_;
}

Value boolean(bool value) {
  return Value{value ? Kind::true_ : Kind::false_, 0, {}};
}

// jv_cmp of jq 1.6 for the values the shortcut meets; nullopt for two objects (the base64 form
// of two binary fields), which it does not compare.
std::optional<int> compare(const Value& a, const Value& b) {
  if (a.kind != b.kind) {
    return static_cast<int>(a.kind) - static_cast<int>(b.kind);
  }
  switch (a.kind) {
    case Kind::number:
      return a.number < b.number ? -1 : a.number == b.number ? 0 : 1;
    case Kind::string: {
      const std::size_t common = std::min(a.text.size(), b.text.size());
      const int r = common ? std::memcmp(a.text.data(), b.text.data(), common) : 0;
      if (r != 0) {
        return r;
      }
      return a.text.size() < b.text.size() ? -1 : a.text.size() == b.text.size() ? 0 : 1;
    }
    case Kind::array:
    case Kind::object:
      return std::nullopt;
    default:
      return 0;  // null, false, true: one value each
  }
}

enum class Compare { eq, ne, lt, le, gt, ge };

enum class Op {
  field,
  literal,
  compare,
  and_,
  or_,
  not_,
  starts_with,
  ends_with,
  select_then,  // select(left) | right
  identity,     // the record itself (what `select(C)` outputs)
  opaque,       // any jq: the shortcut cannot tell
};

}  // namespace

struct JqShortcut::Node {
  Op op = Op::opaque;
  Field field = Field::key;
  Compare compare = Compare::eq;
  Kind kind = Kind::null;  // literal
  double number = 0;       // literal
  std::string text;        // literal string, or the startswith/endswith argument
  int left = -1;
  int right = -1;
};

namespace {

using Node = JqShortcut::Node;

Node make(Op op) {
  Node node;
  node.op = op;
  return node;
}

// Tokens of the jq subset the shortcut reads; anything else is `error`.
enum class Token {
  end,
  error,
  field,
  string,
  number,
  identifier,
  open,
  close,
  pipe,
  minus,
  compare,
};

struct Lexer {
  std::string_view text;
  std::size_t pos = 0;
  // The current token, and where it starts.
  Token token = Token::end;
  std::size_t start = 0;
  std::string_view lexeme;
  std::string string;  // decoded string literal
  double number = 0;
  Field field = Field::key;
  Compare compare = Compare::eq;

  static bool identifier_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  void next() {
    while (pos < text.size() &&
           (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r')) {
      ++pos;
    }
    start = pos;
    if (pos == text.size()) {
      token = Token::end;
      return;
    }
    const char c = text[pos];
    token = Token::error;
    if (c == '.') {
      ++pos;
      while (pos < text.size() && identifier_char(text[pos])) {
        ++pos;
      }
      lexeme = text.substr(start + 1, pos - start - 1);
      // Only the envelope's scalar fields; a following character that continues a path
      // (.key.x, .key[0], .key?) is an error token of its own, which no rule accepts.
      static constexpr std::pair<std::string_view, Field> k_fields[] = {
          {"topic", Field::topic},
          {"partition", Field::partition},
          {"offset", Field::offset},
          {"timestamp", Field::timestamp},
          {"timestamp_type", Field::timestamp_type},
          {"key", Field::key},
          {"value", Field::value},
      };
      for (const auto& [name, which] : k_fields) {
        if (lexeme == name) {
          token = Token::field;
          field = which;
        }
      }
      return;
    }
    if (c == '"') {
      lex_string();
      return;
    }
    if (c >= '0' && c <= '9') {
      lex_number();
      return;
    }
    if (identifier_char(c)) {
      while (pos < text.size() && identifier_char(text[pos])) {
        ++pos;
      }
      lexeme = text.substr(start, pos - start);
      // jq identifiers may continue with :: (modules); those are not ours.
      token = pos < text.size() && text[pos] == ':' ? Token::error : Token::identifier;
      return;
    }
    const auto two = text.substr(pos, 2);
    ++pos;
    switch (c) {
      case '(':
        token = Token::open;
        return;
      case ')':
        token = Token::close;
        return;
      case '|':
        token = two == "|=" ? Token::error : Token::pipe;
        return;
      case '-':
        token = two == "-=" ? Token::error : Token::minus;
        return;
      case '=':
      case '!':
        if (two == "==" || two == "!=") {
          ++pos;
          token = Token::compare;
          compare = c == '=' ? Compare::eq : Compare::ne;
        }
        return;
      case '<':
      case '>':
        token = Token::compare;
        if (two.size() == 2 && two[1] == '=') {
          ++pos;
          compare = c == '<' ? Compare::le : Compare::ge;
        } else {
          compare = c == '<' ? Compare::lt : Compare::gt;
        }
        return;
      default:
        return;
    }
  }

  // [0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)? as jq's lexer reads it.
  void lex_number() {
    auto digits = [&] {
      const std::size_t from = pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        ++pos;
      }
      return pos > from;
    };
    digits();
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      digits();
    }
    if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
      ++pos;
      if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        ++pos;
      }
      if (!digits()) {
        token = Token::error;
        return;
      }
    }
    lexeme = text.substr(start, pos - start);
    const auto [end, ec] = std::from_chars(lexeme.data(), lexeme.data() + lexeme.size(), number);
    token =
        ec == std::errc() && end == lexeme.data() + lexeme.size() ? Token::number : Token::error;
  }

  static int hex_value(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  bool hex4(std::uint32_t& code) {
    if (text.size() - pos < 4) {
      return false;
    }
    code = 0;
    for (int i = 0; i < 4; ++i) {
      const int digit = hex_value(text[pos++]);
      if (digit < 0) {
        return false;
      }
      code = code * 16 + static_cast<std::uint32_t>(digit);
    }
    return true;
  }

  void append_utf8(std::uint32_t code) {
    if (code < 0x80) {
      string.push_back(static_cast<char>(code));
    } else if (code < 0x800) {
      string.push_back(static_cast<char>(0xC0 | (code >> 6)));
      string.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else if (code < 0x10000) {
      string.push_back(static_cast<char>(0xE0 | (code >> 12)));
      string.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      string.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else {
      string.push_back(static_cast<char>(0xF0 | (code >> 18)));
      string.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
      string.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      string.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    }
  }

  // A string literal with JSON's escapes (jq hands them to its JSON parser). Interpolation
  // \(...), a lone surrogate or bytes that are not UTF-8 (which jq would replace) are errors.
  void lex_string() {
    token = Token::error;
    string.clear();
    ++pos;  // the opening quote
    while (pos < text.size()) {
      const char c = text[pos++];
      if (c == '"') {
        if (is_valid_utf8(string)) {
          token = Token::string;
        }
        return;
      }
      if (c != '\\') {
        string.push_back(c);
        continue;
      }
      if (pos == text.size()) {
        return;
      }
      const char escape = text[pos++];
      switch (escape) {
        case '"':
        case '\\':
        case '/':
          string.push_back(escape);
          break;
        case 'b':
          string.push_back('\b');
          break;
        case 'f':
          string.push_back('\f');
          break;
        case 'n':
          string.push_back('\n');
          break;
        case 'r':
          string.push_back('\r');
          break;
        case 't':
          string.push_back('\t');
          break;
        case 'u': {
          std::uint32_t code = 0;
          if (!hex4(code) || (code >= 0xDC00 && code <= 0xDFFF)) {
            return;
          }
          if (code >= 0xD800 && code <= 0xDBFF) {
            std::uint32_t low = 0;
            if (text.substr(pos, 2) != "\\u") {
              return;
            }
            pos += 2;
            if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) {
              return;
            }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          }
          append_utf8(code);
          break;
        }
        default:
          return;  // \( interpolation, or an escape jq would refuse
      }
    }
  }
};

bool is_identifier_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// Skips a string literal starting at text[pos] == '"', interpolations \(...) included; the
// position after it, or nullopt.
std::optional<std::size_t> skip_string(std::string_view text, std::size_t pos);

// Skips an expression nested in brackets up to the `)` at depth 0 (for an interpolation); the
// position of that `)`, or nullopt.
std::optional<std::size_t> skip_nested(std::string_view text, std::size_t pos) {
  int depth = 0;
  while (pos < text.size()) {
    const char c = text[pos];
    if (c == '"') {
      const auto after = skip_string(text, pos);
      if (!after) {
        return std::nullopt;
      }
      pos = *after;
      continue;
    }
    if (c == '#') {
      return std::nullopt;  // a comment: not worth following
    }
    if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if (c == ')' || c == ']' || c == '}') {
      if (depth == 0) {
        return c == ')' ? std::optional<std::size_t>(pos) : std::nullopt;
      }
      --depth;
    }
    ++pos;
  }
  return std::nullopt;
}

std::optional<std::size_t> skip_string(std::string_view text, std::size_t pos) {
  ++pos;  // the opening quote
  while (pos < text.size()) {
    const char c = text[pos];
    if (c == '"') {
      return pos + 1;
    }
    if (c == '\\') {
      if (pos + 1 < text.size() && text[pos + 1] == '(') {
        const auto close = skip_nested(text, pos + 2);
        if (!close) {
          return std::nullopt;
        }
        pos = *close + 1;
        continue;
      }
      pos += 2;
      continue;
    }
    ++pos;
  }
  return std::nullopt;
}

// An operand of `and` or `or` that the shortcut does not read (left to jq): from `pos` to the
// first `and`, `or`, `|`, `,` or unmatched `)` outside brackets and strings. nullopt when,
// outside brackets, it holds something that binds looser than `and` or that could swallow an
// `and` (//, assignments, def, as, label, if, try, reduce, foreach, ...): then where jq ends
// the operand is not certain, and the shortcut gives up.
std::optional<std::size_t> scan_opaque(std::string_view text, std::size_t pos) {
  static constexpr std::string_view k_refused[] = {"def",
                                                   "as",
                                                   "label",
                                                   "if",
                                                   "then",
                                                   "elif",
                                                   "else",
                                                   "end",
                                                   "try",
                                                   "catch",
                                                   "reduce",
                                                   "foreach",
                                                   "import",
                                                   "include"};
  const std::size_t start = pos;
  int depth = 0;
  while (pos < text.size()) {
    const char c = text[pos];
    const char next = pos + 1 < text.size() ? text[pos + 1] : '\0';
    if (c == '#') {
      return std::nullopt;
    }
    if (c == '"') {
      const auto after = skip_string(text, pos);
      if (!after) {
        return std::nullopt;
      }
      pos = *after;
      continue;
    }
    if (c == '(' || c == '[' || c == '{') {
      ++depth;
      ++pos;
      continue;
    }
    if (c == ')' || c == ']' || c == '}') {
      if (depth == 0) {
        if (c != ')') {
          return std::nullopt;
        }
        break;
      }
      --depth;
      ++pos;
      continue;
    }
    if (is_identifier_start(c)) {
      const std::size_t word_start = pos;
      while (pos < text.size() && (Lexer::identifier_char(text[pos]) || text[pos] == ':')) {
        ++pos;
      }
      const std::string_view word = text.substr(word_start, pos - word_start);
      const char before = word_start > 0 ? text[word_start - 1] : ' ';
      if (depth > 0 || before == '.' || before == '$' || before == '@') {
        continue;  // a field, a variable, a format, or inside brackets
      }
      if (word == "and" || word == "or") {
        pos = word_start;
        break;
      }
      for (std::string_view refused : k_refused) {
        if (word == refused) {
          return std::nullopt;
        }
      }
      continue;
    }
    if (depth == 0) {
      if (c == ',' || (c == '|' && next != '=')) {
        break;
      }
      // `//` and `?//`, `=` and every update-assignment: they bind looser than `and`.
      if ((c == '/' && next == '/') || (c == '?' && next == '/') || (c == '=' && next != '=') ||
          (next == '=' && (c == '|' || c == '+' || c == '-' || c == '*' || c == '/' || c == '%'))) {
        return std::nullopt;
      }
      if ((c == '=' || c == '!' || c == '<' || c == '>') && next == '=') {
        pos += 2;  // ==, !=, <=, >=
        continue;
      }
    }
    ++pos;
  }
  // Nothing but spaces is no operand.
  if (text.substr(start, pos - start).find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return std::nullopt;
  }
  return pos;
}

class Parser {
 public:
  Parser(std::string_view text, std::vector<Node>& nodes) : m_nodes(nodes) {
    m_lexer.text = text;
    m_lexer.next();
  }

  // The whole expression as a top-level pipeline, or -1.
  int program() {
    const int root = top_pipeline();
    return root >= 0 && m_lexer.token == Token::end ? root : -1;
  }

 private:
  int add(Node node) {
    m_nodes.push_back(std::move(node));
    return static_cast<int>(m_nodes.size()) - 1;
  }

  bool at_identifier(std::string_view name) const {
    return m_lexer.token == Token::identifier && m_lexer.lexeme == name;
  }

  // select(C) [| REST], or a condition pipeline.
  int top_pipeline() {
    if (!at_identifier("select")) {
      return condition_pipeline();
    }
    m_lexer.next();
    if (m_lexer.token != Token::open) {
      return -1;
    }
    m_lexer.next();
    const int condition = condition_pipeline();
    if (condition < 0 || m_lexer.token != Token::close) {
      return -1;
    }
    m_lexer.next();
    Node node;
    node.op = Op::select_then;
    node.left = condition;
    if (m_lexer.token == Token::end) {
      node.right = add(make(Op::identity));
      return add(std::move(node));
    }
    if (m_lexer.token != Token::pipe) {
      return -1;  // e.g. select(C) and X, select(C)?: not ours
    }
    // `|` binds loosest in jq, so everything after it is the right side whatever it is; when
    // it is not ours, it is opaque.
    const std::size_t nodes_before = m_nodes.size();
    m_lexer.next();
    int rest = top_pipeline();
    if (rest < 0 || m_lexer.token != Token::end) {
      m_nodes.resize(nodes_before);
      m_lexer.pos = m_lexer.text.size();
      m_lexer.token = Token::end;
      rest = add(make(Op::opaque));
    }
    node.right = rest;
    return add(std::move(node));
  }

  // C [| not | startswith(S) | endswith(S)]...
  int condition_pipeline() {
    int node = disjunction();
    while (node >= 0 && m_lexer.token == Token::pipe) {
      m_lexer.next();
      if (at_identifier("not")) {
        m_lexer.next();
        Node n = make(Op::not_);
        n.left = node;
        node = add(std::move(n));
      } else if (at_identifier("startswith") || at_identifier("endswith")) {
        Node n = make(at_identifier("startswith") ? Op::starts_with : Op::ends_with);
        m_lexer.next();
        if (m_lexer.token != Token::open) {
          return -1;
        }
        m_lexer.next();
        if (m_lexer.token != Token::string) {
          return -1;
        }
        n.text = m_lexer.string;
        m_lexer.next();
        if (m_lexer.token != Token::close) {
          return -1;
        }
        m_lexer.next();
        n.left = node;
        node = add(std::move(n));
      } else {
        return -1;
      }
    }
    return node;
  }

  int disjunction() {
    int node = conjunction();
    while (node >= 0 && at_identifier("or")) {
      m_lexer.next();
      const int right = conjunction();
      if (right < 0) {
        return -1;
      }
      Node n = make(Op::or_);
      n.left = node;
      n.right = right;
      node = add(std::move(n));
    }
    return node;
  }

  int conjunction() {
    int node = comparison();
    while (node >= 0 && at_identifier("and")) {
      m_lexer.next();
      const int right = comparison();
      if (right < 0) {
        return -1;
      }
      Node n = make(Op::and_);
      n.left = node;
      n.right = right;
      node = add(std::move(n));
    }
    return node;
  }

  // An operand of `and`/`or`: a comparison the shortcut reads, or else any jq expression that
  // binds tighter than `and`, kept opaque (left to jq).
  int comparison() {
    const Lexer saved = m_lexer;
    const std::size_t nodes_before = m_nodes.size();
    const int node = simple_comparison();
    if (node >= 0 &&
        (m_lexer.token == Token::end || m_lexer.token == Token::close ||
         m_lexer.token == Token::pipe || at_identifier("and") || at_identifier("or"))) {
      return node;
    }
    m_lexer = saved;
    m_nodes.resize(nodes_before);
    const auto end = scan_opaque(m_lexer.text, m_lexer.start);
    if (!end) {
      return -1;
    }
    m_lexer.pos = *end;
    m_lexer.next();
    return add(make(Op::opaque));
  }

  int simple_comparison() {
    const int left = operand();
    if (left < 0 || m_lexer.token != Token::compare) {
      return left;
    }
    Node n = make(Op::compare);
    n.compare = m_lexer.compare;
    m_lexer.next();
    n.left = left;
    n.right = operand();
    if (n.right < 0) {
      return -1;
    }
    return add(std::move(n));
  }

  int operand() {
    Node n = make(Op::literal);
    switch (m_lexer.token) {
      case Token::field:
        n.op = Op::field;
        n.field = m_lexer.field;
        m_lexer.next();
        return add(std::move(n));
      case Token::string:
        n.kind = Kind::string;
        n.text = m_lexer.string;
        m_lexer.next();
        return add(std::move(n));
      case Token::number:
        n.kind = Kind::number;
        n.number = m_lexer.number;
        m_lexer.next();
        return add(std::move(n));
      case Token::minus:
        m_lexer.next();
        if (m_lexer.token != Token::number) {
          return -1;
        }
        n.kind = Kind::number;
        n.number = -m_lexer.number;
        m_lexer.next();
        return add(std::move(n));
      case Token::open: {
        m_lexer.next();
        const int inner = condition_pipeline();
        if (inner < 0 || m_lexer.token != Token::close) {
          return -1;
        }
        m_lexer.next();
        return inner;
      }
      case Token::identifier:
        if (m_lexer.lexeme == "true" || m_lexer.lexeme == "false" || m_lexer.lexeme == "null") {
          n.kind = m_lexer.lexeme == "true"    ? Kind::true_
                   : m_lexer.lexeme == "false" ? Kind::false_
                                               : Kind::null;
          m_lexer.next();
          return add(std::move(n));
        }
        return -1;
      default:
        return -1;
    }
  }

  Lexer m_lexer;
  std::vector<Node>& m_nodes;
};

// A key or value as the envelope shows it to jq: null, a string, or {"base64":...}.
Value bytes_value(BytesView bytes) {
  if (bytes.is_null()) {
    return Value{};
  }
  if (is_valid_utf8(bytes.view())) {
    return Value{Kind::string, 0, bytes.view()};
  }
  return Value{Kind::object, 0, {}};
}

std::optional<Value> field_value(Field field, const RecordView& record) {
  switch (field) {
    case Field::topic:
      if (!is_valid_utf8(record.topic)) {
        return std::nullopt;  // jq would see replacement characters
      }
      return Value{Kind::string, 0, record.topic};
    case Field::partition:
      return Value{Kind::number, static_cast<double>(record.partition), {}};
    case Field::offset:
      return Value{Kind::number, static_cast<double>(record.offset), {}};
    case Field::timestamp:
      if (record.timestamp < 0) {
        return Value{};
      }
      return Value{Kind::number, static_cast<double>(record.timestamp), {}};
    case Field::timestamp_type:
      if (record.timestamp < 0) {
        return Value{};
      }
      return Value{Kind::string,
                   0,
                   record.timestamp_type == TimestampType::log_append ? "log_append" : "create"};
    case Field::key:
      return bytes_value(record.key);
    case Field::value:
      return bytes_value(record.value);
  }
  return std::nullopt;
}

class Evaluator {
 public:
  Evaluator(const std::vector<Node>& nodes, const RecordView& record)
      : m_nodes(nodes), m_record(record) {}

  // The node's one output when it is certain to have exactly one and raise no error.
  std::optional<Value> exact(int index) const {
    const Node& node = m_nodes[static_cast<std::size_t>(index)];
    switch (node.op) {
      case Op::field:
        return field_value(node.field, m_record);
      case Op::literal:
        return Value{node.kind, node.number, node.text};
      case Op::compare: {
        const auto left = exact(node.left);
        const auto right = left ? exact(node.right) : std::nullopt;
        if (!right) {
          return std::nullopt;
        }
        if (node.compare == Compare::eq || node.compare == Compare::ne) {
          // jv_equal: same kind and equal (numbers as doubles).
          bool equal = left->kind == right->kind;
          if (equal) {
            const auto order = compare(*left, *right);
            if (!order) {
              return std::nullopt;
            }
            equal = *order == 0;
          }
          return boolean(node.compare == Compare::eq ? equal : !equal);
        }
        const auto order = compare(*left, *right);
        if (!order) {
          return std::nullopt;
        }
        switch (node.compare) {
          case Compare::lt:
            return boolean(*order < 0);
          case Compare::le:
            return boolean(*order <= 0);
          case Compare::gt:
            return boolean(*order > 0);
          default:
            return boolean(*order >= 0);
        }
      }
      case Op::and_: {
        const auto left = exact(node.left);
        if (!left) {
          return std::nullopt;
        }
        if (!truthy(*left)) {
          return boolean(false);  // jq does not evaluate the right side
        }
        const auto right = exact(node.right);
        return right ? std::optional<Value>(boolean(truthy(*right))) : std::nullopt;
      }
      case Op::or_: {
        const auto left = exact(node.left);
        if (!left) {
          return std::nullopt;
        }
        if (truthy(*left)) {
          return boolean(true);
        }
        const auto right = exact(node.right);
        return right ? std::optional<Value>(boolean(truthy(*right))) : std::nullopt;
      }
      case Op::not_: {
        const auto inner = exact(node.left);
        return inner ? std::optional<Value>(boolean(!truthy(*inner))) : std::nullopt;
      }
      case Op::starts_with:
      case Op::ends_with: {
        const auto inner = exact(node.left);
        if (!inner || inner->kind != Kind::string) {
          return std::nullopt;  // jq raises an error: let it
        }
        const std::string_view text = inner->text;
        const std::string_view affix = node.text;
        if (affix.size() > text.size()) {
          return boolean(false);
        }
        return boolean(node.op == Op::starts_with
                           ? text.substr(0, affix.size()) == affix
                           : text.substr(text.size() - affix.size()) == affix);
      }
      case Op::identity:
        return Value{Kind::object, 0, {}};  // the envelope: an object, so truthy
      case Op::select_then:
      case Op::opaque:
        return std::nullopt;
    }
    return std::nullopt;
  }

  // Whether jq's first truthy output comes before the end of its outputs or an error.
  JqDecision decide(int index) const {
    const Node& node = m_nodes[static_cast<std::size_t>(index)];
    switch (node.op) {
      case Op::and_: {
        // Either side dropping the record drops it: with a false side, every output of
        // `A and B` is false (or an error, or there is none).
        const JqDecision left = decide(node.left);
        const JqDecision right = decide(node.right);
        if (left == JqDecision::drop || right == JqDecision::drop) {
          return JqDecision::drop;
        }
        return left == JqDecision::keep && right == JqDecision::keep ? JqDecision::keep
                                                                     : JqDecision::ask_jq;
      }
      case Op::or_: {
        const auto left = exact(node.left);
        if (!left) {
          return JqDecision::ask_jq;
        }
        return truthy(*left) ? JqDecision::keep : decide(node.right);
      }
      case Op::select_then: {
        // The record goes on to the right side once per truthy output of the condition.
        const JqDecision condition = decide(node.left);
        const JqDecision rest = decide(node.right);
        if (condition == JqDecision::drop || rest == JqDecision::drop) {
          return JqDecision::drop;
        }
        return condition == JqDecision::keep && rest == JqDecision::keep ? JqDecision::keep
                                                                         : JqDecision::ask_jq;
      }
      case Op::opaque:
        return JqDecision::ask_jq;
      default: {
        const auto value = exact(index);
        if (!value) {
          return JqDecision::ask_jq;
        }
        return truthy(*value) ? JqDecision::keep : JqDecision::drop;
      }
    }
  }

 private:
  const std::vector<Node>& m_nodes;
  const RecordView& m_record;
};

}  // namespace

JqShortcut::JqShortcut() = default;
JqShortcut::~JqShortcut() = default;
JqShortcut::JqShortcut(JqShortcut&&) noexcept = default;
JqShortcut& JqShortcut::operator=(JqShortcut&&) noexcept = default;

std::optional<JqShortcut> JqShortcut::analyse(std::string_view expression) {
  JqShortcut shortcut;
  Parser parser(expression, shortcut.m_nodes);
  shortcut.m_root = parser.program();
  // Without a field it reads, the shortcut would only ever ask jq.
  const bool reads_a_field = std::any_of(shortcut.m_nodes.begin(),
                                         shortcut.m_nodes.end(),
                                         [](const Node& node) { return node.op == Op::field; });
  if (shortcut.m_root < 0 || !reads_a_field) {
    return std::nullopt;
  }
  return shortcut;
}

JqDecision JqShortcut::decide(const RecordView& record) const {
  return Evaluator(m_nodes, record).decide(m_root);
}

}  // namespace evt::format
