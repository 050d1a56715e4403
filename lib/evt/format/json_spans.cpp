// SPDX-License-Identifier: MIT
#include "evt/format/json_spans.hpp"

#include <algorithm>

namespace evt::format {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::size_t skip_space(std::string_view text, std::size_t i) {
  while (i < text.size() && is_space(text[i])) {
    ++i;
  }
  return i;
}

// From the opening quote to just past the closing one.
std::size_t skip_string(std::string_view text, std::size_t i) {
  for (++i; i < text.size() && text[i] != '"'; ++i) {
    if (text[i] == '\\') {
      ++i;  // the escaped character, which may be a quote
    }
  }
  return i < text.size() ? i + 1 : text.size();
}

// From a value's first byte to just past its last.
std::size_t skip_value(std::string_view text, std::size_t i) {
  if (i >= text.size()) {
    return i;
  }
  if (text[i] == '"') {
    return skip_string(text, i);
  }
  if (text[i] == '{' || text[i] == '[') {
    std::size_t depth = 0;
    while (i < text.size()) {
      const char c = text[i];
      if (c == '"') {
        i = skip_string(text, i);
        continue;
      }
      if (c == '{' || c == '[') {
        ++depth;
      } else if ((c == '}' || c == ']') && --depth == 0) {
        return i + 1;
      }
      ++i;
    }
    return i;
  }
  // A number, true, false or null: up to the next delimiter.
  while (i < text.size() && !is_space(text[i]) && text[i] != ',' && text[i] != '}' &&
         text[i] != ']') {
    ++i;
  }
  return i;
}

}  // namespace

std::size_t nesting_depth(std::string_view text) {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '"') {
      i = skip_string(text, i);
      continue;
    }
    if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
    ++i;
  }
  return deepest;
}

std::vector<std::string_view> member_value_spans(std::string_view text) {
  std::vector<std::string_view> spans;
  std::size_t i = skip_space(text, 0);
  if (i >= text.size() || text[i] != '{') {
    return spans;
  }
  for (++i;;) {
    i = skip_space(text, i);
    if (i >= text.size() || text[i] != '"') {
      return spans;  // '}' (an empty object or the end), or not an object after all
    }
    i = skip_space(text, skip_string(text, i));
    if (i >= text.size() || text[i] != ':') {
      return spans;
    }
    const std::size_t start = skip_space(text, i + 1);
    i = skip_value(text, start);
    spans.push_back(text.substr(start, i - start));
    i = skip_space(text, i);
    if (i >= text.size() || text[i] != ',') {
      return spans;
    }
    ++i;
  }
}

}  // namespace evt::format
