// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "evt/error.hpp"
#include "evt/format/envelope.hpp"
#include "evt/record.hpp"

namespace evt::format {

/// One record read from input. Views point into the input buffer or the parser's own storage
/// and stay valid until the next call to parse().
struct InputRecord {
  std::string_view topic;  ///< empty: the command's topic
  std::int32_t partition = -1;
  std::int64_t timestamp = -1;
  BytesView key;
  BytesView value;
  std::vector<HeaderView> headers;

  void clear() {
    topic = {};
    partition = -1;
    timestamp = -1;
    key = {};
    value = {};
    headers.clear();
  }
};

enum class ParseStatus {
  record,     ///< `out` holds a record; `consumed` bytes were used
  need_more,  ///< no complete record in `data` yet
  skip,       ///< `consumed` bytes hold nothing (a blank line in JSON input)
  end,        ///< at EOF with nothing left
  bad,        ///< malformed; `consumed` bytes are the bad record, `error` says why
};

/// Splits an input stream into records. Pure: it sees bytes, never file descriptors.
class RecordParser {
 public:
  virtual ~RecordParser() = default;
  /// Parses the next record at the start of `data`. `at_eof` says no more bytes will come.
  virtual ParseStatus parse(std::string_view data,
                            bool at_eof,
                            InputRecord& out,
                            std::size_t& consumed,
                            std::string& error) = 0;
  /// The bytes that end every record (the delimiter, or a layout's last literal); empty when
  /// a record can end only at EOF. Lets a reader skip a record too long to buffer.
  virtual std::string_view terminator() const = 0;
};

/// `lines` format: records end at `delimiter`; with `key_delimiter`, the text before its first
/// occurrence is the key (a record without it has a null key). `strip_cr` drops one trailing
/// \r (for CRLF input).
struct LineOptions {
  std::string delimiter = "\n";
  std::string key_delimiter;  ///< empty: no key splitting
  bool strip_cr = false;
};
std::unique_ptr<RecordParser> make_line_parser(LineOptions options);

/// `json` format: one record envelope per line. Blank lines are skipped.
std::unique_ptr<RecordParser> make_envelope_parser();

/// A %-layout such as "%k=%v\n" or "%t|%p|%k|%v\n". Fields: %k key, %v/%s value, %t topic,
/// %p partition, %T timestamp (epoch ms), %h headers (name=value,name=value), %% a percent
/// sign; escapes as in unescape(). Each field reads up to the literal text after it, but never
/// past the layout's final literal (the record terminator): a record missing a separator is bad,
/// not merged with the next. The last field of a layout with no trailing literal reads to the
/// end of input.
Result<std::unique_ptr<RecordParser>> make_layout_parser(std::string_view layout);

}  // namespace evt::format
