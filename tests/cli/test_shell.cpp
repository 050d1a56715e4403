// SPDX-License-Identifier: MIT
// The shell-facing behaviour of issue 8 and the foundation: config helpers, help pages,
// did-you-mean, colors, -X validation, the local broker's lifecycle.
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "tests/support/process.hpp"
#include <sys/stat.h>
#include <unistd.h>

namespace {

using evt::test::ProcessResult;
using evt::test::run;
using evt::test::RunOptions;
using evt::test::TempDir;

// Runs evt with a private config file and broker address file in `dir`.
ProcessResult evt_in(const TempDir& dir,
                     const std::vector<std::string>& args,
                     std::map<std::string, std::string> env = {},
                     std::string input = {}) {
  std::vector<std::string> argv = {evt::test::evt_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions options;
  options.env = std::move(env);
  options.env.emplace("EVT_CONFIG", dir.file("config.yaml"));
  options.env.emplace("EVT_BROKER_FILE", dir.file("broker"));
  options.stdin_data = std::move(input);
  options.timeout = std::chrono::seconds(30);
  return run(argv, options);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("shell: config init writes a private starter file and refuses to overwrite it",
          "[cli][shell]") {
  TempDir dir;
  auto init = evt_in(dir, {"config", "init"});
  REQUIRE(init.exit_code == 0);
  CHECK(init.out == dir.file("config.yaml") + "\n");
  struct stat info {};
  REQUIRE(::stat(dir.file("config.yaml").c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  CHECK(read_file(dir.file("config.yaml")).find("password-env") != std::string::npos);
  auto again = evt_in(dir, {"config", "init"});
  CHECK(again.exit_code == 2);
  CHECK_THAT(again.err, Catch::Contains("already exists"));
  CHECK(evt_in(dir, {"config", "init", "--force"}).exit_code == 0);
}

TEST_CASE("shell: contexts, use and show with sources, secrets masked", "[cli][shell]") {
  TempDir dir;
  dir.write("config.yaml", R"(current-context: dev
contexts:
  dev:
    brokers: dev-1:9092
  prod:
    brokers: [prod-1:9093, prod-2:9093]
    security-protocol: SASL_SSL
    sasl: {mechanism: SCRAM-SHA-512, username: alice, password-env: PROD_PASSWORD}
)");
  ::chmod(dir.file("config.yaml").c_str(), 0600);
  auto contexts = evt_in(dir, {"config", "contexts"});
  REQUIRE(contexts.exit_code == 0);
  CHECK(contexts.out == "* dev  dev-1:9092\n  prod  prod-1:9093,prod-2:9093\n");

  auto wrong = evt_in(dir, {"config", "use", "prd"});
  CHECK(wrong.exit_code == 2);
  CHECK_THAT(wrong.err, Catch::Contains("did you mean \"prod\""));
  REQUIRE(evt_in(dir, {"config", "use", "prod"}).exit_code == 0);
  CHECK(read_file(dir.file("config.yaml")).find("current-context: prod") != std::string::npos);

  const std::string secret = "s3cr3t-Pa55";
  auto show = evt_in(dir,
                     {"config", "show", "-X", "linger.ms=7"},
                     {{"PROD_PASSWORD", secret}, {"EVT_TIMEOUT", "3s"}});
  REQUIRE(show.exit_code == 0);
  CHECK_THAT(show.out, Catch::Contains("context      prod (from file)"));
  CHECK_THAT(show.out, Catch::Contains("timeout      3000ms (from env)"));
  CHECK_THAT(show.out,
             Catch::Matches("(.|\n)*bootstrap.servers +prod-1:9093,prod-2:9093 +file(.|\n)*"));
  CHECK_THAT(show.out, Catch::Matches("(.|\n)*sasl.password +\\*+ +env(.|\n)*"));
  CHECK_THAT(show.out, Catch::Matches("(.|\n)*linger.ms +7 +-X(.|\n)*"));
  CHECK(show.out.find(secret) == std::string::npos);
  CHECK(show.err.find(secret) == std::string::npos);

  // Flags beat the environment, which beats the file.
  auto flagged = evt_in(dir,
                        {"config", "show", "-b", "flag:1"},
                        {{"PROD_PASSWORD", secret}, {"EVT_BROKERS", "env:1"}});
  CHECK_THAT(flagged.out, Catch::Matches("(.|\n)*bootstrap.servers +flag:1 +flag(.|\n)*"));
  auto from_env =
      evt_in(dir, {"config", "show"}, {{"PROD_PASSWORD", secret}, {"EVT_BROKERS", "env:1"}});
  CHECK_THAT(from_env.out, Catch::Matches("(.|\n)*bootstrap.servers +env:1 +env(.|\n)*"));

  // The password's variable is unset: a usage error naming it.
  auto unset = evt_in(dir, {"config", "show"});
  CHECK(unset.exit_code == 2);
  CHECK_THAT(unset.err, Catch::Contains("PROD_PASSWORD"));
}

TEST_CASE("shell: a config file holding a secret readable by others gets a warning",
          "[cli][shell]") {
  TempDir dir;
  dir.write("config.yaml",
            "current-context: x\ncontexts:\n  x:\n    brokers: h:1\n"
            "    sasl: {username: u, password: inline-secret}\n");
  ::chmod(dir.file("config.yaml").c_str(), 0644);
  auto show = evt_in(dir, {"config", "show"});
  CHECK(show.exit_code == 0);
  CHECK_THAT(show.err, Catch::Contains("readable by others"));
  CHECK(show.out.find("inline-secret") == std::string::npos);
  ::chmod(dir.file("config.yaml").c_str(), 0600);
  CHECK(evt_in(dir, {"config", "show"}).err.find("readable") == std::string::npos);
}

TEST_CASE("shell: malformed YAML is a usage error with line and column", "[cli][shell]") {
  TempDir dir;
  dir.write("config.yaml", "contexts:\n  a: [unclosed\n");
  auto show = evt_in(dir, {"config", "show"});
  CHECK(show.exit_code == 2);
  CHECK_THAT(show.err, Catch::Matches(".*config.yaml:[0-9]+:[0-9]+: malformed YAML(.|\n)*"));
}

TEST_CASE("shell: help pages, and did-you-mean for commands, flags and help topics",
          "[cli][shell]") {
  TempDir dir;
  for (const char* topic : {"offsets", "formats", "config", "exit-codes"}) {
    auto page = evt_in(dir, {"help", topic});
    CHECK(page.exit_code == 0);
    CHECK(page.out.size() > 200);
  }
  auto topic = evt_in(dir, {"help", "ofsets"});
  CHECK(topic.exit_code == 2);
  CHECK_THAT(topic.err, Catch::Contains("did you mean \"offsets\""));
  auto command = evt_in(dir, {"consme", "t"});
  CHECK(command.exit_code == 2);
  CHECK_THAT(command.err, Catch::Contains("unknown command \"consme\"; did you mean \"consume\"?"));
  auto flag = evt_in(dir, {"consume", "t", "--exti"});
  CHECK(flag.exit_code == 2);
  CHECK_THAT(flag.err, Catch::Contains("did you mean '--exit'"));
  // A value outside a flag's set gets the closest member.
  auto value = evt_in(dir, {"inspect", "topics", "-o", "nmes"});
  CHECK(value.exit_code == 2);
  CHECK_THAT(value.err, Catch::Contains("did you mean 'names'"));
  auto codec = evt_in(dir, {"produce", "t", "-z", "lz5"});
  CHECK(codec.exit_code == 2);
  CHECK_THAT(codec.err, Catch::Contains("did you mean 'lz4'"));
  // Every help page ends with 2 to 4 examples, each an evt command line.
  const std::vector<std::vector<std::string>> pages = {{"--help"},
                                                       {"produce", "--help"},
                                                       {"consume", "--help"},
                                                       {"tail", "--help"},
                                                       {"replay", "--help"},
                                                       {"inspect", "--help"},
                                                       {"inspect", "topics", "--help"},
                                                       {"broker", "--help"},
                                                       {"config", "--help"}};
  for (const auto& page : pages) {
    auto help = evt_in(dir, page);
    INFO(help.out);
    CHECK(help.exit_code == 0);
    const std::size_t at = help.out.rfind("\nExamples:\n");
    REQUIRE(at != std::string::npos);
    std::istringstream examples(help.out.substr(at + 11));
    int count = 0;
    for (std::string line; std::getline(examples, line);) {
      CHECK_THAT(line, Catch::StartsWith("  ") && Catch::Contains("evt "));
      ++count;
    }
    CHECK(count >= 2);
    CHECK(count <= 4);
  }
  auto version = evt_in(dir, {"--version"});
  CHECK(version.exit_code == 0);
  CHECK_THAT(version.out, Catch::Contains("librdkafka 2.0.2"));
  CHECK_THAT(version.out, Catch::Contains("zstd"));
}

TEST_CASE("shell: an unknown -X property is a usage error with a did-you-mean", "[cli][shell]") {
  evt::test::LocalBroker broker({"t:1"});
  auto result = evt::test::evt(broker,
                               {"produce", "t", "-X", "linger.mss=5"},
                               RunOptions{"x\n", {}, std::chrono::seconds(20), {}});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("unknown property \"linger.mss\""));
  CHECK_THAT(result.err, Catch::Contains("did you mean \"linger.ms\""));
  auto bad_value = evt::test::evt(broker, {"consume", "t", "-e", "-X", "fetch.wait.max.ms=soon"});
  CHECK(bad_value.exit_code == 2);
  CHECK_THAT(bad_value.err, Catch::Contains("fetch.wait.max.ms"));
}

TEST_CASE("shell: errors are colored only on request, never with NO_COLOR", "[cli][shell]") {
  TempDir dir;
  auto plain = evt_in(dir, {"consume"});
  CHECK(plain.err.find('\x1b') == std::string::npos);
  auto colored = evt_in(dir, {"consume", "--color", "always"});
  CHECK(colored.err.find("\x1b[") != std::string::npos);
  auto no_color = evt_in(dir, {"help", "nope", "--color", "auto"}, {{"NO_COLOR", "1"}});
  CHECK(no_color.err.find('\x1b') == std::string::npos);
}

TEST_CASE("shell: the local broker starts detached, is found without -b, and stops",
          "[cli][shell][mock-only]") {
  TempDir dir;
  auto started = evt_in(dir, {"broker", "--detach", "--topic", "t:2"});
  REQUIRE(started.exit_code == 0);
  const std::string bootstrap = started.out.substr(0, started.out.find('\n'));
  CHECK_THAT(bootstrap, Catch::Matches("127\\.0\\.0\\.1:[0-9]+"));
  auto status = evt_in(dir, {"broker", "status"});
  CHECK(status.out == bootstrap + "\n");
  auto produced = evt_in(dir, {"produce", "t"}, {}, "a\nb\n");
  CHECK(produced.exit_code == 0);
  auto consumed = evt_in(dir, {"consume", "t", "-e", "-f", "%v\n"});
  CHECK(consumed.exit_code == 0);
  CHECK((consumed.out == "a\nb\n" || consumed.out == "b\na\n"));
  auto second = evt_in(dir, {"broker", "--detach"});
  CHECK(second.exit_code == 2);
  CHECK_THAT(second.err, Catch::Contains("already running"));
  auto fault = evt_in(dir, {"broker", "fault", "errors", "Produce", "1", "NOT_LEADER_OR_FOLLOWER"});
  CHECK(fault.out == "ok\n");
  auto bad_fault = evt_in(dir, {"broker", "fault", "explode"});
  CHECK(bad_fault.exit_code == 2);
  REQUIRE(evt_in(dir, {"broker", "stop"}).exit_code == 0);
  // Gone: commands stop using it and say how to get brokers.
  auto after = evt_in(dir, {"consume", "t", "-e"});
  CHECK(after.exit_code == 2);
  CHECK_THAT(after.err, Catch::Contains("no brokers configured"));
  CHECK(evt_in(dir, {"broker", "status"}).exit_code == 3);
}

TEST_CASE("shell: the local broker on the default path, without XDG_RUNTIME_DIR or EVT_BROKER_FILE",
          "[cli][shell]") {
  // Root in a container, CI, ssh without a login session: no XDG_RUNTIME_DIR, so the broker
  // publishes /tmp/evt-<uid>/broker, a directory nobody has made yet. A private /tmp (a mount
  // namespace) gives the test that fresh machine without touching the real /tmp/evt-<uid>.
  if (run({"/usr/bin/unshare", "-m", "--propagation", "private", "/bin/true"}).exit_code != 0) {
    WARN("skipped: unshare -m is not permitted here");
    return;
  }
  const std::string script = R"sh(set -eu
mount -t tmpfs evt-test /tmp
unset XDG_RUNTIME_DIR EVT_BROKER_FILE EVT_CONFIG XDG_CONFIG_HOME
export HOME=/tmp/home
dir=/tmp/evt-$(id -u)
test ! -e "$dir"
"$EVT" broker --detach --topic t:1 >/dev/null
echo "mode $(stat -c %a "$dir")"
test -S "$dir/broker.control" && echo control
printf 'a\nb\n' | "$EVT" produce t
"$EVT" consume t -e
"$EVT" broker fault errors Produce 1 NOT_LEADER_OR_FOLLOWER
"$EVT" broker stop
)sh";
  RunOptions options;
  options.env["EVT"] = evt::test::evt_binary();
  options.timeout = std::chrono::seconds(60);
  const ProcessResult result =
      run({"/usr/bin/unshare", "-m", "--propagation", "private", "/bin/sh", "-c", script}, options);
  INFO("stderr: " << result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out == "mode 700\ncontrol\na\nb\nok\n");
}

TEST_CASE("shell: bad numbers, ranges and durations are usage errors naming the value",
          "[cli][shell]") {
  // All are refused before any broker is asked (there is none here): exit 2, the value named,
  // never a bound printed as a 300-digit float.
  TempDir dir;
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"produce", "t", "-c", "0"}, "--count: 0 records: the count must be at least 1"},
      {{"produce", "t", "-c", "-5"}, "--count: -5 records: the count must be at least 1"},
      {{"consume", "t", "-c", "0"}, "--count: 0 records: the count must be at least 1"},
      {{"consume", "t", "-c", "-5"}, "--count: -5 records: the count must be at least 1"},
      {{"produce", "t", "-c", "ten"}, "--count: \"ten\" is not a whole number"},
      {{"tail", "t", "-n", "-5"}, "--lines: -5 is negative; it must be 0 or more"},
      {{"produce", "t", "-p", "-1"}, "--partition: -1 is negative; it must be 0 or more"},
      {{"consume", "t", "-p", "-1"}, "--partition: -1 is negative; it must be 0 or more"},
      {{"replay", "t", "--from", "beginning", "-p", "-1"}, "--partition: -1 is negative"},
      {{"produce", "t", "--rate", "0"},
       "--rate: 0 records per second: it must be a number from 0.000001 up"},
      {{"produce", "t", "--rate", "nan"}, "--rate: nan records per second"},
      {{"produce", "t", "--rate", "1e-300"}, "--rate: 1e-300 records per second"},
      {{"produce", "t", "--rate", "inf"}, "--rate: inf records per second"},
      {{"produce", "t", "--rate", "-3"}, "--rate: -3 records per second"},
      {{"replay", "t", "--from", "beginning", "--rate", "nan"}, "--rate: nan records per second"},
      {{"consume", "t", "-o", "10:5"}, "-o: invalid range \"10:5\": it ends before it starts"},
      {{"consume", "t", "-o", "5:5"}, "-o: invalid range \"5:5\": it is empty"},
      {{"consume", "t", "-o", "end:beginning"},
       "-o: invalid range \"end:beginning\": it ends before it starts"},
      {{"consume", "t", "-o", "-1", "-o", "beginning"},
       "-o: \"-1\" and \"beginning\" both set the offsets of every partition"},
      {{"replay", "t", "--from", "-1", "--from", "beginning"},
       "--from: \"-1\" and \"beginning\" both set the start of every partition"},
      {{"replay", "t", "--from", "beginning", "--to", "0=5", "--to", "0=end"},
       "--to: \"0=5\" and \"0=end\" both set partition 0's end"},
      {{"replay", "t", "--from", "10", "--to", "5"},
       "invalid range --from 10 --to 5: it ends before it starts"},
      {{"broker", "--topic", "orders:0"},
       "--topic orders:0: expected NAME:PARTITIONS with 1..10000 partitions"},
      {{"replay", "t", "--from", "beginning", "--into", "u", "--schema-id", "7"},
       "--schema-id \"7\": expected OLD=NEW, two schema ids"},
      {{"replay",
        "t",
        "--from",
        "beginning",
        "--into",
        "u",
        "--schema-id",
        "7=1",
        "--schema-id",
        "7=2"},
       "--schema-id \"7=2\": id 7 is mapped twice"},
      {{"consume", "t", "--timeout", "25d"},
       "--timeout 25d: too long; the most is 2147483647ms (about 24.8 days"},
  };
  for (const Case& c : cases) {
    const ProcessResult result = evt_in(dir, c.args);
    INFO(Catch::StringMaker<std::vector<std::string>>::convert(c.args)
         << "\nstderr: " << result.err);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains("evt: error: " + c.message));
    CHECK(result.err.find("179769") == std::string::npos);
    CHECK(result.out.empty());
  }
}

