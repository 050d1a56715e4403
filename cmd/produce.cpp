// SPDX-License-Identifier: MIT
#include "cmd/produce.hpp"

#include <fmt/format.h>

#include "evt/format/escapes.hpp"
#include "evt/ops/produce.hpp"
#include "evt/plural.hpp"
#include "evt/schema/encoder.hpp"
#include "evt/schema/open.hpp"
#include "evt/spellcheck.hpp"

#include "cmd/checks.hpp"
#include "cmd/header_options.hpp"
#include "cmd/session.hpp"

namespace evt::cmd {

CLI::App* setup_produce(CLI::App& app, ProduceOptions& options) {
  CLI::App* sub = app.add_subcommand("produce", k_produce_summary);
  sub->add_option(
      "arguments", options.arguments, "TOPIC, then files to read (stdin when none, or -)");
  sub->add_option(
      "-t,--topic", options.topic, "Topic to write to (then every positional argument is a file)");
  sub->add_option("-f,--format",
                  options.format,
                  "Input format: lines, json (record envelopes), raw (one record per file), or a "
                  "%-layout such as '%k=%v\\n'")
      ->capture_default_str();
  sub->add_option("-D,--delim",
                  options.delimiter,
                  "Record delimiter for lines (escapes \\n \\t \\r \\0 \\xNN)")
      ->capture_default_str();
  sub->add_option("-K,--key-delim",
                  options.key_delimiter,
                  "Split each line at the first DELIM into key and value (kcat's -K)");
  sub->add_flag("--crlf", options.crlf, "Strip a \\r before each \\n (Windows line endings)");
  sub->add_option("-k,--key", options.key, "Key for every record");
  sub->add_option(
      "-H,--header", options.headers, "Header name=value added to every record (repeatable)");
  sub->add_option("-p,--partition",
                  options.partition,
                  "Partition to write to (default: the partitioner chooses)")
      ->check(non_negative_integer());
  sub->add_option("--partitioner",
                  options.partitioner,
                  "How keys map to partitions; murmur2_random matches the Java client")
      ->check(CLI::IsMember({"murmur2_random",
                             "murmur2",
                             "consistent_random",
                             "consistent",
                             "fnv1a_random",
                             "fnv1a",
                             "random"}))
      ->capture_default_str();
  sub->add_option("-z,--compression", options.compression, "Compression codec")
      ->check(CLI::IsMember({"none", "gzip", "snappy", "lz4", "zstd"}))
      ->capture_default_str();
  sub->add_option("--acks",
                  options.acks,
                  "Acknowledgements required: all, 1 or 0 (1 and 0 need --no-idempotence)")
      ->check(CLI::IsMember({"all", "1", "0", "-1"}))
      ->capture_default_str();
  sub->add_flag("--no-idempotence",
                options.no_idempotence,
                "Turn off the idempotent producer (on by default)");
  sub->add_option("--transactional-id",
                  options.transactional_id,
                  "Send all input in one transaction: committed at end of input, aborted on "
                  "error or interrupt");
  sub->add_option("--rate", options.rate, "At most N records per second")
      ->check(records_per_second());
  sub->add_option("-c,--count", options.count, "Stop after N records")->check(positive_count());
  sub->add_flag("--null-empty", options.null_empty, "Send an empty value as null (a tombstone)");
  sub->add_option("--on-bad-input",
                  options.on_bad_input,
                  "What to do with a malformed record: fail (stop, exit 2) or skip (warn)")
      ->check(CLI::IsMember({"fail", "skip"}))
      ->capture_default_str();
  sub->add_flag("--report",
                options.report,
                "Print one JSON line per record on stdout as its delivery completes");
  sub->add_option("--value-schema",
                  options.value_schema,
                  "Encode each value (JSON) with a registry schema: SUBJECT[@VERSION], id:N, or "
                  "topic for <topic>-value; Protobuf may add #MESSAGE");
  sub->add_option("--key-schema",
                  options.key_schema,
                  "Encode each key (JSON) likewise: SUBJECT[@VERSION], id:N, or topic for "
                  "<topic>-key");
  sub->footer(
      R"(Exit status: 0 when every record was acknowledged; 1 when any was not (stderr says how many
of how many); 2 for bad flags or input; 3 unreachable; 5 topic not found; 130 interrupted
with records undelivered. See evt-produce(1).

Examples:
  printf 'a\nb\n' | evt produce orders
  evt produce orders -K: --value-schema topic <<< 'user-1:{"id":1}'   # Avro/Protobuf/JSON Schema
  evt consume orders -e -f json | evt produce -f json orders-copy
  tail -f app.log | evt produce logs -H host=$(hostname) --report)");
  return sub;
}

