// SPDX-License-Identifier: MIT
#include "evt/log.hpp"

#include <string>

#include "evt/io/write_all.hpp"

namespace evt {

void Log::emit(std::string_view prefix, std::string_view color, std::string_view message) const {
  std::string line;
  line.reserve(prefix.size() + message.size() + 24);
  if (m_color && !color.empty()) {
    line.append(color).append(prefix).append("\x1b[0m");
  } else {
    line.append(prefix);
  }
  line.append(message);
  line.push_back('\n');
  (void)io::write_all(m_fd, line);  // stderr is gone: nothing sensible to do
}

void Log::error(std::string_view message) const {
  emit("evt: error: ", "\x1b[1;31m", message);
}

void Log::hint(std::string_view message) const {
  emit("hint: ", "\x1b[36m", message);
}

void Log::warning(std::string_view message) const {
  if (m_verbosity >= 0) {
    emit("evt: warning: ", "\x1b[33m", message);
  }
}

void Log::info(std::string_view message) const {
  if (m_verbosity >= 1) {
    emit("evt: ", "", message);
  }
}

void Log::notice(std::string_view message) const {
  if (m_verbosity >= 0) {
    emit("evt: ", "", message);
  }
}

void Log::debug(std::string_view message) const {
  if (m_verbosity >= 2) {
    emit("evt: debug: ", "\x1b[2m", message);
  }
}

}  // namespace evt
