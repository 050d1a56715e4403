// SPDX-License-Identifier: MIT
#include "cmd/parse_errors.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <sstream>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "evt/error.hpp"
#include "evt/spellcheck.hpp"

namespace evt::cmd {

namespace {

// The commands `app` offers (option groups are unnamed subcommands: not commands).
std::vector<const CLI::App*> named_subcommands(const CLI::App& app) {
  std::vector<const CLI::App*> named;
  for (const CLI::App* sub : app.get_subcommands(nullptr)) {
    if (!sub->get_name().empty()) {
      named.push_back(sub);
    }
  }
  return named;
}

bool has_positionals(const CLI::App& app) {
  return !app.get_options([](const CLI::Option* option) { return option->get_positional(); })
              .empty();
}

// The option `flag` names in `app` or a parent (global flags work after the command name).
const CLI::Option* find_flag(const CLI::App& app, std::string_view flag) {
  for (const CLI::App* current = &app; current; current = current->get_parent()) {
    if (const CLI::Option* option = current->get_option_no_throw(std::string(flag))) {
      return option;
    }
  }
  return nullptr;
}

// "inspect topic " for `evt inspect topic`: its words after "evt", which its own commands follow.
std::string words_before(const CLI::App* app) {
  const std::string path = command_path(app);
  const std::size_t space = path.find(' ');
  return space == std::string::npos ? std::string() : path.substr(space + 1) + " ";
}

struct UnknownCommand {
  const CLI::App* parent = nullptr;
  std::string word;
};

// The first word of `args` where a command was expected (in a command that has subcommands and
// no arguments of its own) that names none. Flags are skipped with their values.
std::optional<UnknownCommand> unknown_command(const CLI::App& root, std::span<char* const> args) {
  const CLI::App* current = &root;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--") {
      return std::nullopt;
    }
    if (arg.size() > 1 && arg[0] == '-') {
      const bool value_attached =
          arg.find('=') != std::string_view::npos || (arg[1] != '-' && arg.size() > 2);
      const CLI::Option* option = value_attached ? nullptr : find_flag(*current, arg);
      if (option && option->get_items_expected_min() > 0) {
        ++i;
      }
      continue;
    }
    const auto commands = named_subcommands(*current);
    const auto named = std::ranges::find_if(
        commands, [arg](const CLI::App* sub) { return sub->get_name() == arg; });
    if (named != commands.end()) {
      current = *named;
      continue;
    }
    if (commands.empty() || has_positionals(*current)) {
      return std::nullopt;  // a command that takes arguments: the word is one of them
    }
    return UnknownCommand{current, std::string(arg)};
  }
  return std::nullopt;
}

std::string describe_unknown_command(const UnknownCommand& unknown, std::string& hint) {
  const std::string before = words_before(unknown.parent);
  std::string message = fmt::format("unknown command \"{}{}\"", before, unknown.word);
  std::vector<std::string> names;
  for (const CLI::App* sub : named_subcommands(*unknown.parent)) {
    names.push_back(sub->get_name());
  }
  if (auto match = closest_match(unknown.word, names)) {
    return message + fmt::format("; did you mean \"{}{}\"?", before, *match);
  }
  std::string list;
  for (const std::string& name : names) {
    list += (list.empty() ? "" : ", ") + name;
  }
  hint = fmt::format("{}commands: {}", before, list);
  return message;
}

// What a missing argument is, by the name the usage line gives it.
std::string what_is_required(const std::string& name) {
  static const std::map<std::string, std::string, std::less<>> k_phrases = {
      {"TOPIC", "a topic name"},
      {"GROUP", "a group id"},
      {"PARTITION", "a partition number"},
      {"OFFSET", "an offset"},
      {"NAME", "a context name"},
      {"COMMAND", "a fault command"},
  };
  const auto it = k_phrases.find(name);
  return it == k_phrases.end() ? name : fmt::format("{} ({})", it->second, name);
}

