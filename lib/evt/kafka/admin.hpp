// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "evt/error.hpp"
#include "evt/kafka/client.hpp"

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
  std::vector<std::pair<std::string, std::int32_t>> assignment;
};

struct GroupDescription {
  std::string group;
  std::string state;
  std::string assignor;
  std::int32_t coordinator = -1;
  std::vector<GroupMember> members;
};

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
Result<std::map<std::pair<std::string, std::int32_t>, std::int64_t>> group_offsets(
    Client& client,
    const std::string& group,
    const std::vector<std::pair<std::string, std::int32_t>>& partitions);

}  // namespace evt::kafka
