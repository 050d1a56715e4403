// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "evt/config/resolve.hpp"
#include "evt/error.hpp"
#include "evt/kafka/record_reader.hpp"
#include "evt/log.hpp"
#include "evt/offset_spec.hpp"

namespace evt::kafka {

/// One range of a snapshot, with what retention had already taken of it.
struct SnapshotRange {
  PartitionRange range;      ///< always bounded
  std::int64_t missing = 0;  ///< records asked for but already deleted by retention
};

/// A direct read of a snapshot of one topic's ranges (replay): the consumer, the ranges
/// resolved when opened (open ends stop at the end as it is then; new writes do not extend
/// them), and the RangeReader over them. The delivery side's twin of open_delivery_sink; its
/// header holds no librdkafka type.
class RangeSnapshot {
 public:
  /// Resolves `spec` for `partitions` (empty: all) of `topic`. Fails when the cluster, the
  /// topic or a partition is not there.
  static Result<std::unique_ptr<RangeSnapshot>> open(const config::ResolvedConfig& config,
                                                     const Log& log,
                                                     const std::string& topic,
                                                     const std::set<std::int32_t>& partitions,
                                                     const OffsetSpec& spec);
  ~RangeSnapshot();
  RangeSnapshot(const RangeSnapshot&) = delete;
  RangeSnapshot& operator=(const RangeSnapshot&) = delete;

  const std::vector<SnapshotRange>& ranges() const { return m_ranges; }

  /// Starts reading every range, with the reader's error policy; the reader lives as long as
  /// the snapshot.
  Result<RecordReader*> read(ReadPolicy policy);

 private:
  struct Parts;
  explicit RangeSnapshot(std::unique_ptr<Parts> parts);

  std::unique_ptr<Parts> m_parts;
  std::vector<SnapshotRange> m_ranges;
};

}  // namespace evt::kafka
