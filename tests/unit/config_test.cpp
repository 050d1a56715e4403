// SPDX-License-Identifier: MIT
// Unit tests of the YAML config file parser and of the (pure) configuration resolver.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "evt/config/config_file.hpp"
#include "evt/config/resolve.hpp"
#include "evt/error.hpp"

#include <unistd.h>

namespace {

using evt::config::ConfigFile;
using evt::config::Env;
using evt::config::FlagSettings;
using evt::config::ResolvedConfig;
using evt::config::Source;

const char* const k_config_text = R"(# a comment
current-context: local
contexts:
  local:
    brokers: localhost:9092
  prod:
    brokers: [prod-1:9093, prod-2:9093]
    security-protocol: SASL_SSL
    sasl:
      mechanism: SCRAM-SHA-512
      username: alice
      password-env: PROD_PW
    tls:
      ca: /etc/ca.pem
      cert: /etc/cert.pem
      key: /etc/key.pem
      key-password-file: /secrets/key-password
    properties:
      client.id: evt-alice
      linger.ms: 5
      bootstrap.servers: overridden-by-brokers:1
  staging:
    brokers: staging:9092
    sasl:
      username: bob
      password-file: /secrets/staging
  dev:
    brokers: dev:9092
    sasl:
      username: carol
      password: inline-secret
    tls:
      key-password-env: DEV_KEY_PW
  empty:
)";

ConfigFile sample_file() {
  auto file = evt::config::parse_config_file(k_config_text, "/home/u/.config/evt/config.yaml");
  REQUIRE(file.ok());
  return *file;
}

// A fake secret-file reader: knows two files, records what was asked.
struct FakeSecrets {
  std::vector<std::string> asked;
  evt::config::SecretFileReader reader() {
    return [this](const std::string& path) -> evt::Result<std::string> {
      asked.push_back(path);
      if (path == "/secrets/staging") {
        return std::string("staging-secret");
      }
      if (path == "/secrets/sr") {
        return std::string("sr-secret");
      }
      if (path == "/secrets/key-password") {
        return std::string("key-secret");
      }
      return evt::fail(evt::ErrorKind::usage, "no such file or not readable");
    };
  }
};

std::string setting(const ResolvedConfig& config, const std::string& name) {
  auto it = config.properties.find(name);
  return it == config.properties.end() ? "<unset>" : it->second.value;
}

Source source_of(const ResolvedConfig& config, const std::string& name) {
  auto it = config.properties.find(name);
  REQUIRE(it != config.properties.end());
  return it->second.source;
}

bool is_secret(const ResolvedConfig& config, const std::string& name) {
  auto it = config.properties.find(name);
  REQUIRE(it != config.properties.end());
  return it->second.secret;
}

}  // namespace

TEST_CASE("config: parses contexts and every key", "[config]") {
  const ConfigFile file = sample_file();
  CHECK(file.path == "/home/u/.config/evt/config.yaml");
  CHECK(file.current_context == std::optional<std::string>("local"));
  CHECK(file.warnings.empty());
  REQUIRE(file.contexts.size() == 5);

  const auto& local = file.contexts.at("local");
  CHECK(local.brokers == std::optional<std::string>("localhost:9092"));
  CHECK_FALSE(local.security_protocol);
  CHECK_FALSE(local.username);
  CHECK(local.properties.empty());

  const auto& prod = file.contexts.at("prod");
  CHECK(prod.brokers == std::optional<std::string>("prod-1:9093,prod-2:9093"));
  CHECK(prod.security_protocol == std::optional<std::string>("SASL_SSL"));
  CHECK(prod.sasl_mechanism == std::optional<std::string>("SCRAM-SHA-512"));
  CHECK(prod.username == std::optional<std::string>("alice"));
  CHECK_FALSE(prod.password);
  CHECK(prod.password_env == std::optional<std::string>("PROD_PW"));
  CHECK_FALSE(prod.password_file);
  CHECK(prod.ca_file == std::optional<std::string>("/etc/ca.pem"));
  CHECK(prod.cert_file == std::optional<std::string>("/etc/cert.pem"));
  CHECK(prod.key_file == std::optional<std::string>("/etc/key.pem"));
  CHECK(prod.key_password_file == std::optional<std::string>("/secrets/key-password"));
  CHECK(prod.properties ==
        std::map<std::string, std::string>{{"client.id", "evt-alice"},
                                           {"linger.ms", "5"},
                                           {"bootstrap.servers", "overridden-by-brokers:1"}});

  const auto& staging = file.contexts.at("staging");
  CHECK(staging.password_file == std::optional<std::string>("/secrets/staging"));
  const auto& dev = file.contexts.at("dev");
  CHECK(dev.password == std::optional<std::string>("inline-secret"));
  CHECK(dev.key_password_env == std::optional<std::string>("DEV_KEY_PW"));
  const auto& empty = file.contexts.at("empty");
  CHECK_FALSE(empty.brokers);

  CHECK_FALSE(evt::config::holds_inline_secret(local));
  CHECK_FALSE(evt::config::holds_inline_secret(prod));
  CHECK_FALSE(evt::config::holds_inline_secret(staging));
  CHECK(evt::config::holds_inline_secret(dev));
}

