// SPDX-License-Identifier: MIT
// Runs the README's examples, so the documentation cannot drift from the program.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "tests/support/process.hpp"

namespace {

using evt::test::run;
using evt::test::RunOptions;

std::vector<std::string> example_blocks() {
  std::ifstream in(evt::test::source_dir() + "/README.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  const std::size_t start = readme.find("\n## Examples");
  const std::size_t end = readme.find("\n## ", start + 1);
  REQUIRE(start != std::string::npos);
  const std::string section = readme.substr(start, end - start);
  std::vector<std::string> blocks;
  std::size_t pos = 0;
  while ((pos = section.find("```sh\n", pos)) != std::string::npos) {
    const std::size_t close = section.find("```", pos + 6);
    blocks.push_back(section.substr(pos + 6, close - pos - 6));
    pos = close + 3;
  }
  return blocks;
}

std::size_t count_lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

TEST_CASE("readme: every example runs and does what the text says", "[cli][docs]") {
  const auto blocks = example_blocks();
  REQUIRE(blocks.size() >= 10);
  evt::test::TempDir dir;
  const std::string binary = evt::test::evt_binary();
  const std::string bin_dir = binary.substr(0, binary.rfind('/'));
  RunOptions options;
  options.env = {{"PATH", bin_dir + ":" + std::string(std::getenv("PATH"))},
                 {"EVT_BROKER_FILE", dir.file("broker")},
                 {"EVT_CONFIG", dir.file("no-config.yaml")},
                 {"NO_COLOR", "1"}};
  options.timeout = std::chrono::seconds(60);
  options.cwd = dir.path();
  std::vector<evt::test::ProcessResult> results;
  for (const std::string& block : blocks) {
    results.push_back(run({"/bin/sh", "-ec", "cd " + dir.path() + "\n" + block}, options));
    INFO("block:\n"
         << block << "\nstdout:\n"
         << results.back().out << "\nstderr:\n"
         << results.back().err);
    CHECK(results.back().exit_code == 0);
    if (results.back().exit_code != 0) {
      break;
    }
  }
  // Whatever happened, stop the broker the first block started.
  run({binary, "broker", "stop"}, options);
  REQUIRE(results.size() == blocks.size());

  // Lines in: four records, the empty line among them, keys split off.
  CHECK(count_lines(results[1].out) == 4);
  CHECK(results[1].out.find("key=user-1 value={\"id\":1}") != std::string::npos);
  CHECK(results[1].out.find("key= value=\n") != std::string::npos);
  // The envelope round trip into audit.
  CHECK(count_lines(results[2].out) == 2);
  CHECK(results[2].out.find("\"topic\":\"audit\"") != std::string::npos);
  // The exit-code examples print the codes the text promises.
  CHECK(results[5].out.find("exit 2") != std::string::npos);
  CHECK(results[5].out.find("exit 5") != std::string::npos);
  // tail shows only user-1's records; replay marks each copy with its source.
  CHECK(results[6].out.find("key=user-1") != std::string::npos);
  CHECK(results[6].out.find("key=user-2") == std::string::npos);
  CHECK(results[6].out.find("total") != std::string::npos);
  CHECK(results[6].out.find("from orders/") != std::string::npos);
  // The filters: two records of id >= 2, projected; user-2's value embedded as JSON.
  CHECK(count_lines(results[8].out) == 3);
  CHECK(results[8].out.find("[\"user-2\",2]\n") != std::string::npos);
  CHECK(results[8].out.find("[\"user-1\",3]\n") != std::string::npos);
  CHECK(results[8].out.find("\"key\":\"user-2\",\"value_json\":{\"id\":2},") != std::string::npos);
}
