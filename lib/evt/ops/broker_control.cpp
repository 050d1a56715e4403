// SPDX-License-Identifier: MIT
#include "evt/ops/broker_control.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <sstream>

#include <fmt/format.h>

#include "evt/io/write_all.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace evt::ops {

namespace {

Result<int> number(const std::string& text, const char* what) {
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < 0) {
    return fail(ErrorKind::usage, fmt::format("{} \"{}\" is not a number", what, text));
  }
  return value;
}

constexpr const char* k_usage =
    "commands: down BROKER | up BROKER | rtt BROKER MS | errors API COUNT ERROR | "
    "leader TOPIC PARTITION BROKER|none | topic-error TOPIC ERROR | create TOPIC PARTITIONS";

bool fill_address(const std::string& path, sockaddr_un& address) {
  std::memset(&address, 0, sizeof address);
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof address.sun_path) {
    return false;
  }
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  return true;
}

}  // namespace

std::vector<std::string> split_words(const std::string& line) {
  std::vector<std::string> words;
  std::istringstream in(line);
  for (std::string word; in >> word;) {
    words.push_back(word);
  }
  return words;
}

Result<std::string> execute_fault(kafka::MockCluster& cluster,
                                  const std::vector<std::string>& words) {
  auto expect = [&](std::size_t count) -> Result<void> {
    if (words.size() != count) {
      return fail(
          ErrorKind::usage,
          fmt::format("\"{}\" takes {} argument{}", words[0], count - 1, count == 2 ? "" : "s"),
          k_usage);
    }
    return {};
  };
  if (words.empty()) {
    return fail(ErrorKind::usage, "empty command", k_usage);
  }
  const std::string& verb = words[0];
  if (verb == "down" || verb == "up") {
    EVT_TRY(expect(2));
    auto broker = number(words[1], "broker");
    if (!broker) {
      return std::move(broker).take_error();
    }
    EVT_TRY(verb == "down" ? cluster.broker_down(*broker) : cluster.broker_up(*broker));
  } else if (verb == "rtt") {
    EVT_TRY(expect(3));
    auto broker = number(words[1], "broker");
    auto ms = number(words[2], "latency");
    if (!broker || !ms) {
      return fail(ErrorKind::usage, !broker ? broker.error().message : ms.error().message);
    }
    EVT_TRY(cluster.broker_rtt(*broker, *ms));
  } else if (verb == "errors") {
    EVT_TRY(expect(4));
    auto api = kafka::api_key_by_name(words[1]);
    if (!api) {
      return std::move(api).take_error();
    }
    auto count = number(words[2], "count");
    if (!count) {
      return std::move(count).take_error();
    }
    auto error = kafka::error_code_by_name(words[3]);
    if (!error) {
      return std::move(error).take_error();
    }
    EVT_TRY(cluster.fail_requests(*api, *count, *error));
  } else if (verb == "leader") {
    EVT_TRY(expect(4));
    auto partition = number(words[2], "partition");
    // "none" leaves the partition without a leader, as while a real cluster elects one.
    auto broker = words[3] == "none" ? Result<int>(-1) : number(words[3], "broker");
    if (!partition || !broker) {
      return fail(ErrorKind::usage,
                  !partition ? partition.error().message : broker.error().message);
    }
    EVT_TRY(cluster.set_leader(words[1], *partition, *broker));
  } else if (verb == "topic-error") {
    EVT_TRY(expect(3));
    auto error = kafka::error_code_by_name(words[2]);
    if (!error) {
      return std::move(error).take_error();
    }
    EVT_TRY(cluster.set_topic_error(words[1], *error));
  } else if (verb == "create") {
    EVT_TRY(expect(3));
    auto partitions = number(words[2], "partitions");
    if (!partitions || *partitions < 1) {
      return fail(ErrorKind::usage, "create TOPIC PARTITIONS needs at least 1 partition");
    }
    EVT_TRY(cluster.create_topic(words[1], *partitions));
  } else {
    return fail(ErrorKind::usage, fmt::format("unknown fault command \"{}\"", verb), k_usage);
  }
  return std::string("ok");
}

Result<std::unique_ptr<ControlSocket>> ControlSocket::listen(const std::string& path) {
  std::unique_ptr<ControlSocket> control(new ControlSocket());
  sockaddr_un address{};
  if (!fill_address(path, address)) {
    return fail(ErrorKind::usage, fmt::format("control socket path too long: {}", path));
  }
  control->m_fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ::unlink(path.c_str());
  if (control->m_fd < 0 ||
      ::bind(control->m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(control->m_fd, 8) != 0) {
    return fail(ErrorKind::io, fmt::format("cannot listen on {}: {}", path, std::strerror(errno)));
  }
  ::chmod(path.c_str(), 0600);
  control->m_path = path;
  return control;
}

ControlSocket::~ControlSocket() {
  if (m_fd >= 0) {
    ::close(m_fd);
    ::unlink(m_path.c_str());
  }
}

void ControlSocket::serve_one(kafka::MockCluster& cluster) {
  const int connection = ::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC);
  if (connection < 0) {
    return;
  }
  std::string line;
  char buffer[512];
  pollfd fds[1] = {{connection, POLLIN, 0}};
  while (line.find('\n') == std::string::npos && line.size() < 4096 && ::poll(fds, 1, 2000) > 0) {
    const ssize_t got = ::read(connection, buffer, sizeof buffer);
    if (got <= 0) {
      break;
    }
    line.append(buffer, static_cast<std::size_t>(got));
  }
  auto reply = execute_fault(cluster, split_words(line.substr(0, line.find('\n'))));
  // The reply names the error's kind, so the client exits with the right status.
  std::string text =
      reply ? *reply + "\n"
            : std::string("error ") + to_string(reply.error().kind) + ": " + reply.error().message +
                  (reply.error().hint.empty() ? std::string() : "\nhint: " + reply.error().hint) +
                  "\n";
  (void)io::write_all(connection, text);
  ::close(connection);
}

Result<std::string> send_control(const std::string& path, const std::string& command) {
  sockaddr_un address{};
  if (!fill_address(path, address)) {
    return fail(ErrorKind::usage, fmt::format("control socket path too long: {}", path));
  }
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    const int saved = errno;
    if (fd >= 0) {
      ::close(fd);
    }
    return fail(ErrorKind::unreachable,
                fmt::format("no broker answers on {}: {}", path, std::strerror(saved)),
                "is 'evt broker' running? (evt broker status)");
  }
  const std::string line = command + "\n";
  (void)io::write_all(fd, line);
  std::string reply;
  char buffer[512];
  for (;;) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got <= 0) {
      break;
    }
    reply.append(buffer, static_cast<std::size_t>(got));
  }
  ::close(fd);
  if (reply.rfind("error ", 0) == 0) {
    const std::size_t colon = reply.find(": ");
    const std::string kind = colon == std::string::npos ? "" : reply.substr(6, colon - 6);
    std::string message = colon == std::string::npos ? reply : reply.substr(colon + 2);
    std::string hint;
    const std::size_t hint_at = message.find("\nhint: ");
    if (hint_at != std::string::npos) {
      hint = message.substr(hint_at + 7);
      message.resize(hint_at);
    }
    while (!hint.empty() && hint.back() == '\n') {
      hint.pop_back();
    }
    while (!message.empty() && message.back() == '\n') {
      message.pop_back();
    }
    return fail(kind == "kafka"       ? ErrorKind::kafka
                : kind == "not_found" ? ErrorKind::not_found
                                      : ErrorKind::usage,
                message,
                hint);
  }
  return reply;
}

}  // namespace evt::ops
