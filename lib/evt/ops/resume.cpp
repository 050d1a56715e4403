// SPDX-License-Identifier: MIT
#include "evt/ops/resume.hpp"

#include <fmt/format.h>

namespace evt::ops {

std::string shell_word(std::string_view text) {
  if (!text.empty() && text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "0123456789@=:+-._,/%") == std::string_view::npos) {
    return std::string(text);
  }
  std::string out = "'";
  for (char c : text) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

namespace {

// `program topic options` and, per partition of `left` in `topic`, FROM/TO arguments.
template <typename Arguments>
std::string command_for(const ResumeCommand& command,
                        const std::string& topic,
                        const std::vector<kafka::PartitionRange>& left,
                        Arguments arguments) {
  std::string text = command.program + " " + shell_word(topic);
  for (const std::string& word : command.options) {
    text += " " + word;
  }
  std::string partitions;
  for (const kafka::PartitionRange& range : left) {
    if (range.topic == topic) {
      text += arguments(range);
      partitions += fmt::format(" -p {}", range.partition);
    }
  }
  return text + partitions;
}

}  // namespace

std::string consume_resume(const ResumeCommand& command,
                           const std::vector<kafka::PartitionRange>& left) {
  std::string text;
  std::string previous;
  for (const kafka::PartitionRange& range : left) {
    if (range.topic == previous) {
      continue;
    }
    previous = range.topic;
    text += (text.empty() ? "" : "; ") +
            command_for(command, range.topic, left, [](const kafka::PartitionRange& r) {
              return r.end ? fmt::format(" -o {}={}:{}", r.partition, r.start, *r.end)
                           : fmt::format(" -o {}={}", r.partition, r.start);
            });
  }
  return text;
}

std::string replay_resume(const ResumeCommand& command,
                          const std::vector<kafka::PartitionRange>& left) {
  if (left.empty()) {
    return {};
  }
  return command_for(command, left.front().topic, left, [](const kafka::PartitionRange& r) {
    return r.end
               ? fmt::format(" --from {}={} --to {}={}", r.partition, r.start, r.partition, *r.end)
               : fmt::format(" --from {}={}", r.partition, r.start);
  });
}

}  // namespace evt::ops
