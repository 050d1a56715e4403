// SPDX-License-Identifier: MIT
#include "evt/error.hpp"

namespace evt {

ExitCode exit_code_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::usage:
      return ExitCode::usage;
    case ErrorKind::unreachable:
      return ExitCode::unreachable;
    case ErrorKind::auth:
      return ExitCode::auth;
    case ErrorKind::not_found:
      return ExitCode::not_found;
    case ErrorKind::interrupted:
      return ExitCode::interrupted;
    case ErrorKind::io:
    case ErrorKind::kafka:
    case ErrorKind::delivery:
    case ErrorKind::unsupported:
    case ErrorKind::internal:
      return ExitCode::failure;
  }
  return ExitCode::failure;
}

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::usage:
      return "usage";
    case ErrorKind::io:
      return "io";
    case ErrorKind::kafka:
      return "kafka";
    case ErrorKind::delivery:
      return "delivery";
    case ErrorKind::unreachable:
      return "unreachable";
    case ErrorKind::auth:
      return "auth";
    case ErrorKind::not_found:
      return "not_found";
    case ErrorKind::unsupported:
      return "unsupported";
    case ErrorKind::interrupted:
      return "interrupted";
    case ErrorKind::internal:
      return "internal";
  }
  return "internal";
}

}  // namespace evt
