// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "evt/error.hpp"
#include "evt/kafka/client.hpp"
#include "evt/kafka/topic_partition.hpp"

namespace evt::kafka {

/// One topic configuration entry from DescribeConfigs.
struct ConfigEntry {
  std::string name;
  std::optional<std::string> value;  ///< nullopt for sensitive values
  bool is_default = false;
  bool read_only = false;
  bool sensitive = false;
};

struct GroupListing {
  std::string group;
  std::string state;
  bool simple = false;
};

struct GroupMember {
  std::string member_id;
  std::string client_id;
  std::string host;
  std::vector<TopicPartition> assignment;
};

struct GroupDescription {
  std::string group;
  std::string state;
  std::string assignor;
  std::int32_t coordinator = -1;
  std::vector<GroupMember> members;
  /// "classic", or "consumer" for Kafka 4's KIP-848 groups (group.protocol=consumer).
  std::string type = "classic";
  /// False when the members could not be described (a KIP-848 group: see reconcile_kip848).
  bool members_known = true;
};

/// Why a KIP-848 group's members, assignor and assignment are not shown.
inline constexpr const char* k_kip848_note =
    "a KIP-848 consumer group (group.protocol=consumer): its members and assignment need "
    "ConsumerGroupDescribe, which librdkafka 2.0.2 cannot send";

/// Kafka 4's KIP-848 consumer groups answer the classic DescribeGroups as Dead with no members,
/// while ListGroups lists them live. For such a description (Dead, no members, listed in another
/// state), takes the listed state, sets type "consumer" and members_known false; returns whether
/// it did. Committed offsets and lag are read the same way for both kinds of group.
bool reconcile_kip848(GroupDescription& description, const std::vector<GroupListing>& listing);

/// Admin requests, each bounded by the client's --timeout. A broker that does not implement a
/// request gives ErrorKind::unsupported with "the broker does not support ...".
Result<std::vector<ConfigEntry>> describe_topic_configs(Client& client, const std::string& topic);
/// Each broker's `broker.rack` ("" where none is set), from DescribeConfigs.
Result<std::map<std::int32_t, std::string>> describe_broker_racks(
    Client& client, const std::vector<std::int32_t>& brokers);
Result<std::vector<GroupListing>> list_groups(Client& client);
Result<GroupDescription> describe_group(Client& client, const std::string& group);
/// Several groups in one request; a group the broker fails to describe is left out.
Result<std::vector<GroupDescription>> describe_groups(Client& client,
                                                      const std::vector<std::string>& ids);
/// Committed offsets of `group` for the given partitions; -1 where none is committed.
Result<std::map<TopicPartition, std::int64_t>> group_offsets(
    Client& client, const std::string& group, const std::vector<TopicPartition>& partitions);

}  // namespace evt::kafka
