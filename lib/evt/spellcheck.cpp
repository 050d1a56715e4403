// SPDX-License-Identifier: MIT
#include "evt/spellcheck.hpp"

#include <algorithm>
#include <numeric>

namespace evt {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const std::size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitution});
      diagonal = above;
    }
  }
  return row[b.size()];
}

namespace {

template <typename Range>
std::optional<std::string> closest_in(std::string_view word, const Range& candidates) {
  const std::size_t allowed = std::max<std::size_t>(1, (word.size() + 2) / 3);
  std::optional<std::string> best;
  std::size_t best_distance = allowed + 1;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    // A candidate that merely extends the word ("parti" -> "partition") is a good hint too.
    const bool is_prefix = word.size() >= 3 && std::string_view(candidate).starts_with(word);
    const std::size_t score = is_prefix ? std::min(distance, allowed) : distance;
    if (score < best_distance) {
      best_distance = score;
      best = std::string(candidate);
    }
  }
  return best;
}

}  // namespace

std::optional<std::string> closest_match(std::string_view word,
                                         std::span<const std::string_view> candidates) {
  return closest_in(word, candidates);
}

std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates) {
  return closest_in(word, candidates);
}

}  // namespace evt
