// SPDX-License-Identifier: MIT
#include "evt/format/record_parser.hpp"

#include <charconv>
#include <cstring>

#include <fmt/format.h>

#include "evt/format/escapes.hpp"
#include "evt/format/layout.hpp"

namespace evt::format {

namespace {

std::size_t find_bytes(std::string_view haystack, std::string_view needle, std::size_t from = 0) {
  if (needle.size() == 1) {
    if (from >= haystack.size()) {
      return std::string_view::npos;
    }
    const void* hit = std::memchr(haystack.data() + from, needle[0], haystack.size() - from);
    return hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - haystack.data())
               : std::string_view::npos;
  }
  return haystack.find(needle, from);
}

class LineParser final : public RecordParser {
 public:
  explicit LineParser(LineOptions options) : m_options(std::move(options)) {}

  std::string_view terminator() const override { return m_options.delimiter; }

  ParseStatus parse(std::string_view data,
                    bool at_eof,
                    InputRecord& out,
                    std::size_t& consumed,
                    std::string& error) override {
    (void)error;
    std::size_t end = find_bytes(data, m_options.delimiter);
    std::string_view line;
    if (end == std::string_view::npos) {
      if (!at_eof) {
        return ParseStatus::need_more;
      }
      if (data.empty()) {
        return ParseStatus::end;
      }
      line = data;  // a last record without a final delimiter
      consumed = data.size();
    } else {
      line = data.substr(0, end);
      consumed = end + m_options.delimiter.size();
    }
    if (m_options.strip_cr && !line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    out.clear();
    if (!m_options.key_delimiter.empty()) {
      const std::size_t split = find_bytes(line, m_options.key_delimiter);
      if (split != std::string_view::npos) {
        out.key = BytesView::of(line.substr(0, split));
        line.remove_prefix(split + m_options.key_delimiter.size());
      }
    }
    out.value = BytesView::of(line);
    return ParseStatus::record;
  }

 private:
  LineOptions m_options;
};

class EnvelopeLineParser final : public RecordParser {
 public:
  std::string_view terminator() const override { return "\n"; }

  ParseStatus parse(std::string_view data,
                    bool at_eof,
                    InputRecord& out,
                    std::size_t& consumed,
                    std::string& error) override {
    std::size_t end = find_bytes(data, "\n");
    std::string_view line;
    if (end == std::string_view::npos) {
      if (!at_eof) {
        return ParseStatus::need_more;
      }
      if (data.empty()) {
        return ParseStatus::end;
      }
      line = data;
      consumed = data.size();
    } else {
      line = data.substr(0, end);
      consumed = end + 1;
    }
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
      return ParseStatus::skip;
    }
    auto parsed = m_parser.parse(line, m_record);
    if (!parsed) {
      error = parsed.error().message;
      return ParseStatus::bad;
    }
    out.clear();
    out.topic = m_record.topic;
    out.partition = m_record.partition;
    out.timestamp = m_record.timestamp;
    out.key = BytesView::of(m_record.key);
    out.value = BytesView::of(m_record.value);
    for (const Header& header : m_record.headers) {
      out.headers.push_back(HeaderView{header.name, BytesView::of(header.value)});
    }
    return ParseStatus::record;
  }

 private:
  EnvelopeParser m_parser;
  Record m_record;
};

class LayoutParser final : public RecordParser {
 public:
  explicit LayoutParser(std::vector<LayoutPiece> tokens) : m_tokens(std::move(tokens)) {}

  std::string_view terminator() const override {
    return m_tokens.back().field == LayoutField::literal ? std::string_view(m_tokens.back().text)
                                                         : std::string_view();
  }

