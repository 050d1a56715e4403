// SPDX-License-Identifier: MIT
#pragma once

namespace evt {

/// SIGINT, SIGTERM and SIGHUP delivered through a signalfd, so loops can poll() for them next to
/// their input. Commands with such loops call block() before they create any client (the mock
/// cluster's thread inherits the mask; librdkafka's own threads block everything anyway).
/// Commands without a loop leave the signals alone, so Ctrl-C ends them at once.
class Signals {
 public:
  /// Blocks the signals in the calling thread, for delivery through fd().
  static void block();
  /// Ignores SIGPIPE: a closed stdout shows up as EPIPE, which the output code handles.
  static void ignore_sigpipe();

  Signals();
  ~Signals();
  Signals(const Signals&) = delete;
  Signals& operator=(const Signals&) = delete;

  /// Readable when a signal is pending; -1 if signalfd failed.
  int fd() const { return m_fd; }

  /// Reads any pending signals without blocking; returns how many arrived so far in total.
  int check();
  /// The same for loops that run once per record: reads the signalfd at most once per tick
  /// of the coarse clock (a few milliseconds), since a read(2) per record cost consume a
  /// third of its CPU time.
  int check_throttled();

  /// Signals received so far (SIGINT, SIGTERM or SIGHUP).
  int count() const { return m_count; }
  int last_signal() const { return m_last; }

 private:
  int m_fd = -1;
  int m_count = 0;
  int m_last = 0;
  long long m_checked_tick = -1;  // the coarse clock's reading at the last check()
};

}  // namespace evt
