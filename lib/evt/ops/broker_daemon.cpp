// SPDX-License-Identifier: MIT
#include "evt/ops/broker_daemon.hpp"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include <fmt/format.h>

#include "evt/io/write_all.hpp"
#include "evt/local_broker.hpp"
#include "evt/log.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace evt::ops {

namespace {

// The child's side: detached from the terminal, it serves and never returns.
[[noreturn]] void serve_in_child(const BrokerSettings& settings, Signals& signals, int ready_fd) {
  ::setsid();
  const int null_fd = ::open("/dev/null", O_RDWR);
  ::dup2(null_fd, 0);
  ::dup2(null_fd, 1);
  ::dup2(null_fd, 2);
  if (null_fd > 2) {
    ::close(null_fd);
  }
  const Log quiet_log(2, -1, false);
  auto served = serve_broker(settings, quiet_log, signals, [&](const std::string& bootstrap) {
    (void)io::write_all(ready_fd, bootstrap + "\n");
    ::close(ready_fd);
  });
  std::_Exit(served ? 0 : 1);
}

// The parent's side: the child's first line, or less when it exits or 30 seconds pass.
std::string read_ready_line(int ready_fd) {
  std::string line;
  char chunk[512];
  pollfd fds[1] = {{ready_fd, POLLIN, 0}};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if (::poll(fds, 1, 100) > 0) {
      const ssize_t got = ::read(ready_fd, chunk, sizeof chunk);
      if (got <= 0) {
        break;
      }
      line.append(chunk, static_cast<std::size_t>(got));
      if (line.find('\n') != std::string::npos) {
        break;
      }
    }
  }
  return line;
}

}  // namespace

Result<DetachedBroker> serve_broker_detached(const BrokerSettings& settings, Signals& signals) {
  int ready_pipe[2];
  if (::pipe2(ready_pipe, O_CLOEXEC) != 0) {
    return fail(ErrorKind::io, fmt::format("pipe: {}", std::strerror(errno)));
  }
  const pid_t child = ::fork();
  if (child < 0) {
    return fail(ErrorKind::io, fmt::format("fork: {}", std::strerror(errno)));
  }
  if (child == 0) {
    ::close(ready_pipe[0]);
    serve_in_child(settings, signals, ready_pipe[1]);
  }
  ::close(ready_pipe[1]);
  std::string bootstrap = read_ready_line(ready_pipe[0]);
  ::close(ready_pipe[0]);
  if (bootstrap.find('\n') == std::string::npos) {
    int status = 0;
    ::waitpid(child, &status, WNOHANG);
    return fail(ErrorKind::internal,
                "the local broker failed to start",
                "run 'evt broker' in the foreground to see why");
  }
  return DetachedBroker{child, std::move(bootstrap)};
}

Result<void> stop_local_broker(const std::string& publish_path) {
  auto running = find_local_broker(publish_path);
  if (!running) {
    return fail(ErrorKind::unreachable,
                "no local broker is running",
                "start one with 'evt broker --detach'");
  }
  ::kill(running->pid, SIGTERM);
  for (int i = 0; i < 200; ++i) {
    if (::kill(running->pid, 0) != 0) {
      return {};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return fail(ErrorKind::unreachable,
              fmt::format("the local broker (pid {}) did not stop within 10s", running->pid));
}

}  // namespace evt::ops
