// SPDX-License-Identifier: MIT
#include "cmd/header_options.hpp"

#include <fmt/format.h>

namespace evt::cmd {

Result<std::vector<Header>> parse_header_options(const std::vector<std::string>& values) {
  std::vector<Header> headers;
  for (const std::string& header : values) {
    const std::size_t equals = header.find('=');
    if (equals == std::string::npos || equals == 0) {
      return fail(ErrorKind::usage, fmt::format("--header \"{}\": expected name=value", header));
    }
    headers.push_back(Header{header.substr(0, equals), header.substr(equals + 1)});
  }
  return headers;
}

}  // namespace evt::cmd
