// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace evt::ops {

/// `evt inspect offsets T --at TIME`: per partition, the first offset at or after the time.
struct OffsetsView {
  struct Partition {
    std::int32_t partition = -1;
    std::int64_t offset = 0;  ///< the high watermark when no record is that late
    std::int64_t low = 0;
    std::int64_t high = 0;
  };
  std::string topic;
  std::int64_t time = 0;  ///< epoch ms
  std::vector<Partition> partitions;
};

std::string render_table(const OffsetsView& view, std::size_t width, bool color);
/// `at_end` says an offset is the high watermark: no record at or after the time yet.
std::string render_json(const OffsetsView& view);

}  // namespace evt::ops
