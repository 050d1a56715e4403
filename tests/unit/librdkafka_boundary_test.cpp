// SPDX-License-Identifier: MIT
// lib/evt/kafka is the only code that knows librdkafka (ARCHITECTURE.md): nothing else includes
// it, directly or through a header, calls it or names its constants. The build cannot check
// that alone (rdkafka.h is in /usr/include, on every target's path), so this test reads the
// sources.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace {

namespace fs = std::filesystem;

// Spelled in pieces, so that this file does not name what it looks for.
const std::string k_include_dir = std::string("lib") + "rdkafka/";
const std::regex k_include(R"(^\s*#\s*include\s*([<"])([^>"]+)[>"])");
const std::string k_prefix = std::string("rd_") + "kafka_";
const std::string k_constant_prefix = std::string("RD_") + "KAFKA_";
const std::regex k_name("\\b(" + k_prefix + "|" + k_constant_prefix + ")\\w*");

bool is_source(const fs::path& path) {
  const std::string ext = path.extension().string();
  return ext == ".cpp" || ext == ".hpp" || ext == ".h" || ext == ".cc" || ext == ".c";
}

/// Reads a source tree and says where code outside `lib/evt/kafka` reaches librdkafka.
class Boundary {
 public:
  explicit Boundary(fs::path root) : m_root(std::move(root)) {}

  /// "path:line: why" for each violation in the files under `dir` (relative to the root).
  std::vector<std::string> violations_under(const std::string& dir) {
    std::vector<std::string> out;
    if (!fs::exists(m_root / dir)) {
      return out;
    }
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(m_root / dir)) {
      if (entry.is_regular_file() && is_source(entry.path())) {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
      const std::string rel = fs::relative(file, m_root).generic_string();
      if (rel.starts_with("lib/evt/kafka/")) {
        continue;
      }
      check_file(file, rel, out);
    }
    return out;
  }

 private:
  void check_file(const fs::path& file, const std::string& rel, std::vector<std::string>& out) {
    std::ifstream in(file);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      const std::string where = rel + ":" + std::to_string(number) + ": ";
      std::smatch include;
      if (std::regex_search(line, include, k_include)) {
        const std::string target = include[2].str();
        if (target.starts_with(k_include_dir)) {
          out.push_back(where + "includes <" + target + ">");
        } else if (include[1].str() == "\"") {
          const std::optional<fs::path> header = resolve(target, file.parent_path());
          if (header) {
            if (const std::optional<std::string> via = reaches_librdkafka(*header)) {
              out.push_back(where + "includes \"" + target + "\", which includes librdkafka" +
                            *via);
            }
          }
        }
        continue;
      }
      std::smatch name;
      if (std::regex_search(line, name, k_name)) {
        out.push_back(where + "names " + name[0].str());
      }
    }
  }

  /// A quoted include as the build resolves it: lib/ (evt/...), the root (cmd/..., tests/...),
  /// or the including file's directory.
  std::optional<fs::path> resolve(const std::string& target, const fs::path& from) const {
    for (const fs::path& base : {m_root / "lib", m_root, from}) {
      const fs::path candidate = base / target;
      if (fs::is_regular_file(candidate)) {
        return fs::weakly_canonical(candidate);
      }
    }
    return std::nullopt;
  }

  /// nullopt when `header` reaches no librdkafka header; otherwise " (via a.hpp -> b.hpp)".
  std::optional<std::string> reaches_librdkafka(const fs::path& header) {
    const std::string key = header.string();
    if (auto known = m_reaches.find(key); known != m_reaches.end()) {
      return known->second;
    }
    m_reaches[key] = std::nullopt;  // an include cycle reaches nothing new
    std::optional<std::string> result;
    std::ifstream in(header);
    std::string line;
    while (!result && std::getline(in, line)) {
      std::smatch include;
      if (!std::regex_search(line, include, k_include)) {
        continue;
      }
      const std::string target = include[2].str();
      const std::string here = fs::relative(header, m_root).generic_string();
      if (target.starts_with(k_include_dir)) {
        result = " (via " + here + ")";
      } else if (include[1].str() == "\"") {
        if (const std::optional<fs::path> next = resolve(target, header.parent_path())) {
          if (const std::optional<std::string> via = reaches_librdkafka(*next)) {
            result = " (via " + here + " -> " + via->substr(6);
          }
        }
      }
    }
    m_reaches[key] = result;
    return result;
  }

  fs::path m_root;
  std::map<std::string, std::optional<std::string>> m_reaches;
};

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) {
    out += line + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE(
    "librdkafka boundary: only lib/evt/kafka includes librdkafka, calls it or names its constants",
    "[boundary]") {
  Boundary boundary{fs::path(EVT_SOURCE_DIR)};
  // tests/mock tests the kafka internals against librdkafka's mock cluster and may use
  // librdkafka itself (tests/CMakeLists.txt); bench/ has its librdkafka floor programs.
  std::vector<std::string> found;
  for (const char* dir : {"lib",
                          "cmd",
                          "tests/unit",
                          "tests/cli",
                          "tests/kafka",
                          "tests/support",
                          "tests/allocator",
                          "tests/fuzz"}) {
    const std::vector<std::string> here = boundary.violations_under(dir);
    found.insert(found.end(), here.begin(), here.end());
  }
  INFO(joined(found));
  CHECK(found.empty());
}

TEST_CASE("librdkafka boundary: the check finds direct and transitive uses", "[boundary]") {
  const fs::path root = fs::temp_directory_path() / "evt_librdkafka_boundary_test";
  fs::remove_all(root);
  const auto write = [&](const std::string& rel, const std::string& text) {
    fs::create_directories((root / rel).parent_path());
    std::ofstream(root / rel) << text;
  };
  const std::string rdkafka = "#include <" + k_include_dir + "rdkafka.h>\n";
  write("lib/evt/kafka/inner.hpp", rdkafka);
  write("lib/evt/kafka/outer.hpp", "#include \"evt/kafka/inner.hpp\"\n");
  write("lib/evt/kafka/clean.hpp", "struct " + k_prefix + "s;\n");
  write("lib/evt/kafka/client.cpp", rdkafka + "void f() { " + k_prefix + "version(); }\n");
  write("lib/evt/ops/direct.cpp", "// one\n" + rdkafka);
  write("lib/evt/ops/view.hpp", "#include \"evt/kafka/outer.hpp\"\n");
  write("lib/evt/ops/call.cpp",
        "#include \"evt/kafka/clean.hpp\"\nint v = " + k_prefix + "version();\n");
  write("cmd/constant.cpp", "int e = " + k_constant_prefix + "RESP_ERR_NO_ERROR;\n");

  Boundary boundary{root};
  std::vector<std::string> found = boundary.violations_under("lib");
  const std::vector<std::string> cmd = boundary.violations_under("cmd");
  found.insert(found.end(), cmd.begin(), cmd.end());
  fs::remove_all(root);

  INFO(joined(found));
  REQUIRE(found.size() == 4);
  CHECK(found[0] == "lib/evt/ops/call.cpp:2: names " + k_prefix + "version");
  CHECK(found[1] == "lib/evt/ops/direct.cpp:2: includes <" + k_include_dir + "rdkafka.h>");
  CHECK(found[2] ==
        "lib/evt/ops/view.hpp:1: includes \"evt/kafka/outer.hpp\", which includes librdkafka "
        "(via lib/evt/kafka/outer.hpp -> lib/evt/kafka/inner.hpp)");
  CHECK(found[3] == "cmd/constant.cpp:1: names " + k_constant_prefix + "RESP_ERR_NO_ERROR");
}
