// SPDX-License-Identifier: MIT
#include "tests/support/process.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace evt::test {

namespace {

std::vector<std::string> merged_environment(const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> all;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string text = *entry;
    const std::size_t equals = text.find('=');
    if (equals != std::string::npos) {
      all[text.substr(0, equals)] = text.substr(equals + 1);
    }
  }
  for (const auto& [name, value] : extra) {
    all[name] = value;
  }
  std::vector<std::string> result;
  for (const auto& [name, value] : all) {
    result.push_back(name + "=" + value);
  }
  return result;
}

pid_t spawn(const std::vector<std::string>& argv,
            const std::map<std::string, std::string>& env,
            int in_fd,
            int out_fd,
            int err_fd,
            const std::optional<std::string>& cwd) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_fd, 0);
  posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  if (cwd) {
    posix_spawn_file_actions_addchdir_np(&actions, cwd->c_str());
  }
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t empty;
  sigemptyset(&empty);
  posix_spawnattr_setsigmask(&attributes, &empty);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> args;
  for (const std::string& arg : argv) {
    args.push_back(const_cast<char*>(arg.c_str()));
  }
  args.push_back(nullptr);
  std::vector<std::string> environment = merged_environment(env);
  std::vector<char*> envp;
  for (std::string& entry : environment) {
    envp.push_back(entry.data());
  }
  envp.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, args[0], &actions, &attributes, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (rc != 0) {
    throw std::runtime_error("cannot run " + argv[0] + ": " + std::strerror(rc));
  }
  return pid;
}

void set_nonblocking(int fd) {
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

void fill_status(ProcessResult& result, int status) {
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
}

}  // namespace

ProcessResult run(const std::vector<std::string>& argv, const RunOptions& options) {
  Process process(argv, options.env, options.cwd);
  if (!options.stdin_data.empty()) {
    process.write(options.stdin_data);
  }
  process.close_stdin();
  return process.wait(options.timeout);
}

Process::Process(const std::vector<std::string>& argv,
                 const std::map<std::string, std::string>& env,
                 const std::optional<std::string>& cwd)
    : m_started(std::chrono::steady_clock::now()) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0 ||
      ::pipe2(err_pipe, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  m_pid = spawn(argv, env, in_pipe[0], out_pipe[1], err_pipe[1], cwd);
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  m_stdin = in_pipe[1];
  m_stdout = out_pipe[0];
  m_stderr = err_pipe[0];
  set_nonblocking(m_stdout);
  set_nonblocking(m_stderr);
}

Process::~Process() {
  if (!m_done && m_pid > 0) {
    ::kill(m_pid, SIGKILL);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
  }
  for (int fd : {m_stdin, m_stdout, m_stderr}) {
    if (fd >= 0) {
      ::close(fd);
    }
  }
}

void Process::write(const std::string& data) {
  const char* p = data.data();
  std::size_t left = data.size();
  while (left > 0) {
    pollfd fds[1] = {{m_stdin, POLLOUT, 0}};
    ::poll(fds, 1, 100);
    pump(0);  // keep draining output so the child never blocks on a full pipe
    const ssize_t written = ::write(m_stdin, p, std::min<std::size_t>(left, 65536));
    if (written < 0) {
      if (errno == EAGAIN || errno == EINTR) {
        continue;
      }
      return;
    }
    p += written;
    left -= static_cast<std::size_t>(written);
  }
}

void Process::close_stdin() {
  if (m_stdin >= 0) {
    ::close(m_stdin);
    m_stdin = -1;
  }
}

void Process::pump(int timeout_ms) {
  pollfd fds[2] = {{m_stdout, POLLIN, 0}, {m_stderr, POLLIN, 0}};
  ::poll(fds, 2, timeout_ms);
  char buffer[65536];
  for (int i = 0; i < 2; ++i) {
    const int fd = i == 0 ? m_stdout : m_stderr;
    if (fd < 0) {
      continue;
    }
    for (;;) {
      const ssize_t got = ::read(fd, buffer, sizeof buffer);
      if (got <= 0) {
        break;
      }
      (i == 0 ? m_out : m_err).append(buffer, static_cast<std::size_t>(got));
    }
  }
}

std::string Process::read_lines(std::size_t count, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (static_cast<std::size_t>(std::count(m_out.begin(), m_out.end(), '\n')) < count &&
         std::chrono::steady_clock::now() < deadline) {
    pump(20);
  }
  return m_out;
}

void Process::signal(int signo) {
  if (!m_done) {
    ::kill(m_pid, signo);
  }
}

ProcessResult Process::wait(std::chrono::milliseconds timeout) {
  ProcessResult result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  for (;;) {
    pump(10);
    const pid_t done = ::waitpid(m_pid, &status, WNOHANG);
    if (done == m_pid) {
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      result.timed_out = true;
      ::kill(m_pid, SIGKILL);
      ::waitpid(m_pid, &status, 0);
      break;
    }
  }
  m_done = true;
  // Collect what is left in the pipes.
  for (int i = 0; i < 5; ++i) {
    pump(0);
  }
  fill_status(result, status);
  result.out = m_out;
  result.err = m_err;
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - m_started).count();
  return result;
}

