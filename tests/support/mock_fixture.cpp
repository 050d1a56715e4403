// SPDX-License-Identifier: MIT
#include "tests/support/mock_fixture.hpp"

#include <cstdio>
#include <stdexcept>

#include <unistd.h>

namespace evt::test {

MockFixture::MockFixture(int brokers) {
  auto cluster = kafka::MockCluster::start(brokers, m_log);
  if (!cluster) {
    throw std::runtime_error(cluster.error().message);
  }
  m_cluster = std::move(*cluster);
  m_config.properties["bootstrap.servers"] =
      config::Setting{m_cluster->bootstrap(), config::Source::flag, false};
  m_config.timeout = std::chrono::milliseconds(5000);
}

MockFixture::~MockFixture() = default;

config::ResolvedConfig MockFixture::config_with(
    const std::vector<std::pair<std::string, std::string>>& extra) {
  config::ResolvedConfig copy = m_config;
  for (const auto& [name, value] : extra) {
    copy.properties[name] = config::Setting{value, config::Source::property_flag, false};
  }
  return copy;
}

InputFile::InputFile(const std::string& content) {
  FILE* file = std::tmpfile();
  std::fwrite(content.data(), 1, content.size(), file);
  std::fflush(file);
  m_fd = ::dup(fileno(file));
  std::fclose(file);
  ::lseek(m_fd, 0, SEEK_SET);
}

InputFile::~InputFile() {
  ::close(m_fd);
}

OutputFile::OutputFile() {
  FILE* file = std::tmpfile();
  m_fd = ::dup(fileno(file));
  std::fclose(file);
}

OutputFile::~OutputFile() {
  ::close(m_fd);
}

std::string OutputFile::text() const {
  std::string text;
  char buffer[65536];
  off_t offset = 0;
  for (;;) {
    const ssize_t got = ::pread(m_fd, buffer, sizeof buffer, offset);
    if (got <= 0) {
      break;
    }
    text.append(buffer, static_cast<std::size_t>(got));
    offset += got;
  }
  return text;
}

}  // namespace evt::test
