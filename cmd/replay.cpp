// SPDX-License-Identifier: MIT
#include "cmd/replay.hpp"

#include <charconv>
#include <optional>

#include <fmt/format.h>

#include "evt/io/write_all.hpp"
#include "evt/offset_spec.hpp"
#include "evt/ops/replay.hpp"
#include "evt/ops/resume.hpp"
#include "evt/plural.hpp"
#include "evt/schema/wire.hpp"
#include "evt/time_spec.hpp"

#include "cmd/checks.hpp"
#include "cmd/decode.hpp"
#include "cmd/header_options.hpp"
#include "cmd/output_format.hpp"
#include "cmd/session.hpp"
#include <unistd.h>

namespace evt::cmd {

CLI::App* setup_replay(CLI::App& app, ReplayOptions& options) {
  CLI::App* sub = app.add_subcommand("replay", k_replay_summary);
  sub->add_option("TOPIC", options.topic, "Source topic");
  sub->add_option("--from",
                  options.from,
                  "Start of the range: beginning, N, -N, +N, @TIME, or P=SPEC for partition P "
                  "(repeatable)");
  sub->add_option("--to",
                  options.to,
                  "End of the range, exclusive (default: the end when evt starts); P=SPEC "
                  "allowed (repeatable)");
  sub->add_option("-p,--partition", options.partitions, "Only these partitions (repeatable)")
      ->check(non_negative_integer());
  sub->add_option("-f,--format",
                  options.format,
                  "Output without --into: json (envelopes), value, or a layout")
      ->capture_default_str();
  add_json_values_option(sub, options.json_values);
  sub->add_option("--into", options.into, "Write the records into this topic");
  sub->add_option("--into-brokers",
                  options.into_brokers,
                  "The destination is on these brokers (another cluster)");
  sub->add_option("--into-context",
                  options.into_context,
                  "The destination is the cluster of this config context (its own security)");
  sub->add_flag("--keep-partition",
                options.keep_partition,
                "Keep each record's partition (else the partitioner places it by key)");
  sub->add_option(
      "-H,--header", options.headers, "Add header name=value to every record (repeatable)");
  sub->add_flag("--mark",
                options.mark,
                "Add an evt-replay-source header naming the source topic/partition/offset");
  sub->add_option("--schema-id",
                  options.schema_ids,
                  "Rewrite the schema id of framed keys and values from OLD to NEW while copying "
                  "into another cluster's registry: OLD=NEW (repeatable); nothing else changes")
      ->allow_extra_args(false);
  add_decode_option(*sub, options.decode);
  sub->add_option("--input",
                  options.input,
                  "Replay an envelope file (from consume -f json or replay) instead of a topic")
      ->check(CLI::ExistingFile);
  sub->add_option("--speed",
                  options.speed,
                  "max, or X to keep the original gaps between records divided by X "
                  "(partitions merged by timestamp)")
      ->capture_default_str();
  sub->add_option("--rate", options.rate, "At most N records per second")
      ->check(records_per_second());
  add_filter_options(sub, options.filters, "--grep,--filter");
  sub->add_flag(
      "--dry-run", options.dry_run, "Print the plan (per partition: from, to, records) and exit");
  sub->add_option(
      "--transactional-id", options.transactional_id, "Copy the range in one transaction");
  sub->footer(
      R"(Exit status: 0 when every record of the range was written; 1 when any was not (stderr says
how many, and the command that resumes); 130 interrupted (a second Ctrl-C stops the flush; what
was not delivered is counted, the command that resumes printed); 2 usage; 3 unreachable; 5
topic or partition not found. See evt-replay(1).

Examples:
  evt replay orders --from @2026-11-23T10:00:00Z --to @2026-11-23T11:00:00Z > hour.jsonl
  evt replay --input hour.jsonl --into orders-replayed --speed 10
  evt replay orders --from @-1h --jq '.value_json.user.id == 3' --into orders-user3
  evt replay orders --from @-1h --into orders --into-context dr --schema-id 7=1042)");
  return sub;
}

