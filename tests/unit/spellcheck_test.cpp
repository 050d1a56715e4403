// SPDX-License-Identifier: MIT
// Unit tests of the edit distance and "did you mean" suggestions.
#include "evt/spellcheck.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

TEST_CASE("spellcheck: edit distance", "[spellcheck]") {
  struct Case {
    const char* a;
    const char* b;
    std::size_t distance;
  };
  const std::vector<Case> cases = {
      {"", "", 0},
      {"a", "", 1},
      {"", "abc", 3},
      {"abc", "abc", 0},
      {"abc", "abd", 1},
      {"abc", "ab", 1},
      {"abc", "xabc", 1},
      {"abc", "acb", 2},  // plain Levenshtein: a transposition costs two
      {"kitten", "sitting", 3},
      {"flaw", "lawn", 2},
      {"saturday", "sunday", 3},
      {"beginning", "begining", 1},
      {"partition", "partiton", 1},
      {"abc", "xyz", 3},
      {"Key", "key", 1},
  };
  for (const Case& c : cases) {
    INFO(c.a << " / " << c.b);
    CHECK(evt::edit_distance(c.a, c.b) == c.distance);
    CHECK(evt::edit_distance(c.b, c.a) == c.distance);
  }
}

TEST_CASE("spellcheck: closest match", "[spellcheck]") {
  constexpr std::string_view k_fields[] = {
      "topic", "partition", "offset", "timestamp", "timestamp_type", "key", "value", "headers"};
  struct Case {
    const char* word;
    std::optional<std::string> expected;
  };
  const std::vector<Case> cases = {
      {"topc", "topic"},
      {"topics", "topic"},
      {"partiton", "partition"},
      {"parti", "partition"},  // a prefix of three letters or more is a good hint
      {"par", "partition"},
      {"timestamp_typ", "timestamp_type"},
      {"timestmp", "timestamp"},
      {"vaule", "value"},  // two edits in five letters
      {"ke", "key"},
      {"kye", std::nullopt},  // two edits in three letters is too far
      {"header", "headers"},
      {"HEADERS", std::nullopt},
      {"xyz", std::nullopt},
      {"pa", std::nullopt},  // too short for the prefix rule
      {"completely-different", std::nullopt},
      {"", std::nullopt},
  };
  for (const Case& c : cases) {
    INFO(c.word);
    CHECK(evt::closest_match(c.word, k_fields) == c.expected);
  }
}

TEST_CASE("spellcheck: the allowed distance grows with the word", "[spellcheck]") {
  // At most a third of the word's length, rounded up, and at least 1.
  struct Case {
    const char* word;
    const char* candidate;
    bool match;
  };
  const std::vector<Case> cases = {
      {"a", "b", true},
      {"ab", "xy", false},
      {"ab", "ax", true},
      {"abc", "axc", true},
      {"abc", "xyc", false},
      {"abcd", "abxy", true},
      {"abcdef", "abcdxy", true},
      {"abcdef", "abcxyz", false},
      {"abcdefg", "abcdxyz", true},
      {"abcdefg", "abcwxyz", false},
  };
  for (const Case& c : cases) {
    INFO(c.word << " / " << c.candidate);
    const std::vector<std::string> candidates = {c.candidate};
    CHECK(evt::closest_match(c.word, candidates).has_value() == c.match);
  }
}

TEST_CASE("spellcheck: the nearest candidate wins, the first on ties", "[spellcheck]") {
  const std::vector<std::string> candidates = {"production", "prod", "staging", "stage"};
  CHECK(evt::closest_match("prd", candidates) == std::optional<std::string>("prod"));
  CHECK(evt::closest_match("stagin", candidates) == std::optional<std::string>("staging"));
  CHECK(evt::closest_match("stag", candidates) == std::optional<std::string>("stage"));
  CHECK(evt::closest_match("produktion", candidates) == std::optional<std::string>("production"));
  CHECK(evt::closest_match("anything", std::vector<std::string>{}) == std::nullopt);
  constexpr std::string_view k_tied[] = {"cat", "bat"};
  CHECK(evt::closest_match("rat", k_tied) == std::optional<std::string>("cat"));
}
