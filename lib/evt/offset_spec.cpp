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

// "P=SPEC" split into P and SPEC; a value without '=' is for all partitions.
struct PartitionPrefixed {
  std::optional<std::int32_t> partition;
  std::string_view spec;
};

// Null when what precedes '=' is not a partition number.
std::optional<PartitionPrefixed> split_partition(std::string_view arg) {
  const std::size_t equals = arg.find('=');
  if (equals == std::string_view::npos) {
    return PartitionPrefixed{std::nullopt, arg};
  }
  auto partition = parse_count(arg.substr(0, equals));
  if (!partition || *partition > 0x7fffffff) {
    return std::nullopt;
  }
  return PartitionPrefixed{static_cast<std::int32_t>(*partition), arg.substr(equals + 1)};
}

// Which argument set the value of every partition, and of each partition P, so that a second
// one for the same partitions is refused rather than one of them silently kept.
class FirstSetters {
 public:
  // The earlier argument for the same partitions; null the first time (`arg` is remembered).
  const std::string* earlier(std::optional<std::int32_t> partition, const std::string& arg) {
    if (partition) {
      auto [it, added] = partitions_.emplace(*partition, arg);
      return added ? nullptr : &it->second;
    }
    if (all_) {
      return &*all_;
    }
    all_ = arg;
    return nullptr;
  }

 private:
  std::optional<std::string> all_;
  std::map<std::int32_t, std::string> partitions_;
};

// replay's --from or --to values, into `spec`; `from` values are added before `to` values, so
// that P=TO keeps the FROM of partition P.
Result<void> add_range_ends(const std::vector<std::string>& values,
                            bool is_to,
                            std::int64_t now_ms,
                            OffsetSpec& spec) {
  const char* flag = is_to ? "--to" : "--from";
  const char* end = is_to ? "end" : "start";
  FirstSetters setters;
  for (const std::string& value : values) {
    auto prefixed = split_partition(value);
    if (!prefixed) {
      return fail(ErrorKind::usage,
                  fmt::format("{} \"{}\": the partition before '=' must be a number", flag, value));
    }
    const std::optional<std::int32_t> partition = prefixed->partition;
    auto position = parse_position(prefixed->spec, now_ms);
    if (!position) {
      return fail(ErrorKind::usage,
                  fmt::format("{}: {}", flag, position.error().message),
                  position.error().hint);
    }
    if (position->kind == Position::Kind::stored) {
      return fail(ErrorKind::usage, "replay ranges cannot use \"stored\"");
    }
    if (const std::string* earlier = setters.earlier(partition, value)) {
      return fail(
          ErrorKind::usage,
          partition ? fmt::format("{}: \"{}\" and \"{}\" both set partition {}'s {}",
                                  flag,
                                  *earlier,
                                  value,
                                  *partition,
                                  end)
                    : fmt::format("{}: \"{}\" and \"{}\" both set the {} of every partition",
                                  flag,
                                  *earlier,
                                  value,
                                  end),
          fmt::format("give one {0} for all partitions, and {0} P=SPEC for partition P", flag));
    }
    // A partition named for the first time starts from the range of all partitions (checked
    // before operator[] adds it).
    const bool first_for_partition = partition && !spec.per_partition.count(*partition);
    OffsetRange& range = partition ? spec.per_partition[*partition] : spec.all;
    if (first_for_partition) {
      range = spec.all;
    }
    if (is_to) {
      range.to = *position;
    } else {
      range.from = *position;
    }
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
  FirstSetters setters;
  for (const std::string& arg : args) {
    auto prefixed = split_partition(arg);
    if (!prefixed) {
      return fail(ErrorKind::usage,
                  fmt::format("invalid offset \"{}\": the partition before '=' must be a "
                              "number, as in 0=beginning",
                              arg));
    }
    auto range = parse_offset_range(prefixed->spec, now_ms);
    if (!range) {
      return std::move(range).take_error();
    }
    const std::optional<std::int32_t> partition = prefixed->partition;
    if (const std::string* earlier = setters.earlier(partition, arg)) {
      return partition
                 ? fail(ErrorKind::usage,
                        fmt::format("\"{}\" and \"{}\" both set partition {}'s offsets",
                                    *earlier,
                                    arg,
                                    *partition),
                        "give one -o per partition")
                 : fail(ErrorKind::usage,
                        fmt::format("\"{}\" and \"{}\" both set the offsets of every partition",
                                    *earlier,
                                    arg),
                        "give one -o for all partitions, and P=SPEC for partition P");
    }
    (partition ? spec.per_partition[*partition] : spec.all) = *range;
  }
  return spec;
}

Result<OffsetSpec> parse_range_ends(const std::vector<std::string>& from,
                                    const std::vector<std::string>& to,
                                    std::int64_t now_ms) {
  OffsetSpec spec;
  EVT_TRY(add_range_ends(from, false, now_ms, spec));
  EVT_TRY(add_range_ends(to, true, now_ms, spec));
  for (auto& [partition, range] : spec.per_partition) {
    if (!range.to && spec.all.to) {
      range.to = spec.all.to;
    }
  }
  const auto shown = [](const OffsetRange& range, const std::string& prefix) {
    return fmt::format("--from {}{} --to {}{}",
                       prefix,
                       describe(range.from),
                       prefix,
                       range.to ? describe(*range.to) : "");
  };
  EVT_TRY(check_range_not_empty(spec.all, shown(spec.all, "")));
  for (const auto& [partition, range] : spec.per_partition) {
    EVT_TRY(check_range_not_empty(range, shown(range, fmt::format("{}=", partition))));
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