  ParseStatus parse(std::string_view data,
                    bool at_eof,
                    InputRecord& out,
                    std::size_t& consumed,
                    std::string& error) override {
    if (data.empty() && at_eof) {
      return ParseStatus::end;
    }
    out.clear();
    m_headers_text = {};
    m_has_headers = false;
    std::size_t pos = 0;
    for (std::size_t i = 0; i < m_tokens.size(); ++i) {
      const LayoutPiece& token = m_tokens[i];
      if (token.field == LayoutField::literal) {
        if (data.size() - pos < token.text.size()) {
          if (!at_eof) {
            return ParseStatus::need_more;
          }
          if (i + 1 == m_tokens.size() && pos == data.size()) {
            break;  // the last record may lack its final delimiter
          }
          return bad_record(data,
                            pos,
                            at_eof,
                            consumed,
                            error,
                            fmt::format("expected \"{}\"", escape_for_display(token.text)));
        }
        if (data.compare(pos, token.text.size(), token.text) != 0) {
          return bad_record(data,
                            pos,
                            at_eof,
                            consumed,
                            error,
                            fmt::format("expected \"{}\"", escape_for_display(token.text)));
        }
        pos += token.text.size();
        continue;
      }
      std::string_view field_text;
      if (i + 1 < m_tokens.size()) {
        const std::string& next = m_tokens[i + 1].text;  // fields are always followed by literals
        const std::size_t end = find_bytes(data, next, pos);
        // A field never runs past the record's terminator (the layout's last literal), so a
        // record missing a separator cannot swallow the records after it.
        if (i + 2 < m_tokens.size() && m_tokens.back().field == LayoutField::literal) {
          const std::size_t terminator = find_bytes(data, m_tokens.back().text, pos);
          if (terminator != std::string_view::npos &&
              (end == std::string_view::npos || terminator < end)) {
            return bad_record(data,
                              pos,
                              at_eof,
                              consumed,
                              error,
                              fmt::format("expected \"{}\" after the {}",
                                          escape_for_display(next),
                                          field_name(token.field)));
          }
        }
        if (end == std::string_view::npos) {
          if (!at_eof) {
            return ParseStatus::need_more;
          }
          if (i + 2 == m_tokens.size()) {
            field_text = data.substr(pos);  // last field, final delimiter missing at EOF
          } else {
            return bad_record(data,
                              pos,
                              at_eof,
                              consumed,
                              error,
                              fmt::format("expected \"{}\" after the {}",
                                          escape_for_display(next),
                                          field_name(token.field)));
          }
        } else {
          field_text = data.substr(pos, end - pos);
        }
      } else {
        if (!at_eof) {
          return ParseStatus::need_more;
        }
        field_text = data.substr(pos);
      }
      pos += field_text.size();
      if (auto failure = assign(token.field, field_text, out)) {
        return bad_record(data, pos, at_eof, consumed, error, *failure);
      }
    }
    consumed = pos;
    if (!m_headers_text.empty() || m_has_headers) {
      parse_headers(out);
    }
    return ParseStatus::record;
  }

 private:
  static const char* field_name(LayoutField field) {
    switch (field) {
      case LayoutField::key:
        return "key (%k)";
      case LayoutField::value:
        return "value (%v)";
      case LayoutField::topic:
        return "topic (%t)";
      case LayoutField::partition:
        return "partition (%p)";
      case LayoutField::timestamp:
        return "timestamp (%T)";
      case LayoutField::headers:
        return "headers (%h)";
      case LayoutField::literal:
      case LayoutField::offset:  // output only: not in an input layout
      case LayoutField::key_length:
      case LayoutField::value_length:
      case LayoutField::iso_time:
      case LayoutField::header_named:
        break;
    }
    return "text";
  }

  // Skips to the end of the bad record so parsing can resume. A bad record may lack part of the
  // terminator (a plain line `k2,v2\n` among `"%k","%v"\n` records): it ends at the first full
  // terminator, or earlier, right after a byte that ends the terminator, where a well-formed
  // record starts. So no good record after it is swallowed.
  ParseStatus bad_record(std::string_view data,
                         std::size_t pos,
                         bool at_eof,
                         std::size_t& consumed,
                         std::string& error,
                         std::string message) {
    error = std::move(message);
    if (m_probing) {
      return ParseStatus::bad;
    }
    if (m_tokens.back().field != LayoutField::literal) {
      if (!at_eof) {
        return ParseStatus::need_more;
      }
      consumed = data.size();
      return ParseStatus::bad;
    }
    const std::string& terminator = m_tokens.back().text;
    const std::size_t found = find_bytes(data, terminator, pos);
    const std::size_t limit = found == std::string_view::npos ? data.size() : found;
    if (terminator.size() > 1) {
      const char last = terminator.back();
      for (std::size_t candidate = find_bytes(data, std::string_view(&last, 1), 0);
           candidate != std::string_view::npos && candidate < limit;
           candidate = find_bytes(data, std::string_view(&last, 1), candidate + 1)) {
        switch (probe(data.substr(candidate + 1), at_eof)) {
          case ParseStatus::record:
          case ParseStatus::end:
            consumed = candidate + 1;
            return ParseStatus::bad;
          case ParseStatus::need_more:
            return ParseStatus::need_more;
          case ParseStatus::skip:
          case ParseStatus::bad:
            break;
        }
      }
    }
    if (found == std::string_view::npos) {
      if (!at_eof) {
        return ParseStatus::need_more;
      }
      consumed = data.size();
    } else {
      consumed = found + terminator.size();
    }
    return ParseStatus::bad;
  }

