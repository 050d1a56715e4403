// SPDX-License-Identifier: MIT
// CLI tier, output errors: a full disk, a closed stdout or a file too large is an I/O error
// (exit 1, with the reason) for every subcommand that writes to stdout; only a reader that went
// away (EPIPE) is a quiet stop. Each case runs the real binary with stdout on /dev/full, closed
// (>&-), a small tmpfs that fills up, or under a file size limit.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/cli/cli_support.hpp"
#include "tests/support/process.hpp"
#include <sys/mount.h>
#include <unistd.h>

namespace {

using evt::test::LocalBroker;
using evt::test::ProcessResult;
using evt::test::TempDir;
using evt::test::cli::shell;
using evt::test::cli::split_lines;

// `count` records "rec-000000".. into `topic` (one partition), with evt produce.
void fill(const LocalBroker& broker, const std::string& topic, int count) {
  const ProcessResult filled = shell(
      broker,
      "seq -f 'rec-%06g' 0 " + std::to_string(count - 1) + " | $EVT produce " + topic + " -b $B");
  REQUIRE(filled.exit_code == 0);
}

// The commands that write their results to stdout, each against topic "out".
const std::vector<std::string>& writers() {
  static const std::vector<std::string> commands = {
      "$EVT consume out -e -b $B",
      "$EVT consume out -e -f json -b $B",
      "$EVT tail out --no-follow -b $B",
      "$EVT replay out --from beginning -b $B",
      "$EVT replay out --from beginning --dry-run -b $B",
      "$EVT inspect topics -b $B",
      "$EVT inspect topic out -o json -b $B",
      "$EVT inspect message out 0 3 -b $B",
      "echo x | $EVT produce out --report -b $B",
      "$EVT config show -b $B",
      "$EVT help offsets",
      "$EVT --help",
      "$EVT --version",
  };
  return commands;
}

// A tmpfs of `size` mounted for one test, or none when this process may not mount (not root).
class SmallFilesystem {
 public:
  explicit SmallFilesystem(const std::string& size) {
    m_mounted = ::geteuid() == 0 &&
                ::mount("tmpfs", m_dir.path().c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0;
  }
  ~SmallFilesystem() {
    if (m_mounted) {
      ::umount(m_dir.path().c_str());
    }
  }
  SmallFilesystem(const SmallFilesystem&) = delete;
  SmallFilesystem& operator=(const SmallFilesystem&) = delete;

  bool mounted() const { return m_mounted; }
  std::string file(const std::string& name) const { return m_dir.file(name); }

 private:
  TempDir m_dir;
  bool m_mounted = false;
};

std::size_t line_count(const std::string& path) {
  const ProcessResult counted = evt::test::run({"/bin/sh", "-c", "wc -l < " + path});
  REQUIRE(counted.exit_code == 0);
  return std::stoul(counted.out);
}

}  // namespace

TEST_CASE("output: stdout on a full device (/dev/full) exits 1 with the reason, everywhere",
          "[cli][output]") {
  LocalBroker broker({"out:1"});
  fill(broker, "out", 10);
  for (const std::string& command : writers()) {
    const ProcessResult result = shell(broker, command + " > /dev/full");
    INFO(command << "\nstdout: " << result.out << "\nstderr: " << result.err);
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("cannot write to stdout: No space left on device") != std::string::npos);
  }
}

TEST_CASE("output: a closed stdout (>&-) exits 1 with the reason, everywhere", "[cli][output]") {
  LocalBroker broker({"out:1"});
  fill(broker, "out", 10);
  for (const std::string& command : writers()) {
    const ProcessResult result = shell(broker, command + " >&-");
    INFO(command << "\nstderr: " << result.err);
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("cannot write to stdout: Bad file descriptor") != std::string::npos);
  }
}

