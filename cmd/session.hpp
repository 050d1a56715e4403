// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "evt/config/config_file.hpp"
#include "evt/config/resolve.hpp"
#include "evt/error.hpp"
#include "evt/log.hpp"

#include "cmd/context.hpp"
#include "cmd/global_options.hpp"

namespace evt::cmd {

/// What every subcommand that talks to a cluster needs: the effective configuration and a log.
struct Session {
  std::optional<config::ConfigFile> file;
  config::ResolvedConfig config;
  std::string config_path;
};

/// The diagnostics log for these global options (verbosity, colors on a terminal).
Log make_log(const GlobalOptions& global, const Context& ctx);

/// Whether produce and replay answer a first signal at once with what they are still
/// delivering: when stderr is a terminal or with -v, never with -q.
bool announces_flush(const GlobalOptions& global, const Context& ctx);

/// True when colors should be used on a stream that is (or is not) a terminal.
bool use_color(const GlobalOptions& global, const Context& ctx, bool is_tty);

/// Loads the config file (if any), resolves file < env < flags < -X, and falls back to the
/// local broker when no brokers are configured. `need_brokers` = false skips that last check.
Result<Session> open_session(const GlobalOptions& global,
                             const Context& ctx,
                             const Log& log,
                             bool need_brokers = true);

/// The global options as words of a command that resumes this one (shell-quoted): brokers,
/// context, config file, timeout and -X properties, except secret ones (those belong in a
/// config file or the environment, not on a command line).
std::vector<std::string> resume_words(const GlobalOptions& global);

/// The streaming subcommands (produce, consume, tail, replay) call this before their first
/// Kafka handle: it moves the process's allocations to mimalloc (see process_allocator.hpp)
/// unless EVT_ALLOCATOR=glibc, and says which allocator serves in the debug log (-vv).
Result<void> use_streaming_allocator(const Context& ctx, const Log& log);

}  // namespace evt::cmd
