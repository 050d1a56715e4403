// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "evt/error.hpp"
#include "evt/kafka/admin_connection.hpp"
#include "evt/kafka/topic_partition.hpp"

namespace evt::kafka {

/// A consumer group as DescribeGroups sees it.
struct GroupState {
  std::string group;
  bool known = false;  ///< false for a group the broker does not know (state Dead, or not found)
  std::string state;   ///< Empty, Stable, PreparingRebalance, ..., Dead
  /// Each member as "CLIENT_ID (MEMBER_ID) on HOST".
  std::vector<std::string> members;
  /// The broker lists the group in this (non-empty) state but DescribeGroups cannot see it: a
  /// group of Kafka 4's consumer protocol (KIP-848), whose members the classic DescribeGroups
  /// of librdkafka 2.0.2 does not show.
  bool members_hidden = false;
};

/// DescribeGroups of one group, and ListGroups for the groups DescribeGroups cannot see
/// (KIP-848). Call AdminConnection::require_group_admin first: librdkafka 2.0.2 cannot be
/// destroyed after a DescribeGroups the broker does not support.
Result<GroupState> describe_group_state(AdminConnection& connection, const std::string& group);

/// (topic, partition) -> offset.
using GroupOffsets = std::map<TopicPartition, std::int64_t>;

/// The committed offsets of `group` for these partitions (OffsetFetch); absent where none.
Result<GroupOffsets> committed_offsets(AdminConnection& connection,
                                       const std::string& group,
                                       const std::vector<TopicPartition>& partitions);

/// Commits `offsets` for `group` as no member (AlterConsumerGroupOffsets, an OffsetCommit
/// without a generation): the broker refuses it while the group has members.
Result<void> commit_group_offsets(AdminConnection& connection,
                                  const std::string& group,
                                  const GroupOffsets& offsets);

/// What the broker answered for one group: nothing (done) or an Error with its message.
struct GroupOutcome {
  std::string group;
  std::optional<Error> error;
};

/// DeleteGroups, one outcome per group.
Result<std::vector<GroupOutcome>> delete_groups(AdminConnection& connection,
                                                const std::vector<std::string>& groups);

/// DeleteConsumerGroupOffsets (OffsetDelete) of these partitions.
Result<void> delete_group_offsets(AdminConnection& connection,
                                  const std::string& group,
                                  const std::vector<TopicPartition>& partitions);

}  // namespace evt::kafka