TEST_CASE("output: a filesystem that fills up mid-stream exits 1, -v does not claim all written",
          "[cli][output]") {
  SmallFilesystem small("512k");
  if (!small.mounted()) {
    WARN("not root, or mount(2) refused: the tmpfs case is skipped (the RLIMIT_FSIZE one runs)");
    return;
  }
  LocalBroker broker({"big:1"});
  fill(broker, "big", 200'000);  // 11 bytes a line: 2.1 MB, four times the filesystem

  for (const std::string& command :
       {std::string("$EVT consume big -e -v -b $B"),
        std::string("$EVT consume big -e -f json -v -b $B"),
        std::string("$EVT replay big --from beginning -f value -v -b $B"),
        std::string("$EVT tail big -n 200000 --no-follow -f value -v -b $B")}) {
    const std::string path = small.file("out.txt");
    const ProcessResult result = shell(broker, command + " > " + path);
    INFO(command << "\nstderr: " << result.err);
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("cannot write to stdout: No space left on device") != std::string::npos);
    CHECK(result.err.find("200000 records written") == std::string::npos);
    CHECK(result.err.find("200000 written") == std::string::npos);
    CHECK(line_count(path) < 200'000);
    ::unlink(path.c_str());
  }
}

TEST_CASE("output: a group consumer whose output fails commits only what was written",
          "[cli][output]") {
  SmallFilesystem small("512k");
  if (!small.mounted()) {
    WARN("not root, or mount(2) refused: skipped");
    return;
  }
  LocalBroker broker({"grp:1"});
  fill(broker, "grp", 200'000);
  const std::string path = small.file("part.txt");
  const ProcessResult failed = shell(broker, "$EVT consume grp -g keep -e -b $B > " + path);
  INFO("stderr: " << failed.err);
  REQUIRE(failed.exit_code == 1);
  const std::size_t written = line_count(path);
  REQUIRE(written > 0);
  REQUIRE(written < 200'000);
  // The rerun starts at or before the first record that did not reach the file: nothing lost.
  const ProcessResult rest = shell(broker, "$EVT consume grp -g keep -e -b $B");
  REQUIRE(rest.exit_code == 0);
  const auto lines = split_lines(rest.out);
  REQUIRE_FALSE(lines.empty());
  const std::size_t first = std::stoul(lines.front().substr(4));
  CHECK(first <= written);
  CHECK(std::stoul(lines.back().substr(4)) == 199'999);
}

TEST_CASE("output: a file size limit (RLIMIT_FSIZE) is an I/O error, not a crash",
          "[cli][output]") {
  LocalBroker broker({"lim:1"});
  fill(broker, "lim", 50'000);
  TempDir dir;
  // SIGXFSZ ignored, as a shell script may: the write then fails with EFBIG.
  const ProcessResult result = shell(
      broker, "trap '' XFSZ; ulimit -f 64; $EVT consume lim -e -b $B > " + dir.file("out.txt"));
  INFO("stderr: " << result.err);
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("cannot write to stdout: File too large") != std::string::npos);
}

TEST_CASE("output: a reader that goes away mid-stream is no error (exit 0)", "[cli][output]") {
  LocalBroker broker({"pipe:1"});
  fill(broker, "pipe", 50'000);  // 550 KB: more than a pipe holds
  TempDir dir;
  for (const std::string& command : {std::string("$EVT consume pipe -e -b $B"),
                                     std::string("$EVT replay pipe --from beginning -b $B"),
                                     std::string("$EVT tail pipe -n 50000 --no-follow -b $B")}) {
    // evt's own exit status, not head's (sh has no pipefail).
    const std::string status = dir.file("status");
    const ProcessResult result =
        shell(broker, "{ " + command + "; echo $? > " + status + "; } | head -c 10 > /dev/null");
    const ProcessResult code = evt::test::run({"/bin/cat", status});
    INFO(command << "\nstderr: " << result.err);
    CHECK(code.out == "0\n");
    CHECK(result.err.empty());
  }
}
