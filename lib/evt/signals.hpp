// SPDX-License-Identifier: MIT
#pragma once

namespace evt {

/// SIGINT, SIGTERM and SIGHUP delivered through a signalfd, so loops can poll() for them next to
/// their input. main() calls block() before any thread exists (librdkafka's threads, and the
/// mock cluster's, inherit the mask), so no signal ever interrupts a librdkafka call.
class Signals {
 public:
  /// Blocks the signals in the calling thread and ignores SIGPIPE (EPIPE is handled instead).
  static void block();

  Signals();
  ~Signals();
  Signals(const Signals&) = delete;
  Signals& operator=(const Signals&) = delete;

  /// Readable when a signal is pending; -1 if signalfd failed.
  int fd() const { return m_fd; }

  /// Reads any pending signals without blocking; returns how many arrived so far in total.
  int check();

  /// Signals received so far (SIGINT, SIGTERM or SIGHUP).
  int count() const { return m_count; }
  int last_signal() const { return m_last; }

 private:
  int m_fd = -1;
  int m_count = 0;
  int m_last = 0;
};

}  // namespace evt
