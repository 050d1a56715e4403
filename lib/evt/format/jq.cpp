// SPDX-License-Identifier: MIT
#include "evt/format/jq.hpp"

#include <charconv>
#include <climits>
#include <cstring>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "evt/format/compact_json.hpp"
#include "evt/format/jq_shortcut.hpp"
#include "evt/format/json_text.hpp"
#include "evt/format/rapidjson.hpp"

#include <dlfcn.h>

extern "C" {
#include <jq.h>

// jv.h defines jv_is_valid as a static, not inline, function that calls jv_get_kind: an
// unoptimised build (the asan preset) keeps it, and evt does not link libjq. This stand-in
// satisfies that link and is never called (evt reaches libjq only through dlsym); hidden, so
// libjq's own calls can never bind to it.
__attribute__((weak, visibility("hidden"))) jv_kind jv_get_kind(jv) {
  __builtin_trap();
}
}

namespace evt::format {

namespace {

// The libjq functions evt calls, resolved with dlsym. Only these: jv.h's inline helpers call
// libjq too, and evt does not link it (a call to one would fail the link, not the run).
#define EVT_JQ_FUNCTIONS(X) \
  X(jq_init)                \
  X(jq_teardown)            \
  X(jq_set_error_cb)        \
  X(jq_set_debug_cb)        \
  X(jq_set_input_cb)        \
  X(jq_set_attr)            \
  X(jq_compile)             \
  X(jq_start)               \
  X(jq_next)                \
  X(jq_halted)              \
  X(jq_get_error_message)   \
  X(jv_get_kind)            \
  X(jv_copy)                \
  X(jv_get_refcnt)          \
  X(jv_free)                \
  X(jv_invalid)             \
  X(jv_invalid_has_msg)     \
  X(jv_invalid_get_msg)     \
  X(jv_null)                \
  X(jv_true)                \
  X(jv_false)               \
  X(jv_number)              \
  X(jv_string_sized)        \
  X(jv_string_value)        \
  X(jv_string_length_bytes) \
  X(jv_array)               \
  X(jv_array_append)        \
  X(jv_object)              \
  X(jv_object_set)          \
  X(jv_dump_string)

struct JqApi {
#define EVT_JQ_POINTER(name) decltype(&::name) name = nullptr;
  EVT_JQ_FUNCTIONS(EVT_JQ_POINTER)
#undef EVT_JQ_POINTER
};

constexpr char k_libjq[] = "libjq.so.1";

Result<const JqApi*> load_jq() {
  static const std::optional<JqApi> api = []() -> std::optional<JqApi> {
    void* library = ::dlopen(k_libjq, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
      return std::nullopt;
    }
    JqApi loaded;
    bool complete = true;
#define EVT_JQ_RESOLVE(name)                                                      \
  loaded.name = reinterpret_cast<decltype(loaded.name)>(::dlsym(library, #name)); \
  complete = complete && loaded.name != nullptr;
    EVT_JQ_FUNCTIONS(EVT_JQ_RESOLVE)
#undef EVT_JQ_RESOLVE
    if (!complete) {
      return std::nullopt;
    }
    return loaded;
  }();
  if (!api) {
    return fail(
        ErrorKind::unsupported,
        fmt::format("jq expressions need libjq 1.6 ({}), which could not be loaded", k_libjq),
        "install Debian's libjq1 package");
  }
  return &*api;
}

int jv_size(std::size_t size) {
  // Kafka records are at most a few hundred MB, and jq counts bytes in an int.
  return size > static_cast<std::size_t>(INT_MAX) ? INT_MAX : static_cast<int>(size);
}

// Parses JSON text into jq values directly (RapidJSON's SAX), for key_json and value_json.
class JsonToJv : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, JsonToJv> {
 public:
  explicit JsonToJv(const JqApi& jq) : m_jq(jq) {}
  ~JsonToJv() { discard(); }
  JsonToJv(const JsonToJv&) = delete;
  JsonToJv& operator=(const JsonToJv&) = delete;

  /// The bytes as jq values, when they are JSON (strict, UTF-8, not too deep).
  std::optional<jv> parse(std::string_view bytes) {
    std::size_t first = 0;
    while (first < bytes.size() && (bytes[first] == ' ' || bytes[first] == '\t' ||
                                    bytes[first] == '\n' || bytes[first] == '\r')) {
      ++first;
    }
    // A NUL would end RapidJSON's input early; raw NULs are never JSON anyway.
    if (!may_start_json(bytes.substr(first)) ||
        std::memchr(bytes.data(), '\0', bytes.size()) != nullptr) {
      return std::nullopt;
    }
    m_text.assign(bytes);
    m_text.append(16, '\0');  // NUL-terminated, padded for SSE2 scanning
    rapidjson::StringStream stream(m_text.data());
    const bool failed = m_reader.Parse<k_embedded_json>(stream, *this).IsError();
    if (failed || !m_result) {
      discard();
      return std::nullopt;
    }
    const jv result = *m_result;
    m_result.reset();
    return result;
  }

  bool Null() { return add(m_jq.jv_null()); }
  bool Bool(bool value) { return add(value ? m_jq.jv_true() : m_jq.jv_false()); }
  bool Int(int value) { return add(m_jq.jv_number(value)); }
  bool Uint(unsigned value) { return add(m_jq.jv_number(value)); }
  bool Int64(std::int64_t value) { return add(m_jq.jv_number(static_cast<double>(value))); }
  bool Uint64(std::uint64_t value) { return add(m_jq.jv_number(static_cast<double>(value))); }
  bool Double(double value) { return add(m_jq.jv_number(value)); }
  bool String(const char* text, rapidjson::SizeType length, bool) {
    // RapidJSON decodes a lone surrogate escape into bytes that are not UTF-8.
    if (!is_valid_utf8(std::string_view(text, length))) {
      return false;
    }
    return add(m_jq.jv_string_sized(text, static_cast<int>(length)));
  }
  bool Key(const char* text, rapidjson::SizeType length, bool) {
    if (!is_valid_utf8(std::string_view(text, length))) {
      return false;
    }
    m_levels.back().key = m_jq.jv_string_sized(text, static_cast<int>(length));
    return true;
  }
  bool StartObject() { return open(m_jq.jv_object(), true); }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool StartArray() { return open(m_jq.jv_array(), false); }
  bool EndArray(rapidjson::SizeType) { return close(); }

 private:
  struct Level {
    jv container;
    std::optional<jv> key;  // an object's member name, until its value comes
    bool object = false;
  };

  bool add(jv value) {
    if (m_levels.empty()) {
      m_result = value;
      return true;
    }
    Level& level = m_levels.back();
    if (level.object) {
      level.container = m_jq.jv_object_set(level.container, *level.key, value);
      level.key.reset();
    } else {
      level.container = m_jq.jv_array_append(level.container, value);
    }
    return true;
  }
  bool open(jv container, bool object) {
    m_levels.push_back(Level{container, std::nullopt, object});
    return m_levels.size() <= static_cast<std::size_t>(k_max_json_depth);
  }
  bool close() {
    const jv container = m_levels.back().container;
    m_levels.pop_back();
    return add(container);
  }
  void discard() {
    for (Level& level : m_levels) {
      m_jq.jv_free(level.container);
      if (level.key) {
        m_jq.jv_free(*level.key);
      }
    }
    m_levels.clear();
    if (m_result) {
      m_jq.jv_free(*m_result);
      m_result.reset();
    }
  }

  const JqApi& m_jq;
  rapidjson::Reader m_reader;  // keeps its stack between records
  std::string m_text;
  std::vector<Level> m_levels;
  std::optional<jv> m_result;
};

// Builds the record envelope as jq values, the same object `-f json` writes (plus key_json and
// value_json). Names and constant values are made once and shared (jq counts references).
class EnvelopeBuilder {
 public:
  explicit EnvelopeBuilder(const JqApi& jq)
      : m_jq(jq),
        m_topic_name(string("topic")),
        m_partition(string("partition")),
        m_offset(string("offset")),
        m_timestamp(string("timestamp")),
        m_timestamp_type(string("timestamp_type")),
        m_key(string("key")),
        m_value(string("value")),
        m_key_json(string("key_json")),
        m_value_json(string("value_json")),
        m_headers(string("headers")),
        m_name(string("name")),
        m_base64(string("base64")),
        m_create(string("create")),
        m_log_append(string("log_append")),
        m_no_headers(jq.jv_array()),
        m_json(jq) {}
  ~EnvelopeBuilder() {
    for (jv value : {m_topic_name,
                     m_partition,
                     m_offset,
                     m_timestamp,
                     m_timestamp_type,
                     m_key,
                     m_value,
                     m_key_json,
                     m_value_json,
                     m_headers,
                     m_name,
                     m_base64,
                     m_create,
                     m_log_append,
                     m_no_headers}) {
      m_jq.jv_free(value);
    }
    if (m_topic) {
      m_jq.jv_free(*m_topic);
    }
    if (m_last) {
      m_jq.jv_free(*m_last);
    }
  }
  EnvelopeBuilder(const EnvelopeBuilder&) = delete;
  EnvelopeBuilder& operator=(const EnvelopeBuilder&) = delete;

  jv build(const RecordView& record) {
    const std::optional<jv> key_json = parse_json(record.key);
    const std::optional<jv> value_json = parse_json(record.value);
    // The last envelope is rebuilt in place when jq let go of it (jq holds its input until the
    // program ends) and it has the same members: no object to allocate and hash into. Same
    // members, so that jq sees them in the same order as in a new envelope.
    jv envelope;
    const int layout = (key_json ? 1 : 0) | (value_json ? 2 : 0);
    if (m_last && m_jq.jv_get_refcnt(*m_last) == 1 && layout == m_last_layout) {
      envelope = *m_last;
    } else {
      if (m_last) {
        m_jq.jv_free(*m_last);
      }
      envelope = m_jq.jv_object();
    }
    m_last.reset();
    envelope = set(envelope, m_topic_name, topic(record.topic));
    envelope = set(envelope, m_partition, m_jq.jv_number(record.partition));
    envelope = set(envelope, m_offset, m_jq.jv_number(static_cast<double>(record.offset)));
    // As append_envelope: a negative timestamp is none, else a create time unless it says not.
    if (record.timestamp < 0) {
      envelope = set(envelope, m_timestamp, m_jq.jv_null());
      envelope = set(envelope, m_timestamp_type, m_jq.jv_null());
    } else {
      envelope = set(envelope, m_timestamp, m_jq.jv_number(static_cast<double>(record.timestamp)));
      envelope = set(envelope,
                     m_timestamp_type,
                     m_jq.jv_copy(record.timestamp_type == TimestampType::log_append ? m_log_append
                                                                                     : m_create));
    }
    envelope = set(envelope, m_key, bytes(record.key));
    envelope = set(envelope, m_value, bytes(record.value));
    envelope = set(envelope, m_headers, headers(record));
    if (key_json) {
      envelope = set(envelope, m_key_json, *key_json);
    }
    if (value_json) {
      envelope = set(envelope, m_value_json, *value_json);
    }
    m_last = m_jq.jv_copy(envelope);
    m_last_layout = layout;
    return envelope;
  }

 private:
  jv string(std::string_view text) {
    return m_jq.jv_string_sized(text.data(), jv_size(text.size()));
  }

  jv set(jv object, jv name, jv value) {
    return m_jq.jv_object_set(object, m_jq.jv_copy(name), value);
  }

  // The topic is the same for most records: made once per change of topic.
  jv topic(std::string_view name) {
    if (!m_topic || name != m_topic_text) {
      if (m_topic) {
        m_jq.jv_free(*m_topic);
      }
      m_topic_text.assign(name);
      m_topic = text_or_base64(BytesView::of(name));
    }
    return m_jq.jv_copy(*m_topic);
  }

  // A bytes field: a string when UTF-8, {"base64": ...} when not, null when absent. (Given
  // bytes that are not UTF-8, jq would replace them; the envelope keeps them in base64.)
  jv bytes(BytesView value) {
    if (value.is_null()) {
      return m_jq.jv_null();
    }
    return text_or_base64(value);
  }
  jv text_or_base64(BytesView value) {
    const std::string_view view = value.view();
    if (is_valid_utf8(view)) {
      return string(view);
    }
    m_scratch.clear();
    append_base64(m_scratch, view);
    return set(m_jq.jv_object(), m_base64, string(m_scratch));
  }

  jv headers(const RecordView& record) {
    if (record.header_count == 0) {
      return m_jq.jv_copy(m_no_headers);
    }
    jv list = m_jq.jv_array();
    for (std::size_t i = 0; i < record.header_count; ++i) {
      jv header = m_jq.jv_object();
      header = set(header, m_name, text_or_base64(BytesView::of(record.headers[i].name)));
      header = set(header, m_value, bytes(record.headers[i].value));
      list = m_jq.jv_array_append(list, header);
    }
    return list;
  }

  std::optional<jv> parse_json(BytesView value) {
    if (value.is_null() || !is_valid_utf8(value.view())) {
      return std::nullopt;
    }
    return m_json.parse(value.view());
  }

  const JqApi& m_jq;
  jv m_topic_name, m_partition, m_offset, m_timestamp, m_timestamp_type, m_key, m_value, m_key_json,
      m_value_json, m_headers, m_name, m_base64, m_create, m_log_append, m_no_headers;
  std::optional<jv> m_topic;
  std::string m_topic_text;
  std::optional<jv> m_last;  // the envelope built last (a reference of our own)
  int m_last_layout = 0;     // which of key_json and value_json it has
  std::string m_scratch;
  JsonToJv m_json;
};

// A message jq gave as a jv (a string, or any value for `error({...})`), as text. Consumes it.
std::string message_text(const JqApi& jq, jv message) {
  if (jq.jv_get_kind(message) == JV_KIND_STRING) {
    std::string text(jq.jv_string_value(message),
                     static_cast<std::size_t>(jq.jv_string_length_bytes(jq.jv_copy(message))));
    jq.jv_free(message);
    return text;
  }
  const jv dumped = jq.jv_dump_string(message, 0);
  std::string text(jq.jv_string_value(dumped),
                   static_cast<std::size_t>(jq.jv_string_length_bytes(jq.jv_copy(dumped))));
  jq.jv_free(dumped);
  return text;
}

// jq 1.6 reports a compile error as "jq: error: WHAT at <top-level>, line N:\nLINE" followed by
// as many spaces as the error's offset in that line (it means to draw a caret, but prints
// none). Turns that into "WHAT at line N, column C:" with the line and a caret.
std::string describe_compile_error(std::string_view message, std::string_view expression) {
  constexpr std::string_view k_prefix = "jq: error: ";
  if (message.starts_with(k_prefix)) {
    message.remove_prefix(k_prefix.size());
  }
  constexpr std::string_view k_where = " at <top-level>, line ";
  const std::size_t where = message.find(k_where);
  const std::size_t newline = message.find('\n', where == std::string_view::npos ? 0 : where);
  if (where == std::string_view::npos || newline == std::string_view::npos) {
    return std::string(message);
  }
  const std::string_view what = message.substr(0, where);
  std::string_view number = message.substr(where + k_where.size());
  number = number.substr(0, number.find(':'));
  int line = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), line);
  if (ec != std::errc() || end != number.data() + number.size() || line < 1) {
    return std::string(message);
  }
  // The expression's line N, as jq echoed it, then the padding that places the caret.
  std::string_view text = expression;
  for (int i = 1; i < line && text.find('\n') != std::string_view::npos; ++i) {
    text.remove_prefix(text.find('\n') + 1);
  }
  text = text.substr(0, text.find('\n'));
  const std::string_view echoed = message.substr(newline + 1);
  if (!echoed.starts_with(text) ||
      echoed.substr(text.size()).find_first_not_of(' ') != std::string_view::npos) {
    return fmt::format("{} at line {}", what, line);
  }
  const std::size_t column = echoed.size() - text.size() + 1;
  return fmt::format("{} at line {}, column {}:\n  {}\n  {}^",
                     what,
                     line,
                     column,
                     text,
                     std::string(column - 1, ' '));
}

}  // namespace

struct JqProgram::State {
  const JqApi& jq;
  jq_state* program = nullptr;
  EnvelopeBuilder envelope;
  std::optional<JqShortcut> shortcut;
  std::string flag;
  std::vector<std::string> compile_errors;
  std::uint64_t errors = 0;
  std::uint64_t evaluated = 0;
  std::function<void(std::string_view)> diagnostics;

