// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "evt/config/resolve.hpp"
#include "evt/kafka/mock_cluster.hpp"
#include "evt/log.hpp"
#include "evt/signals.hpp"

namespace evt::test {

/// An in-process mock cluster plus what the ops need to talk to it: a resolved config pointing
/// at it, a quiet log and a signal source.
class MockFixture {
 public:
  explicit MockFixture(int brokers = 1);
  ~MockFixture();

  kafka::MockCluster& cluster() { return *m_cluster; }
  config::ResolvedConfig& config() { return m_config; }
  const Log& log() const { return m_log; }
  Signals& signals() { return m_signals; }

  /// A config like config() with extra -X properties.
  config::ResolvedConfig config_with(const std::vector<std::pair<std::string, std::string>>& extra);

 private:
  Log m_log{2, -1, false};
  std::unique_ptr<kafka::MockCluster> m_cluster;
  config::ResolvedConfig m_config;
  Signals m_signals;
};

/// A temporary file holding `content`, open for reading (as produce's stdin).
class InputFile {
 public:
  explicit InputFile(const std::string& content);
  ~InputFile();
  int fd() const { return m_fd; }

 private:
  int m_fd = -1;
};

/// A temporary file to write output to; text() reads it back.
class OutputFile {
 public:
  OutputFile();
  ~OutputFile();
  int fd() const { return m_fd; }
  std::string text() const;

 private:
  int m_fd = -1;
};

}  // namespace evt::test
