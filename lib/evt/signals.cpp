// SPDX-License-Identifier: MIT
#include "evt/signals.hpp"

#include <ctime>

#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

namespace evt {

namespace {

sigset_t watched_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

void Signals::block() {
  sigset_t set = watched_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void Signals::ignore_sigpipe() {
  signal(SIGPIPE, SIG_IGN);
}

Signals::Signals() {
  sigset_t set = watched_signals();
  m_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

Signals::~Signals() {
  if (m_fd >= 0) {
    ::close(m_fd);
  }
}

int Signals::check() {
  if (m_fd < 0) {
    return m_count;
  }
  signalfd_siginfo info{};
  while (::read(m_fd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
    ++m_count;
    m_last = static_cast<int>(info.ssi_signo);
  }
  return m_count;
}

int Signals::check_throttled() {
  timespec now{};
  if (::clock_gettime(CLOCK_MONOTONIC_COARSE, &now) != 0) {
    return check();
  }
  const long long tick = static_cast<long long>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
  if (tick == m_checked_tick) {
    return m_count;
  }
  m_checked_tick = tick;
  return check();
}

}  // namespace evt