TEST_CASE("config: empty and comment-only files", "[config]") {
  for (const char* text : {"", "# nothing here\n", "\n\n"}) {
    auto file = evt::config::parse_config_file(text, "c.yaml");
    REQUIRE(file.ok());
    CHECK(file->contexts.empty());
    CHECK_FALSE(file->current_context);
    CHECK(file->warnings.empty());
  }
}

TEST_CASE("config: holds_inline_secret", "[config]") {
  evt::config::Context ctx;
  CHECK_FALSE(evt::config::holds_inline_secret(ctx));
  ctx.password_env = "X";
  ctx.password_file = "/f";
  ctx.key_password_env = "Y";
  ctx.properties["client.id"] = "x";
  CHECK_FALSE(evt::config::holds_inline_secret(ctx));
  SECTION("inline password") {
    ctx.password = "p";
    CHECK(evt::config::holds_inline_secret(ctx));
  }
  SECTION("inline key password") {
    ctx.key_password = "p";
    CHECK(evt::config::holds_inline_secret(ctx));
  }
  SECTION("secret librdkafka properties") {
    ctx.properties["sasl.oauthbearer.client.secret"] = "s";
    CHECK(evt::config::holds_inline_secret(ctx));
  }
  SECTION("password librdkafka properties") {
    ctx.properties["ssl.keystore.password"] = "s";
    CHECK(evt::config::holds_inline_secret(ctx));
  }
}

