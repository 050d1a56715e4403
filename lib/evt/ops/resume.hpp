// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "evt/kafka/record_reader.hpp"

namespace evt::ops {

/// The command a stopped run prints so that the user can finish it: the same subcommand,
/// source, destination and options (cmd/ knows them), plus the range that is left.
struct ResumeCommand {
  std::string program;               ///< "evt consume", "evt replay"
  std::vector<std::string> options;  ///< every other word but the topics, shell-quoted
};

/// `text` as one shell word, quoted only when it needs to be.
std::string shell_word(std::string_view text);

/// What is left of consume's ranges as commands, one per topic (`-o P=...` applies to every
/// topic of a command): per partition `-o P=NEXT:END` (or `P=NEXT` when it was followed) and
/// `-p P`, so that the finished partitions are not read again. "" when nothing is left.
std::string consume_resume(const ResumeCommand& command,
                           const std::vector<kafka::PartitionRange>& left);

/// The same for replay (one topic): `--from P=NEXT --to P=END` per partition, with the range's
/// original (snapshot) end, and `-p P`.
std::string replay_resume(const ResumeCommand& command,
                          const std::vector<kafka::PartitionRange>& left);

}  // namespace evt::ops
