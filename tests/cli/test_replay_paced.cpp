// SPDX-License-Identifier: MIT
// CLI tier, paced replay to a reader: records paced by --rate or --speed reach stdout as they
// are paced (not all at the end), and the progress bar is never drawn across records on the
// same terminal. The real binary against `evt broker`; the terminal through util-linux
// `script`.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/cli/cli_support.hpp"
#include "tests/support/process.hpp"

namespace {

using evt::test::LocalBroker;
using evt::test::ProcessResult;
using evt::test::cli::in_terminal;
using evt::test::cli::peer_write;
using evt::test::cli::PeerWrite;
using evt::test::cli::shell;
using evt::test::cli::shell_quote;

void six_records(const LocalBroker& broker, const std::string& topic) {
  std::vector<PeerWrite> records;
  for (int i = 0; i < 6; ++i) {
    records.push_back(PeerWrite{std::nullopt, "v" + std::to_string(i), {}, 0, {}});
  }
  peer_write(broker, topic, records);
}

}  // namespace

TEST_CASE("replay: records paced by --rate reach a pipe as they are paced", "[cli][replay]") {
  LocalBroker broker({"src:1"});
  six_records(broker, "src");
  // The reader stamps each line as it arrives: at --rate 4, six records span 1.25 s.
  const ProcessResult paced =
      shell(broker,
            "$EVT replay src --from beginning --rate 4 -f '%v\\n' -b $B | /usr/bin/python3 -c "
            "'import sys, time\n"
            "stamps = [time.monotonic() for line in sys.stdin]\n"
            "print(len(stamps), round(stamps[-1] - stamps[0], 2))'");
  REQUIRE(paced.exit_code == 0);
  INFO("lines, seconds between the first and the last: " << paced.out);
  const std::size_t space = paced.out.find(' ');
  REQUIRE(space != std::string::npos);
  CHECK(paced.out.substr(0, space) == "6");
  CHECK(std::stod(paced.out.substr(space + 1)) > 0.9);
}

TEST_CASE("replay: no progress bar across records on the terminal that shows them",
          "[cli][replay]") {
  LocalBroker broker({"src:1", "dst:1"});
  six_records(broker, "src");
  const std::string replay = evt::test::evt_binary() + " replay src --from beginning --rate 4 -b " +
                             shell_quote(broker.bootstrap());
  // Records and stderr on one terminal: the records are the progress.
  const ProcessResult shown = in_terminal(replay + " -f " + shell_quote("%v\\n"));
  INFO(Catch::StringMaker<evt::test::cli::Bytes>::convert(shown.out));
  CHECK(shown.exit_code == 0);
  CHECK(shown.out == "v0\r\nv1\r\nv2\r\nv3\r\nv4\r\nv5\r\n");
  // Copying into a topic, the terminal shows the bar.
  const ProcessResult copied = in_terminal(replay + " --into dst");
  INFO(Catch::StringMaker<evt::test::cli::Bytes>::convert(copied.out));
  CHECK(copied.exit_code == 0);
  CHECK_THAT(copied.out, Catch::Contains("6/6 records"));
}
