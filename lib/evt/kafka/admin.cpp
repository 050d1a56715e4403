// SPDX-License-Identifier: MIT
#include "evt/kafka/admin.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include "evt/kafka/errors.hpp"
#include "evt/kafka/metadata.hpp"

namespace evt::kafka {

Unexpected request_failure(rd_kafka_resp_err_t err,
                           const std::string& what,
                           const std::string& detail);

namespace {

// Runs one admin request: `send` issues it on `queue`; returns the result event.
template <typename Send>
Result<EventPtr> admin_call(Client& client, rd_kafka_admin_op_t op, const char* what, Send send) {
  AdminOptionsPtr options(rd_kafka_AdminOptions_new(client.handle(), op));
  char reason[256];
  rd_kafka_AdminOptions_set_request_timeout(
      options.get(), static_cast<int>(client.timeout().count()), reason, sizeof reason);
  QueuePtr queue(rd_kafka_queue_new(client.handle()));
  send(options.get(), queue.get());
  // The request timeout bounds the call; allow a little more for the event to arrive.
  EventPtr event(
      rd_kafka_queue_poll(queue.get(), static_cast<int>(client.timeout().count()) + 2000));
  if (!event) {
    return fail(ErrorKind::unreachable,
                fmt::format("{}: no answer from {} within the timeout", what, client.brokers()),
                unreachable_hint());
  }
  const rd_kafka_resp_err_t err = rd_kafka_event_error(event.get());
  if (err) {
    return request_failure(err, what, rd_kafka_event_error_string(event.get()));
  }
  return event;
}

}  // namespace

Unexpected request_failure(rd_kafka_resp_err_t err,
                           const std::string& what,
                           const std::string& detail) {
  if (kind_for(err) == ErrorKind::unsupported) {
    return fail(ErrorKind::unsupported, fmt::format("the broker does not support {}", what));
  }
  return fail(kind_for(err),
              fmt::format("{}: {}", what, detail.empty() ? rd_kafka_err2str(err) : detail));
}

namespace {

// DescribeConfigs goes to the controller (for a topic) or to the broker itself. A cluster whose
// metadata names no live controller (librdkafka's mock reports id 0, which no broker has) does
// not implement it and would only time out: say so at once.
Result<void> expect_describe_configs(Client& client, const char* what) {
  auto cluster = fetch_cluster(client, TopicSelection::none);
  if (!cluster) {
    return std::move(cluster).take_error();
  }
  const bool has_controller =
      std::any_of(cluster->brokers.begin(), cluster->brokers.end(), [&](const BrokerInfo& broker) {
        return broker.id == cluster->controller;
      });
  if (!has_controller) {
    return fail(ErrorKind::unsupported,
                fmt::format("the broker does not support {} (it names no controller)", what));
  }
  return {};
}

Result<std::vector<ConfigEntry>> describe_configs(Client& client,
                                                  rd_kafka_ResourceType_t type,
                                                  const std::string& name,
                                                  const char* what) {
  auto event = admin_call(client,
                          RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS,
                          what,
                          [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
                            rd_kafka_ConfigResource_t* resource =
                                rd_kafka_ConfigResource_new(type, name.c_str());
                            rd_kafka_DescribeConfigs(client.handle(), &resource, 1, options, queue);
                            rd_kafka_ConfigResource_destroy(resource);
                          });
  if (!event) {
    return std::move(event).take_error();
  }
  const rd_kafka_DescribeConfigs_result_t* result =
      rd_kafka_event_DescribeConfigs_result(event->get());
  std::size_t resource_count = 0;
  const rd_kafka_ConfigResource_t** resources =
      rd_kafka_DescribeConfigs_result_resources(result, &resource_count);
  std::vector<ConfigEntry> entries;
  for (std::size_t r = 0; r < resource_count; ++r) {
    if (rd_kafka_resp_err_t err = rd_kafka_ConfigResource_error(resources[r])) {
      return request_failure(err, what, rd_kafka_ConfigResource_error_string(resources[r]));
    }
    std::size_t count = 0;
    const rd_kafka_ConfigEntry_t** configs = rd_kafka_ConfigResource_configs(resources[r], &count);
    for (std::size_t i = 0; i < count; ++i) {
      ConfigEntry entry;
      entry.name = rd_kafka_ConfigEntry_name(configs[i]);
      entry.sensitive = rd_kafka_ConfigEntry_is_sensitive(configs[i]) != 0;
      if (const char* value = rd_kafka_ConfigEntry_value(configs[i]); value && !entry.sensitive) {
        entry.value = value;
      }
      entry.is_default = rd_kafka_ConfigEntry_is_default(configs[i]) != 0;
      entry.read_only = rd_kafka_ConfigEntry_is_read_only(configs[i]) != 0;
      entries.push_back(std::move(entry));
    }
  }
  return entries;
}

}  // namespace

Result<std::vector<ConfigEntry>> describe_topic_configs(Client& client, const std::string& topic) {
  const char* what = "describing topic configs";
  EVT_TRY(expect_describe_configs(client, what));
  return describe_configs(client, RD_KAFKA_RESOURCE_TOPIC, topic, what);
}

Result<std::map<std::int32_t, std::string>> describe_broker_racks(
    Client& client, const std::vector<std::int32_t>& brokers) {
  const char* what = "describing broker configs";
  EVT_TRY(expect_describe_configs(client, what));
  // One request per broker: librdkafka sends a BROKER resource's request to that broker.
  std::map<std::int32_t, std::string> racks;
  for (const std::int32_t id : brokers) {
    auto entries = describe_configs(client, RD_KAFKA_RESOURCE_BROKER, std::to_string(id), what);
    if (!entries) {
      return std::move(entries).take_error();
    }
    std::string& rack = racks[id];
    for (const ConfigEntry& entry : *entries) {
      if (entry.name == "broker.rack" && entry.value) {
        rack = *entry.value;
      }
    }
  }
  return racks;
}

Result<std::vector<GroupListing>> list_groups(Client& client) {
  auto event = admin_call(client,
                          RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS,
                          "listing consumer groups",
                          [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
                            rd_kafka_ListConsumerGroups(client.handle(), options, queue);
                          });
  if (!event) {
    return std::move(event).take_error();
  }
  const rd_kafka_ListConsumerGroups_result_t* result =
      rd_kafka_event_ListConsumerGroups_result(event->get());
  std::size_t valid_count = 0;
  const rd_kafka_ConsumerGroupListing_t** valid =
      rd_kafka_ListConsumerGroups_result_valid(result, &valid_count);
  std::size_t error_count = 0;
  const rd_kafka_error_t** errors = rd_kafka_ListConsumerGroups_result_errors(result, &error_count);
  if (valid_count == 0 && error_count > 0) {
    return request_failure(rd_kafka_error_code(errors[0]),
                           "listing consumer groups",
                           rd_kafka_error_string(errors[0]));
  }
  std::vector<GroupListing> groups;
  for (std::size_t i = 0; i < valid_count; ++i) {
    groups.push_back(GroupListing{
        rd_kafka_ConsumerGroupListing_group_id(valid[i]),
        rd_kafka_consumer_group_state_name(rd_kafka_ConsumerGroupListing_state(valid[i])),
        rd_kafka_ConsumerGroupListing_is_simple_consumer_group(valid[i]) != 0});
  }
  return groups;
}

Result<std::vector<GroupDescription>> describe_groups(Client& client,
                                                      const std::vector<std::string>& ids) {
  std::vector<GroupDescription> found;
  if (ids.empty()) {
    return found;
  }
  std::vector<const char*> names;
  for (const std::string& id : ids) {
    names.push_back(id.c_str());
  }
  auto event = admin_call(client,
                          RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS,
                          "describing consumer groups",
                          [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
                            rd_kafka_DescribeConsumerGroups(
                                client.handle(), names.data(), names.size(), options, queue);
                          });
  if (!event) {
    return std::move(event).take_error();
  }
  const rd_kafka_DescribeConsumerGroups_result_t* result =
      rd_kafka_event_DescribeConsumerGroups_result(event->get());
  std::size_t count = 0;
  const rd_kafka_ConsumerGroupDescription_t** descriptions =
      rd_kafka_DescribeConsumerGroups_result_groups(result, &count);
  for (std::size_t g = 0; g < count; ++g) {
    const rd_kafka_ConsumerGroupDescription_t* description = descriptions[g];
    if (const rd_kafka_error_t* error = rd_kafka_ConsumerGroupDescription_error(description)) {
      if (ids.size() == 1) {
        return request_failure(
            rd_kafka_error_code(error), "describing consumer groups", rd_kafka_error_string(error));
      }
      continue;  // of many groups, the others are still worth showing
    }
    GroupDescription info;
    info.group = rd_kafka_ConsumerGroupDescription_group_id(description);
    info.state =
        rd_kafka_consumer_group_state_name(rd_kafka_ConsumerGroupDescription_state(description));
    if (const char* assignor = rd_kafka_ConsumerGroupDescription_partition_assignor(description)) {
      info.assignor = assignor;
    }
    if (const rd_kafka_Node_t* node = rd_kafka_ConsumerGroupDescription_coordinator(description)) {
      info.coordinator = rd_kafka_Node_id(node);
    }
    const std::size_t members = rd_kafka_ConsumerGroupDescription_member_count(description);
    for (std::size_t i = 0; i < members; ++i) {
      const rd_kafka_MemberDescription_t* member =
          rd_kafka_ConsumerGroupDescription_member(description, i);
      GroupMember entry;
      entry.member_id = rd_kafka_MemberDescription_consumer_id(member);
      entry.client_id = rd_kafka_MemberDescription_client_id(member);
      entry.host = rd_kafka_MemberDescription_host(member);
      if (const rd_kafka_MemberAssignment_t* assignment =
              rd_kafka_MemberDescription_assignment(member)) {
        if (const rd_kafka_topic_partition_list_t* list =
                rd_kafka_MemberAssignment_partitions(assignment)) {
          for (int p = 0; p < list->cnt; ++p) {
            entry.assignment.push_back(
                TopicPartition{list->elems[p].topic, list->elems[p].partition});
          }
        }
      }
      info.members.push_back(std::move(entry));
    }
    found.push_back(std::move(info));
  }
  return found;
}

bool reconcile_kip848(GroupDescription& description, const std::vector<GroupListing>& listing) {
  if (description.state != "Dead" || !description.members.empty()) {
    return false;
  }
  for (const GroupListing& listed : listing) {
    if (listed.group == description.group && listed.state != "Dead") {
      description.state = listed.state;
      description.type = "consumer";
      description.members_known = false;
      return true;
    }
  }
  return false;
}

Result<GroupDescription> describe_group(Client& client, const std::string& group) {
  auto found = describe_groups(client, {group});
  if (!found) {
    return std::move(found).take_error();
  }
  if (found->empty()) {
    return fail(ErrorKind::not_found, fmt::format("group \"{}\" not found", group));
  }
  return std::move(found->front());
}

Result<std::map<TopicPartition, std::int64_t>> group_offsets(
    Client& client, const std::string& group, const std::vector<TopicPartition>& partitions) {
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size())));
  for (const auto& [topic, partition] : partitions) {
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), partition);
  }
  auto event =
      admin_call(client,
                 RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS,
                 "reading committed offsets",
                 [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
                   rd_kafka_ListConsumerGroupOffsets_t* request =
                       rd_kafka_ListConsumerGroupOffsets_new(group.c_str(), list.get());
                   rd_kafka_ListConsumerGroupOffsets(client.handle(), &request, 1, options, queue);
                   rd_kafka_ListConsumerGroupOffsets_destroy(request);
                 });
  if (!event) {
    return std::move(event).take_error();
  }
  const rd_kafka_ListConsumerGroupOffsets_result_t* result =
      rd_kafka_event_ListConsumerGroupOffsets_result(event->get());
  std::size_t count = 0;
  const rd_kafka_group_result_t** groups =
      rd_kafka_ListConsumerGroupOffsets_result_groups(result, &count);
  std::map<TopicPartition, std::int64_t> offsets;
  for (std::size_t i = 0; i < count; ++i) {
    if (const rd_kafka_error_t* error = rd_kafka_group_result_error(groups[i])) {
      return request_failure(
          rd_kafka_error_code(error), "reading committed offsets", rd_kafka_error_string(error));
    }
    const rd_kafka_topic_partition_list_t* found = rd_kafka_group_result_partitions(groups[i]);
    for (int p = 0; found && p < found->cnt; ++p) {
      offsets[{found->elems[p].topic, found->elems[p].partition}] =
          found->elems[p].err ? -1 : found->elems[p].offset;
    }
  }
  return offsets;
}

}  // namespace evt::kafka
