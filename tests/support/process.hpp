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

/// The real Apache Kafka that scripts/kafka.sh started, when $EVT_TEST_KAFKA names its state
/// file (the kafka tier sets it); its KEY=VALUE lines (KAFKA_PLAINTEXT, KAFKA_CA, ...).
class RealKafka {
 public:
  /// The running Kafka of this test run, or nullptr when the tests run against `evt broker`.
  static const RealKafka* get();
  /// A value of the state file; throws when absent.
  const std::string& at(const std::string& key) const;
  const std::string& bootstrap() const { return at("KAFKA_PLAINTEXT"); }
  /// The Python with confluent-kafka 2.x that scripts/kafka.sh installed (speaks Kafka 4).
  const std::string& python() const { return at("KAFKA_PYTHON"); }

 private:
  std::map<std::string, std::string> m_values;
};

/// A broker for one test: `evt broker --no-publish` (stopped when destroyed), or, in the kafka
/// tier, the one real Kafka, on which the named topics ("name:partitions") are created anew
/// (deleted first if a previous test left them) and deleted when this is destroyed. `nodes` is
/// the mock's node count; the real Kafka always has one.
class LocalBroker {
 public:
  explicit LocalBroker(const std::vector<std::string>& topics = {}, int nodes = 1);
  ~LocalBroker();
  LocalBroker(const LocalBroker&) = delete;
  LocalBroker& operator=(const LocalBroker&) = delete;
  const std::string& bootstrap() const { return m_bootstrap; }

 private:
  std::unique_ptr<Process> m_process;
  std::string m_bootstrap;
  std::vector<std::string> m_topics;
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
/// The python that runs tests/cli/peer.py: Debian's against `evt broker`, the kafka tier's
/// confluent-kafka 2.x venv against the real Kafka.
std::string peer_python();
/// tests/cli/peer.py.
std::string peer_script();

}  // namespace evt::test