TEST_CASE("shell: a context defined twice is an error, a password file others can read, a warning",
          "[cli][shell]") {
  TempDir dir;
  dir.write("config.yaml",
            "current-context: dev\ncontexts:\n  dev:\n    brokers: first:9092\n"
            "  prod:\n    brokers: p:9092\n  dev:\n    brokers: second:9092\n");
  ::chmod(dir.file("config.yaml").c_str(), 0600);
  const ProcessResult twice = evt_in(dir, {"config", "show"});
  CHECK(twice.exit_code == 2);
  CHECK_THAT(twice.err,
             Catch::Contains(dir.file("config.yaml") +
                             ":7:3: context \"dev\" is defined twice (first at line 3)"));

  dir.write("config.yaml",
            "current-context: x\ncontexts:\n  x:\n    brokers: h:1\n"
            "    sasl: {username: u, password-file: " +
                dir.file("pw") + "}\n");
  ::chmod(dir.file("config.yaml").c_str(), 0600);
  dir.write("pw", "file-secret-1\n");
  ::chmod(dir.file("pw").c_str(), 0644);
  const ProcessResult readable = evt_in(dir, {"config", "show"});
  CHECK(readable.exit_code == 0);
  CHECK_THAT(readable.err,
             Catch::Contains("evt: warning: " + dir.file("pw") +
                             " holds a secret but is readable by others; run: chmod 600 " +
                             dir.file("pw")));
  CHECK(readable.out.find("file-secret-1") == std::string::npos);
  ::chmod(dir.file("pw").c_str(), 0600);
  CHECK(evt_in(dir, {"config", "show"}).err.find("readable") == std::string::npos);
}

