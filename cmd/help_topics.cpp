// SPDX-License-Identifier: MIT
#include "cmd/help_topics.hpp"

#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "evt/io/write_all.hpp"
#include "evt/spellcheck.hpp"

#include <unistd.h>

namespace evt::cmd {

namespace {

const std::map<std::string, std::string>& pages() {
  static const std::map<std::string, std::string> k_pages = {
      {"offsets", R"(Offsets and ranges (consume -o, replay --from/--to, consume --until)

  beginning   the first record still stored (aliases: start, oldest, earliest)
  end         the end as it is when evt starts (aliases: newest, latest)
  stored      the consumer group's committed offset (with -g)
  N           absolute offset N
  -N          N records before the end        +N   N records after the beginning
  @TIME       the first record whose timestamp is at or after TIME

TIME is epoch milliseconds (1763892000123), an RFC 3339 / ISO 8601 instant
(2026-11-23T10:00:00Z, 2026-11-23T11:00:00+01:00, 2026-11-23 10:00:00), a date
(2026-11-23, midnight UTC), a duration relative to now (-15m, -2h30m, -7d) or now.

Ranges are FROM:TO with TO exclusive; ':TO' starts at the beginning; FROM:end stops
at the end as it was when evt started, so a busy topic cannot keep it running. A range
that can hold nothing (5:5, 10:5, end:beginning) is an error.
P=SPEC applies SPEC to partition P only; -o may be repeated, once for all partitions
and once for each partition:

  evt consume orders -o -100 -e              the last 100 of each partition
  evt consume orders -o @-1h:@-30m           the records of one half hour
  evt consume orders -o 0=42:43 -p 0 -e      exactly offset 42 of partition 0

On brokers that cannot answer time queries (the local broker), evt finds @TIME from
the record timestamps itself (evt -v says so), also when they are not in offset order.
)"},
      {"formats", R"(Formats

Output (consume, tail, replay -f):
  value       the value, then the delimiter (-D, default \n); -K D prints key D value
  json        the record envelope, one JSON object per line:
              {"topic","partition","offset","timestamp","timestamp_type",
               "key","value","headers":[{"name","value"}]}
              key, value and header values are a string (valid UTF-8), {"base64":"..."}
              (other bytes) or null (absent); empty and null differ; header names are
              a string or {"base64":"..."}
  LAYOUT      text with fields: %t topic  %p partition  %o offset  %k key  %v (%s) value
              %K key length  %S value length  %T timestamp ms  %d timestamp RFC 3339
              %h headers name=value,...  %h{NAME} one header  %k{hex} %k{base64}
              %v{hex} %v{base64}  %% percent; escapes \n \t \r \0 \xNN
              %k{decoded} %v{decoded}  schema-registry records as JSON (needs a registry)
  json --json-values
              a key or value whose bytes are JSON in compact form (no whitespace,
              strings escaped only where JSON must, shortest numbers) is written as
              "key_json"/"value_json" holding that JSON; other bytes keep the forms
              above. produce -f json prints key_json/value_json back in compact form:
              the original bytes. JSON with spaces, \u00e9 or 1.0 stays a string.

Schema registry (--decode value|key|both, --schema-registry URL): json envelopes get
"value_decoded" (Avro/Protobuf/JSON Schema records as JSON) and "value_schema_id" beside
the raw "value"; -f value and tail show the decoded JSON. produce --value-schema encodes.

Input (produce -f):
  lines       one record per delimiter (-D); -K D splits key and value; --crlf
  json        record envelopes as above; topic, partition, timestamp, key, value and
              headers are honoured (flags override); a key or value written as other
              JSON ({"value":{"id":1}}, {"key":7}) is its JSON text, byte for byte as
              written; lines of kcat -C -J are read too (ts, key, payload, headers;
              offset, tstype and broker ignored)
  raw         each file (or all of stdin) is one record
  LAYOUT      fields %k %v %t %p %T %h (name=value,...) %% separated by literal text,
              e.g. '%k=%v\n' or '%t|%p|%k|%v\n'

Round trip, byte for byte:
  evt consume orders -e -f json | evt produce -f json orders-copy

Filters (consume, tail, replay; --jq and --jq-output also on inspect message):
  --grep RE, --grep-key RE, --grep-header NAME=RE
              POSIX extended regexes anywhere in the value, key or header value
  --jq EXPR   records for which the jq expression yields something other than false
              or null; its input is the json envelope (without --json-values) plus
              "key_json"/"value_json", the key and value parsed when they are JSON:
              --jq '.value_json.user.id == 3'   --jq 'select(.key == "user-1")'
  --jq-output EXPR
              print what EXPR yields (compact JSON, one per line) instead of the record
  -c and tail -n count matching records. jq is libjq 1.6 (numbers are doubles).
  Comparisons of .topic .partition .offset .timestamp .key .value with literals,
  and/or/not, startswith/endswith, select(...) are decided without running jq:
  --jq 'select(.value_json.total > 100 and .key == "k")' runs jq for key k only.
)"},
      {"config", R"(Configuration

Precedence, lowest first: config file < environment (EVT_*) < flags < -X key=value.

The file is $EVT_CONFIG, else $XDG_CONFIG_HOME/evt/config.yaml, else
~/.config/evt/config.yaml (--config overrides). It holds named contexts:

  current-context: production
  contexts:
    production:
      brokers: [kafka-1:9093, kafka-2:9093]
      security-protocol: sasl_ssl
      sasl: {mechanism: SCRAM-SHA-512, username: alice, password-env: KAFKA_PASSWORD}
      tls: {ca: /etc/ssl/certs/ca-certificates.crt}
      properties: {client.id: evt-alice}      # any librdkafka property
      schema-registry: {url: https://registry:8081, username: alice,
                        password-env: REGISTRY_PASSWORD, decode: value}

Environment: EVT_CONFIG, EVT_CONTEXT, EVT_BROKERS, EVT_TIMEOUT, EVT_SECURITY_PROTOCOL,
EVT_SASL_MECHANISM, EVT_SASL_USERNAME, EVT_SASL_PASSWORD, EVT_BROKER_FILE,
EVT_SCHEMA_REGISTRY, NO_COLOR.
EVT_ALLOCATOR=glibc keeps produce, consume, tail and replay on glibc's malloc instead of
mimalloc (see evt(1)).

With no brokers configured anywhere, evt uses the local broker that 'evt broker' runs.
Secrets come from an environment variable or a file and are never printed.
'evt config show' prints the effective settings and where each came from.
See evt-config(5).
)"},
      {"exit-codes", R"(Exit status (every command)

  0    success; also consume and tail stopped by Ctrl-C or SIGTERM
  1    failure: a Kafka or I/O error, or any record not delivered (stderr says how
       many of how many, and why)
  2    usage: bad flags, arguments, offset or format spec, config file, or input
       that cannot be parsed
  3    brokers unreachable, or --timeout passed before the work was done
  4    authentication or authorization refused
  5    topic, partition or group not found
  130  interrupted while produce or replay still had undelivered input
)"},
  };
  return k_pages;
}

}  // namespace

const std::vector<std::string>& help_topic_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> result;
    for (const auto& [name, unused] : pages()) {
      result.push_back(name);
    }
    return result;
  }();
  return names;
}

