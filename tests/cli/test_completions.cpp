// SPDX-License-Identifier: MIT
// Runs completions/evt.bash, completions/_evt and completions/evt.fish in the real shells and
// checks the candidates they offer: every command and flag of the real CLI11 tree, the values of
// enumerated flags, files, context names from a config file and topic names from a local broker.
//
// bash: bash-completion is loaded and _evt is called with COMP_WORDS split the way readline
//       splits them (COMP_WORDBREAKS).
// fish: `complete -C LINE`.
// zsh:  an interactive zsh in a zpty (the module ships with zsh) with compinit, where TAB is bound
//       to a completion widget that records every match added with compadd and inserts nothing.
//       The harness waits for zle-line-init before typing, so no typeahead is lost.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cmd/app.hpp"
#include "cmd/help_topics.hpp"
#include "tests/support/process.hpp"

namespace {

using evt::test::ProcessResult;
using evt::test::RunOptions;
using evt::test::TempDir;
using Candidates = std::set<std::string>;

enum class Shell { bash, zsh, fish };

const char* name_of(Shell shell) {
  switch (shell) {
    case Shell::bash:
      return "bash";
    case Shell::zsh:
      return "zsh";
    case Shell::fish:
      return "fish";
  }
  return "?";
}

constexpr const char* k_bash_harness = R"BASH(
cd "$EVT_TEST_CWD" || exit 3
source /usr/share/bash-completion/bash_completion
source "$EVT_TEST_COMPLETIONS/evt.bash"
# Splits LINE into COMP_WORDS as readline does: blanks separate words, and a run of
# COMP_WORDBREAKS characters is a word of its own. The last word is the one being completed.
evt_test_complete() {
    local line=$1 word="" c i in_breaks=false
    COMP_WORDS=()
    for ((i = 0; i < ${#line}; i++)); do
        c=${line:i:1}
        if [[ $c == [[:blank:]] ]]; then
            [[ -n $word ]] && COMP_WORDS+=("$word")
            word=""
            in_breaks=false
        elif [[ $COMP_WORDBREAKS == *"$c"* ]]; then
            if [[ -n $word && $in_breaks == false ]]; then
                COMP_WORDS+=("$word")
                word=""
            fi
            word+=$c
            in_breaks=true
        else
            if [[ -n $word && $in_breaks == true ]]; then
                COMP_WORDS+=("$word")
                word=""
            fi
            word+=$c
            in_breaks=false
        fi
    done
    COMP_WORDS+=("$word")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE=$line
    COMP_POINT=${#line}
    COMPREPLY=()
    _evt evt "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf '<<BEGIN %s>>\n' "$line"
    printf '%s\n' "${COMPREPLY[@]}"
    printf '<<END>>\n'
}
while IFS= read -r line; do
    evt_test_complete "$line"
done < "$1"
)BASH";

constexpr const char* k_fish_harness = R"FISH(
cd $EVT_TEST_CWD; or exit 3
set -g fish_complete_path
source $EVT_TEST_COMPLETIONS/evt.fish
for line in (cat $argv[1])
    printf '<<BEGIN %s>>\n' $line
    complete -C "$line" | string replace -r '\t.*' ''
    printf '<<END>>\n'
end
)FISH";

// The .zshrc of the interactive zsh: records what completion adds, instead of inserting it.
constexpr const char* k_zshrc = R"ZSH(
PS1='> '
bindkey -e
fpath=($EVT_TEST_COMPLETIONS $fpath)
autoload -Uz compinit && compinit -u -D
compadd() {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
    builtin compadd "$@"
    return
  fi
  local -a __hits
  builtin compadd -O __hits "$@"
  (( $#__hits )) && print -rl -- "${__hits[@]}" >> $EVT_TEST_OUT
  builtin compadd "$@"
}
_evt_test_widget() {
  print -r -- "<<BEGIN $BUFFER>>" >> $EVT_TEST_OUT
  _main_complete
  compstate[insert]=''
  compstate[list]=''
  print -r -- "<<END>>" >> $EVT_TEST_OUT
}
zle -C evt-test-complete complete-word _evt_test_widget
bindkey '^I' evt-test-complete
_evt_test_ready() { print -r -- "<<READY>>" >> $EVT_TEST_OUT }
zle -N zle-line-init _evt_test_ready
)ZSH";

// Drives the interactive zsh: waits until its line editor is ready, types each line followed by
// TAB and Ctrl-U, and waits until every completion has finished.
constexpr const char* k_zsh_harness = R"ZSH(
zmodload zsh/zpty || exit 3
out=$EVT_TEST_OUT
lines=("${(@f)$(<$1)}")
cd $EVT_TEST_CWD || exit 3
: >| $out
wait_for() {
  local i n
  for (( i = 0; i < 400; i++ )); do
    n=${#${(M)${(f)"$(<$out)"}:#$1}}
    (( n >= $2 )) && return 0
    sleep 0.05
  done
  return 1
}
zpty evt_test zsh -d -i
if ! wait_for '<<READY>>' 1; then
  print -u2 "the interactive zsh did not start"
  zpty -d evt_test
  exit 4
fi
for line in $lines; do
  zpty -w -n evt_test "$line"$'\t\C-u'
done
wait_for '<<END>>' $#lines
ret=$?
zpty -d evt_test
cat $out
(( ret == 0 )) || print -u2 "zsh did not finish every completion"
exit $ret
)ZSH";

std::string bin_dir() {
  const std::string binary = evt::test::evt_binary();
  return binary.substr(0, binary.rfind('/'));
}

/// What each completed line offered, keyed by the line.
using Results = std::map<std::string, Candidates>;

Results parse(const std::string& out, const std::vector<std::string>& lines) {
  Results results;
  std::istringstream in(out);
  std::string row;
  std::string current;
  bool inside = false;
  while (std::getline(in, row)) {
    if (row.rfind("<<BEGIN ", 0) == 0 && row.size() >= 10) {
      current = row.substr(8, row.size() - 10);
      results[current];
      inside = true;
    } else if (row == "<<END>>") {
      inside = false;
    } else if (inside && !row.empty()) {
      // fish answers `--format=` with `--format=json`: keep the value only.
      std::string candidate = row;
      const std::size_t blank = current.rfind(' ');
      const std::string word = current.substr(blank == std::string::npos ? 0 : blank + 1);
      const std::size_t equals = word.find('=');
      if (word.rfind("--", 0) == 0 && equals != std::string::npos &&
          candidate.rfind(word.substr(0, equals + 1), 0) == 0) {
        candidate = candidate.substr(equals + 1);
      }
      results[current].insert(candidate);
    }
  }
  for (const std::string& line : lines) {
    INFO("no answer for the line \"" << line << "\"");
    CHECK(results.count(line) == 1);
  }
  return results;
}

/// Completes every line in `shell`, with `env` added to the environment and `cwd` as the working
/// directory. Topic and group lookups reach no broker unless `env` names one.
Results complete(Shell shell,
                 const std::vector<std::string>& lines,
                 std::map<std::string, std::string> env = {},
                 const std::string& cwd = {}) {
  TempDir dir;
  std::string cases;
  for (const std::string& line : lines) {
    cases += line + "\n";
  }
  dir.write("cases.txt", cases);
  RunOptions options;
  options.env = {{"PATH", bin_dir() + ":" + std::string(std::getenv("PATH"))},
                 {"EVT_TEST_COMPLETIONS", evt::test::source_dir() + "/completions"},
                 {"EVT_TEST_OUT", dir.file("zsh.out")},
                 {"EVT_CONFIG", "/nonexistent/evt-test-config.yaml"},
                 {"EVT_BROKER_FILE", "/nonexistent/evt-test-broker"},
                 {"EVT_BROKERS", ""},
                 {"EVT_CONTEXT", ""},
                 {"NO_COLOR", "1"},
                 {"XDG_CONFIG_HOME", dir.file("xdg-config")},
                 {"XDG_DATA_HOME", dir.file("xdg-data")},
                 {"ZDOTDIR", dir.path()}};
  for (auto& [name, value] : env) {
    options.env[name] = value;
  }
  // The shells change to it themselves: evt::test::run does not apply RunOptions::cwd.
  options.env["EVT_TEST_CWD"] = cwd.empty() ? dir.path() : cwd;
  options.timeout = std::chrono::seconds(60);
  ProcessResult result;
  switch (shell) {
    case Shell::bash:
      dir.write("harness.bash", k_bash_harness);
      result = evt::test::run(
          {"bash", "--norc", "--noprofile", dir.file("harness.bash"), dir.file("cases.txt")},
          options);
      break;
    case Shell::fish:
      dir.write("harness.fish", k_fish_harness);
      result = evt::test::run(
          {"fish", "--no-config", dir.file("harness.fish"), dir.file("cases.txt")}, options);
      break;
    case Shell::zsh:
      dir.write(".zshrc", k_zshrc);
      dir.write("harness.zsh", k_zsh_harness);
      result =
          evt::test::run({"zsh", "-f", dir.file("harness.zsh"), dir.file("cases.txt")}, options);
      break;
  }
  INFO(name_of(shell) << " exited " << result.exit_code << "\nstdout:\n"
                      << result.out << "\nstderr:\n"
                      << result.err);
  REQUIRE(result.exit_code == 0);
  REQUIRE_FALSE(result.timed_out);
  return parse(result.out, lines);
}

std::string show(const Candidates& candidates) {
  std::string text = "{";
  for (const std::string& candidate : candidates) {
    text += (text.size() > 1 ? " " : "") + candidate;
  }
  return text + "}";
}

/// Lines and what they must offer: exactly these candidates, or at least these.
struct Expectation {
  std::string line;
  Candidates candidates;
  bool exact = true;
};

void check(Shell shell, const Results& results, const std::vector<Expectation>& expectations) {
  for (const Expectation& expected : expectations) {
    const auto found = results.find(expected.line);
    REQUIRE(found != results.end());
    const Candidates& got = found->second;
    INFO(name_of(shell) << ": \"" << expected.line << "\" offered " << show(got) << ", expected "
                        << (expected.exact ? "exactly " : "at least ")
                        << show(expected.candidates));
    if (expected.exact) {
      CHECK(got == expected.candidates);
    } else {
      CHECK(std::includes(
          got.begin(), got.end(), expected.candidates.begin(), expected.candidates.end()));
    }
  }
}

void check_everywhere(const std::vector<Expectation>& expectations,
                      const std::map<std::string, std::string>& env = {},
                      const std::string& cwd = {}) {
  std::vector<std::string> lines;
  for (const Expectation& expected : expectations) {
    lines.push_back(expected.line);
  }
  for (Shell shell : {Shell::bash, Shell::zsh, Shell::fish}) {
    check(shell, complete(shell, lines, env, cwd), expectations);
  }
}

/// Every command path of the real CLI11 tree with its flags and nested commands.
struct Command {
  std::string line;  // "evt inspect topic"
  Candidates long_flags;
  Candidates short_flags;
  Candidates subcommands;
};

void collect(const CLI::App* app,
             const std::string& line,
             const Candidates& global_long,
             const Candidates& global_short,
             std::vector<Command>& out) {
  Command command{line, global_long, global_short, {}};
  for (const CLI::Option* option : app->get_options()) {
    for (const std::string& name : option->get_lnames()) {
      command.long_flags.insert("--" + name);
    }
    for (const std::string& name : option->get_snames()) {
      command.short_flags.insert("-" + name);
    }
  }
  for (const CLI::App* sub : app->get_subcommands(nullptr)) {
    command.subcommands.insert(sub->get_name());
  }
  out.push_back(command);
  for (const CLI::App* sub : app->get_subcommands(nullptr)) {
    collect(sub, line + " " + sub->get_name(), global_long, global_short, out);
  }
}

std::vector<Command> command_tree() {
  auto tree = evt::cmd::build_app();
  // The root's flags, except --version, are accepted after any command too.
  Candidates global_long, global_short;
  for (const CLI::Option* option : tree->app.get_options()) {
    for (const std::string& name : option->get_lnames()) {
      if (name != "version") {
        global_long.insert("--" + name);
      }
    }
    for (const std::string& name : option->get_snames()) {
      global_short.insert("-" + name);
    }
  }
  std::vector<Command> commands;
  collect(&tree->app, "evt", global_long, global_short, commands);
  return commands;
}

}  // namespace

TEST_CASE("completions: the scripts are valid in their shells", "[cli][completions]") {
  const std::string dir = evt::test::source_dir() + "/completions/";
  const auto bash = evt::test::run({"bash", "-n", dir + "evt.bash"});
  INFO(bash.err);
  CHECK(bash.exit_code == 0);
  const auto zsh = evt::test::run({"zsh", "-n", dir + "_evt"});
  INFO(zsh.err);
  CHECK(zsh.exit_code == 0);
  const auto fish = evt::test::run({"fish", "--no-execute", dir + "evt.fish"});
  INFO(fish.err);
  CHECK(fish.exit_code == 0);
  // Sourced after compinit (rather than found in $fpath), _evt registers itself for evt.
  const auto sourced = evt::test::run({"zsh",
                                       "-f",
                                       "-c",
                                       "autoload -Uz compinit && compinit -u -D && source " + dir +
                                           "_evt" + " && print -r -- ${_comps[evt]}"});
  INFO(sourced.err);
  CHECK(sourced.out == "_evt\n");
  // Sourcing the bash script registers the function.
  const auto registered = evt::test::run(
      {"bash", "--norc", "--noprofile", "-c", "source " + dir + "evt.bash && complete -p evt"});
  CHECK(registered.out == "complete -F _evt evt\n");
}

TEST_CASE("completions: every command and flag of the CLI, in bash, zsh and fish",
          "[cli][completions]") {
  const std::vector<Command> commands = command_tree();
  REQUIRE(commands.size() > 5);
  std::vector<Expectation> expectations;
  for (const Command& command : commands) {
    // Every long flag after "--", short and long ones after "-".
    expectations.push_back({command.line + " --", command.long_flags, false});
    Candidates all = command.long_flags;
    all.insert(command.short_flags.begin(), command.short_flags.end());
    expectations.push_back({command.line + " -", all, false});
    if (!command.subcommands.empty()) {
      expectations.push_back({command.line + " ", command.subcommands, true});
    }
  }
  check_everywhere(expectations);
}

TEST_CASE("completions: values of enumerated flags", "[cli][completions]") {
  const Candidates output_with_names = {"table", "json", "names"};
  const Candidates output = {"table", "json"};
  Candidates help_topics(evt::cmd::help_topic_names().begin(), evt::cmd::help_topic_names().end());
  REQUIRE(help_topics.count("offsets") == 1);
  // evt help also takes a command: evt help consume is evt consume --help.
  for (const std::string_view command : evt::cmd::k_command_names) {
    if (command != "help") {
      help_topics.emplace(command);
    }
  }
  check_everywhere({
      {"evt produce -f ", {"lines", "json", "raw"}},
      {"evt produce --format=", {"lines", "json", "raw"}},
      {"evt produce -z ", {"none", "gzip", "snappy", "lz4", "zstd"}},
      {"evt produce --compression=z", {"zstd"}},
      {"evt produce --acks ", {"all", "1", "0"}},
      {"evt produce orders --partitioner ",
       {"murmur2_random",
        "murmur2",
        "consistent_random",
        "consistent",
        "fnv1a_random",
        "fnv1a",
        "random"}},
      {"evt produce --on-bad-input ", {"fail", "skip"}},
      {"evt consume orders -f ", {"value", "json"}},
      {"evt consume orders --offset ", {"beginning", "end", "stored"}},
      {"evt consume orders -o b", {"beginning"}},
      {"evt tail orders -f ", {"value", "json"}},
      {"evt replay orders --from ", {"beginning", "end"}},
      {"evt replay orders --speed ", {"max"}},
      {"evt broker fault ", {"down", "up", "rtt", "errors", "leader", "topic-error", "create"}},
      {"evt broker fault errors ", {"Produce", "Fetch", "Metadata"}, false},
      {"evt broker fault errors Produce 3 ",
       {"NOT_LEADER_OR_FOLLOWER", "REQUEST_TIMED_OUT"},
       false},
      {"evt broker fault topic-error orders U", {"UNKNOWN_TOPIC_OR_PART"}},
      {"evt broker fault leader orders 0 ", {"none"}},
      {"evt --color ", {"auto", "always", "never"}},
      {"evt consume orders --color ", {"auto", "always", "never"}},
      {"evt inspect -o ", output_with_names},
      {"evt inspect topics --output ", output_with_names},
      {"evt inspect groups -o ", output_with_names},
      {"evt inspect topic orders -o ", output},
      {"evt inspect group billing -o ", output},
      {"evt inspect offsets orders -o ", output},
      {"evt inspect message -o ", output},
      {"evt topic create orders -o ", output},
      {"evt topic delete orders --output ", output},
      {"evt group reset billing -o ", output},
      {"evt group delete-offsets billing -o ", output},
      {"evt group reset billing --topic orders --to ", {"beginning", "end", "stored"}},
      {"evt topic trim orders --before ", {"end"}},
      {"evt topic add-partitions orders --t", {"--timeout", "--to"}},
      {"evt group reset billing --sh", {"--shift-by"}},
      {"evt help ", help_topics},
      {"evt help ex", {"exit-codes"}},
      // Flags with values (including ':' and '=') are skipped on the way to the command.
      {"evt -b localhost:9092 inspect ",
       {"topics", "topic", "groups", "group", "offsets", "message"}},
      {"evt -X linger.ms=5 --timeout 3s consume orders -f ", {"value", "json"}},
      {"evt pro", {"produce"}},
      {"evt produce --comp", {"--compression"}},
      {"evt inspect topics --int", {"--internal"}},
      {"evt broker --det", {"--detach"}},
      {"evt config init --f", {"--force"}},
  });
}

TEST_CASE("completions: context names come from the config file", "[cli][completions]") {
  TempDir dir;
  dir.write("config.yaml",
            "current-context: prod\n"
            "contexts:\n"
            "  dev:\n"
            "    brokers: localhost:9092\n"
            "  prod:\n"
            "    brokers: [kafka-1:9093, kafka-2:9093]\n"
            "  staging: {}\n");
  const Candidates contexts = {"dev", "prod", "staging"};
  check_everywhere(
      {
          {"evt --context ", contexts},
          {"evt consume orders --context s", {"staging"}},
          {"evt config use ", contexts},
          {"evt config use p", {"prod"}},
          {"evt replay orders --into-context ", contexts},
      },
      {{"EVT_CONFIG", dir.file("config.yaml")}});
  // --config on the command line names the file to read them from.
  check_everywhere({{"evt --config " + dir.file("config.yaml") + " config use ", contexts},
                    {"evt --config=" + dir.file("config.yaml") + " --context ", contexts}});
}

TEST_CASE("completions: files where files go, and not where topics go", "[cli][completions]") {
  TempDir dir;
  dir.write("records.txt", "a\n");
  dir.write("more.json", "{}\n");
  check_everywhere(
      {
          {"evt produce orders r", {"records.txt"}},
          {"evt produce -t orders ", {"records.txt", "more.json"}, false},
          {"evt produce -f raw -t orders m", {"more.json"}},
          {"evt --config m", {"more.json"}},
          {"evt replay --input r", {"records.txt"}},
          {"evt broker --control m", {"more.json"}},
          {"evt consume r", {}},
          {"evt produce r", {}},
      },
      {},
      dir.path());
}

TEST_CASE("completions: topic names come from the cluster", "[cli][completions]") {
  evt::test::LocalBroker broker({"orders:2", "payments:1"});
  const Candidates topics = {"orders", "payments"};
  check_everywhere(
      {
          {"evt consume ", topics},
          {"evt consume orders p", {"payments"}},
          {"evt produce ", topics},
          {"evt produce -t o", {"orders"}},
          {"evt inspect topic ", topics},
          {"evt inspect offsets o", {"orders"}},
          {"evt inspect message p", {"payments"}},
          {"evt inspect group billing --topic ", topics},
          {"evt tail ", topics},
          {"evt replay ", topics},
          {"evt replay orders --into p", {"payments"}},
          {"evt broker fault leader ", topics},
          {"evt topic delete ", topics},
          {"evt topic delete orders p", {"payments"}},
          {"evt topic alter o", {"orders"}},
          {"evt topic add-partitions ", topics},
          {"evt topic trim p", {"payments"}},
          {"evt group reset billing --topic ", topics},
          {"evt group delete-offsets billing --topic o", {"orders"}},
      },
      {{"EVT_BROKERS", broker.bootstrap()}});
  // The brokers named with -b on the line being completed are the ones asked.
  check_everywhere({{"evt -b " + broker.bootstrap() + " consume ", topics},
                    {"evt consume --brokers=" + broker.bootstrap() + " o", {"orders"}}});
}

TEST_CASE("completions: an unreachable cluster does not hang the shell", "[cli][completions]") {
  for (Shell shell : {Shell::bash, Shell::zsh, Shell::fish}) {
    const auto started = std::chrono::steady_clock::now();
    const Results results = complete(shell, {"evt consume "}, {{"EVT_BROKERS", "127.0.0.1:1"}});
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    INFO(name_of(shell) << " took " << seconds << "s");
    CHECK(results.at("evt consume ").empty());
    CHECK(seconds < 6);
  }
}
