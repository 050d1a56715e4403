// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "evt/record.hpp"

namespace evt::format {

/// What a `--jq` filter does with one record.
enum class JqDecision { keep, drop, ask_jq };

/// Decides the common shapes of `--jq` filters without jq, so that libjq (microseconds per
/// record, half of it building the envelope as jq values) runs only on the records the shortcut
/// leaves open. It reads, on the record envelope:
///
///   - the scalar fields .topic .partition .offset .timestamp .timestamp_type .key .value,
///     literals (strings, numbers, true, false, null) and parentheses;
///   - comparisons == != < <= > >=, `and`, `or`, `EXPR | not`, `EXPR | startswith("s")`,
///     `EXPR | endswith("s")`;
///   - at the top: `select(COND)`, and `select(COND) | REST` with any jq REST (decided when COND
///     drops the record, else jq runs).
///
/// Any other operand of `and`/`or` (.value_json.x == 1, a regex, ...) is opaque: left to jq.
/// An expression whose fields it never reads, or whose structure it cannot delimit (a def, an
/// assignment, `//`, an `if` outside parentheses, ...), is left to jq entirely. Where it
/// decides, it decides as jq 1.6 does: its values, ordering (null < false < true < numbers <
/// strings < objects), byte-wise string comparison and double arithmetic are jq's, and `or`
/// short-circuits left to right as in jq. It also drops a record on `A and B` when either side
/// alone drops it, whatever the other would do; jq would drop it too (a false side makes every
/// output false), though it might first raise an error in the other side, which is then neither
/// raised nor counted.
class JqShortcut {
 public:
  /// The shortcut for `expression` (valid jq, already compiled by libjq), or nullopt when the
  /// expression has no shape it understands.
  static std::optional<JqShortcut> analyse(std::string_view expression);

  JqDecision decide(const RecordView& record) const;

  struct Node;  ///< one node of the analysed expression (defined in the .cpp)

  JqShortcut();
  ~JqShortcut();
  JqShortcut(JqShortcut&&) noexcept;
  JqShortcut& operator=(JqShortcut&&) noexcept;

 private:
  std::vector<Node> m_nodes;
  int m_root = -1;
};

}  // namespace evt::format
