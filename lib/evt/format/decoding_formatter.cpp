// SPDX-License-Identifier: MIT
#include <charconv>

#include "evt/format/compact_json.hpp"
#include "evt/format/envelope.hpp"
#include "evt/format/field_decoder.hpp"
#include "evt/format/record_formatter.hpp"

namespace evt::format {

namespace {

void append_int(std::string& out, std::int64_t value) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, result.ptr);
}

class DecodingEnvelopeFormatter final : public RecordFormatter {
 public:
  DecodingEnvelopeFormatter(DecodeOptions options, bool json_values)
      : m_options(std::move(options)), m_json_values(json_values) {}

  void append(std::string& out, const RecordView& record) override {
    append_envelope(out, record, m_json_values ? &m_check : nullptr);
    out.resize(out.size() - 2);  // "}\n"
    if (m_options.key) {
      append_decoded(out, record, true);
    }
    if (m_options.value) {
      append_decoded(out, record, false);
    }
    out.append("}\n");
  }
  bool needs_headers() const override { return true; }

 private:
  void append_decoded(std::string& out, const RecordView& record, bool key) {
    const std::size_t start = out.size();
    out.append(key ? ",\"key_decoded\":" : ",\"value_decoded\":");
    const auto id = m_options.decoder->decode(record, key, out);
    if (!id) {
      out.resize(start);
      return;
    }
    out.append(key ? ",\"key_schema_id\":" : ",\"value_schema_id\":");
    append_int(out, *id);
  }

  DecodeOptions m_options;
  bool m_json_values;
  CompactJsonCheck m_check;
};

class SubstitutingFormatter final : public RecordFormatter {
 public:
  SubstitutingFormatter(std::unique_ptr<RecordFormatter> inner, DecodeOptions options)
      : m_inner(std::move(inner)), m_options(std::move(options)) {}

  void append(std::string& out, const RecordView& record) override {
    RecordView shown = record;
    if (m_options.key) {
      m_key.clear();
      if (m_options.decoder->decode(record, true, m_key)) {
        shown.key = BytesView::of(std::string_view(m_key));
      }
    }
    if (m_options.value) {
      m_value.clear();
      if (m_options.decoder->decode(record, false, m_value)) {
        shown.value = BytesView::of(std::string_view(m_value));
      }
    }
    m_inner->append(out, shown);
  }
  bool needs_headers() const override { return m_inner->needs_headers(); }

 private:
  std::unique_ptr<RecordFormatter> m_inner;
  DecodeOptions m_options;
  std::string m_key;
  std::string m_value;
};

}  // namespace

std::unique_ptr<RecordFormatter> make_decoding_envelope_formatter(DecodeOptions options,
                                                                  bool json_values) {
  return std::make_unique<DecodingEnvelopeFormatter>(std::move(options), json_values);
}

std::unique_ptr<RecordFormatter> make_substituting_formatter(std::unique_ptr<RecordFormatter> inner,
                                                             DecodeOptions options) {
  return std::make_unique<SubstitutingFormatter>(std::move(inner), std::move(options));
}

}  // namespace evt::format