namespace {

// replay's options other than the range (--from, --to, -p), as shell words: a resume command
// copies to the same destination, in the same way.
std::vector<std::string> replay_option_words(const ReplayOptions& options,
                                             const GlobalOptions& global) {
  std::vector<std::string> words;
  auto add = [&](const char* flag, const std::string& value) {
    words.push_back(flag);
    words.push_back(ops::shell_word(value));
  };
  if (options.into) {
    add("--into", *options.into);
  }
  if (options.into_brokers) {
    add("--into-brokers", *options.into_brokers);
  }
  if (options.into_context) {
    add("--into-context", *options.into_context);
  }
  if (options.keep_partition) {
    words.push_back("--keep-partition");
  }
  for (const std::string& header : options.headers) {
    add("-H", header);
  }
  if (options.mark) {
    words.push_back("--mark");
  }
  for (const std::string& mapping : options.schema_ids) {
    add("--schema-id", mapping);
  }
  if (options.decode) {
    add("--decode", *options.decode);
  }
  if (!options.into && options.format != "json") {
    add("-f", options.format);
  }
  if (options.json_values) {
    words.push_back("--json-values");
  }
  if (options.speed != "max") {
    add("--speed", options.speed);
  }
  if (options.rate) {
    add("--rate", fmt::format("{}", *options.rate));
  }
  for (std::string& word : filter_words(options.filters)) {
    words.push_back(std::move(word));
  }
  if (options.transactional_id) {
    add("--transactional-id", *options.transactional_id);
  }
  for (const std::string& word : resume_words(global)) {
    words.push_back(word);
  }
  return words;
}

}  // namespace