// CLI11 says "TOPIC is required" for a missing positional: say which command needs what.
std::optional<std::string> describe_missing_argument(const CLI::App& where,
                                                     const std::string& message) {
  constexpr std::string_view k_suffix = " is required";
  if (!message.ends_with(k_suffix)) {
    return std::nullopt;
  }
  const std::string name = message.substr(0, message.size() - k_suffix.size());
  const CLI::Option* option = where.get_option_no_throw(name);
  if (!option || !option->get_positional()) {
    return std::nullopt;
  }
  std::string command = words_before(&where);
  command.pop_back();
  return fmt::format("{}: {} is required", command, what_is_required(name));
}

// "did you mean" for a mistyped subcommand or long flag.
std::string suggestion_for(const CLI::App& app, const std::string& word) {
  std::vector<std::string> candidates;
  if (!word.empty() && word[0] == '-') {
    for (const CLI::App* current = &app; current; current = current->get_parent()) {
      for (const CLI::Option* option : current->get_options()) {
        for (const std::string& name : option->get_lnames()) {
          candidates.push_back("--" + name);
        }
      }
    }
  } else {
    for (const CLI::App* sub : named_subcommands(app)) {
      candidates.push_back(sub->get_name());
    }
  }
  if (auto match = closest_match(word, candidates)) {
    return *match;
  }
  return {};
}

// CLI11 rejects a value outside a flag's set as "--flag: VALUE not in {a,b,c}": suggest the
// member closest to VALUE, as for mistyped commands and flags.
std::string value_suggestion(const std::string& message) {
  const std::size_t not_in = message.find(" not in {");
  const std::size_t close = message.rfind('}');
  const std::size_t colon = message.rfind(": ", not_in);
  if (not_in == std::string::npos || close == std::string::npos || close < not_in ||
      colon == std::string::npos) {
    return {};
  }
  const std::string value = message.substr(colon + 2, not_in - colon - 2);
  std::vector<std::string> members;
  std::istringstream list(message.substr(not_in + 9, close - not_in - 9));
  for (std::string member; std::getline(list, member, ',');) {
    members.push_back(member);
  }
  const auto match = closest_match(value, members);
  return match ? fmt::format("did you mean '{}'?", *match) : std::string();
}

}  // namespace

const CLI::App* innermost_parsed(const CLI::App& app) {
  for (const CLI::App* sub : app.get_subcommands()) {
    return innermost_parsed(*sub);
  }
  return &app;
}

std::string command_path(const CLI::App* app) {
  std::string path;
  for (const CLI::App* current = app; current; current = current->get_parent()) {
    path = current->get_name() + (path.empty() ? "" : " " + path);
  }
  return path;
}

int report_parse_error(const CLI::App& root,
                       std::span<char* const> args,
                       const CLI::ParseError& error,
                       const Log& log) {
  const CLI::App* where = innermost_parsed(root);
  std::string message = error.what();
  std::string hint;
  if (auto unknown = unknown_command(root, args)) {
    message = describe_unknown_command(*unknown, hint);
    where = unknown->parent;
  } else if (auto missing = describe_missing_argument(*where, message)) {
    message = *missing;
  } else if (dynamic_cast<const CLI::ExtrasError*>(&error)) {
    // CLI11 says "The following argument was not expected: X"; find X for a suggestion.
    const std::size_t colon = message.rfind(": ");
    if (colon != std::string::npos) {
      // CLI11 lists every unexpected word (not in order); suggest for the first that is close
      // to a real subcommand or flag.
      std::istringstream words(message.substr(colon + 2));
      for (std::string word; words >> word && hint.empty();) {
        const std::string suggestion = suggestion_for(*where, word);
        if (!suggestion.empty()) {
          hint = fmt::format("did you mean '{}'?", suggestion);
        }
      }
    }
  }
  if (hint.empty()) {
    hint = value_suggestion(message);
  }
  log.error(message);
  if (!hint.empty()) {
    log.hint(hint);
  }
  log.hint(fmt::format("run '{} --help' for usage", command_path(where)));
  return static_cast<int>(ExitCode::usage);
}

}  // namespace evt::cmd
