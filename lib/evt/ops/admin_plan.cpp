// SPDX-License-Identifier: MIT
#include "evt/ops/admin_plan.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "evt/spellcheck.hpp"

namespace evt::ops {

Result<std::vector<std::pair<std::string, std::string>>> parse_config_pairs(
    const std::vector<std::string>& args, const std::string& flag) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::set<std::string> seen;
  for (const std::string& arg : args) {
    const std::size_t equals = arg.find('=');
    if (equals == std::string::npos || equals == 0) {
      return fail(ErrorKind::usage,
                  fmt::format("{} \"{}\": expected key=value", flag, arg),
                  fmt::format("for example {} retention.ms=86400000", flag));
    }
    std::string key = arg.substr(0, equals);
    if (!seen.insert(key).second) {
      return fail(ErrorKind::usage, fmt::format("{} {}: given more than once", flag, key));
    }
    pairs.emplace_back(std::move(key), arg.substr(equals + 1));
  }
  return pairs;
}

Result<OffsetSpec> parse_positions(const std::vector<std::string>& args,
                                   const std::string& flag,
                                   Position fallback,
                                   bool allow_stored,
                                   std::int64_t now_ms) {
  auto spec = parse_offset_spec(args, now_ms, OffsetRange{fallback, std::nullopt});
  if (!spec) {
    return fail(ErrorKind::usage,
                fmt::format("{}: {}", flag, spec.error().message),
                "see 'evt help offsets'");
  }
  auto check = [&](const OffsetRange& range) -> Result<void> {
    if (range.to) {
      return fail(ErrorKind::usage,
                  fmt::format("{} takes one position, not a range FROM:TO", flag),
                  fmt::format("for example {} beginning, {} @-1h or {} 0=42", flag, flag, flag));
    }
    if (!allow_stored && range.from.kind == Position::Kind::stored) {
      return fail(ErrorKind::usage, fmt::format("{} stored: there is no group here", flag));
    }
    return {};
  };
  EVT_TRY(check(spec->all));
  for (const auto& [partition, range] : spec->per_partition) {
    EVT_TRY(check(range));
  }
  return spec;
}

namespace {

// Where a position lies in one partition, before any clamping. `current` serves `stored`.
Result<std::int64_t> resolve(const Position& position,
                             const std::string& topic,
                             const kafka::PartitionState& p,
                             std::optional<std::int64_t> current,
                             const TimeLookup& lookup) {
  using Kind = Position::Kind;
  switch (position.kind) {
    case Kind::beginning:
      return p.low;
    case Kind::end:
      return p.high;
    case Kind::absolute:
      return position.value;
    case Kind::before_end:
      return std::max(p.low, p.high - position.value);
    case Kind::after_beginning:
      return std::min(p.high, p.low + position.value);
    case Kind::time:
      return lookup(topic, p, position.value);
    case Kind::stored:
      if (current) {
        return *current;
      }
      return fail(ErrorKind::internal, "stored without a committed offset");
  }
  return p.low;
}

Result<void> check_partitions(const kafka::TopicState& topic, const OffsetSpec& spec) {
  for (const auto& entry : spec.per_partition) {
    const std::int32_t wanted = entry.first;
    const bool exists = std::any_of(
        topic.partitions.begin(), topic.partitions.end(), [&](const kafka::PartitionState& p) {
          return p.partition == wanted;
        });
    if (!exists) {
      return fail(ErrorKind::not_found,
                  fmt::format("partition {} does not exist: topic \"{}\" has {} partition{}",
                              wanted,
                              topic.topic,
                              topic.partitions.size(),
                              topic.partitions.size() == 1 ? "" : "s"));
    }
  }
  return {};
}

}  // namespace

Result<std::vector<TrimRow>> plan_trim(const kafka::TopicState& topic,
                                       const OffsetSpec& spec,
                                       const TimeLookup& lookup) {
  EVT_TRY(check_partitions(topic, spec));
  std::vector<TrimRow> rows;
  for (const kafka::PartitionState& p : topic.partitions) {
    const Position& position = spec.for_partition(p.partition).from;
    auto before = resolve(position, topic.topic, p, std::nullopt, lookup);
    if (!before) {
      return std::move(before).take_error();
    }
    if (*before > p.high) {
      return fail(ErrorKind::usage,
                  fmt::format("--before {}: partition {} ends at offset {}; there is nothing to "
                              "delete past its end",
                              describe(position),
                              p.partition,
                              p.high),
                  "'--before end' deletes every record");
    }
    TrimRow row;
    row.partition = p.partition;
    row.low = p.low;
    row.high = p.high;
    row.before = std::max(*before, p.low);
    rows.push_back(row);
  }
  return rows;
}

std::optional<std::int64_t> ResetRow::lag_after() const {
  const std::optional<std::int64_t> from = target ? target : current;
  if (!from) {
    return std::nullopt;
  }
  return std::max<std::int64_t>(0, high - *from);
}