TEST_CASE("shell: config use through a symlink changes the file it points to", "[cli][shell]") {
  TempDir dir;
  dir.write("real.yaml",
            "# dotfiles\ncurrent-context: a\ncontexts:\n  a:\n    brokers: a:1\n  b:\n"
            "    brokers: b:1\n");
  ::chmod(dir.file("real.yaml").c_str(), 0600);
  REQUIRE(::symlink(dir.file("real.yaml").c_str(), dir.file("config.yaml").c_str()) == 0);
  const ProcessResult used = evt_in(dir, {"config", "use", "b"});
  INFO(used.err);
  CHECK(used.exit_code == 0);
  struct stat info {};
  REQUIRE(::lstat(dir.file("config.yaml").c_str(), &info) == 0);
  CHECK(S_ISLNK(info.st_mode));
  CHECK(read_file(dir.file("real.yaml")) ==
        "# dotfiles\ncurrent-context: b\ncontexts:\n  a:\n    brokers: a:1\n  b:\n"
        "    brokers: b:1\n");
  CHECK(evt_in(dir, {"config", "contexts"}).out == "  a  a:1\n* b  b:1\n");
}

TEST_CASE("shell: a context without brokers is a usage error, never the local broker",
          "[cli][shell]") {
  TempDir dir;
  // "broker:" is a typo of "brokers:": the records must not go to the local broker instead.
  dir.write("config.yaml", "current-context: prod\ncontexts:\n  prod:\n    broker: h:1\n");
  ::chmod(dir.file("config.yaml").c_str(), 0600);
  auto produce = evt_in(dir, {"produce", "t"}, {}, "x\n");
  CHECK(produce.exit_code == 2);
  CHECK_THAT(produce.err, Catch::Contains("context \"prod\""));
  CHECK_THAT(produce.err, Catch::Contains("names no brokers"));
  // -b supplies them: then it is a network problem (exit 3), not a usage error.
  auto given = evt_in(dir, {"produce", "t", "-b", "127.0.0.1:1"}, {}, "x\n");
  CHECK(given.exit_code == 3);
}