  // Whether a well-formed record starts at `data` (no state of the real parse is touched).
  ParseStatus probe(std::string_view data, bool at_eof) {
    const std::string_view headers_text = m_headers_text;
    const bool has_headers = m_has_headers;
    m_probing = true;
    std::size_t consumed = 0;
    std::string error;
    const ParseStatus status = parse(data, at_eof, m_probe_record, consumed, error);
    m_probing = false;
    m_headers_text = headers_text;
    m_has_headers = has_headers;
    return status;
  }

  std::optional<std::string> assign(LayoutField field, std::string_view text, InputRecord& out) {
    switch (field) {
      case LayoutField::key:
        out.key = BytesView::of(text);
        return std::nullopt;
      case LayoutField::value:
        out.value = BytesView::of(text);
        return std::nullopt;
      case LayoutField::topic:
        out.topic = text;
        return std::nullopt;
      case LayoutField::partition: {
        std::int32_t partition = -1;
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), partition);
        if (ec != std::errc() || ptr != text.data() + text.size() || partition < 0) {
          return fmt::format("partition \"{}\" is not a number", escape_for_display(text));
        }
        out.partition = partition;
        return std::nullopt;
      }
      case LayoutField::timestamp: {
        std::int64_t timestamp = -1;
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), timestamp);
        if (ec != std::errc() || ptr != text.data() + text.size() || timestamp < 0) {
          return fmt::format("timestamp \"{}\" is not epoch milliseconds",
                             escape_for_display(text));
        }
        out.timestamp = timestamp;
        return std::nullopt;
      }
      case LayoutField::headers:
        m_headers_text = text;
        m_has_headers = true;
        return std::nullopt;
      case LayoutField::literal:
      case LayoutField::offset:  // output only: not in an input layout
      case LayoutField::key_length:
      case LayoutField::value_length:
      case LayoutField::iso_time:
      case LayoutField::header_named:
        break;
    }
    return std::nullopt;
  }

  // name=value pairs separated by commas; a pair without '=' is a header with a null value.
  void parse_headers(InputRecord& out) {
    std::string_view rest = m_headers_text;
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      const std::string_view pair = rest.substr(0, comma);
      const std::size_t equals = pair.find('=');
      if (equals == std::string_view::npos) {
        out.headers.push_back(HeaderView{pair, BytesView{}});
      } else {
        out.headers.push_back(
            HeaderView{pair.substr(0, equals), BytesView::of(pair.substr(equals + 1))});
      }
      if (comma == std::string_view::npos) {
        break;
      }
      rest.remove_prefix(comma + 1);
    }
    m_has_headers = false;
  }

  std::vector<LayoutPiece> m_tokens;
  std::string_view m_headers_text;
  bool m_has_headers = false;
  bool m_probing = false;  ///< parsing ahead from bad_record(): no resynchronisation
  InputRecord m_probe_record;
};

}  // namespace

std::unique_ptr<RecordParser> make_line_parser(LineOptions options) {
  return std::make_unique<LineParser>(std::move(options));
}

std::unique_ptr<RecordParser> make_envelope_parser() {
  return std::make_unique<EnvelopeLineParser>();
}

Result<std::unique_ptr<RecordParser>> make_layout_parser(std::string_view layout) {
  auto pieces = parse_layout(layout, LayoutUse::input);
  if (!pieces) {
    return std::move(pieces).take_error();
  }
  bool has_value = false;
  for (std::size_t i = 0; i < pieces->size(); ++i) {
    const LayoutField field = (*pieces)[i].field;
    has_value |= field == LayoutField::value;
    if (field != LayoutField::literal && i > 0 && (*pieces)[i - 1].field != LayoutField::literal) {
      return fail(ErrorKind::usage,
                  fmt::format("input layout \"{}\": two fields in a row cannot be told apart; put "
                              "a separator between them",
                              layout));
    }
  }
  if (!has_value) {
    return fail(ErrorKind::usage,
                fmt::format("input layout \"{}\" has no %v (value)", layout),
                "e.g. -f '%k=%v\\n'");
  }
  return std::unique_ptr<RecordParser>(std::make_unique<LayoutParser>(std::move(*pieces)));
}

}  // namespace evt::format