namespace {

Result<ops::ProduceSettings> settings_from(const ProduceOptions& options) {
  ops::ProduceSettings settings;
  std::vector<std::string> files = options.arguments;
  if (options.topic) {
    settings.topic = *options.topic;
  } else if (!files.empty()) {
    settings.topic = files.front();
    files.erase(files.begin());
  }
  settings.files = std::move(files);

  const std::string& format = options.format;
  if (format == "lines") {
    settings.format = ops::InputFormat::lines;
  } else if (format == "json") {
    settings.format = ops::InputFormat::json;
  } else if (format == "raw") {
    settings.format = ops::InputFormat::raw;
  } else if (format.find('%') != std::string::npos) {
    settings.format = ops::InputFormat::layout;
    settings.layout = format;
  } else {
    static constexpr std::string_view k_formats[] = {"lines", "json", "raw"};
    std::string hint = "formats: lines, json, raw, or a layout with %k %v %t %p %T %h";
    if (auto suggestion = closest_match(format, k_formats)) {
      hint = fmt::format("did you mean \"{}\"? ", *suggestion) + hint;
    }
    return fail(ErrorKind::usage,
                fmt::format("--format: unknown input format \"{}\"", format),
                std::move(hint));
  }
  const bool per_record_topic =
      settings.format == ops::InputFormat::json ||
      (settings.format == ops::InputFormat::layout && format.find("%t") != std::string::npos);
  if (settings.topic.empty() && !per_record_topic) {
    return fail(ErrorKind::usage,
                "no topic given",
                "name it first (evt produce TOPIC) or with -t; records can name their topic only "
                "with -f json or a layout with %t");
  }
  if (settings.format != ops::InputFormat::lines) {
    if (options.key_delimiter) {
      return fail(ErrorKind::usage,
                  "--key-delim applies to -f lines only",
                  "with a layout, write the key into it: -f '%k:%v\\n'");
    }
    if (options.crlf) {
      return fail(ErrorKind::usage, "--crlf applies to -f lines only");
    }
  }
  auto delimiter = format::unescape(options.delimiter);
  if (!delimiter) {
    return fail(ErrorKind::usage, "--delim: " + delimiter.error().message);
  }
  if (delimiter->empty()) {
    return fail(ErrorKind::usage, "--delim must not be empty");
  }
  settings.lines.delimiter = std::move(*delimiter);
  if (options.key_delimiter) {
    auto key_delimiter = format::unescape(*options.key_delimiter);
    if (!key_delimiter) {
      return fail(ErrorKind::usage, "--key-delim: " + key_delimiter.error().message);
    }
    if (key_delimiter->empty()) {
      return fail(ErrorKind::usage, "--key-delim must not be empty");
    }
    settings.lines.key_delimiter = std::move(*key_delimiter);
  }
  settings.lines.strip_cr = options.crlf;
  settings.key = options.key;
  auto headers = parse_header_options(options.headers);
  if (!headers) {
    return std::move(headers).take_error();
  }
  settings.headers = std::move(*headers);
  if (options.partition) {
    settings.partition = *options.partition;
  }
  settings.null_empty = options.null_empty;
  settings.count = options.count;
  settings.rate = options.rate;
  settings.on_bad_input =
      options.on_bad_input == "skip" ? ops::BadInput::skip : ops::BadInput::fail;
  settings.report = options.report;
  settings.producer.compression = options.compression;
  settings.producer.acks = options.acks == "-1" ? "all" : options.acks;
  settings.producer.idempotence = !options.no_idempotence;
  settings.producer.partitioner = options.partitioner;
  settings.producer.transactional_id = options.transactional_id;
  if (options.transactional_id && settings.producer.acks != "all") {
    return fail(ErrorKind::usage, "--transactional-id needs --acks all");
  }
  if (options.transactional_id && options.no_idempotence) {
    return fail(ErrorKind::usage, "--transactional-id needs idempotence (drop --no-idempotence)");
  }
  if (settings.producer.idempotence && settings.producer.acks != "all") {
    return fail(ErrorKind::usage,
                fmt::format("--acks {} needs --no-idempotence (the idempotent producer requires "
                            "acks=all)",
                            options.acks));
  }
  return settings;
}

}  // namespace

