// SPDX-License-Identifier: MIT
#include "evt/kafka/group_admin.hpp"

#include <chrono>
#include <thread>

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include "evt/kafka/admin.hpp"
#include "evt/kafka/admin_request.hpp"
#include "evt/kafka/consumer.hpp"

namespace evt::kafka {

namespace {

Client& client_of(AdminConnection& connection) {
  return connection.consumer().client();
}

PartitionListPtr partition_list(const std::vector<TopicPartition>& parts) {
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(parts.size())));
  for (const auto& [topic, partition] : parts) {
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), partition);
  }
  return list;
}

// The first per-partition error of a group result, if any.
std::optional<Error> partition_error(const rd_kafka_group_result_t* result,
                                     const std::string& what) {
  const rd_kafka_topic_partition_list_t* partitions = rd_kafka_group_result_partitions(result);
  for (int i = 0; partitions && i < partitions->cnt; ++i) {
    const rd_kafka_topic_partition_t& p = partitions->elems[i];
    if (p.err) {
      return broker_refusal(p.err, fmt::format("{} ({}/{})", what, p.topic, p.partition), nullptr);
    }
  }
  return std::nullopt;
}

}  // namespace

Result<GroupState> describe_group_state(AdminConnection& connection, const std::string& group) {
  GroupState state;
  state.group = group;
  auto description = describe_group(client_of(connection), group);
  // On a new cluster the first group request makes Kafka create __consumer_offsets, and
  // librdkafka 2.0.2's DescribeConsumerGroups gives up on the NOT_COORDINATOR or
  // COORDINATOR_NOT_AVAILABLE of the meantime instead of asking again: ask again for a while.
  // (admin.cpp keeps only the message of the error, hence the text.)
  for (int attempt = 1; !description && attempt <= 8; ++attempt) {
    const std::string& message = description.error().message;
    if (message.find("Not coordinator") == std::string::npos &&
        message.find("Coordinator not available") == std::string::npos &&
        message.find("Coordinator load in progress") == std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250 * attempt));
    description = describe_group(client_of(connection), group);
  }
  if (!description) {
    if (description.error().kind != ErrorKind::not_found) {
      return std::move(description).take_error();
    }
    description = GroupDescription{group, "Dead", "", -1, {}};
  }
  state.state = description->state;
  state.known = description->state != "Dead";
  for (const GroupMember& member : description->members) {
    state.members.push_back(
        fmt::format("{} ({}) on {}", member.client_id, member.member_id, member.host));
  }
  if (!state.known) {
    // Kafka 4 answers the classic DescribeGroups of a KIP-848 group as Dead without members;
    // ListGroups lists it with its real state.
    if (auto listed = list_groups(client_of(connection))) {
      for (const GroupListing& listing : *listed) {
        if (listing.group == group && listing.state != "Dead") {
          state.known = true;
          state.state = listing.state;
          state.members_hidden = listing.state != "Empty";
        }
      }
    }
  }
  return state;
}

Result<GroupOffsets> committed_offsets(AdminConnection& connection,
                                       const std::string& group,
                                       const std::vector<TopicPartition>& partitions) {
  auto offsets = group_offsets(client_of(connection), group, partitions);
  if (!offsets) {
    return std::move(offsets).take_error();
  }
  GroupOffsets committed;
  for (const auto& [key, offset] : *offsets) {
    if (offset >= 0) {
      committed[key] = offset;
    }
  }
  return committed;
}

Result<void> commit_group_offsets(AdminConnection& connection,
                                  const std::string& group,
                                  const GroupOffsets& offsets) {
  Client& client = client_of(connection);
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(offsets.size())));
  for (const auto& [key, offset] : offsets) {
    rd_kafka_topic_partition_list_add(list.get(), key.topic.c_str(), key.partition)->offset =
        offset;
  }
  rd_kafka_AlterConsumerGroupOffsets_t* request =
      rd_kafka_AlterConsumerGroupOffsets_new(group.c_str(), list.get());
  struct Cleanup {
    rd_kafka_AlterConsumerGroupOffsets_t* request;
    ~Cleanup() { rd_kafka_AlterConsumerGroupOffsets_destroy(request); }
  } cleanup{request};
  auto event = run_admin_request(client,
                                 RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS,
                                 "AlterConsumerGroupOffsets",
                                 AdminRequestOptions{},
                                 [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
                                   rd_kafka_AlterConsumerGroupOffsets(
                                       client.handle(), &request, 1, options, queue);
                                 });
  if (!event) {
    return std::move(event).take_error();
  }
  std::size_t count = 0;
  const rd_kafka_group_result_t** groups = rd_kafka_AlterConsumerGroupOffsets_result_groups(
      rd_kafka_event_AlterConsumerGroupOffsets_result(event->get()), &count);
  const std::string what = fmt::format("committing offsets of group \"{}\"", group);
  for (std::size_t i = 0; i < count; ++i) {
    if (const rd_kafka_error_t* error = rd_kafka_group_result_error(groups[i])) {
      return Unexpected{
          broker_refusal(rd_kafka_error_code(error), what, rd_kafka_error_string(error))};
    }
    if (auto error = partition_error(groups[i], what)) {
      // A member joined since evt looked: the broker takes no commit from outside then.
      if (error->message.find("(UNKNOWN_MEMBER_ID)") != std::string::npos ||
          error->message.find("(ILLEGAL_GENERATION)") != std::string::npos ||
          error->message.find("(REBALANCE_IN_PROGRESS)") != std::string::npos) {
        error->hint = "the group has members now; stop its consumers and run the reset again";
      }
      return Unexpected{*error};
    }
  }
  return {};
}