  explicit State(const JqApi& api) : jq(api), envelope(api) {}
  ~State() {
    if (program) {
      jq.jq_teardown(&program);
    }
  }
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  void start(const RecordView& record) {
    ++evaluated;
    jq.jq_start(program, envelope.build(record), 0);
  }

  // After the last output (`end` is jq_next's invalid value): an error or halt_error is
  // counted, and reported the first time.
  void finish(const RecordView& record, jv end) {
    std::optional<std::string> error;
    if (jq.jv_invalid_has_msg(jq.jv_copy(end))) {
      error = message_text(jq, jq.jv_invalid_get_msg(end));
    } else {
      jq.jv_free(end);
      if (jq.jq_halted(program)) {
        // halt_error: its message is the error; plain halt just ends the outputs.
        const jv message = jq.jq_get_error_message(program);
        if (jq.jv_get_kind(message) != JV_KIND_INVALID) {
          error = message_text(jq, message);
        } else {
          jq.jv_free(message);
        }
      }
    }
    if (!error) {
      return;
    }
    if (++errors == 1 && diagnostics) {
      diagnostics(
          fmt::format("{}: {}/{}/{}: {} (records with errors are skipped; further errors "
                      "are counted, not shown)",
                      flag,
                      record.topic,
                      record.partition,
                      record.offset,
                      *error));
    }
  }
};

JqProgram::JqProgram(std::unique_ptr<State> state) : m_state(std::move(state)) {}
JqProgram::~JqProgram() = default;

Result<std::unique_ptr<JqProgram>> JqProgram::compile(std::string_view flag,
                                                      std::string_view expression) {
  auto api = load_jq();
  if (!api) {
    return std::move(api).take_error();
  }
  const JqApi& jq = **api;
  auto state = std::make_unique<State>(jq);
  state->flag = flag;
  state->program = jq.jq_init();
  if (!state->program) {
    return fail(ErrorKind::internal, fmt::format("{}: libjq could not start", flag));
  }
  jq.jq_set_error_cb(
      state->program,
      [](void* data, jv message) {
        auto& self = *static_cast<State*>(data);
        self.compile_errors.push_back(message_text(self.jq, message));
      },
      state.get());
  jq.jq_set_debug_cb(
      state->program,
      [](void* data, jv message) {
        auto& self = *static_cast<State*>(data);
        const jv dumped = self.jq.jv_dump_string(message, 0);
        if (self.diagnostics) {
          self.diagnostics(
              fmt::format("{} debug: [\"DEBUG:\",{}]", self.flag, self.jq.jv_string_value(dumped)));
        }
        self.jq.jv_free(dumped);
      },
      state.get());
  // libjq 1.6 leaves the input callback uninitialised: `input` would call garbage. There are
  // no inputs but the record.
  jq.jq_set_input_cb(
      state->program,
      [](jq_state*, void* data) { return static_cast<State*>(data)->jq.jv_invalid(); },
      state.get());
  // Without a library path, `import` and `include` abort libjq 1.6; with an empty one they
  // are compile errors (no modules).
  jq.jq_set_attr(state->program, jq.jv_string_sized("JQ_LIBRARY_PATH", 15), jq.jv_array());
  const std::string text(expression);
  if (text.find('\0') != std::string::npos) {
    return fail(ErrorKind::usage, fmt::format("{}: the expression holds a NUL byte", flag));
  }
  if (!jq.jq_compile(state->program, text.c_str())) {
    std::string why = "not a valid jq expression";
    // The last message is jq's count ("jq: 1 compile error"); the first says what is wrong.
    if (!state->compile_errors.empty()) {
      why = describe_compile_error(state->compile_errors.front(), expression);
    }
    return fail(ErrorKind::usage, fmt::format("{}: {}", flag, why));
  }
  state->shortcut = JqShortcut::analyse(expression);
  return std::unique_ptr<JqProgram>(new JqProgram(std::move(state)));
}

bool JqProgram::selects(const RecordView& record) {
  State& state = *m_state;
  if (state.shortcut) {
    const JqDecision decision = state.shortcut->decide(record);
    if (decision != JqDecision::ask_jq) {
      return decision == JqDecision::keep;
    }
  }
  const JqApi& jq = state.jq;
  state.start(record);
  for (;;) {
    const jv output = jq.jq_next(state.program);
    const jv_kind kind = jq.jv_get_kind(output);
    if (kind == JV_KIND_INVALID) {
      state.finish(record, output);
      return false;
    }
    jq.jv_free(output);
    if (kind != JV_KIND_NULL && kind != JV_KIND_FALSE) {
      return true;  // the rest of the outputs cannot change the answer
    }
  }
}

void JqProgram::append_outputs(std::string& out, const RecordView& record) {
  State& state = *m_state;
  const JqApi& jq = state.jq;
  state.start(record);
  for (;;) {
    const jv output = jq.jq_next(state.program);
    if (jq.jv_get_kind(output) == JV_KIND_INVALID) {
      state.finish(record, output);
      return;
    }
    const jv dumped = jq.jv_dump_string(output, 0);
    out.append(jq.jv_string_value(dumped),
               static_cast<std::size_t>(jq.jv_string_length_bytes(jq.jv_copy(dumped))));
    out.push_back('\n');
    jq.jv_free(dumped);
  }
}

std::uint64_t JqProgram::errors() const {
  return m_state->errors;
}

std::uint64_t JqProgram::evaluated() const {
  return m_state->evaluated;
}

void JqProgram::set_diagnostics(std::function<void(std::string_view)> sink) {
  m_state->diagnostics = std::move(sink);
}

namespace {

class JqFormatter final : public RecordFormatter {
 public:
  explicit JqFormatter(std::shared_ptr<JqProgram> program) : m_program(std::move(program)) {}
  void append(std::string& out, const RecordView& record) override {
    m_program->append_outputs(out, record);
  }
  bool needs_headers() const override { return true; }

 private:
  std::shared_ptr<JqProgram> m_program;
};

}  // namespace

std::unique_ptr<RecordFormatter> make_jq_formatter(std::shared_ptr<JqProgram> program) {
  return std::make_unique<JqFormatter>(std::move(program));
}

}  // namespace evt::format
