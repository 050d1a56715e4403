// SPDX-License-Identifier: MIT
#include "evt/offset_spec.hpp"

#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "evt/spellcheck.hpp"
#include "evt/time_spec.hpp"

namespace evt {

namespace {

constexpr std::string_view k_keywords[] = {
    "beginning", "start", "oldest", "earliest", "end", "newest", "latest", "stored"};

std::optional<std::int64_t> parse_count(std::string_view digits) {
  if (digits.empty()) {
    return std::nullopt;
  }
  for (char c : digits) {
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
  }
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) {
    return std::nullopt;
  }
  return value;
}

// Positions of one family compare without knowing the partition: N with N, +N with +N
// (beginning is +0), -N with -N (end is -0), @T with @T. `rank` orders them within the family.
struct Comparable {
  int family = -1;  // -1: compares with nothing
  std::int64_t rank = 0;
};

Comparable comparable(const Position& position) {
  using Kind = Position::Kind;
  switch (position.kind) {
    case Kind::absolute:
      return {0, position.value};
    case Kind::beginning:
      return {1, 0};
    case Kind::after_beginning:
      return {1, position.value};
    case Kind::end:
      return {2, 0};
    case Kind::before_end:
      return {2, -position.value};
    case Kind::time:
      return {3, position.value};
    case Kind::stored:
      break;
  }
  return {};
}

}  // namespace

Result<void> check_range_not_empty(const OffsetRange& range, std::string_view shown) {
  if (!range.to) {
    return {};
  }
  const Comparable to = comparable(*range.to);
  // Nothing is before the beginning, or before offset 0.
  const bool ends_at_beginning = (to.family == 1 || to.family == 0) && to.rank == 0;
  const Comparable from = comparable(range.from);
  if (ends_at_beginning || (from.family >= 0 && from.family == to.family && to.rank <= from.rank)) {
    const bool empty = ends_at_beginning ? (from.family == 1 || from.family == 0) && from.rank == 0
                                         : to.rank == from.rank;
    return fail(ErrorKind::usage,
                fmt::format("invalid range {}: {}",
                            shown,
                            empty ? "it is empty (the end of a range is exclusive)"
                                  : "it ends before it starts"),
                "FROM:TO reads from FROM up to, not including, TO: e.g. 5:10 is offsets 5 to 9");
  }
  return {};
}

Result<Position> parse_position(std::string_view text, std::int64_t now_ms) {
  using Kind = Position::Kind;
  if (text == "beginning" || text == "start" || text == "oldest" || text == "earliest") {
    return Position{Kind::beginning, 0};
  }
  if (text == "end" || text == "newest" || text == "latest") {
    return Position{Kind::end, 0};
  }
  if (text == "stored") {
    return Position{Kind::stored, 0};
  }
  if (!text.empty() && text[0] == '@') {
    auto time = parse_time(text.substr(1), now_ms);
    if (!time) {
      return std::move(time).take_error();
    }
    return Position{Kind::time, *time};
  }
  if (auto absolute = parse_count(text)) {
    return Position{Kind::absolute, *absolute};
  }
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    if (auto count = parse_count(text.substr(1))) {
      return Position{text[0] == '-' ? Kind::before_end : Kind::after_beginning, *count};
    }
  }
  std::string message = fmt::format(
      "invalid offset \"{}\": expected beginning, end, stored, N, -N, +N or @TIME", text);
  std::string hint;
  if (auto suggestion = closest_match(text, k_keywords)) {
    hint = fmt::format("did you mean \"{}\"?", *suggestion);
  }
  return fail(ErrorKind::usage, std::move(message), std::move(hint));
}

Result<OffsetRange> parse_offset_range(std::string_view text, std::int64_t now_ms) {
  // A single position first: "@2026-11-23T10:00:00" is one time, not 10:00 up to offset 00.
  auto single = parse_position(text, now_ms);
  if (single) {
    return OffsetRange{*single, std::nullopt};
  }
  // Times contain colons (10:00:00), so try each colon as the FROM:TO separator and take the first
  // split where both sides parse.
  std::optional<Error> from_error;  // the first split's, when no FROM parses
  std::optional<Error> to_error;    // the last split's whose FROM parses: the likely culprit
  for (std::size_t colon = text.find(':'); colon != std::string_view::npos;
       colon = text.find(':', colon + 1)) {
    const std::string_view from_text = text.substr(0, colon);
    const std::string_view to_text = text.substr(colon + 1);
    auto from =
        from_text.empty() ? Result<Position>(Position{}) : parse_position(from_text, now_ms);
    auto to = parse_position(to_text, now_ms);
    if (from && to) {
      if (to->kind == Position::Kind::stored) {
        return fail(ErrorKind::usage,
                    fmt::format("invalid range \"{}\": the end of a range cannot be stored", text));
      }
      const OffsetRange range{*from, *to};
      EVT_TRY(check_range_not_empty(range, fmt::format("\"{}\"", text)));
      return range;
    }
    if (from) {
      to_error = to.error();
    } else if (!from_error) {
      from_error = from.error();
    }
  }
  if (to_error) {
    return Unexpected{*to_error};
  }
  if (from_error) {
    return Unexpected{*from_error};
  }
  return std::move(single).take_error();
}

Result<OffsetSpec> parse_offset_spec(const std::vector<std::string>& args,
                                     std::int64_t now_ms,
                                     OffsetRange default_range) {
  OffsetSpec spec;
  spec.all = default_range;
  // A second -o for the same partitions would silently replace the first.
  std::optional<std::string> all_from;
  std::map<std::int32_t, std::string> partition_from;
  for (const std::string& arg : args) {
    const std::size_t equals = arg.find('=');
    if (equals != std::string::npos) {
      auto partition = parse_count(std::string_view(arg).substr(0, equals));
      if (!partition || *partition > 0x7fffffff) {
        return fail(ErrorKind::usage,
                    fmt::format("invalid offset \"{}\": the partition before '=' must be a "
                                "number, as in 0=beginning",
                                arg));
      }
      auto range = parse_offset_range(std::string_view(arg).substr(equals + 1), now_ms);
      if (!range) {
        return std::move(range).take_error();
      }
      const auto p = static_cast<std::int32_t>(*partition);
      if (auto earlier = partition_from.find(p); earlier != partition_from.end()) {
        return fail(
            ErrorKind::usage,
            fmt::format(
                "\"{}\" and \"{}\" both set partition {}'s offsets", earlier->second, arg, p),
            "give one -o per partition");
      }
      partition_from.emplace(p, arg);
      spec.per_partition[p] = *range;
    } else {
      auto range = parse_offset_range(arg, now_ms);
      if (!range) {
        return std::move(range).take_error();
      }
      if (all_from) {
        return fail(
            ErrorKind::usage,
            fmt::format(
                "\"{}\" and \"{}\" both set the offsets of every partition", *all_from, arg),
            "give one -o for all partitions, and P=SPEC for partition P");
      }
      all_from = arg;
      spec.all = *range;
    }
  }
  return spec;
}

std::string describe(const Position& position) {
  using Kind = Position::Kind;
  switch (position.kind) {
    case Kind::beginning:
      return "beginning";
    case Kind::end:
      return "end";
    case Kind::stored:
      return "stored";
    case Kind::absolute:
      return std::to_string(position.value);
    case Kind::before_end:
      return fmt::format("-{}", position.value);
    case Kind::after_beginning:
      return fmt::format("+{}", position.value);
    case Kind::time:
      return fmt::format("@{}", format_iso_utc(position.value));
  }
  return "?";
}

}  // namespace evt
