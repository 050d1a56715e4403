// SPDX-License-Identifier: MIT
// The pure computations behind `evt topic` and `evt group`: what a trim deletes, where a reset
// moves a group, what an alter changes. No broker: the caller passes the state it read, and a
// time lookup for @TIME.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "evt/error.hpp"
#include "evt/kafka/admin_connection.hpp"
#include "evt/kafka/group_admin.hpp"
#include "evt/kafka/topic_admin.hpp"
#include "evt/offset_spec.hpp"

namespace evt::ops {

/// The first offset of a partition at or after a time (epoch ms); high when there is none.
using TimeLookup = std::function<Result<std::int64_t>(
    const std::string& topic, const kafka::PartitionState& partition, std::int64_t time_ms)>;

/// Parses `key=value` arguments of `flag` (-c), in order; a repeated key is a usage error.
Result<std::vector<std::pair<std::string, std::string>>> parse_config_pairs(
    const std::vector<std::string>& args, const std::string& flag);

/// Parses position arguments of `flag` (--before, --to): the offset grammar of `consume -o`
/// without ranges: SPEC for every partition, P=SPEC for partition P (repeatable). Partitions
/// that no argument names get `fallback`. `stored` only where `allow_stored`.
Result<OffsetSpec> parse_positions(const std::vector<std::string>& args,
                                   const std::string& flag,
                                   Position fallback,
                                   bool allow_stored,
                                   std::int64_t now_ms);

/// One partition of `evt topic trim`: records in [low, before) are deleted.
struct TrimRow {
  std::int32_t partition = 0;
  std::int64_t low = 0;     ///< the low watermark before
  std::int64_t high = 0;    ///< the high watermark
  std::int64_t before = 0;  ///< the new low watermark asked for (== low: nothing to delete)
  std::optional<std::int64_t> new_low;  ///< what the broker reported after deleting
  std::int64_t deleted() const { return before > low ? before - low : 0; }
};

/// Where `spec` puts the low watermark of each partition of `topic`. A position before a
/// partition's low watermark deletes nothing there; one past its high watermark is a usage
/// error (`--before end` deletes everything); a partition that `spec` names but `topic` lacks
/// is not_found.
Result<std::vector<TrimRow>> plan_trim(const kafka::TopicState& topic,
                                       const OffsetSpec& spec,
                                       const TimeLookup& lookup);

/// One partition of `evt group reset`.
struct ResetRow {
  std::string topic;
  std::int32_t partition = 0;
  std::int64_t low = 0;
  std::int64_t high = 0;
  std::optional<std::int64_t> current;  ///< the committed offset, if any
  std::optional<std::int64_t> target;   ///< the new offset; nullopt: left as it is
  bool clamped = false;                 ///< the asked offset lay outside [low, high]
  bool changes() const { return target && target != current; }
  /// Records left to read after the reset (from the target, or the current commit).
  std::optional<std::int64_t> lag_after() const;
};

/// `--to SPEC...` or `--shift-by N`.
struct ResetRequest {
  std::optional<OffsetSpec> to;
  std::optional<std::int64_t> shift_by;
};

/// Where a reset moves each partition of `topics`, from the committed offsets. Targets are
/// clamped to [low, high] (marked), as Kafka's own tool does; `stored` keeps the committed
/// offset; --shift-by needs one (a usage error names the partitions without).
Result<std::vector<ResetRow>> plan_reset(const std::vector<kafka::TopicState>& topics,
                                         const kafka::GroupOffsets& committed,
                                         const ResetRequest& request,
                                         const TimeLookup& lookup);

/// One config entry that `evt topic alter` changes. A nullopt value is "not set on the topic"
/// (the inherited value applies), or unknown for a sensitive entry.
struct ConfigChange {
  std::string name;
  std::optional<std::string> old_value;
  std::optional<std::string> new_value;
  bool old_set = false;  ///< set on the topic before
  bool new_set = false;  ///< set on the topic after
};

struct AlterPlan {
  std::vector<ConfigChange> changes;
  /// The topic's whole set of overrides after the change, for AlterConfigs (which replaces
  /// the set: librdkafka 2.0.2 has no IncrementalAlterConfigs).
  std::vector<std::pair<std::string, std::string>> overrides;
};

/// The changes of `set` and `unset` against the topic's current configuration. Unknown or
/// read-only names are usage errors (with a did-you-mean); a sensitive override whose value the
/// broker does not reveal could not be kept, so it fails (unless it is set or unset here).
Result<AlterPlan> plan_alter(const std::vector<kafka::TopicConfigEntry>& current,
                             const std::vector<std::pair<std::string, std::string>>& set,
                             const std::vector<std::string>& unset);

}  // namespace evt::ops
