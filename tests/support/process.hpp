// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace evt::test {

/// What a finished child process left behind.
struct ProcessResult {
  int exit_code = -1;  ///< -1 when killed by a signal
  int signal = 0;      ///< the signal that ended it, if any
  std::string out;
  std::string err;
  bool timed_out = false;
  double seconds = 0;
};

struct RunOptions {
  std::string stdin_data;
  std::map<std::string, std::string> env;  ///< added to (or replacing in) the test's environment
  std::chrono::milliseconds timeout{60'000};
  std::optional<std::string> cwd;
};

/// Runs argv to completion, feeding stdin and capturing stdout and stderr. The child gets a clean
/// signal mask (the test process blocks some signals, as evt does).
ProcessResult run(const std::vector<std::string>& argv, const RunOptions& options = {});

/// A child left running: its stdout and stderr are captured, stdin is a pipe.
class Process {
 public:
  Process(const std::vector<std::string>& argv,
          const std::map<std::string, std::string>& env = {},
          const std::optional<std::string>& cwd = std::nullopt);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return m_pid; }
  /// Writes to the child's stdin.
  void write(const std::string& data);
  void close_stdin();
  /// Reads stdout until it holds `count` newline characters or `timeout` passes.
  std::string read_lines(std::size_t count, std::chrono::milliseconds timeout);
  /// Everything read from stdout so far (after read_lines or wait).
  const std::string& out() const { return m_out; }
  void signal(int signo);
  /// Waits for exit (collecting remaining output); kills after `timeout`.
  ProcessResult wait(std::chrono::milliseconds timeout = std::chrono::milliseconds(30'000));

 private:
  void pump(int timeout_ms);

  pid_t m_pid = -1;
  int m_stdin = -1;
  int m_stdout = -1;
  int m_stderr = -1;
  std::string m_out;
  std::string m_err;
  bool m_done = false;
  std::chrono::steady_clock::time_point m_started;
};

/// The evt binary under test, and the repository root.
std::string evt_binary();
std::string source_dir();

/// A local broker (`evt broker --no-publish`) for one test; stopped when destroyed.
class LocalBroker {
 public:
  explicit LocalBroker(const std::vector<std::string>& topics = {}, int nodes = 1);
  ~LocalBroker();
  const std::string& bootstrap() const { return m_bootstrap; }

 private:
  std::unique_ptr<Process> m_process;
  std::string m_bootstrap;
};

/// Runs `evt` with `args` against `broker` (-b added) and returns the result.
ProcessResult evt(const LocalBroker& broker,
                  const std::vector<std::string>& args,
                  const RunOptions& options = {});

/// A temporary directory removed with its contents when destroyed.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return m_path; }
  std::string file(const std::string& name) const { return m_path + "/" + name; }
  void write(const std::string& name, const std::string& content) const;

 private:
  std::string m_path;
};

/// The Debian python3 (which sees python3-kafka and python3-confluent-kafka).
std::string debian_python();

}  // namespace evt::test
