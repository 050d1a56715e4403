// SPDX-License-Identifier: MIT
// Unit tests of the tables `evt inspect` prints for people.
#include "evt/format/table.hpp"

#include <sstream>
#include <string>

#include <catch2/catch.hpp>

namespace {

using evt::format::Table;

// The widest line of `text`, in columns (the test text is ASCII).
std::size_t widest_line(const std::string& text) {
  std::istringstream lines(text);
  std::size_t widest = 0;
  for (std::string line; std::getline(lines, line);) {
    widest = std::max(widest, line.size());
  }
  return widest;
}

Table topics() {
  Table table({"TOPIC", "PARTITIONS", "RECORDS", "STATUS"});
  table.add_row({"orders", "3", "1042", "ok"});
  table.add_row({"payments.settlement.europe.v2", "12", "7", "UNDER-REPLICATED"});
  return table;
}

}  // namespace

TEST_CASE("table: numbers right-aligned, text left-aligned, two spaces apart", "[table][unit]") {
  CHECK(topics().render(0, false) ==
        "TOPIC                          PARTITIONS  RECORDS  STATUS\n"
        "orders                                  3     1042  ok\n"
        "payments.settlement.europe.v2          12        7  UNDER-REPLICATED\n");
}

TEST_CASE("table: a narrow terminal truncates the widest text column with ...", "[table][unit]") {
  const std::string narrow = topics().render(50, false);
  CHECK(widest_line(narrow) == 50);
  CHECK(narrow ==
        "TOPIC        PARTITIONS  RECORDS  STATUS\n"
        "orders                3     1042  ok\n"
        "payments...          12        7  UNDER-REPLICATED\n");
  // Numbers are never cut, and text columns keep at least 8 columns: a very narrow terminal
  // gets lines longer than its width rather than a table of dots.
  const std::string tiny = topics().render(20, false);
  CHECK(tiny.find("1042") != std::string::npos);
  CHECK(tiny.find("UNDER...") != std::string::npos);
}

TEST_CASE("table: the header is bold only when asked (for terminals)", "[table][unit]") {
  CHECK(topics().render(0, false).find('\x1b') == std::string::npos);
  CHECK(topics().render(0, true).starts_with("\x1b[1mTOPIC"));
}

TEST_CASE("table: an explicit alignment wins over the numeric guess", "[table][unit]") {
  Table table({"PARTITION", "LEADER"});
  table.add_row({"0", "1"});
  table.add_row({"1", "none"});
  table.align(1, Table::Align::right);
  CHECK(table.render(0, false) ==
        "PARTITION  LEADER\n"
        "        0       1\n"
        "        1    none\n");
}
