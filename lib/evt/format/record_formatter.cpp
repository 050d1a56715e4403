// SPDX-License-Identifier: MIT
#include "evt/format/record_formatter.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <iterator>
#include <vector>

#include <fmt/format.h>

#include "evt/format/compact_json.hpp"
#include "evt/format/envelope.hpp"
#include "evt/format/escapes.hpp"
#include "evt/format/json_text.hpp"
#include "evt/spellcheck.hpp"
#include "evt/time_spec.hpp"

namespace evt::format {

namespace {

void append_int(std::string& out, std::int64_t value) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, result.ptr);
}

void append_hex(std::string& out, std::string_view bytes) {
  static constexpr char k_digits[] = "0123456789abcdef";
  for (unsigned char c : bytes) {
    out.push_back(k_digits[c >> 4]);
    out.push_back(k_digits[c & 0xF]);
  }
}

class ValueFormatter final : public RecordFormatter {
 public:
  ValueFormatter(std::string delimiter, std::optional<std::string> key_delimiter)
      : m_delimiter(std::move(delimiter)), m_key_delimiter(std::move(key_delimiter)) {}

  void append(std::string& out, const RecordView& record) override {
    if (m_key_delimiter) {
      out.append(record.key.view());
      out.append(*m_key_delimiter);
    }
    out.append(record.value.view());
    out.append(m_delimiter);
  }
  bool needs_headers() const override { return false; }

 private:
  std::string m_delimiter;
  std::optional<std::string> m_key_delimiter;
};

class EnvelopeFormatter final : public RecordFormatter {
 public:
  explicit EnvelopeFormatter(bool json_values) : m_json_values(json_values) {}
  void append(std::string& out, const RecordView& record) override {
    append_envelope(out, record, m_json_values ? &m_check : nullptr);
  }
  bool needs_headers() const override { return true; }

 private:
  bool m_json_values;
  CompactJsonCheck m_check;
};

enum class Verb {
  literal,
  topic,
  partition,
  offset,
  key,
  value,
  key_length,
  value_length,
  timestamp,
  iso_time,
  headers,
  header_named,
};
enum class Encoding { raw, base64, hex, decoded };

struct Piece {
  Verb verb = Verb::literal;
  std::string text;  // literal text, or the header name
  Encoding encoding = Encoding::raw;
};

class LayoutFormatter final : public RecordFormatter {
 public:
  LayoutFormatter(std::vector<Piece> pieces, DecodeOptions decode)
      : m_pieces(std::move(pieces)), m_decode(std::move(decode)) {
    for (const Piece& piece : m_pieces) {
      m_needs_headers |= piece.verb == Verb::headers || piece.verb == Verb::header_named;
    }
  }

  void append(std::string& out, const RecordView& record) override {
    for (const Piece& piece : m_pieces) {
      switch (piece.verb) {
        case Verb::literal:
          out.append(piece.text);
          break;
        case Verb::topic:
          out.append(record.topic);
          break;
        case Verb::partition:
          append_int(out, record.partition);
          break;
        case Verb::offset:
          append_int(out, record.offset);
          break;
        case Verb::key:
          if (piece.encoding != Encoding::decoded || !m_decode.decoder->decode(record, true, out)) {
            append_bytes(out, record.key, piece.encoding);
          }
          break;
        case Verb::value:
          if (piece.encoding != Encoding::decoded ||
              !m_decode.decoder->decode(record, false, out)) {
            append_bytes(out, record.value, piece.encoding);
          }
          break;
        case Verb::key_length:
          append_int(out, record.key.is_null() ? -1 : static_cast<std::int64_t>(record.key.size));
          break;
        case Verb::value_length:
          append_int(out,
                     record.value.is_null() ? -1 : static_cast<std::int64_t>(record.value.size));
          break;
        case Verb::timestamp:
          append_int(out, record.timestamp);
          break;
        case Verb::iso_time:
          out.append(format_iso_utc(record.timestamp));
          break;
        case Verb::headers:
          for (std::size_t i = 0; i < record.header_count; ++i) {
            if (i > 0) {
              out.push_back(',');
            }
            out.append(record.headers[i].name);
            if (!record.headers[i].value.is_null()) {
              out.push_back('=');
              out.append(record.headers[i].value.view());
            }
          }
          break;
        case Verb::header_named:
          for (std::size_t i = 0; i < record.header_count; ++i) {
            if (record.headers[i].name == piece.text) {
              append_bytes(out, record.headers[i].value, piece.encoding);
              break;
            }
          }
          break;
      }
    }
  }
  bool needs_headers() const override { return m_needs_headers; }

 private:
  static void append_bytes(std::string& out, BytesView bytes, Encoding encoding) {
    switch (encoding) {
      case Encoding::raw:
      case Encoding::decoded:  // what did not decode is shown raw
        out.append(bytes.view());
        break;
      case Encoding::base64:
        append_base64(out, bytes.view());
        break;
      case Encoding::hex:
        append_hex(out, bytes.view());
        break;
    }
  }

  std::vector<Piece> m_pieces;
  DecodeOptions m_decode;
  bool m_needs_headers = false;
};

constexpr std::string_view k_output_verbs[] = {"%t",
                                               "%p",
                                               "%o",
                                               "%k",
                                               "%v",
                                               "%s",
                                               "%K",
                                               "%S",
                                               "%T",
                                               "%d",
                                               "%h",
                                               "%%",
                                               "%k{base64}",
                                               "%v{hex}",
                                               "%v{decoded}",
                                               "%h{NAME}"};

}  // namespace

