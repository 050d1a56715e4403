// SPDX-License-Identifier: MIT
// Command names as a new user types them (issue 23): an unknown command is named as typed, with
// the closest one, and `evt help [COMMAND]` prints the overview or that command's help.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/cli/cli_support.hpp"
#include "tests/support/process.hpp"

namespace {

using evt::test::ProcessResult;
using evt::test::cli::evt_raw;

std::string describe(const ProcessResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\nstdout: " + result.out +
         "\nstderr: " + result.err;
}

}  // namespace

TEST_CASE("commands: an unknown command is named as typed, with the closest command",
          "[cli][commands]") {
  const ProcessResult typo = evt_raw({"consme", "orders"});
  INFO(describe(typo));
  CHECK(typo.exit_code == 2);
  CHECK(typo.out.empty());
  CHECK(typo.err ==
        "evt: error: unknown command \"consme\"; did you mean \"consume\"?\n"
        "hint: run 'evt --help' for usage\n");

  // Global flags and their values before it are skipped; the words after it do not matter.
  const ProcessResult flags =
      evt_raw({"-b", "127.0.0.1:1", "--color", "never", "-v", "consme", "orders", "x"});
  INFO(describe(flags));
  CHECK(flags.exit_code == 2);
  CHECK_THAT(
      flags.err,
      Catch::StartsWith("evt: error: unknown command \"consme\"; did you mean \"consume\"?"));

  const ProcessResult nested = evt_raw({"topic", "crete", "orders"});
  INFO(describe(nested));
  CHECK(nested.exit_code == 2);
  CHECK_THAT(nested.err,
             Catch::StartsWith(
                 "evt: error: unknown command \"topic crete\"; did you mean \"topic create\"?\n"));

  const ProcessResult unknown = evt_raw({"frobnicate"});
  INFO(describe(unknown));
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err,
             Catch::StartsWith("evt: error: unknown command \"frobnicate\"\n"
                               "hint: commands: produce, consume, tail, replay, inspect, topic, "
                               "group, broker, config, help\n"));
}

TEST_CASE("commands: evt help prints the overview, evt help COMMAND that command's help",
          "[cli][commands]") {
  const ProcessResult overview = evt_raw({"help"});
  INFO(describe(overview));
  CHECK(overview.exit_code == 0);
  CHECK(overview.out == evt_raw({"--help"}).out);
  CHECK_THAT(overview.out, Catch::Contains("Usage: evt [OPTIONS] [SUBCOMMAND]"));

  for (const std::vector<std::string>& command : std::vector<std::vector<std::string>>{
           {"consume"}, {"topic", "create"}, {"inspect"}, {"broker", "fault"}}) {
    std::vector<std::string> help_args = {"help"};
    help_args.insert(help_args.end(), command.begin(), command.end());
    std::vector<std::string> flag_args = command;
    flag_args.push_back("--help");
    const ProcessResult help = evt_raw(help_args);
    INFO(describe(help));
    CHECK(help.exit_code == 0);
    CHECK(help.out == evt_raw(flag_args).out);
    CHECK_THAT(help.out, Catch::Contains("Usage: evt " + command.front()));
  }

  // A page keeps its name: `evt help config` is the configuration page, not `evt config --help`.
  const ProcessResult page = evt_raw({"help", "config"});
  CHECK(page.exit_code == 0);
  CHECK_THAT(page.out, Catch::StartsWith("Configuration\n"));

  const ProcessResult typo = evt_raw({"help", "topic", "crete"});
  INFO(describe(typo));
  CHECK(typo.exit_code == 2);
  CHECK_THAT(typo.err,
             Catch::StartsWith("evt: error: no help page or command \"topic crete\"\n"
                               "hint: did you mean \"topic create\"?"));
}