Result<ExitCode> run_replay(const ReplayOptions& options,
                            const GlobalOptions& global,
                            Context& ctx) {
  ops::ReplaySettings settings;
  if (options.input) {
    if (options.topic || !options.from.empty() || !options.to.empty() ||
        !options.partitions.empty()) {
      return fail(ErrorKind::usage,
                  "--input replays a file: a topic, --from, --to and -p do not apply");
    }
    settings.input_file = options.input;
  } else {
    if (!options.topic) {
      return fail(ErrorKind::usage,
                  "no source topic given",
                  "evt replay TOPIC --from SPEC, or --input FILE");
    }
    if (options.from.empty()) {
      return fail(ErrorKind::usage, "--from is required (e.g. --from beginning, --from @-1h)");
    }
    settings.topic = *options.topic;
    auto range = parse_range_ends(options.from, options.to, now_epoch_ms());
    if (!range) {
      return std::move(range).take_error();
    }
    settings.range = std::move(*range);
    settings.partitions.insert(options.partitions.begin(), options.partitions.end());
  }
  if (!options.into && (options.into_brokers || options.into_context || options.keep_partition ||
                        !options.headers.empty() || options.mark || options.transactional_id ||
                        !options.schema_ids.empty())) {
    return fail(ErrorKind::usage,
                "--into-brokers, --into-context, --keep-partition, --header, --mark, "
                "--schema-id and --transactional-id need a destination (--into TOPIC)");
  }
  if (options.into && options.decode) {
    return fail(ErrorKind::usage,
                "--decode applies to replay to stdout: into a topic, replay copies records byte "
                "for byte",
                "to move framed records between registries, map their ids with --schema-id "
                "OLD=NEW");
  }
  for (const std::string& mapping : options.schema_ids) {
    if (auto added = schema::add_schema_id_mapping(settings.schema_ids, mapping); !added) {
      return fail(ErrorKind::usage, "--schema-id " + added.error().message);
    }
  }
  if (options.into_brokers && options.into_context) {
    return fail(ErrorKind::usage, "give --into-brokers or --into-context, not both");
  }
  settings.into = options.into;
  settings.keep_partition = options.keep_partition;
  settings.mark = options.mark;
  auto headers = parse_header_options(options.headers);
  if (!headers) {
    return std::move(headers).take_error();
  }
  settings.headers = std::move(*headers);
  if (options.speed != "max") {
    double speed = 0;
    auto [ptr, ec] =
        std::from_chars(options.speed.data(), options.speed.data() + options.speed.size(), speed);
    if (ec != std::errc() || ptr != options.speed.data() + options.speed.size() || speed <= 0) {
      return fail(ErrorKind::usage,
                  fmt::format("--speed \"{}\": expected max or a positive number like 2 or 0.5",
                              options.speed));
    }
    settings.speed = speed;
  }
  settings.rate = options.rate;
  auto filters = make_filters(options.filters);
  if (!filters) {
    return std::move(filters).take_error();
  }
  settings.filter = filters->filter;
  if (options.into && (filters->output || options.json_values)) {
    return fail(ErrorKind::usage,
                "--jq-output and --json-values shape what is printed; with --into nothing is",
                "select records with --jq or --grep");
  }
  if (filters->output) {
    if (options.format != "json") {
      return fail(ErrorKind::usage, "--jq-output prints JSON: -f does not apply");
    }
    if (options.decode && *options.decode != "none") {
      return fail(ErrorKind::usage, "--jq-output prints JSON: --decode does not apply");
    }
    settings.formatter = format::make_jq_formatter(filters->output);
  } else if (!options.into && !format::layout_wants_decoding(options.format)) {
    // Checked now, before any connection; built again with the decoder once the registry is open.
    auto formatter =
        make_output_formatter(options.format, "\\n", std::nullopt, options.json_values);
    if (!formatter) {
      return std::move(formatter).take_error();
    }
    settings.formatter = std::move(*formatter);
  }
  settings.dry_run = options.dry_run;
  settings.producer.transactional_id = options.transactional_id;
  // A bar on the terminal that shows the records too would be drawn across them: there the
  // records are the progress.
  if (ctx.err_is_tty && !global.quiet && (options.into || !ctx.out_is_tty)) {
    settings.progress_fd = ctx.err_fd;
  }
  settings.announce_flush = announces_flush(global, ctx);

  Signals::block();  // Ctrl-C: stop, flush, print the resume point
  const Log log = make_log(global, ctx);
  filters->attach(log);
  EVT_TRY(use_streaming_allocator(ctx, log));
  auto source = open_session(global, ctx, log, !options.input.has_value());
  if (!source) {
    return std::move(source).take_error();
  }
  std::optional<Session> destination;
  if (options.into) {
    GlobalOptions into_global = global;
    if (options.into_brokers) {
      into_global.brokers = options.into_brokers;
    } else if (options.into_context) {
      into_global.context = options.into_context;
      into_global.brokers.reset();
    }
    auto opened = open_session(into_global, ctx, log);
    if (!opened) {
      return std::move(opened).take_error();
    }
    destination = std::move(*opened);
  }
  DecodeSetup decode;
  if (!options.into && !filters->output) {
    auto setup = setup_decode(options.decode, options.format, source->config, log);
    if (!setup) {
      return std::move(setup).take_error();
    }
    decode = std::move(*setup);
    if (decode.decoder) {
      auto formatter = make_output_formatter(
          options.format, "\\n", std::nullopt, options.json_values, decode.options);
      if (!formatter) {
        return std::move(formatter).take_error();
      }
      settings.formatter = std::move(*formatter);
    }
  }
  auto summary = ops::replay(settings,
                             source->config,
                             destination ? &destination->config : nullptr,
                             log,
                             *ctx.signals,
                             ctx.out_fd);
  report_decode(decode, log);
  filters->report(log);
  if (!summary) {
    return std::move(summary).take_error();
  }
  if (options.dry_run) {
    EVT_TRY(io::write_text(ctx.out_fd, summary->plan));
    return ExitCode::ok;
  }
  if (!summary->output_closed) {
    log.info(
        fmt::format("{} in the range, {} written, {} not{}",
                    plural(static_cast<std::int64_t>(summary->total), "record"),
                    summary->written,
                    summary->failed,
                    summary->filtered ? fmt::format(", {} filtered out", summary->filtered) : ""));
  }
  std::string resume;
  if (options.input) {
    resume = fmt::format("first line not written: {}",
                         summary->resume.empty() ? 0 : summary->resume.begin()->second);
  } else {
    // The whole command: the next offset of each partition, the original range's ends (the
    // snapshot taken at the start, unless --to named them), the partitions left, and the same
    // destination and options, so that it copies the rest of that range and nothing else.
    resume = fmt::format("resume with: evt replay {} {}",
                         ops::shell_word(settings.topic),
                         ops::resume_arguments(*summary));
    if (options.to.empty()) {
      for (const auto& [partition, end] : summary->resume_end) {
        resume += fmt::format(" --to {}={}", partition, end);
      }
    }
    for (const std::string& to : options.to) {
      resume += " --to " + ops::shell_word(to);
    }
    if (!options.partitions.empty() || summary->resume_skips_finished) {
      // Only the partitions left to copy: the others were copied to their end.
      for (const auto& [partition, next] : summary->resume) {
        resume += fmt::format(" -p {}", partition);
      }
    }
    for (const std::string& word : replay_option_words(options, global)) {
      resume += " " + word;
    }
  }
  // What the copy amounts to (the exit status): ops::replay_outcome.
  EVT_TRY(ops::replay_outcome(*summary, options.input.has_value(), resume));
  return ExitCode::ok;
}

}  // namespace evt::cmd
