// SPDX-License-Identifier: MIT
// CLI tier for `evt tail` where its reader or its terminal matters: a pipe whose reader leaves
// while the topic is quiet, and the idle status line under --color never, NO_COLOR and
// TERM=dumb (through a pseudo-terminal, util-linux `script`).
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/cli/cli_support.hpp"
#include "tests/support/process.hpp"

namespace {

using namespace std::chrono_literals;
using evt::test::LocalBroker;
using evt::test::Process;
using evt::test::ProcessResult;
using evt::test::RunOptions;
using evt::test::cli::in_terminal;
using evt::test::cli::shell_quote;

// `evt tail ARGS | READER` in bash, printing "tail exit N" when evt ends; returns the pipeline.
std::unique_ptr<Process> piped_tail(const LocalBroker& broker,
                                    const std::string& args,
                                    const std::string& reader) {
  std::map<std::string, std::string> env = evt::test::cli::evt_env();
  env["EVT"] = evt::test::evt_binary();
  env["B"] = broker.bootstrap();
  return std::make_unique<Process>(
      std::vector<std::string>{"/bin/bash",
                               "-c",
                               "{ \"$EVT\" tail " + args + " -b \"$B\" 2>&3 | " + reader +
                                   "; echo \"tail exit ${PIPESTATUS[0]}\"; } 3>&2"},
      env);
}

}  // namespace

TEST_CASE("tail: a reader that leaves while the topic is quiet ends it within a second",
          "[cli][tail]") {
  LocalBroker broker({"quiet:2"});
  evt::test::cli::peer_write(broker, "quiet", {evt::test::cli::PeerWrite{"k", "only", {}, 0, {}}});

  SECTION("| head -1: the one record is shown, then nothing arrives") {
    auto pipeline = piped_tail(broker, "quiet -n 1 -f '%v\\n'", "head -1");
    CHECK(pipeline->read_lines(2, 10s) == "only\ntail exit 0\n");
    const ProcessResult result = pipeline->wait(10s);
    CHECK(result.err.empty());
  }
  SECTION("-n 0 | true: the reader is gone before anything is written") {
    const auto started = std::chrono::steady_clock::now();
    auto pipeline = piped_tail(broker, "quiet -n 0", "true");
    CHECK(pipeline->read_lines(1, 10s) == "tail exit 0\n");
    // Starting evt and reaching the metadata takes a few hundred milliseconds; then it notices
    // at its next idle check, every 100 ms.
    CHECK(evt::test::cli::seconds_since(started) < 3.0);
    const ProcessResult result = pipeline->wait(10s);
    CHECK(result.err.empty());
  }
}

TEST_CASE("tail: the idle status line follows --color never, NO_COLOR and TERM=dumb",
          "[cli][tail]") {
  LocalBroker broker({"calm:1"});
  evt::test::cli::peer_write(broker,
                             "calm",
                             {evt::test::cli::PeerWrite{"k", "a", {}, 0, {}},
                              evt::test::cli::PeerWrite{"k", "b", {}, 0, {}}});
  const std::string base = "timeout --preserve-status -s INT 2 " + evt::test::evt_binary() +
                           " tail calm -n 2 -f " + shell_quote("%v\\n") + " -b " +
                           shell_quote(broker.bootstrap());
  // With colors (the default on a terminal): dim, erased with an escape sequence.
  const ProcessResult colored = in_terminal(base);
  INFO(Catch::StringMaker<evt::test::cli::Bytes>::convert(colored.out));
  CHECK(colored.exit_code == 0);
  CHECK_THAT(colored.out, Catch::Contains("\x1b[2m-- 2 shown, 0.0/s, waiting (Ctrl-C to stop) --"));

  for (const auto& [what, command, env] :
       std::vector<std::tuple<std::string, std::string, std::map<std::string, std::string>>>{
           {"--color never", base + " --color never", {}},
           {"NO_COLOR=1", base, {{"NO_COLOR", "1"}}},
           {"TERM=dumb", base, {{"TERM", "dumb"}}}}) {
    RunOptions options;
    options.env = env;
    const ProcessResult plain = in_terminal(command, options);
    INFO(what << ": " << Catch::StringMaker<evt::test::cli::Bytes>::convert(plain.out));
    CHECK(plain.exit_code == 0);
    // The status line is there, plain: no escape sequence at all, erased by spaces.
    CHECK_THAT(plain.out, Catch::Contains("-- 2 shown, 0.0/s, waiting (Ctrl-C to stop) --"));
    CHECK(plain.out.find('\x1b') == std::string::npos);
  }
}
