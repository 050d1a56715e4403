// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace evt {

/// What went wrong, as far as the exit code is concerned. Decided in lib/, mapped to an
/// ExitCode in exactly one place (exit_code_for).
enum class ErrorKind {
  usage,        ///< bad flags, arguments, specs, config file, unparsable input
  io,           ///< reading input or writing output failed
  kafka,        ///< the broker or client reported an error
  delivery,     ///< some records were not delivered
  unreachable,  ///< no broker answered, or a --timeout deadline passed
  auth,         ///< authentication or authorization refused
  not_found,    ///< topic, partition or group does not exist
  unsupported,  ///< the broker does not support the request
  interrupted,  ///< SIGINT/SIGTERM while input was still undelivered
  internal,     ///< a bug in evt
};

/// The process exit status, as documented in the design's exit-code table.
enum class ExitCode : int {
  ok = 0,
  failure = 1,
  usage = 2,
  unreachable = 3,
  auth = 4,
  not_found = 5,
  interrupted = 130,
};

/// An anticipated failure: a kind, a message saying what failed and why, and an optional hint
/// that tells the user the obvious next step.
struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string message;
  std::string hint;
};

/// The one mapping from error kinds to exit codes.
ExitCode exit_code_for(ErrorKind kind);

/// A short name of the kind, for logs and tests.
const char* to_string(ErrorKind kind);

/// Marker type that converts into any failed Result.
struct Unexpected {
  Error error;
};

inline Unexpected fail(ErrorKind kind, std::string message, std::string hint = {}) {
  return Unexpected{Error{kind, std::move(message), std::move(hint)}};
}

/// A value or an Error. A small stand-in for std::expected, which clang-tidy 14 cannot parse.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : m_state(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
  Result(Unexpected failure)                                              // NOLINT: implicit
      : m_state(std::in_place_index<1>, std::move(failure.error)) {}

  bool ok() const { return m_state.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(m_state); }
  const T& value() const& { return std::get<0>(m_state); }
  T&& value() && { return std::get<0>(std::move(m_state)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(m_state); }
  Unexpected take_error() && { return Unexpected{std::get<1>(std::move(m_state))}; }

 private:
  std::variant<T, Error> m_state;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Unexpected failure) : m_error(std::move(failure.error)), m_ok(false) {}  // NOLINT

  bool ok() const { return m_ok; }
  explicit operator bool() const { return m_ok; }
  const Error& error() const { return m_error; }
  Unexpected take_error() && { return Unexpected{std::move(m_error)}; }

 private:
  Error m_error;
  bool m_ok = true;
};

}  // namespace evt

/// Propagate a failed Result out of the current function.
#define EVT_TRY(expr)                                 \
  do {                                                \
    auto evt_try_result_ = (expr);                    \
    if (!evt_try_result_.ok()) {                      \
      return std::move(evt_try_result_).take_error(); \
    }                                                 \
  } while (false)