Result<std::vector<ResetRow>> plan_reset(const std::vector<kafka::TopicState>& topics,
                                         const kafka::GroupOffsets& committed,
                                         const ResetRequest& request,
                                         const TimeLookup& lookup) {
  std::vector<ResetRow> rows;
  std::vector<std::string> unshiftable;
  for (const kafka::TopicState& topic : topics) {
    if (request.to) {
      EVT_TRY(check_partitions(topic, *request.to));
    }
    for (const kafka::PartitionState& p : topic.partitions) {
      ResetRow row;
      row.topic = topic.topic;
      row.partition = p.partition;
      row.low = p.low;
      row.high = p.high;
      if (auto found = committed.find({topic.topic, p.partition}); found != committed.end()) {
        row.current = found->second;
      }
      std::optional<std::int64_t> wanted;
      if (request.shift_by) {
        if (!row.current) {
          unshiftable.push_back(fmt::format("{}/{}", topic.topic, p.partition));
        } else {
          wanted = *row.current + *request.shift_by;
        }
      } else if (request.to) {
        const Position& position = request.to->for_partition(p.partition).from;
        if (position.kind == Position::Kind::stored) {
          wanted = row.current;  // left as it is
        } else {
          auto resolved = resolve(position, topic.topic, p, row.current, lookup);
          if (!resolved) {
            return std::move(resolved).take_error();
          }
          wanted = *resolved;
        }
      }
      if (wanted) {
        row.target = std::clamp(*wanted, p.low, p.high);
        row.clamped = *row.target != *wanted;
      }
      rows.push_back(std::move(row));
    }
  }
  if (!unshiftable.empty()) {
    return fail(ErrorKind::usage,
                fmt::format("--shift-by: the group has no committed offset to shift on {}",
                            fmt::join(unshiftable, ", ")),
                "give those partitions a position first, e.g. --to beginning");
  }
  return rows;
}

Result<AlterPlan> plan_alter(const std::vector<kafka::TopicConfigEntry>& current,
                             const std::vector<std::pair<std::string, std::string>>& set,
                             const std::vector<std::string>& unset) {
  std::map<std::string, const kafka::TopicConfigEntry*> by_name;
  std::vector<std::string> names;
  for (const kafka::TopicConfigEntry& entry : current) {
    by_name[entry.name] = &entry;
    names.push_back(entry.name);
  }
  auto known = [&](const std::string& name, const char* flag) -> Result<void> {
    if (by_name.count(name)) {
      if (by_name[name]->read_only) {
        return fail(ErrorKind::usage, fmt::format("{} {}: the config is read-only", flag, name));
      }
      return {};
    }
    const auto match = closest_match(name, names);
    return fail(ErrorKind::usage,
                fmt::format("{} {}: the topic has no config of that name", flag, name),
                match ? fmt::format("did you mean '{}'?", *match)
                      : std::string("list the topic's configs with 'evt inspect topic NAME'"));
  };
  std::set<std::string> unset_names;
  for (const std::string& name : unset) {
    EVT_TRY(known(name, "--unset"));
    if (!unset_names.insert(name).second) {
      return fail(ErrorKind::usage, fmt::format("--unset {}: given more than once", name));
    }
  }
  std::map<std::string, std::string> set_values;
  for (const auto& [name, value] : set) {
    EVT_TRY(known(name, "-c"));
    if (unset_names.count(name)) {
      return fail(ErrorKind::usage, fmt::format("{} is both set (-c) and unset (--unset)", name));
    }
    set_values[name] = value;
  }
  AlterPlan plan;
  for (const kafka::TopicConfigEntry& entry : current) {
    const bool setting = set_values.count(entry.name) > 0;
    const bool unsetting = unset_names.count(entry.name) > 0;
    if (entry.set_on_topic && !setting && !unsetting) {
      if (!entry.value) {
        return fail(
            ErrorKind::kafka,
            fmt::format("topic config {} is sensitive: the broker does not reveal its "
                        "value, and the AlterConfigs request librdkafka 2.0.2 sends "
                        "replaces every override, so it cannot be kept",
                        entry.name),
            fmt::format("set it again in the same command (-c {}=...) or --unset it", entry.name));
      }
      plan.overrides.emplace_back(entry.name, *entry.value);
    }
    if (setting) {
      const std::string& value = set_values[entry.name];
      plan.overrides.emplace_back(entry.name, value);
      if (!entry.set_on_topic || entry.value != value) {
        plan.changes.push_back(
            ConfigChange{entry.name, entry.value, value, entry.set_on_topic, true});
      }
    } else if (unsetting && entry.set_on_topic) {
      plan.changes.push_back(ConfigChange{entry.name, entry.value, std::nullopt, true, false});
    }
  }
  return plan;
}

}  // namespace evt::ops