std::string evt_binary() {
  return EVT_BINARY;
}
std::string source_dir() {
  return EVT_SOURCE_DIR;
}

const RealKafka* RealKafka::get() {
  static const std::unique_ptr<RealKafka> kafka = []() -> std::unique_ptr<RealKafka> {
    const char* path = std::getenv("EVT_TEST_KAFKA");
    if (!path || !*path) {
      return nullptr;
    }
    std::ifstream in(path);
    if (!in) {
      throw std::runtime_error(std::string("EVT_TEST_KAFKA names ") + path +
                               ", which cannot be read: is scripts/kafka.sh running?");
    }
    auto loaded = std::make_unique<RealKafka>();
    std::string line;
    while (std::getline(in, line)) {
      const std::size_t equals = line.find('=');
      if (equals != std::string::npos) {
        loaded->m_values[line.substr(0, equals)] = line.substr(equals + 1);
      }
    }
    return loaded;
  }();
  return kafka.get();
}

const std::string& RealKafka::at(const std::string& key) const {
  const auto found = m_values.find(key);
  if (found == m_values.end()) {
    throw std::runtime_error("the kafka state file has no " + key);
  }
  return found->second;
}

LocalBroker::LocalBroker(const std::vector<std::string>& topics, int nodes) {
  if (const RealKafka* kafka = RealKafka::get()) {
    m_bootstrap = kafka->bootstrap();
    if (topics.empty()) {
      return;
    }
    std::vector<std::string> argv = {peer_python(), peer_script(), "recreate", m_bootstrap};
    for (const std::string& topic : topics) {
      const std::size_t colon = topic.rfind(':');
      m_topics.push_back(colon == std::string::npos ? topic : topic.substr(0, colon));
      argv.push_back(colon == std::string::npos ? topic + ":1" : topic);
    }
    RunOptions options;
    options.timeout = std::chrono::seconds(90);
    const ProcessResult made = run(argv, options);
    if (made.exit_code != 0) {
      throw std::runtime_error("could not create the test's topics on the real Kafka: " + made.err);
    }
    return;
  }
  std::vector<std::string> argv = {
      evt_binary(), "broker", "--no-publish", "--nodes", std::to_string(nodes)};
  for (const std::string& topic : topics) {
    argv.push_back("--topic");
    argv.push_back(topic);
  }
  m_process = std::make_unique<Process>(argv);
  const std::string out = m_process->read_lines(1, std::chrono::seconds(20));
  const std::size_t newline = out.find('\n');
  if (newline == std::string::npos) {
    throw std::runtime_error("evt broker did not start");
  }
  m_bootstrap = out.substr(0, newline);
}

LocalBroker::~LocalBroker() {
  if (!m_process) {
    // The real Kafka: leave it lean for the next test (a failure here changes no verdict;
    // the next test that names these topics deletes them first anyway).
    if (!m_topics.empty()) {
      std::vector<std::string> argv = {peer_python(), peer_script(), "delete", m_bootstrap};
      argv.insert(argv.end(), m_topics.begin(), m_topics.end());
      RunOptions options;
      options.timeout = std::chrono::seconds(60);
      run(argv, options);
    }
    return;
  }
  m_process->signal(SIGTERM);
  m_process->wait(std::chrono::seconds(10));
}

ProcessResult evt(const LocalBroker& broker,
                  const std::vector<std::string>& args,
                  const RunOptions& options) {
  std::vector<std::string> argv = {evt_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("-b");
  argv.push_back(broker.bootstrap());
  RunOptions with_defaults = options;
  // Keep tests independent of the developer's own config and local broker.
  with_defaults.env.emplace("EVT_CONFIG", "/nonexistent/evt-test-config.yaml");
  with_defaults.env.emplace("EVT_BROKER_FILE", "/nonexistent/evt-test-broker");
  return run(argv, with_defaults);
}

TempDir::TempDir() {
  char pattern[] = "/tmp/evt-test-XXXXXX";
  const char* made = ::mkdtemp(pattern);
  if (!made) {
    throw std::runtime_error("mkdtemp failed");
  }
  m_path = made;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(m_path, ignored);
}

void TempDir::write(const std::string& name, const std::string& content) const {
  std::ofstream out(file(name), std::ios::binary);
  out << content;
}

std::string debian_python() {
  return "/usr/bin/python3";
}

std::string peer_python() {
  const RealKafka* kafka = RealKafka::get();
  return kafka ? kafka->python() : debian_python();
}

std::string peer_script() {
  return source_dir() + "/tests/cli/peer.py";
}

}  // namespace evt::test
