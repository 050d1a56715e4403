// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "evt/error.hpp"
#include "evt/kafka/mock_cluster.hpp"

namespace evt::ops {

/// The fault commands a running `evt broker` accepts on its control socket, for tests of evt
/// and of users' own scripts:
///   down BROKER                    take a broker down (connections refused)
///   up BROKER                      bring it back on the same port
///   rtt BROKER MS                  add MS of latency to every response of a broker
///   errors API COUNT ERROR         fail the next COUNT requests of API (Produce, Fetch, ...)
///                                  with a Kafka error (NOT_LEADER_OR_FOLLOWER, 7, ...)
///   leader TOPIC PARTITION BROKER  move a partition's leadership
///   topic-error TOPIC ERROR        Metadata reports ERROR for TOPIC (e.g. UNKNOWN_TOPIC_OR_PART)
///   create TOPIC PARTITIONS        create a topic
/// Returns the reply text ("ok") or a usage error naming what was wrong.
Result<std::string> execute_fault(kafka::MockCluster& cluster,
                                  const std::vector<std::string>& words);

/// Splits a command line into words (whitespace-separated).
std::vector<std::string> split_words(const std::string& line);

/// Listens on a Unix socket for one-line commands; poll fd() and call serve_one().
class ControlSocket {
 public:
  static Result<std::unique_ptr<ControlSocket>> listen(const std::string& path);
  ~ControlSocket();
  ControlSocket(const ControlSocket&) = delete;
  ControlSocket& operator=(const ControlSocket&) = delete;

  int fd() const { return m_fd; }
  /// Accepts one connection, runs its command on `cluster`, replies and closes.
  void serve_one(kafka::MockCluster& cluster);

 private:
  ControlSocket() = default;
  int m_fd = -1;
  std::string m_path;
};

/// Sends one command to a broker's control socket and returns its reply.
Result<std::string> send_control(const std::string& path, const std::string& command);

}  // namespace evt::ops