// --key-schema/--value-schema: schemas resolved now, so that an unknown subject or an
// unreachable registry fails before any input is read.
Result<std::shared_ptr<format::FieldEncoder>> make_encoder(const ProduceOptions& options,
                                                           const std::string& topic,
                                                           const config::ResolvedConfig& config) {
  std::unique_ptr<schema::RegistryEncoder> encoders[2];
  const std::optional<std::string>* flags[2] = {&options.key_schema, &options.value_schema};
  std::shared_ptr<schema::RegistryClient> registry;
  for (int key = 1; key >= 0; --key) {
    const std::optional<std::string>& flag = *flags[key == 1 ? 0 : 1];
    if (!flag) {
      continue;
    }
    auto selector = schema::parse_schema_selector(*flag);
    if (!selector) {
      return Unexpected{Error{
          ErrorKind::usage,
          fmt::format("--{}-schema: {}", key == 1 ? "key" : "value", selector.error().message),
          selector.error().hint}};
    }
    if (!registry) {
      auto opened = schema::open_registry(config, key == 1 ? "--key-schema" : "--value-schema");
      if (!opened) {
        return std::move(opened).take_error();
      }
      registry = std::move(*opened);
    }
    encoders[key == 1 ? 0 : 1] =
        std::make_unique<schema::RegistryEncoder>(registry, std::move(*selector), key == 1);
  }
  auto encoder = std::make_shared<schema::RegistryFieldEncoder>(std::move(encoders[0]),
                                                                std::move(encoders[1]));
  if (!topic.empty()) {
    EVT_TRY(encoder->prepare(topic));
  }
  return std::shared_ptr<format::FieldEncoder>(std::move(encoder));
}

Result<ExitCode> run_produce(const ProduceOptions& options,
                             const GlobalOptions& global,
                             Context& ctx) {
  auto settings = settings_from(options);
  if (!settings) {
    return std::move(settings).take_error();
  }
  Signals::block();  // Ctrl-C is handled by the loop: flush, summarize, exit
  settings->announce_flush = announces_flush(global, ctx);
  const Log log = make_log(global, ctx);
  EVT_TRY(use_streaming_allocator(ctx, log));
  auto session = open_session(global, ctx, log);
  if (!session) {
    return std::move(session).take_error();
  }
  if (options.key_schema || options.value_schema) {
    auto encoder = make_encoder(options, settings->topic, session->config);
    if (!encoder) {
      return std::move(encoder).take_error();
    }
    settings->encoder = std::move(*encoder);
  }
  auto summary = ops::produce(*settings, session->config, log, *ctx.signals, ctx.in_fd, ctx.out_fd);
  if (!summary) {
    return std::move(summary).take_error();
  }
  // What the run did, on stderr; what it amounts to (the exit status) is ops::produce_outcome.
  const std::uint64_t undelivered = ops::undelivered(*summary);
  log.info(fmt::format("{} read, {} delivered, {} not delivered{}",
                       plural(static_cast<std::int64_t>(summary->read), "record"),
                       summary->transaction_aborted ? 0 : summary->delivery.delivered,
                       undelivered,
                       summary->skipped ? fmt::format(", {} skipped", summary->skipped) : ""));
  if (summary->transaction_aborted && summary->read > 0) {
    log.error(summary->read == 1
                  ? std::string("transaction aborted: the 1 record read was not committed")
                  : fmt::format("transaction aborted: none of the {} records read were committed",
                                summary->read));
  }
  if (summary->stop && undelivered > 0 && !summary->transaction_aborted) {
    log.error(ops::describe_failures(*summary));  // the error itself says why reading stopped
  }
  EVT_TRY(ops::produce_outcome(*summary));
  return ExitCode::ok;
}

}  // namespace evt::cmd
