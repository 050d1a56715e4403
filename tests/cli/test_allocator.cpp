// SPDX-License-Identifier: MIT
// CLI tier, allocator: the streaming subcommands move the process to mimalloc (the debug log
// says so), EVT_ALLOCATOR=glibc keeps glibc's allocator with the same output, and a value evt
// does not know is a usage error. The allocator itself: tests/allocator.
#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/cli/cli_support.hpp"
#include "tests/support/process.hpp"

namespace {

using evt::test::LocalBroker;
using evt::test::ProcessResult;
using evt::test::RunOptions;
using evt::test::cli::in_partition;
using evt::test::cli::input;
using evt::test::cli::parse_envelopes;
using evt::test::cli::records_of;

// The allocator line of evt's -vv log, or "" when there is none.
std::string allocator_line(const std::string& err) {
  const std::string prefix = "evt: debug: allocator: ";
  const std::size_t at = err.find(prefix);
  if (at == std::string::npos) {
    return "";
  }
  return err.substr(at + prefix.size(), err.find('\n', at) - at - prefix.size());
}

RunOptions with_allocator(const std::string& name, std::string stdin_data = "") {
  RunOptions options = input(std::move(stdin_data));
  options.env["EVT_ALLOCATOR"] = name;
  return options;
}

}  // namespace

TEST_CASE("allocator: produce, consume, tail and replay run on mimalloc, inspect on glibc",
          "[cli][allocator]") {
  LocalBroker broker({"src:3", "dst:3"});
  std::string lines;
  for (int i = 0; i < 3000; ++i) {
    lines += "key" + std::to_string(i) + ":value " + std::to_string(i) + "\n";
  }
  const std::vector<std::vector<std::string>> streaming = {
      {"produce", "src", "-K", ":", "-vv"},
      {"consume", "src", "-e", "-vv"},
      {"tail", "src", "--no-follow", "-vv"},
      {"replay", "src", "--from", "beginning", "--into", "dst", "-vv"},
  };
  for (const auto& args : streaming) {
    const ProcessResult result = evt::test::evt(broker, args, input(lines));
    INFO(args[0] << ": " << result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(allocator_line(result.err).rfind("mimalloc 2.", 0) == 0);
  }
  const ProcessResult consumed = evt::test::evt(broker, {"consume", "dst", "-e", "-f", "json"});
  CHECK(evt::test::cli::split_lines(consumed.out).size() == 3000);

  const ProcessResult inspected = evt::test::evt(broker, {"inspect", "topics", "-vv"});
  REQUIRE(inspected.exit_code == 0);
  CHECK(allocator_line(inspected.err).empty());
}

TEST_CASE("allocator: EVT_ALLOCATOR=glibc keeps glibc's and writes the same records",
          "[cli][allocator]") {
  LocalBroker broker({"t:4"});
  std::string lines;
  for (int i = 0; i < 20000; ++i) {
    lines += "k" + std::to_string(i % 97) + ":" + std::string(i % 300, 'v') + "\n";
  }
  const ProcessResult produced =
      evt::test::evt(broker, {"produce", "t", "-K", ":", "-vv"}, with_allocator("glibc", lines));
  INFO(produced.err);
  REQUIRE(produced.exit_code == 0);
  CHECK(allocator_line(produced.err) == "glibc (EVT_ALLOCATOR=glibc)");

  const std::vector<std::string> consume = {"consume", "t", "-e", "-f", "json", "-vv"};
  const ProcessResult on_glibc = evt::test::evt(broker, consume, with_allocator("glibc"));
  const ProcessResult on_mimalloc = evt::test::evt(broker, consume, with_allocator("mimalloc"));
  REQUIRE(on_glibc.exit_code == 0);
  REQUIRE(on_mimalloc.exit_code == 0);
  CHECK(allocator_line(on_glibc.err) == "glibc (EVT_ALLOCATOR=glibc)");
  CHECK(allocator_line(on_mimalloc.err).rfind("mimalloc 2.", 0) == 0);
  CHECK(evt::test::cli::split_lines(on_glibc.out).size() == 20000);
  // Partitions are read concurrently, so compare each partition's records in order.
  const auto glibc_records = records_of(parse_envelopes(on_glibc.out));
  const auto mimalloc_records = records_of(parse_envelopes(on_mimalloc.out));
  for (std::int32_t partition = 0; partition < 4; ++partition) {
    CHECK_FALSE(in_partition(glibc_records, partition).empty());
    CHECK(in_partition(glibc_records, partition) == in_partition(mimalloc_records, partition));
  }
}

TEST_CASE("allocator: an EVT_ALLOCATOR evt does not know is a usage error that names it",
          "[cli][allocator]") {
  LocalBroker broker({"t:1"});
  const ProcessResult result =
      evt::test::evt(broker, {"produce", "t"}, with_allocator("jemalloc", "never sent\n"));
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("EVT_ALLOCATOR=jemalloc") != std::string::npos);
  CHECK(result.err.find("mimalloc and glibc") != std::string::npos);
  CHECK(evt::test::evt(broker, {"consume", "t", "-e"}).out.empty());
  // The help topic on configuration names the variable.
  CHECK(evt::test::cli::evt_raw({"help", "config"}).out.find("EVT_ALLOCATOR=glibc") !=
        std::string::npos);
}