CLI::App* setup_help(CLI::App& app, HelpOptions& options) {
  CLI::App* sub = app.add_subcommand("help", k_help_summary);
  sub->add_option("PAGE", options.words, "offsets, formats, config, exit-codes, or a command");
  return sub;
}

namespace {

const CLI::App* subcommand_named(const CLI::App& app, const std::string& word) {
  for (const CLI::App* sub : app.get_subcommands(nullptr)) {
    if (!sub->get_name().empty() && sub->get_name() == word) {
      return sub;
    }
  }
  return nullptr;
}

std::vector<std::string> subcommand_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands(nullptr)) {
    if (!sub->get_name().empty()) {
      names.push_back(sub->get_name());
    }
  }
  return names;
}

// What `evt WORDS --help` prints, without parsing: CLI11's help() would show the parsed
// subcommand's (help's own) instead of the root's.
std::string help_of(const CLI::App& command) {
  std::string path;
  for (const CLI::App* current = &command; current; current = current->get_parent()) {
    path = current->get_name() + (path.empty() ? "" : " " + path);
  }
  return command.get_formatter()->make_help(&command, path, CLI::AppFormatMode::Normal);
}

}  // namespace

Result<ExitCode> run_help(const HelpOptions& options, const CLI::App& root, Context& ctx) {
  const std::vector<std::string>& words = options.words;
  std::string text;
  if (words.size() == 1 && pages().count(words.front())) {
    text = pages().at(words.front());  // a page before a command: `evt help config`
  } else {
    const CLI::App* command = &root;
    std::string known;  // the words that name commands, each followed by a space
    for (const std::string& word : words) {
      const CLI::App* next = subcommand_named(*command, word);
      if (!next) {
        std::vector<std::string> names = subcommand_names(*command);
        if (command == &root) {
          names.insert(names.begin(), help_topic_names().begin(), help_topic_names().end());
        }
        std::string hint = command == &root
                               ? "pages: offsets, formats, config, exit-codes; or a command"
                               : fmt::format("{}commands: {}", known, fmt::join(names, ", "));
        if (auto suggestion = closest_match(word, names)) {
          hint = fmt::format("did you mean \"{}{}\"? ", known, *suggestion) + hint;
        }
        return fail(ErrorKind::usage,
                    fmt::format("no help page or command \"{}{}\"", known, word),
                    std::move(hint));
      }
      known += word + " ";
      command = next;
    }
    text = help_of(*command);
  }
  EVT_TRY(io::write_text(ctx.out_fd, text));
  return ExitCode::ok;
}

}  // namespace evt::cmd
