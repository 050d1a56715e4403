// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string_view>

#include "evt/error.hpp"

namespace evt::io {

/// Writes all of `data` to `fd`, retrying short writes and EINTR. Returns 0, or the errno that
/// stopped it (EPIPE: the reader went away; ENOSPC, EIO, EBADF...: the output failed).
/// `written`, when given, receives how many bytes were written, also when it failed.
int write_all(int fd, std::string_view data, std::size_t* written = nullptr);

/// The error for a failed write to `name` ("stdout", a file name): an I/O error that says why,
/// e.g. "cannot write to stdout: No space left on device".
Unexpected write_failure(std::string_view name, int error);

/// write_all for commands whose output is one text (inspect, config show, help): a reader that
/// went away (EPIPE) is no failure, as with `evt inspect topics | head -1`; any other error is.
Result<void> write_text(int fd, std::string_view text, std::string_view name = "stdout");

}  // namespace evt::io
