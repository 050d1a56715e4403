// SPDX-License-Identifier: MIT
// Walks the real CLI11 tree and fails, naming what is missing, when a command or flag is not in
// its man page or in a completion file; and checks that every man page is lint-clean.
#include <algorithm>
#include <fstream>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cmd/app.hpp"
#include "cmd/help_topics.hpp"
#include "tests/support/process.hpp"
#include <dirent.h>

namespace {

/// One command of the tree: its path below `evt` ({} for evt itself, {"inspect", "topic"}) and
/// its flags.
struct Command {
  std::vector<std::string> path;
  std::vector<std::string> long_flags;   // without the leading --
  std::vector<std::string> short_flags;  // without the leading -
  std::vector<std::string> subcommands;
};

void collect(const CLI::App* app, std::vector<std::string> path, std::vector<Command>& out) {
  Command command;
  command.path = path;
  for (const CLI::Option* option : app->get_options()) {
    for (const std::string& name : option->get_lnames()) {
      command.long_flags.push_back(name);
    }
    for (const std::string& name : option->get_snames()) {
      command.short_flags.push_back(name);
    }
  }
  std::vector<std::pair<const CLI::App*, std::string>> children;
  for (const CLI::App* sub : app->get_subcommands(nullptr)) {
    command.subcommands.push_back(sub->get_name());
    children.emplace_back(sub, sub->get_name());
  }
  out.push_back(std::move(command));
  for (const auto& [sub, name] : children) {
    std::vector<std::string> child_path = path;
    child_path.push_back(name);
    collect(sub, child_path, out);
  }
}

std::vector<Command> command_tree(std::span<char* const> args = {}) {
  auto tree = evt::cmd::build_app(args);
  std::vector<Command> commands;
  collect(&tree->app, {}, commands);
  return commands;
}

/// The commands of `tree` at or below `top` (a subcommand name).
std::vector<Command> below(const std::vector<Command>& tree, const std::string& top) {
  std::vector<Command> out;
  for (const Command& command : tree) {
    if (!command.path.empty() && command.path[0] == top) {
      out.push_back(command);
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& words) {
  std::string out = "evt";
  for (const std::string& word : words) {
    out += " " + word;
  }
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool file_exists(const std::string& path) {
  return std::ifstream(path).good();
}

/// troff source as plain text: \- becomes -, font changes and zero-width escapes go.
std::string plain_troff(const std::string& source) {
  std::string out;
  for (std::size_t i = 0; i < source.size(); ++i) {
    if (source[i] != '\\' || i + 1 >= source.size()) {
      out.push_back(source[i]);
      continue;
    }
    const char next = source[i + 1];
    if (next == '-') {
      out.push_back('-');
      ++i;
    } else if (next == 'f') {  // \fB \fI \fR \fP \f(CW \f[B]
      if (i + 2 < source.size() && source[i + 2] == '(') {
        i += 4;
      } else if (i + 2 < source.size() && source[i + 2] == '[') {
        i = source.find(']', i);
      } else {
        i += 2;
      }
    } else if (next == '&' || next == 'c') {
      ++i;
    } else if (next == '~') {
      out.push_back(' ');
      ++i;
    } else {
      out.push_back(source[i]);
    }
  }
  // Macro arguments may be quoted: .SY "evt inspect"
  std::replace(out.begin(), out.end(), '"', ' ');
  return out;
}

bool word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

/// True when `needle` occurs in `text` with no word character right before or after it.
bool contains_token(const std::string& text, const std::string& needle) {
  for (std::size_t pos = text.find(needle); pos != std::string::npos;
       pos = text.find(needle, pos + 1)) {
    const bool clean_before = pos == 0 || !word_char(text[pos - 1]);
    const std::size_t end = pos + needle.size();
    const bool clean_after = end >= text.size() || !word_char(text[end]);
    if (clean_before && clean_after) {
      return true;
    }
  }
  return false;
}

/// Collapses runs of blanks so "evt inspect\ntopics" matches "evt inspect topics".
std::string squeeze_blanks(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool blank = c == ' ' || c == '\t' || c == '\n';
    if (blank) {
      if (!out.empty() && out.back() != ' ') {
        out.push_back(' ');
      }
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::vector<std::string> man_pages() {
  std::vector<std::string> pages;
  const std::string dir = evt::test::source_dir() + "/man";
  if (DIR* handle = ::opendir(dir.c_str())) {
    while (const dirent* entry = ::readdir(handle)) {
      const std::string name = entry->d_name;
      if (name.size() > 2 && name[name.size() - 2] == '.' &&
          std::isdigit(static_cast<unsigned char>(name.back()))) {
        pages.push_back(name);
      }
    }
    ::closedir(handle);
  }
  std::sort(pages.begin(), pages.end());
  return pages;
}

/// The man page that documents a command: evt.1 for evt itself and for `evt help`,
/// evt-X.1 for X and everything nested under X.
std::string page_for(const Command& command) {
  if (command.path.empty() || command.path[0] == "help") {
    return "evt.1";
  }
  return "evt-" + command.path[0] + ".1";
}

}  // namespace

TEST_CASE("docs: a run builds its own subcommand's options in full", "[cli][docs]") {
  const std::vector<Command> full = command_tree();
  CHECK(full.front().subcommands == std::vector<std::string>(evt::cmd::k_command_names.begin(),
                                                             evt::cmd::k_command_names.end()));
  for (std::string_view name : evt::cmd::k_command_names) {
    std::string word(name), topic("orders");
    std::vector<char*> argv = {word.data(), topic.data()};
    const std::vector<Command> lazy = command_tree(argv);
    INFO("evt " << name);
    // The same subcommands at the top, and every flag and nested command of the named one.
    CHECK(lazy.front().subcommands == full.front().subcommands);
    CHECK(lazy.front().long_flags == full.front().long_flags);
    const std::vector<Command> want = below(full, word), got = below(lazy, word);
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
      CHECK(got[i].path == want[i].path);
      CHECK(got[i].long_flags == want[i].long_flags);
      CHECK(got[i].short_flags == want[i].short_flags);
    }
    // The others are only names (they cannot be the one parsed).
    for (std::string_view other : evt::cmd::k_command_names) {
      if (other != name) {
        const std::vector<Command> stub = below(lazy, std::string(other));
        REQUIRE(stub.size() == 1);
        CHECK(stub[0].long_flags == std::vector<std::string>{"help"});
      }
    }
  }
}

TEST_CASE("docs: every command and flag is in its man page", "[cli][docs]") {
  const std::string man_dir = evt::test::source_dir() + "/man/";
  const std::vector<Command> commands = command_tree();
  REQUIRE(commands.size() > 5);
  const std::string overview = squeeze_blanks(plain_troff(read_file(man_dir + "evt.1")));
  REQUIRE_FALSE(overview.empty());

  std::vector<std::string> missing;
  for (const Command& command : commands) {
    const std::string page = page_for(command);
    if (!file_exists(man_dir + page)) {
      missing.push_back(join(command.path) + ": no man page man/" + page);
      continue;
    }
    const std::string text = squeeze_blanks(plain_troff(read_file(man_dir + page)));
    if (command.path.size() == 1 && !contains_token(overview, command.path[0])) {
      missing.push_back(join(command.path) + ": not listed in man/evt.1");
    }
    if (command.path.size() >= 2 && text.find(join(command.path)) == std::string::npos) {
      missing.push_back(join(command.path) + ": not described in man/" + page);
    }
    for (const std::string& flag : command.long_flags) {
      if (!contains_token(text, "--" + flag)) {
        missing.push_back(join(command.path) + " --" + flag + ": not in man/" + page);
      }
    }
    for (const std::string& flag : command.short_flags) {
      if (!contains_token(text, "-" + flag)) {
        missing.push_back(join(command.path) + " -" + flag + ": not in man/" + page);
      }
    }
  }
  for (const std::string& topic : evt::cmd::help_topic_names()) {
    if (overview.find("evt help " + topic) == std::string::npos) {
      missing.push_back("evt help " + topic + ": not in man/evt.1");
    }
  }
  INFO("missing from the man pages:\n"
       << [&] {
            std::string lines;
            for (const std::string& line : missing) {
              lines += "  " + line + "\n";
            }
            return lines;
          }());
  CHECK(missing.empty());
}

TEST_CASE("docs: every command and flag is in every completion file", "[cli][docs]") {
  const std::string dir = evt::test::source_dir() + "/completions/";
  struct Completion {
    std::string file;
    std::string text;
  };
  std::vector<Completion> files;
  for (const char* name : {"evt.bash", "_evt", "evt.fish"}) {
    files.push_back({name, read_file(dir + name)});
    INFO("completions/" << name);
    REQUIRE_FALSE(files.back().text.empty());
  }
  std::vector<std::string> missing;
  for (const Command& command : command_tree()) {
    for (const Completion& file : files) {
      const bool fish = file.file == "evt.fish";
      for (const std::string& sub : command.subcommands) {
        if (!contains_token(file.text, sub)) {
          missing.push_back(join(command.path) + " " + sub + ": not in completions/" + file.file);
        }
      }
      for (const std::string& flag : command.long_flags) {
        const std::string needle = fish ? "-l " + flag : "--" + flag;
        if (!contains_token(file.text, needle)) {
          missing.push_back(join(command.path) + " --" + flag + ": not in completions/" +
                            file.file);
        }
      }
      for (const std::string& flag : command.short_flags) {
        const std::string needle = fish ? "-s " + flag : "-" + flag;
        if (!contains_token(file.text, needle)) {
          missing.push_back(join(command.path) + " -" + flag + ": not in completions/" + file.file);
        }
      }
    }
  }
  for (const std::string& topic : evt::cmd::help_topic_names()) {
    for (const Completion& file : files) {
      if (!contains_token(file.text, topic)) {
        missing.push_back("evt help " + topic + ": not in completions/" + file.file);
      }
    }
  }
  INFO("missing from the completions:\n"
       << [&] {
            std::string lines;
            for (const std::string& line : missing) {
              lines += "  " + line + "\n";
            }
            return lines;
          }());
  CHECK(missing.empty());
}

TEST_CASE("docs: every man page is lint-clean and has examples and an exit status", "[cli][docs]") {
  const std::string dir = evt::test::source_dir() + "/man/";
  const std::vector<std::string> pages = man_pages();
  for (const char* expected : {"evt.1",
                               "evt-produce.1",
                               "evt-consume.1",
                               "evt-inspect.1",
                               "evt-broker.1",
                               "evt-config.1",
                               "evt-config.5"}) {
    INFO("man/" << expected);
    CHECK(std::find(pages.begin(), pages.end(), expected) != pages.end());
  }
  for (const std::string& page : pages) {
    const std::string path = dir + page;
    INFO("man/" << page);
    const auto mandoc = evt::test::run({"mandoc", "-T", "lint", "-W", "warning", path});
    INFO("mandoc:\n" << mandoc.out << mandoc.err);
    CHECK(mandoc.exit_code == 0);
    CHECK(mandoc.out.empty());
    CHECK(mandoc.err.empty());
    const auto groff = evt::test::run({"groff", "-ww", "-z", "-man", path});
    INFO("groff:\n" << groff.out << groff.err);
    CHECK(groff.exit_code == 0);
    CHECK(groff.err.empty());
    const std::string source = read_file(path);
    CHECK(source.find("\n.SH EXIT STATUS\n") != std::string::npos);
    CHECK(source.find("\n.SH EXAMPLES\n") != std::string::npos);
    CHECK(source.find("\n.SH SEE ALSO\n") != std::string::npos);
  }
}
