// SPDX-License-Identifier: MIT
#include "cmd/admin_confirm.hpp"

#include <cerrno>

#include <fmt/format.h>

#include "evt/io/write_all.hpp"

#include <unistd.h>

namespace evt::cmd {

namespace {

// One line from fd, byte by byte (nothing after the newline is consumed).
std::string read_line(int fd) {
  std::string line;
  char c = 0;
  for (;;) {
    const ssize_t got = ::read(fd, &c, 1);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got <= 0 || c == '\n') {
      return line;
    }
    line.push_back(c);
  }
}

}  // namespace

Result<ops::Confirm> confirmation(bool yes, bool dry_run, const std::string& what, Context& ctx) {
  if (yes || dry_run) {
    return ops::Confirm{};
  }
  if (::isatty(ctx.in_fd) != 1) {
    return fail(ErrorKind::usage,
                fmt::format("refusing to {} without --yes: standard input is not a terminal to "
                            "ask on",
                            what),
                "add --yes to confirm, or --dry-run to see what would happen");
  }
  const int in_fd = ctx.in_fd, err_fd = ctx.err_fd;
  return ops::Confirm([in_fd, err_fd](const std::string& question) {
    // A prompt nobody can see gets no "y": a failed write needs no handling of its own.
    (void)io::write_all(err_fd, question + " [y/N] ");
    std::string answer = read_line(in_fd);
    while (!answer.empty() && (answer.back() == '\r' || answer.back() == ' ')) {
      answer.pop_back();
    }
    return answer == "y" || answer == "Y" || answer == "yes" || answer == "YES" || answer == "Yes";
  });
}

}  // namespace evt::cmd
