// SPDX-License-Identifier: MIT
#include "cmd/consume.hpp"

#include <fmt/format.h>

#include "evt/ops/consume.hpp"
#include "evt/plural.hpp"
#include "evt/time_spec.hpp"

#include "cmd/checks.hpp"
#include "cmd/decode.hpp"
#include "cmd/output_format.hpp"
#include "cmd/session.hpp"

namespace evt::cmd {

CLI::App* setup_consume(CLI::App& app, ConsumeOptions& options) {
  CLI::App* sub = app.add_subcommand("consume", k_consume_summary);
  sub->add_option("TOPIC", options.topics, "Topics to read (with -g, ^regex allowed)")->required();
  sub->add_option("-o,--offset",
                  options.offsets,
                  "Where to start (and stop): beginning, end, stored, N, -N, +N, @TIME, "
                  "FROM:TO, P=SPEC for partition P (repeatable). Default beginning");
  sub->add_option("-p,--partition", options.partitions, "Only these partitions (repeatable)")
      ->check(non_negative_integer());
  sub->add_flag("-e,--exit",
                options.exit_at_end,
                "Stop at the end as it was when evt started (an empty topic exits at once)");
  sub->add_option(
         "-c,--count", options.count, "Stop after N records (that match the filters, if any)")
      ->check(positive_count());
  sub->add_option("--until", options.until, "Stop before this offset or @TIME, per partition");
  sub->add_option(
      "--idle-timeout", options.idle_timeout, "Stop when no record arrives for this long, e.g. 5s");
  sub->add_option("-f,--format",
                  options.format,
                  "Output: value, json (record envelopes), or a layout like '%k=%v\\n' (see "
                  "evt help formats)")
      ->capture_default_str();
  sub->add_option("-D,--delim", options.delimiter, "Delimiter after each value (-f value)")
      ->capture_default_str();
  sub->add_option("-K,--key-delim",
                  options.key_delimiter,
                  "Print the key, this delimiter, then the value (-f value)");
  add_json_values_option(sub, options.json_values);
  sub->add_option("-g,--group",
                  options.group,
                  "Join this consumer group: start from its committed offsets (-o is the reset "
                  "policy) and commit what was written");
  add_decode_option(*sub, options.decode);
  add_filter_options(sub, options.filters, "--grep");
  sub->footer(
      R"(Exit status: 0 done (also after Ctrl-C, or when the reader of stdout went away); 2 usage;
3 unreachable; 4 not authorized; 5 topic or partition not found. See evt-consume(1).

Examples:
  evt consume orders -e                          # everything so far, then exit
  evt consume orders -o -10 -e -f json --decode value   # the last 10, Avro/Protobuf as JSON too
  evt consume orders -g billing                  # as a member of group billing
  evt consume orders -e -c 5 --jq '.value_json.total > 100' -f json)");
  return sub;
}

namespace {

Result<ops::ConsumeSettings> settings_from(const ConsumeOptions& options, const Filters& filters) {
  ops::ConsumeSettings settings;
  settings.topics = options.topics;
  settings.partitions.insert(options.partitions.begin(), options.partitions.end());
  const std::int64_t now = now_epoch_ms();
  auto offsets = parse_offset_spec(options.offsets, now);
  if (!offsets) {
    return fail(ErrorKind::usage, "-o: " + offsets.error().message, offsets.error().hint);
  }
  settings.offsets = std::move(*offsets);
  settings.exit_at_end = options.exit_at_end;
  settings.count = options.count;
  if (options.until) {
    auto until = parse_position(*options.until, now);
    if (!until) {
      return fail(ErrorKind::usage, "--until: " + until.error().message, until.error().hint);
    }
    if (until->kind == Position::Kind::stored) {
      return fail(ErrorKind::usage, "--until cannot be stored");
    }
    settings.until = *until;
  }
  if (options.idle_timeout) {
    auto idle = parse_duration(*options.idle_timeout);
    if (!idle) {
      return fail(ErrorKind::usage, "--idle-timeout: " + idle.error().message);
    }
    settings.idle_timeout = *idle;
  }
  settings.filter = filters.filter;
  if (filters.output) {
    if (options.format != "value" || options.delimiter != "\\n" || options.key_delimiter ||
        options.json_values) {
      return fail(ErrorKind::usage,
                  "--jq-output prints JSON: -f, -D, -K and --json-values do not apply");
    }
    if (options.decode && *options.decode != "none") {
      return fail(ErrorKind::usage, "--jq-output prints JSON: --decode does not apply");
    }
    settings.formatter = format::make_jq_formatter(filters.output);
  } else if (!format::layout_wants_decoding(options.format)) {
    // Checked now, before any connection; built again with the decoder once the registry is open.
    auto formatter = make_output_formatter(
        options.format, options.delimiter, options.key_delimiter, options.json_values);
    if (!formatter) {
      return std::move(formatter).take_error();
    }
    settings.formatter = std::move(*formatter);
  }
  settings.group = options.group;

  bool has_regex = false;
  for (const std::string& topic : options.topics) {
    has_regex |= !topic.empty() && topic[0] == '^';
  }
  const bool stored = settings.offsets.all.from.kind == Position::Kind::stored;
  if (!options.group) {
    if (has_regex) {
      return fail(ErrorKind::usage,
                  "topic regexes (^...) need a consumer group",
                  "add -g GROUP, or name the topics");
    }
    if (stored) {
      return fail(ErrorKind::usage, "-o stored needs a consumer group (-g)");
    }
  } else {
    const auto kind = settings.offsets.all.from.kind;
    if (kind != Position::Kind::beginning && kind != Position::Kind::end &&
        kind != Position::Kind::stored) {
      return fail(ErrorKind::usage,
                  "with -g, -o sets where a group without committed offsets starts: beginning or "
                  "end");
    }
    if (settings.offsets.all.to || !settings.offsets.per_partition.empty() || options.until) {
      return fail(ErrorKind::usage,
                  "with -g, ranges and per-partition offsets are not supported",
                  "use -e, -c or --idle-timeout to stop");
    }
    if (!options.partitions.empty()) {
      return fail(ErrorKind::usage, "with -g the group assigns partitions; -p cannot be used");
    }
  }
  return settings;
}

// `evt consume` with these options, for the hint of a run that stopped early (the ranges left
// are added by ops::consume).
ops::ResumeCommand resume_command(const ConsumeOptions& options, const GlobalOptions& global) {
  ops::ResumeCommand command{"evt consume", {}};
  auto add = [&](const char* flag, const std::string& value) {
    command.options.push_back(flag);
    command.options.push_back(ops::shell_word(value));
  };
  if (options.format != "value") {
    add("-f", options.format);
  }
  if (options.delimiter != "\\n") {
    add("-D", options.delimiter);
  }
  if (options.key_delimiter) {
    add("-K", *options.key_delimiter);
  }
  if (options.json_values) {
    command.options.push_back("--json-values");
  }
  if (options.decode) {
    add("--decode", *options.decode);
  }
  // The filters: a resumed run writes the same records.
  for (std::string& word : filter_words(options.filters)) {
    command.options.push_back(std::move(word));
  }
  if (options.exit_at_end) {
    command.options.push_back("-e");
  }
  if (options.idle_timeout) {
    add("--idle-timeout", *options.idle_timeout);
  }
  for (const std::string& word : resume_words(global)) {
    command.options.push_back(word);
  }
  return command;
}

}  // namespace

Result<ExitCode> run_consume(const ConsumeOptions& options,
                             const GlobalOptions& global,
                             Context& ctx) {
  auto filters = make_filters(options.filters);
  if (!filters) {
    return std::move(filters).take_error();
  }
  auto settings = settings_from(options, *filters);
  if (!settings) {
    return std::move(settings).take_error();
  }
  Signals::block();  // Ctrl-C is handled by the loop: flush, summarize, exit
  const Log log = make_log(global, ctx);
  filters->attach(log);
  EVT_TRY(use_streaming_allocator(ctx, log));
  auto session = open_session(global, ctx, log);
  if (!session) {
    return std::move(session).take_error();
  }
  DecodeSetup decode;
  if (!filters->output) {
    auto setup = setup_decode(options.decode, options.format, session->config, log);
    if (!setup) {
      return std::move(setup).take_error();
    }
    decode = std::move(*setup);
  }
  if (decode.decoder) {
    auto formatter = make_output_formatter(options.format,
                                           options.delimiter,
                                           options.key_delimiter,
                                           options.json_values,
                                           decode.options);
    if (!formatter) {
      return std::move(formatter).take_error();
    }
    settings->formatter = std::move(*formatter);
  }
  settings->resume = resume_command(options, global);
  auto summary = ops::consume(*settings, session->config, log, *ctx.signals, ctx.out_fd);
  report_decode(decode, log);
  filters->report(log);
  if (!summary) {
    return std::move(summary).take_error();
  }
  log.info(fmt::format(
      "{} written{}{}",
      plural(static_cast<std::int64_t>(summary->written), "record"),
      settings->filter ? fmt::format(", {} skipped by the filters", summary->filtered) : "",
      summary->interrupted ? " (interrupted)" : ""));
  return ExitCode::ok;
}

}  // namespace evt::cmd
