// SPDX-License-Identifier: MIT
#include "evt/format/record_formatter.hpp"

#include <algorithm>
#include <charconv>
#include <vector>

#include <fmt/format.h>

#include "evt/format/compact_json.hpp"
#include "evt/format/envelope.hpp"
#include "evt/format/json_text.hpp"
#include "evt/format/layout.hpp"
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

class LayoutFormatter final : public RecordFormatter {
 public:
  LayoutFormatter(std::vector<LayoutPiece> pieces, DecodeOptions decode)
      : m_pieces(std::move(pieces)), m_decode(std::move(decode)) {
    for (const LayoutPiece& piece : m_pieces) {
      m_needs_headers |=
          piece.field == LayoutField::headers || piece.field == LayoutField::header_named;
    }
  }

  void append(std::string& out, const RecordView& record) override {
    for (const LayoutPiece& piece : m_pieces) {
      switch (piece.field) {
        case LayoutField::literal:
          out.append(piece.text);
          break;
        case LayoutField::topic:
          out.append(record.topic);
          break;
        case LayoutField::partition:
          append_int(out, record.partition);
          break;
        case LayoutField::offset:
          append_int(out, record.offset);
          break;
        case LayoutField::key:
          if (piece.encoding != LayoutEncoding::decoded ||
              !m_decode.decoder->decode(record, true, out)) {
            append_bytes(out, record.key, piece.encoding);
          }
          break;
        case LayoutField::value:
          if (piece.encoding != LayoutEncoding::decoded ||
              !m_decode.decoder->decode(record, false, out)) {
            append_bytes(out, record.value, piece.encoding);
          }
          break;
        case LayoutField::key_length:
          append_int(out, record.key.is_null() ? -1 : static_cast<std::int64_t>(record.key.size));
          break;
        case LayoutField::value_length:
          append_int(out,
                     record.value.is_null() ? -1 : static_cast<std::int64_t>(record.value.size));
          break;
        case LayoutField::timestamp:
          append_int(out, record.timestamp);
          break;
        case LayoutField::iso_time:
          out.append(format_iso_utc(record.timestamp));
          break;
        case LayoutField::headers:
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
        case LayoutField::header_named:
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
  static void append_bytes(std::string& out, BytesView bytes, LayoutEncoding encoding) {
    switch (encoding) {
      case LayoutEncoding::raw:
      case LayoutEncoding::decoded:  // what did not decode is shown raw
        out.append(bytes.view());
        break;
      case LayoutEncoding::base64:
        append_base64(out, bytes.view());
        break;
      case LayoutEncoding::hex:
        append_hex(out, bytes.view());
        break;
    }
  }

  std::vector<LayoutPiece> m_pieces;
  DecodeOptions m_decode;
  bool m_needs_headers = false;
};

}  // namespace

std::unique_ptr<RecordFormatter> make_value_formatter(std::string delimiter,
                                                      std::optional<std::string> key_delimiter) {
  return std::make_unique<ValueFormatter>(std::move(delimiter), std::move(key_delimiter));
}

std::unique_ptr<RecordFormatter> make_envelope_formatter(bool json_values) {
  return std::make_unique<EnvelopeFormatter>(json_values);
}

bool layout_wants_decoding(std::string_view layout) {
  auto pieces = parse_layout(layout, LayoutUse::output);
  return pieces && std::any_of(pieces->begin(), pieces->end(), [](const LayoutPiece& piece) {
           return piece.encoding == LayoutEncoding::decoded;
         });
}

Result<std::unique_ptr<RecordFormatter>> make_layout_formatter(std::string_view layout,
                                                               DecodeOptions decode) {
  auto pieces = parse_layout(layout, LayoutUse::output);
  if (!pieces) {
    return std::move(pieces).take_error();
  }
  for (const LayoutPiece& piece : *pieces) {
    if (piece.encoding == LayoutEncoding::decoded && !decode.decoder) {
      return fail(
          ErrorKind::usage,
          fmt::format("layout \"{}\": %{}{{decoded}} needs a schema registry", layout, piece.verb),
          "pass --schema-registry URL, set EVT_SCHEMA_REGISTRY, or configure the context's "
          "schema-registry");
    }
  }
  return std::unique_ptr<RecordFormatter>(
      std::make_unique<LayoutFormatter>(std::move(*pieces), std::move(decode)));
}

}  // namespace evt::format
