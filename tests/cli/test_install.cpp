// SPDX-License-Identifier: MIT
// `cmake --install` into a temporary prefix puts the binary, the man pages and the completions
// where Debian (man, bash-completion, zsh, fish) looks for them.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/support/process.hpp"
#include <dirent.h>
#include <sys/stat.h>

namespace {

std::string parent_of(const std::string& path) {
  return path.substr(0, path.rfind('/'));
}

/// The build tree: EVT_BINARY is <build>/cmd/evt.
std::string build_dir() {
  return parent_of(parent_of(evt::test::evt_binary()));
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool is_file(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

bool is_executable(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) && (info.st_mode & S_IXUSR);
}

/// The man pages of the source tree that end in `.<section>`.
std::vector<std::string> source_pages(char section) {
  std::vector<std::string> pages;
  const std::string dir = evt::test::source_dir() + "/man";
  if (DIR* handle = ::opendir(dir.c_str())) {
    while (const dirent* entry = ::readdir(handle)) {
      const std::string name = entry->d_name;
      if (name.size() > 2 && name[name.size() - 2] == '.' && name.back() == section) {
        pages.push_back(name);
      }
    }
    ::closedir(handle);
  }
  std::sort(pages.begin(), pages.end());
  return pages;
}

}  // namespace

TEST_CASE("install: cmake --install puts everything where Debian looks", "[cli][install]") {
  evt::test::TempDir prefix;
  evt::test::RunOptions install_options;
  install_options.timeout = std::chrono::seconds(120);
  const auto installed = evt::test::run(
      {"cmake", "--install", build_dir(), "--prefix", prefix.path()}, install_options);
  INFO("cmake --install " << build_dir() << ":\n" << installed.out << installed.err);
  REQUIRE(installed.exit_code == 0);
  const std::string root = prefix.path();

  SECTION("the binary") {
    const std::string evt = root + "/bin/evt";
    REQUIRE(is_executable(evt));
    const auto version = evt::test::run({evt, "--version"});
    CHECK(version.exit_code == 0);
    CHECK(version.out.rfind("evt ", 0) == 0);
  }

  SECTION("the man pages, in man1 and man5, identical to the sources") {
    const std::string source = evt::test::source_dir() + "/man/";
    const auto section1 = source_pages('1');
    const auto section5 = source_pages('5');
    for (const char* page : {"evt.1",
                             "evt-produce.1",
                             "evt-consume.1",
                             "evt-inspect.1",
                             "evt-broker.1",
                             "evt-config.1"}) {
      INFO(page);
      CHECK(std::find(section1.begin(), section1.end(), page) != section1.end());
    }
    CHECK(section5 == std::vector<std::string>{"evt-config.5"});
    for (const std::string& page : section1) {
      const std::string path = root + "/share/man/man1/" + page;
      INFO(path);
      REQUIRE(is_file(path));
      CHECK(read_file(path) == read_file(source + page));
      CHECK_FALSE(is_file(root + "/share/man/man5/" + page));
    }
    for (const std::string& page : section5) {
      const std::string path = root + "/share/man/man5/" + page;
      INFO(path);
      REQUIRE(is_file(path));
      CHECK(read_file(path) == read_file(source + page));
      CHECK_FALSE(is_file(root + "/share/man/man1/" + page));
    }
    // man finds them by name and section in the installed tree.
    const auto found = evt::test::run({"man", "-M", root + "/share/man", "-w", "5", "evt-config"});
    INFO(found.err);
    CHECK(found.out == root + "/share/man/man5/evt-config.5\n");
  }

  SECTION("the completions, identical to the sources") {
    const std::string source = evt::test::source_dir() + "/completions/";
    const std::vector<std::pair<std::string, std::string>> files = {
        {"/share/bash-completion/completions/evt", "evt.bash"},
        {"/share/zsh/vendor-completions/_evt", "_evt"},
        {"/share/fish/vendor_completions.d/evt.fish", "evt.fish"},
    };
    for (const auto& [installed_path, name] : files) {
      INFO(root + installed_path);
      REQUIRE(is_file(root + installed_path));
      CHECK(read_file(root + installed_path) == read_file(source + name));
    }
  }

  SECTION("bash-completion and fish load the completions from the prefix by themselves") {
    const std::string path =
        root + "/bin:" + std::string(std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin");
    evt::test::RunOptions options;
    options.env = {{"XDG_DATA_DIRS", root + "/share:/usr/share"},
                   {"XDG_DATA_HOME", root + "/xdg-data"},
                   {"XDG_CONFIG_HOME", root + "/xdg-config"},
                   {"BASH_COMPLETION_USER_DIR", root + "/no-user-completions"},
                   {"PATH", path}};
    const auto bash = evt::test::run({"bash",
                                      "--norc",
                                      "--noprofile",
                                      "-c",
                                      "source /usr/share/bash-completion/bash_completion && "
                                      "_completion_loader evt; complete -p evt"},
                                     options);
    INFO("bash: " << bash.out << bash.err);
    CHECK(bash.out == "complete -F _evt evt\n");
    // Not --no-config: fish's own startup adds $XDG_DATA_DIRS/fish/vendor_completions.d to
    // fish_complete_path (the user's configuration is kept out by XDG_CONFIG_HOME).
    const auto fish = evt::test::run({"fish", "-c", "complete -C 'evt produce --comp'"}, options);
    INFO("fish: " << fish.out << fish.err);
    CHECK(fish.out.rfind("--compression\t", 0) == 0);
  }
}

TEST_CASE("install: cpack builds a .deb with the binary, docs and library dependencies",
          "[cli][install]") {
  evt::test::TempDir out;
  evt::test::RunOptions options;
  options.timeout = std::chrono::minutes(3);
  const auto packed = evt::test::run(
      {"cpack", "-G", "DEB", "--config", build_dir() + "/CPackConfig.cmake", "-B", out.path()},
      options);
  INFO(packed.out << packed.err);
  REQUIRE(packed.exit_code == 0);
  const auto listed = evt::test::run({"/bin/sh", "-c", "ls " + out.path() + "/*.deb"});
  REQUIRE(listed.exit_code == 0);
  const std::string deb = listed.out.substr(0, listed.out.find('\n'));
  const auto info = evt::test::run({"dpkg-deb", "--info", deb});
  REQUIRE(info.exit_code == 0);
  CHECK_THAT(info.out, Catch::Contains("Package: evt"));
  // Every shared library the binary needs is a dependency of the package: librdkafka1 when it
  // is linked shared (-DEVT_STATIC_KAFKA=OFF), libsasl2-2 when librdkafka is linked in.
  const auto needed = evt::test::run({"readelf", "-d", evt::test::evt_binary()});
  REQUIRE(needed.exit_code == 0);
  CHECK_THAT(info.out, Catch::Contains("libc6"));
  if (needed.out.find("librdkafka.so") != std::string::npos) {
    CHECK_THAT(info.out, Catch::Contains("librdkafka1"));
  }
  if (needed.out.find("libsasl2.so") != std::string::npos) {
    CHECK_THAT(info.out, Catch::Contains("libsasl2-2"));
  }
  // Packed relative relocations (DT_RELR) load only with glibc 2.36 or later.
  if (needed.out.find("(RELR)") != std::string::npos) {
    CHECK_THAT(info.out, Catch::Contains("libc6 (>= 2.36)"));
  }
  // The schema registry client dlopens libcurl.so.4.
  CHECK_THAT(info.out, Catch::Contains("libcurl4"));
  // A binary that defines malloc loads mimalloc when it is installed: recommended, not needed.
  const auto symbols = evt::test::run({"nm", "-D", "--defined-only", evt::test::evt_binary()});
  REQUIRE(symbols.exit_code == 0);
  if (symbols.out.find(" T malloc\n") != std::string::npos) {
    CHECK_THAT(info.out, Catch::Contains("Recommends: libmimalloc2.0"));
  }
  // libjq is loaded for jq expressions only: recommended, and never linked.
  const std::size_t recommends = info.out.find("Recommends: ");
  REQUIRE(recommends != std::string::npos);
  CHECK_THAT(info.out.substr(recommends, info.out.find('\n', recommends) - recommends),
             Catch::Contains("libjq1"));
  CHECK_THAT(needed.out, !Catch::Contains("libjq"));
  const auto contents = evt::test::run({"dpkg-deb", "--contents", deb});
  CHECK_THAT(contents.out, Catch::Contains("./usr/bin/evt"));
  CHECK_THAT(contents.out, Catch::Contains("./usr/share/man/man1/evt-replay.1"));
  CHECK_THAT(contents.out, Catch::Contains("./usr/share/bash-completion/completions/evt"));
}
