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

}  // namespace

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
      return OffsetRange{*from, *to};
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
      spec.per_partition[static_cast<std::int32_t>(*partition)] = *range;
    } else {
      auto range = parse_offset_range(arg, now_ms);
      if (!range) {
        return std::move(range).take_error();
      }
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