std::unique_ptr<RecordFormatter> make_value_formatter(std::string delimiter,
                                                      std::optional<std::string> key_delimiter) {
  return std::make_unique<ValueFormatter>(std::move(delimiter), std::move(key_delimiter));
}

std::unique_ptr<RecordFormatter> make_envelope_formatter(bool json_values) {
  return std::make_unique<EnvelopeFormatter>(json_values);
}

bool layout_wants_decoding(std::string_view layout) {
  return layout.find("%v{decoded}") != std::string_view::npos ||
         layout.find("%k{decoded}") != std::string_view::npos;
}

Result<std::unique_ptr<RecordFormatter>> make_layout_formatter(std::string_view layout,
                                                               DecodeOptions decode) {
  auto expanded = unescape(layout);
  if (!expanded) {
    return std::move(expanded).take_error();
  }
  const std::string& text = *expanded;
  std::vector<Piece> pieces;
  auto literal = [&](char c) {
    if (pieces.empty() || pieces.back().verb != Verb::literal) {
      pieces.push_back(Piece{});
    }
    pieces.back().text.push_back(c);
  };
  auto unknown = [&](std::string given) {
    std::string hint =
        "output fields: %t %p %o %k %v %K %S %T %d %h %h{NAME} %k{base64|hex|decoded} "
        "%v{base64|hex|decoded} %%";
    std::optional<std::string> suggestion;
    if (given.size() > 2 && given[2] == '{') {
      // %K{hex}: a field that takes no encoding; %k{hex} is the likely meaning.
      const auto byte = static_cast<unsigned char>(given[1]);
      const char lower = static_cast<char>(std::tolower(byte));
      if (lower == 'k' || lower == 'v') {
        suggestion = std::string("%") + lower + given.substr(2);
      }
    } else if (given.size() == 2) {
      // Every verb is one edit from every other, so edit distance cannot tell them apart;
      // only a slip of case ("%O") is worth a suggestion.
      const auto byte = static_cast<unsigned char>(given[1]);
      const std::string other_case =
          std::string("%") +
          static_cast<char>(std::isupper(byte) ? std::tolower(byte) : std::toupper(byte));
      if (std::find(std::begin(k_output_verbs), std::end(k_output_verbs), other_case) !=
          std::end(k_output_verbs)) {
        suggestion = other_case;
      }
    } else {
      suggestion = closest_match(given, k_output_verbs);
    }
    if (suggestion) {
      hint = fmt::format("did you mean {}? ", *suggestion) + hint;
    }
    return fail(ErrorKind::usage,
                fmt::format("unknown field {} in layout \"{}\"", given, layout),
                std::move(hint));
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      literal(text[i]);
      continue;
    }
    if (i + 1 == text.size()) {
      return fail(ErrorKind::usage,
                  fmt::format("layout \"{}\" ends with a lone %", layout),
                  "write %% for a percent sign");
    }
    const char verb = text[++i];
    // An optional {argument} right after the verb.
    std::optional<std::string> argument;
    if (i + 1 < text.size() && text[i + 1] == '{') {
      const std::size_t close = text.find('}', i + 2);
      if (close == std::string::npos) {
        return fail(ErrorKind::usage, fmt::format("layout \"{}\": unclosed {{", layout));
      }
      argument = text.substr(i + 2, close - i - 2);
      i = close;
    }
    Piece piece;
    switch (verb) {
      case '%':
        literal('%');
        continue;
      case 't':
        piece.verb = Verb::topic;
        break;
      case 'p':
        piece.verb = Verb::partition;
        break;
      case 'o':
        piece.verb = Verb::offset;
        break;
      case 'k':
        piece.verb = Verb::key;
        break;
      case 'v':
      case 's':
        piece.verb = Verb::value;
        break;
      case 'K':
        piece.verb = Verb::key_length;
        break;
      case 'S':
        piece.verb = Verb::value_length;
        break;
      case 'T':
        piece.verb = Verb::timestamp;
        break;
      case 'd':
        piece.verb = Verb::iso_time;
        break;
      case 'h':
        piece.verb = argument ? Verb::header_named : Verb::headers;
        if (argument) {
          piece.text = *argument;
          argument.reset();
        }
        break;
      default:
        return unknown(std::string("%") + verb);
    }
    if (argument) {
      if (piece.verb != Verb::key && piece.verb != Verb::value) {
        return unknown(fmt::format("%{}{{{}}}", verb, *argument));
      }
      if (*argument == "base64") {
        piece.encoding = Encoding::base64;
      } else if (*argument == "hex") {
        piece.encoding = Encoding::hex;
      } else if (*argument == "decoded") {
        if (!decode.decoder) {
          return fail(
              ErrorKind::usage,
              fmt::format("layout \"{}\": %{}{{decoded}} needs a schema registry", layout, verb),
              "pass --schema-registry URL, set EVT_SCHEMA_REGISTRY, or configure the "
              "context's schema-registry");
        }
        piece.encoding = Encoding::decoded;
      } else {
        const std::vector<std::string> encodings = {"base64", "hex", "decoded"};
        const auto close = closest_match(*argument, encodings);
        return fail(
            ErrorKind::usage,
            fmt::format("layout \"{}\": unknown encoding {{{}}} (known: base64, hex, decoded)",
                        layout,
                        *argument),
            close ? fmt::format("did you mean {{{}}}?", *close) : std::string());
      }
    }
    pieces.push_back(std::move(piece));
  }
  return std::unique_ptr<RecordFormatter>(
      std::make_unique<LayoutFormatter>(std::move(pieces), std::move(decode)));
}

}  // namespace evt::format
