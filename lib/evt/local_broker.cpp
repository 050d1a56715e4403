// SPDX-License-Identifier: MIT
#include "evt/local_broker.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

namespace evt {

std::string local_broker_path(const config::Env& env) {
  auto value = [&](const char* name) -> std::string {
    auto it = env.find(name);
    return it == env.end() ? std::string() : it->second;
  };
  if (std::string explicit_path = value("EVT_BROKER_FILE"); !explicit_path.empty()) {
    return explicit_path;
  }
  if (std::string runtime = value("XDG_RUNTIME_DIR"); !runtime.empty()) {
    return runtime + "/evt/broker";
  }
  return fmt::format("/tmp/evt-{}/broker", ::getuid());
}

Result<void> make_parent_directory(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0) {
    return {};
  }
  const std::string directory = path.substr(0, slash);
  if (::mkdir(directory.c_str(), 0700) == 0) {
    return {};
  }
  if (errno != EEXIST) {
    return fail(ErrorKind::io,
                fmt::format("cannot create {}: {}", directory, std::strerror(errno)));
  }
  // /tmp/evt-<uid> can be made by anyone first: a directory of someone else's could hand the
  // broker's address (and so every record) to them.
  struct stat info {};
  if (::stat(directory.c_str(), &info) == 0 && info.st_uid != ::getuid() && info.st_uid != 0) {
    return fail(ErrorKind::io,
                fmt::format("{} belongs to another user (uid {})", directory, info.st_uid),
                "remove it, or set EVT_BROKER_FILE to a path in a directory of yours");
  }
  return {};
}

Result<void> publish_local_broker(const std::string& path, const LocalBrokerInfo& info) {
  EVT_TRY(make_parent_directory(path));
  const std::string temporary = fmt::format("{}.{}.tmp", path, info.pid);
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << "bootstrap=" << info.bootstrap << "\npid=" << info.pid << "\ncontrol=" << info.control
        << "\n";
    if (!out) {
      return fail(ErrorKind::io, fmt::format("cannot write {}", temporary));
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return fail(ErrorKind::io, fmt::format("cannot publish {}: {}", path, std::strerror(errno)));
  }
  return {};
}

namespace {

std::optional<LocalBrokerInfo> read_info(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return std::nullopt;
  }
  LocalBrokerInfo info;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("bootstrap=", 0) == 0) {
      info.bootstrap = line.substr(10);
    } else if (line.rfind("control=", 0) == 0) {
      info.control = line.substr(8);
    } else if (line.rfind("pid=", 0) == 0) {
      info.pid = static_cast<pid_t>(std::atol(line.c_str() + 4));
    }
  }
  if (info.bootstrap.empty() || info.pid <= 0) {
    return std::nullopt;
  }
  return info;
}

}  // namespace

std::optional<LocalBrokerInfo> find_local_broker(const std::string& path) {
  auto info = read_info(path);
  if (!info) {
    return std::nullopt;
  }
  if (::kill(info->pid, 0) != 0 && errno == ESRCH) {
    return std::nullopt;  // the broker is gone; its file is stale
  }
  return info;
}

void unpublish_local_broker(const std::string& path, pid_t pid) {
  auto info = read_info(path);
  if (info && info->pid == pid) {
    std::remove(path.c_str());
  }
}

}  // namespace evt
