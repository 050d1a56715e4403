// SPDX-License-Identifier: MIT
// Unit tests of the commands a stopped consume or replay prints for finishing the job.
#include "evt/ops/resume.hpp"

#include <catch2/catch.hpp>

namespace {

using evt::kafka::PartitionRange;
using evt::ops::consume_resume;
using evt::ops::replay_resume;
using evt::ops::ResumeCommand;
using evt::ops::shell_word;

}  // namespace

TEST_CASE("resume: shell words are quoted only when they must be", "[unit][resume]") {
  CHECK(shell_word("orders") == "orders");
  CHECK(shell_word("127.0.0.1:9092,b:9093") == "127.0.0.1:9092,b:9093");
  CHECK(shell_word("%k %v\\n") == "'%k %v\\n'");
  CHECK(shell_word("it's") == "'it'\\''s'");
  CHECK(shell_word("") == "''");
}

TEST_CASE("resume: consume reads what is left, partition by partition, topic by topic",
          "[unit][resume]") {
  const ResumeCommand command{"evt consume", {"-e", "-b", "k:9092"}};
  CHECK(consume_resume(command, {}).empty());
  CHECK(consume_resume(command,
                       {PartitionRange{"orders", 0, 41, 100}, PartitionRange{"orders", 3, 7, 9}}) ==
        "evt consume orders -e -b k:9092 -o 0=41:100 -o 3=7:9 -p 0 -p 3");
  // A followed partition has no end; -o P= applies to every topic of a command: one each.
  CHECK(consume_resume(command,
                       {PartitionRange{"a", 1, 5, std::nullopt}, PartitionRange{"b", 0, 2, 4}}) ==
        "evt consume a -e -b k:9092 -o 1=5 -p 1; evt consume b -e -b k:9092 -o 0=2:4 -p 0");
}

TEST_CASE("resume: replay keeps the destination, its options and the original end",
          "[unit][resume]") {
  const ResumeCommand command{"evt replay",
                              {"--into", "copy", "--into-brokers", "d:9092", "--rate", "5000"}};
  CHECK(replay_resume(command,
                      {PartitionRange{"src", 0, 9927, 20000}, PartitionRange{"src", 2, 3, 3}}) ==
        "evt replay src --into copy --into-brokers d:9092 --rate 5000 --from 0=9927 --to 0=20000 "
        "--from 2=3 --to 2=3 -p 0 -p 2");
}