Result<std::vector<GroupOutcome>> delete_groups(AdminConnection& connection,
                                                const std::vector<std::string>& groups) {
  Client& client = client_of(connection);
  std::vector<rd_kafka_DeleteGroup_t*> requests;
  struct Cleanup {
    std::vector<rd_kafka_DeleteGroup_t*>& list;
    ~Cleanup() { rd_kafka_DeleteGroup_destroy_array(list.data(), list.size()); }
  } cleanup{requests};
  for (const std::string& group : groups) {
    requests.push_back(rd_kafka_DeleteGroup_new(group.c_str()));
  }
  auto event = run_admin_request(
      client,
      RD_KAFKA_ADMIN_OP_DELETEGROUPS,
      "DeleteGroups",
      AdminRequestOptions{},
      [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
        rd_kafka_DeleteGroups(client.handle(), requests.data(), requests.size(), options, queue);
      });
  if (!event) {
    return std::move(event).take_error();
  }
  std::size_t count = 0;
  const rd_kafka_group_result_t** results =
      rd_kafka_DeleteGroups_result_groups(rd_kafka_event_DeleteGroups_result(event->get()), &count);
  std::vector<GroupOutcome> outcomes;
  for (std::size_t i = 0; i < count; ++i) {
    GroupOutcome outcome;
    outcome.group = rd_kafka_group_result_name(results[i]);
    if (const rd_kafka_error_t* error = rd_kafka_group_result_error(results[i])) {
      outcome.error = broker_refusal(rd_kafka_error_code(error),
                                     fmt::format("deleting group \"{}\"", outcome.group),
                                     rd_kafka_error_string(error));
    }
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

Result<void> delete_group_offsets(AdminConnection& connection,
                                  const std::string& group,
                                  const std::vector<TopicPartition>& partitions) {
  Client& client = client_of(connection);
  PartitionListPtr list = partition_list(partitions);
  rd_kafka_DeleteConsumerGroupOffsets_t* request =
      rd_kafka_DeleteConsumerGroupOffsets_new(group.c_str(), list.get());
  struct Cleanup {
    rd_kafka_DeleteConsumerGroupOffsets_t* request;
    ~Cleanup() { rd_kafka_DeleteConsumerGroupOffsets_destroy(request); }
  } cleanup{request};
  auto event = run_admin_request(client,
                                 RD_KAFKA_ADMIN_OP_DELETECONSUMERGROUPOFFSETS,
                                 "DeleteConsumerGroupOffsets",
                                 AdminRequestOptions{},
                                 [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
                                   rd_kafka_DeleteConsumerGroupOffsets(
                                       client.handle(), &request, 1, options, queue);
                                 });
  if (!event) {
    return std::move(event).take_error();
  }
  std::size_t count = 0;
  const rd_kafka_group_result_t** groups = rd_kafka_DeleteConsumerGroupOffsets_result_groups(
      rd_kafka_event_DeleteConsumerGroupOffsets_result(event->get()), &count);
  const std::string what = fmt::format("deleting offsets of group \"{}\"", group);
  for (std::size_t i = 0; i < count; ++i) {
    if (const rd_kafka_error_t* error = rd_kafka_group_result_error(groups[i])) {
      return Unexpected{
          broker_refusal(rd_kafka_error_code(error), what, rd_kafka_error_string(error))};
    }
    if (auto error = partition_error(groups[i], what)) {
      return Unexpected{*error};
    }
  }
  return {};
}

}  // namespace evt::kafka
