// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "cmd/broker.hpp"
#include "cmd/config_cmd.hpp"
#include "cmd/consume.hpp"
#include "cmd/context.hpp"
#include "cmd/global_options.hpp"
#include "cmd/group.hpp"
#include "cmd/help_topics.hpp"
#include "cmd/inspect.hpp"
#include "cmd/produce.hpp"
#include "cmd/replay.hpp"
#include "cmd/tail.hpp"
#include "cmd/topic.hpp"

namespace evt::cmd {

/// Every option of every subcommand. The caller owns it, so tests can parse an argv and look at
/// the result without running anything.
struct Options {
  GlobalOptions global;
  ProduceOptions produce;
  ConsumeOptions consume;
  InspectOptions inspect;
  TailOptions tail;
  ReplayOptions replay;
  TopicOptions topic;
  GroupOptions group;
  ConfigOptions config;
  HelpOptions help;
  BrokerOptions broker;
};

/// The CLI11 tree plus the options it fills in and a handle on each subcommand.
struct App {
  CLI::App app{"evt: pipe, tail, replay and inspect events on Kafka-compatible brokers", "evt"};
  Options options;
  CLI::App* produce = nullptr;
  CLI::App* consume = nullptr;
  CLI::App* inspect = nullptr;
  CLI::App* tail = nullptr;
  CLI::App* replay = nullptr;
  CLI::App* topic = nullptr;
  CLI::App* group = nullptr;
  CLI::App* config = nullptr;
  CLI::App* help = nullptr;
  CLI::App* broker = nullptr;
};

/// Every subcommand's name, in `evt --help` order.
inline constexpr std::array<std::string_view, 10> k_command_names = {"produce",
                                                                     "consume",
                                                                     "tail",
                                                                     "replay",
                                                                     "inspect",
                                                                     "topic",
                                                                     "group",
                                                                     "broker",
                                                                     "config",
                                                                     "help"};

/// Builds the command tree for parsing `args` (argv without the program name): every
/// subcommand named in it gets all its options, the others only their name and summary. No
/// arguments (or none naming a subcommand) build the whole tree.
std::unique_ptr<App> build_app(std::span<char* const> args = {});

/// Parses argv, runs the chosen subcommand and returns the process exit status. The only place
/// where errors become exit codes.
int main(int argc, char** argv, Context& ctx);

/// The `evt --version` text.
std::string version_text();

}  // namespace evt::cmd