TEST_CASE("config: malformed YAML names path, line and column", "[config]") {
  struct Case {
    const char* text;
    const char* location;  // path:line:col
  };
  const std::vector<Case> cases = {
      {"contexts:\n  local:\n    brokers: [a, b\n", "cfg.yaml:4:1"},
      {"current-context: local\ncontexts: {a: 1\n", "cfg.yaml:3:1"},
      {"a: b\n  c: d\n", "cfg.yaml:2:4"},
      {"contexts:\n  local: {brokers: a\n", "cfg.yaml:3:1"},
      {"\t- a\n", "cfg.yaml:1:2"},
      {"contexts:\n  a: *nope\n", "cfg.yaml:2:6"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto file = evt::config::parse_config_file(c.text, "cfg.yaml");
    REQUIRE_FALSE(file.ok());
    CHECK(file.error().kind == evt::ErrorKind::usage);
    CHECK_THAT(file.error().message,
               Catch::Matchers::Matches(R"(cfg\.yaml:[0-9]+:[0-9]+: malformed YAML: .+)"));
    CHECK_THAT(file.error().message, Catch::Matchers::StartsWith(c.location));
    CHECK_THAT(file.error().hint, Catch::Matchers::Contains("--config"));
  }
}

TEST_CASE("config: a context or a context's key given twice is an error", "[config]") {
  // YAML keeps both of two equal keys; the second would silently replace the first.
  auto contexts = evt::config::parse_config_file(
      "contexts:\n  dev:\n    brokers: a:1\n  prod:\n    brokers: p:1\n  dev:\n    brokers: b:1\n",
      "c.yaml");
  REQUIRE_FALSE(contexts.ok());
  CHECK(contexts.error().kind == evt::ErrorKind::usage);
  CHECK(contexts.error().message ==
        "c.yaml:6:3: context \"dev\" is defined twice (first at line 2)");
  auto keys = evt::config::parse_config_file(
      "contexts:\n  dev:\n    brokers: a:1\n    brokers: b:1\n", "c.yaml");
  REQUIRE_FALSE(keys.ok());
  CHECK(keys.error().message ==
        "c.yaml:4:5: \"brokers\" appears twice in context \"dev\" (first at line 3)");
}

TEST_CASE("config: wrong types name path, line and column", "[config]") {
  struct Case {
    const char* text;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"- a\n- b\n", "c.yaml:1:1: the config file must be a YAML mapping"},
      {"just text\n", "c.yaml:1:1: the config file must be a YAML mapping"},
      {"current-context: [a]\n", "c.yaml:1:18: \"current-context\" must be a single value"},
      {"current-context:\n", "\"current-context\" must be a single value"},
      {"contexts: [a, b]\n", "c.yaml:1:11: \"contexts\" must be a mapping of names to contexts"},
      {"contexts:\n  x: 5\n", "c.yaml:2:6: context \"x\" must be a mapping"},
      {"contexts:\n  x:\n    brokers: {a: 1}\n", "c.yaml:3:14: \"brokers\" must be a single value"},
      {"contexts:\n  x:\n    brokers: [a, [b]]\n", "c.yaml:3:18: each broker must be host:port"},
      {"contexts:\n  x:\n    security-protocol: [a]\n",
       "c.yaml:3:24: \"security-protocol\" must be a single value"},
      {"contexts:\n  x:\n    sasl: plain\n", "c.yaml:3:11: \"sasl\" must be a mapping"},
      {"contexts:\n  x:\n    tls: [a]\n", "c.yaml:3:10: \"tls\" must be a mapping"},
      {"contexts:\n  x:\n    sasl:\n      username: [a]\n",
       "c.yaml:4:17: \"username\" must be a single value"},
      {"contexts:\n  x:\n    tls:\n      ca: {a: b}\n",
       "c.yaml:4:11: \"ca\" must be a single value"},
      {"contexts:\n  x:\n    properties: [a]\n",
       "c.yaml:3:17: \"properties\" must be a mapping of librdkafka properties"},
      {"contexts:\n  x:\n    properties:\n      linger.ms: [1]\n",
       "c.yaml:4:18: \"linger.ms\" must be a single value"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto file = evt::config::parse_config_file(c.text, "c.yaml");
    REQUIRE_FALSE(file.ok());
    CHECK(file.error().kind == evt::ErrorKind::usage);
    CHECK_THAT(file.error().message, Catch::Matchers::Contains(c.message));
  }
  SECTION("a key that is not a scalar") {
    auto file = evt::config::parse_config_file("contexts:\n  ? [a]\n  : b\n", "c.yaml");
    REQUIRE_FALSE(file.ok());
    CHECK_THAT(file.error().message, Catch::Matchers::StartsWith("c.yaml:2:5: "));
  }
}

TEST_CASE("config: unknown keys are warnings naming the key", "[config]") {
  struct Case {
    const char* text;
    std::vector<std::string> warnings;
  };
  const std::vector<Case> cases = {
      {"contxts: {}\n",
       {R"(c.yaml:1:1: unknown key "contxts" in the top level (did you mean "contexts"?))"}},
      {"current_context: a\n",
       {R"(c.yaml:1:1: unknown key "current_context" in the top level (did you mean "current-context"?))"}},
      {"colour: always\n", {R"(c.yaml:1:1: unknown key "colour" in the top level)"}},
      {"contexts:\n  x:\n    broker: a:1\n",
       {R"(c.yaml:3:5: unknown key "broker" in context "x" (did you mean "brokers"?))"}},
      {"contexts:\n  x:\n    sasl:\n      pasword: p\n      user: u\n      token: t\n",
       {R"(c.yaml:4:7: unknown key "pasword" in sasl (did you mean "password"?))",
        R"(c.yaml:5:7: unknown key "user" in sasl (did you mean "username"?))",
        R"(c.yaml:6:7: unknown key "token" in sasl)"}},
      {"contexts:\n  x:\n    tls:\n      crt: /c\n",
       {R"(c.yaml:4:7: unknown key "crt" in tls (did you mean "cert"?))"}},
      {"contexts:\n  a:\n    zzz: 1\n  b:\n    yyy: 2\n",
       {R"(c.yaml:3:5: unknown key "zzz" in context "a")",
        R"(c.yaml:5:5: unknown key "yyy" in context "b")"}},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto file = evt::config::parse_config_file(c.text, "c.yaml");
    REQUIRE(file.ok());
    CHECK(file->warnings == c.warnings);
  }
  SECTION("the known parts of the file still apply") {
    auto file =
        evt::config::parse_config_file("contexts:\n  x:\n    broker: a:1\n    brokers: b:2\n", "c");
    REQUIRE(file.ok());
    CHECK(file->contexts.at("x").brokers == std::optional<std::string>("b:2"));
    CHECK(file->warnings.size() == 1);
  }
}

TEST_CASE("config: precedence file < env < flags < -X", "[config]") {
  const ConfigFile file = sample_file();
  struct Case {
    const char* what;
    bool with_file;
    Env env;
    FlagSettings flags;
    std::string brokers;
    Source source;
  };
  const std::vector<Case> cases = {
      {"file", true, {}, {}, "localhost:9092", Source::file},
      {"env over file", true, {{"EVT_BROKERS", "env:1"}}, {}, "env:1", Source::env},
      {"empty env is unset", true, {{"EVT_BROKERS", ""}}, {}, "localhost:9092", Source::file},
      {"flag over env",
       true,
       {{"EVT_BROKERS", "env:1"}},
       {"flag:1", {}, {}, {}, {}},
       "flag:1",
       Source::flag},
      {"-X over flag",
       true,
       {{"EVT_BROKERS", "env:1"}},
       {"flag:1", {}, {}, {"bootstrap.servers=x:1"}, {}},
       "x:1",
       Source::property_flag},
      {"-X over file",
       true,
       {},
       {{}, {}, {}, {"bootstrap.servers=x:1"}, {}},
       "x:1",
       Source::property_flag},
      {"last -X wins",
       true,
       {},
       {{}, {}, {}, {"bootstrap.servers=x:1", "bootstrap.servers=x:2"}, {}},
       "x:2",
       Source::property_flag},
      {"env without file", false, {{"EVT_BROKERS", "env:1"}}, {}, "env:1", Source::env},
      {"flag without file", false, {}, {"flag:1", {}, {}, {}, {}}, "flag:1", Source::flag},
      {"context brokers beat the context's properties",
       true,
       {{"EVT_CONTEXT", "prod"}, {"PROD_PW", "pw"}},
       {},
       "prod-1:9093,prod-2:9093",
       Source::file},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    FakeSecrets secrets;
    auto config =
        evt::config::resolve(c.with_file ? &file : nullptr, c.env, c.flags, secrets.reader());
    INFO((config ? "" : config.error().message));
    REQUIRE(config.ok());
    CHECK(config->has_brokers());
    CHECK(config->brokers() == c.brokers);
    CHECK(source_of(*config, "bootstrap.servers") == c.source);
    CHECK_FALSE(is_secret(*config, "bootstrap.servers"));
  }
  SECTION("nothing configured anywhere") {
    FakeSecrets secrets;
    auto config = evt::config::resolve(nullptr, {}, {}, secrets.reader());
    REQUIRE(config.ok());
    CHECK_FALSE(config->has_brokers());
    CHECK(config->brokers().empty());
    CHECK_FALSE(config->context);
    CHECK(config->properties.empty());
    CHECK(config->timeout == std::chrono::milliseconds(10'000));
    CHECK_FALSE(config->timeout_given);
    CHECK(secrets.asked.empty());
  }
}

TEST_CASE("config: every EVT_ variable against the file and -X", "[config]") {
  const ConfigFile file = sample_file();
  FakeSecrets secrets;
  const Env env = {{"EVT_CONTEXT", "prod"},
                   {"PROD_PW", "from-prod-pw"},
                   {"EVT_SECURITY_PROTOCOL", "SASL_PLAINTEXT"},
                   {"EVT_SASL_MECHANISM", "PLAIN"},
                   {"EVT_SASL_USERNAME", "env-user"},
                   {"EVT_SASL_PASSWORD", "env-password"}};
  SECTION("env beats the file") {
    auto config = evt::config::resolve(&file, env, {}, secrets.reader());
    REQUIRE(config.ok());
    CHECK(setting(*config, "security.protocol") == "sasl_plaintext");
    CHECK(source_of(*config, "security.protocol") == Source::env);
    CHECK(setting(*config, "sasl.mechanisms") == "PLAIN");
    CHECK(source_of(*config, "sasl.mechanisms") == Source::env);
    CHECK(setting(*config, "sasl.username") == "env-user");
    CHECK(source_of(*config, "sasl.username") == Source::env);
    CHECK(setting(*config, "sasl.password") == "env-password");
    CHECK(source_of(*config, "sasl.password") == Source::env);
    CHECK(is_secret(*config, "sasl.password"));
    // The file still supplies what the environment does not.
    CHECK(setting(*config, "client.id") == "evt-alice");
    CHECK(source_of(*config, "client.id") == Source::file);
    CHECK(setting(*config, "ssl.ca.location") == "/etc/ca.pem");
  }
  SECTION("-X beats env") {
    FlagSettings flags;
    flags.properties = {"sasl.username=x-user",
                        "sasl.password=x-password",
                        "client.id=x-id",
                        "security.protocol=ssl"};
    auto config = evt::config::resolve(&file, env, flags, secrets.reader());
    REQUIRE(config.ok());
    CHECK(setting(*config, "sasl.username") == "x-user");
    CHECK(source_of(*config, "sasl.username") == Source::property_flag);
    CHECK(setting(*config, "sasl.password") == "x-password");
    CHECK(source_of(*config, "sasl.password") == Source::property_flag);
    CHECK(is_secret(*config, "sasl.password"));
    CHECK(setting(*config, "client.id") == "x-id");
    CHECK(setting(*config, "security.protocol") == "ssl");
  }
}

TEST_CASE("config: the file's context settings become librdkafka properties", "[config]") {
  const ConfigFile file = sample_file();
  FakeSecrets secrets;
  FlagSettings flags;
  flags.context = "prod";
  auto config = evt::config::resolve(&file, {{"PROD_PW", "pw"}}, flags, secrets.reader());
  REQUIRE(config.ok());
  struct Expected {
    const char* name;
    const char* value;
    bool secret;
  };
  const std::vector<Expected> expected = {
      {"bootstrap.servers", "prod-1:9093,prod-2:9093", false},
      {"security.protocol", "sasl_ssl", false},  // lower-cased for librdkafka
      {"sasl.mechanisms", "SCRAM-SHA-512", false},
      {"sasl.username", "alice", false},
      {"sasl.password", "pw", true},
      {"ssl.ca.location", "/etc/ca.pem", false},
      {"ssl.certificate.location", "/etc/cert.pem", false},
      {"ssl.key.location", "/etc/key.pem", false},
      {"ssl.key.password", "key-secret", true},
      {"client.id", "evt-alice", false},
      {"linger.ms", "5", false},
  };
  for (const Expected& e : expected) {
    INFO(e.name);
    CHECK(setting(*config, e.name) == e.value);
    CHECK(is_secret(*config, e.name) == e.secret);
  }
  CHECK(config->properties.size() == expected.size());
  CHECK(secrets.asked == std::vector<std::string>{"/secrets/key-password"});
}

TEST_CASE("config: context selection", "[config]") {
  const ConfigFile file = sample_file();
  struct Case {
    const char* what;
    Env env;
    std::optional<std::string> flag;
    std::string context;
    Source source;
    std::string brokers;
  };
  const std::vector<Case> cases = {
      {"current-context", {}, std::nullopt, "local", Source::file, "localhost:9092"},
      {"EVT_CONTEXT over current-context",
       {{"EVT_CONTEXT", "staging"}},
       std::nullopt,
       "staging",
       Source::env,
       "staging:9092"},
      {"empty EVT_CONTEXT is unset",
       {{"EVT_CONTEXT", ""}},
       std::nullopt,
       "local",
       Source::file,
       "localhost:9092"},
      {"--context over EVT_CONTEXT",
       {{"EVT_CONTEXT", "staging"}},
       "local",
       "local",
       Source::flag,
       "localhost:9092"},
      {"--context over current-context", {}, "staging", "staging", Source::flag, "staging:9092"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    FakeSecrets secrets;
    FlagSettings flags;
    flags.context = c.flag;
    auto config = evt::config::resolve(&file, c.env, flags, secrets.reader());
    INFO((config ? "" : config.error().message));
    REQUIRE(config.ok());
    CHECK(config->context == std::optional<std::string>(c.context));
    CHECK(config->context_source == c.source);
    CHECK(config->brokers() == c.brokers);
  }
  SECTION("a file without current-context uses no context") {
    auto bare = evt::config::parse_config_file("contexts:\n  a:\n    brokers: a:1\n", "c.yaml");
    REQUIRE(bare.ok());
    FakeSecrets secrets;
    auto config = evt::config::resolve(&*bare, {}, {}, secrets.reader());
    REQUIRE(config.ok());
    CHECK_FALSE(config->context);
    CHECK(config->context_source == Source::default_value);
    CHECK_FALSE(config->has_brokers());
  }
  SECTION("an empty context applies nothing") {
    FakeSecrets secrets;
    FlagSettings flags;
    flags.context = "empty";
    auto config = evt::config::resolve(&file, {}, flags, secrets.reader());
    REQUIRE(config.ok());
    CHECK(config->context == std::optional<std::string>("empty"));
    CHECK(config->properties.empty());
  }
}

TEST_CASE("config: unknown contexts are usage errors with a hint", "[config]") {
  const ConfigFile file = sample_file();
  struct Case {
    const char* what;
    const ConfigFile* file;
    Env env;
    std::optional<std::string> flag;
    std::string message;
    std::string hint;
  };
  const std::vector<Case> cases = {
      {"typo in --context",
       &file,
       {},
       "prd",
       R"(context "prd" (from flag) is not in the config file)",
       R"(did you mean "prod"?)"},
      {"typo in EVT_CONTEXT",
       &file,
       {{"EVT_CONTEXT", "stagin"}},
       std::nullopt,
       R"(context "stagin" (from env) is not in the config file)",
       R"(did you mean "staging"?)"},
      {"nothing close",
       &file,
       {},
       "zzzzzz",
       R"(context "zzzzzz" (from flag) is not in the config file)",
       "contexts in /home/u/.config/evt/config.yaml: dev, empty, local, prod, staging"},
      {"no config file",
       nullptr,
       {{"EVT_CONTEXT", "prod"}},
       std::nullopt,
       R"(context "prod" (from env) is not in the config file)",
       "no config file found; create one with 'evt config init'"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    FakeSecrets secrets;
    FlagSettings flags;
    flags.context = c.flag;
    auto config = evt::config::resolve(c.file, c.env, flags, secrets.reader());
    REQUIRE_FALSE(config.ok());
    CHECK(config.error().kind == evt::ErrorKind::usage);
    CHECK(config.error().message == c.message);
    CHECK(config.error().hint == c.hint);
  }
  SECTION("current-context naming a missing context") {
    auto broken = evt::config::parse_config_file(
        "current-context: lcoal\ncontexts:\n  local:\n    brokers: a:1\n", "c.yaml");
    REQUIRE(broken.ok());
    FakeSecrets secrets;
    auto config = evt::config::resolve(&*broken, {}, {}, secrets.reader());
    REQUIRE_FALSE(config.ok());
    CHECK(config.error().message == R"(context "lcoal" (from file) is not in the config file)");
    CHECK(config.error().hint == R"(did you mean "local"?)");
  }
  SECTION("a file with no contexts says so") {
    auto none = evt::config::parse_config_file("current-context: x\n", "c.yaml");
    REQUIRE(none.ok());
    FakeSecrets secrets;
    auto config = evt::config::resolve(&*none, {}, {}, secrets.reader());
    REQUIRE_FALSE(config.ok());
    CHECK(config.error().hint == "contexts in c.yaml: none");
  }
}

TEST_CASE("config: SASL password from env, file or inline", "[config]") {
  const ConfigFile file = sample_file();
  SECTION("password-env set") {
    FakeSecrets secrets;
    auto config = evt::config::resolve(
        &file, {{"EVT_CONTEXT", "prod"}, {"PROD_PW", "s3cret"}}, {}, secrets.reader());
    REQUIRE(config.ok());
    CHECK(setting(*config, "sasl.password") == "s3cret");
    CHECK(source_of(*config, "sasl.password") == Source::env);
    CHECK(is_secret(*config, "sasl.password"));
  }
  SECTION("password-env unset or empty") {
    for (const Env& env :
         {Env{{"EVT_CONTEXT", "prod"}}, Env{{"EVT_CONTEXT", "prod"}, {"PROD_PW", ""}}}) {
      FakeSecrets secrets;
      auto config = evt::config::resolve(&file, env, {}, secrets.reader());
      REQUIRE_FALSE(config.ok());
      CHECK(config.error().kind == evt::ErrorKind::usage);
      CHECK(config.error().message ==
            "the SASL password comes from environment variable PROD_PW, which is not set");
      CHECK(config.error().hint == "export PROD_PW=... before running evt");
    }
  }
  SECTION("password-file through the injected reader") {
    FakeSecrets secrets;
    FlagSettings flags;
    flags.context = "staging";
    auto config = evt::config::resolve(&file, {}, flags, secrets.reader());
    REQUIRE(config.ok());
    CHECK(secrets.asked == std::vector<std::string>{"/secrets/staging"});
    CHECK(setting(*config, "sasl.password") == "staging-secret");
    CHECK(source_of(*config, "sasl.password") == Source::file);
    CHECK(is_secret(*config, "sasl.password"));
    CHECK(setting(*config, "sasl.username") == "bob");
  }
  SECTION("password-file that cannot be read") {
    auto other = evt::config::parse_config_file(
        "contexts:\n  x:\n    sasl:\n      password-file: /missing\n", "c.yaml");
    REQUIRE(other.ok());
    FakeSecrets secrets;
    FlagSettings flags;
    flags.context = "x";
    auto config = evt::config::resolve(&*other, {}, flags, secrets.reader());
    REQUIRE_FALSE(config.ok());
    CHECK(config.error().kind == evt::ErrorKind::usage);
    CHECK(config.error().message ==
          "cannot read the SASL password from /missing: no such file or not readable");
    // The secret's value is never in the message; the path is.
    CHECK(secrets.asked == std::vector<std::string>{"/missing"});
  }
  SECTION("inline password, and a key password from env") {
    FakeSecrets secrets;
    FlagSettings flags;
    flags.context = "dev";
    auto config = evt::config::resolve(&file, {{"DEV_KEY_PW", "kp"}}, flags, secrets.reader());
    REQUIRE(config.ok());
    CHECK(setting(*config, "sasl.password") == "inline-secret");
    CHECK(source_of(*config, "sasl.password") == Source::file);
    CHECK(setting(*config, "ssl.key.password") == "kp");
    CHECK(is_secret(*config, "ssl.key.password"));
    CHECK(secrets.asked.empty());
  }
  SECTION("key password env unset") {
    FakeSecrets secrets;
    FlagSettings flags;
    flags.context = "dev";
    auto config = evt::config::resolve(&file, {}, flags, secrets.reader());
    REQUIRE_FALSE(config.ok());
    CHECK(config.error().message ==
          "the TLS key password comes from environment variable DEV_KEY_PW, which is not set");
  }
  SECTION("the password env variable is only read for the context in use") {
    FakeSecrets secrets;
    auto config = evt::config::resolve(&file, {}, {}, secrets.reader());  // local
    REQUIRE(config.ok());
    CHECK(config->properties.count("sasl.password") == 0);
  }
}

TEST_CASE("config: secret properties are flagged", "[config]") {
  struct Case {
    const char* name;
    bool secret;
  };
  const std::vector<Case> cases = {
      {"sasl.password", true},
      {"ssl.key.password", true},
      {"ssl.keystore.password", true},
      {"sasl.oauthbearer.client.secret", true},
      {"sasl.oauthbearer.config", true},
      {"sasl.oauthbearer.extensions", true},
      {"sasl.jaas.config", true},
      {"ssl.key.pem", true},
      {"ssl_key", true},
      {"bootstrap.servers", false},
      {"sasl.username", false},
      {"sasl.mechanisms", false},
      {"ssl.key.location", false},
      {"ssl.certificate.pem", false},
      {"client.id", false},
      {"sasl.oauthbearer.token.endpoint.url", false},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(evt::config::is_secret_property(c.name) == c.secret);
    FakeSecrets secrets;
    FlagSettings flags;
    flags.properties = {std::string(c.name) + "=value"};
    auto config = evt::config::resolve(nullptr, {}, flags, secrets.reader());
    REQUIRE(config.ok());
    CHECK(is_secret(*config, c.name) == c.secret);
  }
}

TEST_CASE("config: -X key=value", "[config]") {
  SECTION("valid forms") {
    struct Case {
      const char* property;
      const char* name;
      const char* value;
    };
    const std::vector<Case> cases = {
        {"linger.ms=10", "linger.ms", "10"},
        {"a=b=c", "a", "b=c"},
        {"client.id=", "client.id", ""},
        {"x= spaced ", "x", " spaced "},
    };
    for (const Case& c : cases) {
      INFO(c.property);
      FakeSecrets secrets;
      FlagSettings flags;
      flags.properties = {c.property};
      auto config = evt::config::resolve(nullptr, {}, flags, secrets.reader());
      REQUIRE(config.ok());
      CHECK(setting(*config, c.name) == c.value);
      CHECK(source_of(*config, c.name) == Source::property_flag);
    }
  }
  SECTION("without '=' or without a key is an error; a value that may be secret is hidden") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"linger.ms", "linger.ms"},
        {"linger.ms:10", "linger.ms:10"},
        {"linger.ms 10", "linger.ms 10"},
        {"", ""},
        {"=10", "=(hidden)"},
        {"=", "=(hidden)"},
        {"=Sup3rS3cret", "=(hidden)"},
        {"sasl.password:Sup3rS3cret", "sasl.password:(hidden)"},
        {"sasl.password Sup3rS3cret", "sasl.password (hidden)"},
        {"sasl.password\tSup3rS3cret", "sasl.password\t(hidden)"},
        {"SASL.PASSWORD:Sup3rS3cret", "SASL.PASSWORD:(hidden)"},
        {"sasl.oauthbearer.extensions:a=b", "sasl.oauthbearer.extensions:(hidden)"},
    };
    for (const auto& [property, shown] : cases) {
      INFO(property);
      FakeSecrets secrets;
      FlagSettings flags;
      flags.properties = {"acks=all", property};
      auto config = evt::config::resolve(nullptr, {}, flags, secrets.reader());
      REQUIRE_FALSE(config.ok());
      CHECK(config.error().kind == evt::ErrorKind::usage);
      CHECK(config.error().message == "-X " + shown + ": expected key=value, e.g. -X linger.ms=10");
    }
  }
}

TEST_CASE("config: --timeout and EVT_TIMEOUT", "[config]") {
  struct Case {
    const char* what;
    Env env;
    std::optional<std::string> flag;
    std::int64_t ms;
    bool given;
    Source source;
  };
  const std::vector<Case> cases = {
      {"default", {}, std::nullopt, 10'000, false, Source::default_value},
      {"env", {{"EVT_TIMEOUT", "30s"}}, std::nullopt, 30'000, true, Source::env},
      {"empty env is unset",
       {{"EVT_TIMEOUT", ""}},
       std::nullopt,
       10'000,
       false,
       Source::default_value},
      {"flag", {}, "1m", 60'000, true, Source::flag},
      {"flag over env", {{"EVT_TIMEOUT", "30s"}}, "250ms", 250, true, Source::flag},
      {"bare number is seconds", {}, "5", 5'000, true, Source::flag},
      {"compound", {}, "1m30s", 90'000, true, Source::flag},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    FakeSecrets secrets;
    FlagSettings flags;
    flags.timeout = c.flag;
    auto config = evt::config::resolve(nullptr, c.env, flags, secrets.reader());
    REQUIRE(config.ok());
    CHECK(config->timeout.count() == c.ms);
    CHECK(config->timeout_given == c.given);
    CHECK(config->timeout_source == c.source);
  }
  SECTION("invalid timeouts name where they came from") {
    struct Bad {
      Env env;
      std::optional<std::string> flag;
      std::string message_part;
    };
    const std::vector<Bad> bad = {
        {{}, "abc", "--timeout: invalid duration \"abc\""},
        {{}, "-5s", "--timeout: invalid duration \"-5s\""},
        {{}, "0", "--timeout must be greater than zero"},
        {{}, "0ms", "--timeout must be greater than zero"},
        {{{"EVT_TIMEOUT", "soon"}}, std::nullopt, "EVT_TIMEOUT: invalid duration \"soon\""},
        {{{"EVT_TIMEOUT", "0s"}}, std::nullopt, "EVT_TIMEOUT must be greater than zero"},
        {{{"EVT_TIMEOUT", "soon"}}, "5s", ""},  // the flag wins; the bad env value is unused
        // librdkafka takes timeouts as int milliseconds.
        {{}, "25d", "--timeout 25d: too long; the most is 2147483647ms"},
        {{}, "2147483648ms", "--timeout 2147483648ms: too long"},
        {{{"EVT_TIMEOUT", "30d"}}, std::nullopt, "EVT_TIMEOUT 30d: too long"},
        {{}, "2147483647ms", ""},
        {{}, "24d", ""},
    };
    for (const Bad& b : bad) {
      INFO(b.message_part);
      FakeSecrets secrets;
      FlagSettings flags;
      flags.timeout = b.flag;
      auto config = evt::config::resolve(nullptr, b.env, flags, secrets.reader());
      if (b.message_part.empty()) {
        CHECK(config.ok());
        continue;
      }
      REQUIRE_FALSE(config.ok());
      CHECK(config.error().kind == evt::ErrorKind::usage);
      CHECK_THAT(config.error().message, Catch::Matchers::StartsWith(b.message_part));
    }
  }
}

TEST_CASE("config: source names", "[config]") {
  CHECK(std::string(evt::config::to_string(Source::default_value)) == "default");
  CHECK(std::string(evt::config::to_string(Source::file)) == "file");
  CHECK(std::string(evt::config::to_string(Source::env)) == "env");
  CHECK(std::string(evt::config::to_string(Source::flag)) == "flag");
  CHECK(std::string(evt::config::to_string(Source::property_flag)) == "-X");
  CHECK(std::string(evt::config::to_string(Source::local_broker)) == "local broker");
}

TEST_CASE("config: config file path", "[config]") {
  struct Case {
    Env env;
    std::optional<std::string> explicit_path;
    std::string path;
  };
  const std::vector<Case> cases = {
      {{{"HOME", "/home/u"}}, std::nullopt, "/home/u/.config/evt/config.yaml"},
      {{{"HOME", "/home/u"}, {"XDG_CONFIG_HOME", "/xdg"}}, std::nullopt, "/xdg/evt/config.yaml"},
      {{{"HOME", "/home/u"}, {"XDG_CONFIG_HOME", ""}},
       std::nullopt,
       "/home/u/.config/evt/config.yaml"},
      {{{"HOME", "/home/u"}, {"XDG_CONFIG_HOME", "/xdg"}, {"EVT_CONFIG", "/etc/evt.yaml"}},
       std::nullopt,
       "/etc/evt.yaml"},
      {{{"EVT_CONFIG", "/etc/evt.yaml"}}, "/explicit.yaml", "/explicit.yaml"},
  };
  for (const Case& c : cases) {
    INFO(c.path);
    CHECK(evt::config::config_path(c.env, c.explicit_path) == c.path);
  }
}

TEST_CASE("config: read_secret_file reads the first line", "[config]") {
  char directory_template[] = "/tmp/evt-unit-XXXXXX";
  const char* directory = ::mkdtemp(directory_template);
  REQUIRE(directory != nullptr);
  const std::string path = std::string(directory) + "/secret";
  {
    std::ofstream out(path, std::ios::binary);
    out << "hunter2\r\nsecond line\n";
  }
  auto direct = evt::config::read_secret_file(path, {});
  REQUIRE(direct.ok());
  CHECK(*direct == "hunter2");
  auto from_home = evt::config::read_secret_file("~/secret", {{"HOME", directory}});
  REQUIRE(from_home.ok());
  CHECK(*from_home == "hunter2");
  auto missing = evt::config::read_secret_file(path + ".missing", {});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == evt::ErrorKind::usage);
  std::remove(path.c_str());
  ::rmdir(directory);
}

TEST_CASE("config: schema-registry section, EVT_SCHEMA_REGISTRY and --schema-registry",
          "[config]") {
  const char* const text = R"(current-context: prod
contexts:
  prod:
    brokers: b:9092
    schema-registry:
      url: https://sr.example:8081
      username: alice
      password-env: SR_PW
      decode: both
      tls:
        ca: ~/ca.pem
        cert: /c.pem
        key: /k.pem
      colour: red
  filed:
    schema-registry:
      url: http://x
      password-file: /secrets/sr
)";
  auto file = evt::config::parse_config_file(text, "/cfg.yaml");
  REQUIRE(file.ok());
  REQUIRE(file->warnings.size() == 1);
  CHECK_THAT(file->warnings[0], Catch::Contains("unknown key \"colour\" in schema-registry"));

  FakeSecrets secrets;
  auto config =
      evt::config::resolve(&*file, {{"SR_PW", "pw1"}, {"HOME", "/home/a"}}, {}, secrets.reader());
  REQUIRE(config.ok());
  const auto& registry = config->schema_registry;
  CHECK(registry.at("url").value == "https://sr.example:8081");
  CHECK(registry.at("url").source == Source::file);
  CHECK(registry.at("username").value == "alice");
  CHECK(registry.at("password").value == "pw1");
  CHECK(registry.at("password").secret);
  CHECK(registry.at("password").source == Source::env);
  CHECK(registry.at("tls.ca").value == "/home/a/ca.pem");
  CHECK(registry.at("tls.cert").value == "/c.pem");
  CHECK(registry.at("tls.key").value == "/k.pem");
  CHECK(registry.at("decode").value == "both");
  CHECK(config->properties.count("password") == 0);  // nothing leaks into librdkafka's

  auto from_env = evt::config::resolve(
      &*file, {{"SR_PW", "pw1"}, {"EVT_SCHEMA_REGISTRY", "http://env:1"}}, {}, secrets.reader());
  REQUIRE(from_env.ok());
  CHECK(from_env->schema_registry.at("url").value == "http://env:1");
  CHECK(from_env->schema_registry.at("url").source == Source::env);
  FlagSettings flags;
  flags.schema_registry = "http://flag:2";
  auto from_flag = evt::config::resolve(
      &*file, {{"SR_PW", "pw1"}, {"EVT_SCHEMA_REGISTRY", "http://env:1"}}, flags, secrets.reader());
  REQUIRE(from_flag.ok());
  CHECK(from_flag->schema_registry.at("url").value == "http://flag:2");
  CHECK(from_flag->schema_registry.at("url").source == Source::flag);

  auto unset = evt::config::resolve(&*file, {}, {}, secrets.reader());
  REQUIRE_FALSE(unset.ok());
  CHECK(unset.error().message ==
        "the schema registry password comes from environment variable SR_PW, which is not set");

  flags = {};
  flags.context = "filed";
  auto filed = evt::config::resolve(&*file, {}, flags, secrets.reader());
  REQUIRE(filed.ok());
  CHECK(secrets.asked == std::vector<std::string>{"/secrets/sr"});
  CHECK(filed->schema_registry.at("password").source == Source::file);

  auto inline_secret = evt::config::parse_config_file(
      "contexts:\n  c:\n    schema-registry:\n      password: p\n", "/x");
  REQUIRE(inline_secret.ok());
  CHECK(evt::config::holds_inline_secret(inline_secret->contexts.at("c")));

  auto bad = evt::config::parse_config_file(
      "contexts:\n  c:\n    schema-registry:\n      decode: sometimes\n", "/x");
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.error().message, Catch::Contains("decode must be value, key, both or none"));
}

TEST_CASE("config: TLS paths starting with ~/ are under the home directory, as evt-config(5) says",
          "[config]") {
  auto file = evt::config::parse_config_file(
      "contexts:\n  home:\n    brokers: h:9093\n    tls:\n      ca: ~/tls/ca.pem\n"
      "      cert: ~/tls/cert.pem\n      key: /abs/~/key.pem\n",
      "c.yaml");
  REQUIRE(file.ok());
  FakeSecrets secrets;
  auto config = evt::config::resolve(
      &*file, {{"EVT_CONTEXT", "home"}, {"HOME", "/home/u"}}, {}, secrets.reader());
  INFO((config ? "" : config.error().message));
  REQUIRE(config.ok());
  CHECK(setting(*config, "ssl.ca.location") == "/home/u/tls/ca.pem");
  CHECK(setting(*config, "ssl.certificate.location") == "/home/u/tls/cert.pem");
  CHECK(setting(*config, "ssl.key.location") == "/abs/~/key.pem");  // only a leading ~/
}
