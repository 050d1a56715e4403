// SPDX-License-Identifier: MIT
#include "tests/cli/cli_support.hpp"

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

namespace evt::test::cli {

namespace {

void print_bytes(std::ostream& out, const Bytes& bytes) {
  if (!bytes) {
    out << "null";
    return;
  }
  out << '"';
  for (unsigned char c : *bytes) {
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out << static_cast<char>(c);
    } else {
      static constexpr char k_hex[] = "0123456789abcdef";
      out << "\\x" << k_hex[c >> 4] << k_hex[c & 0xF];
    }
  }
  out << '"';
}

// JSON for peer.py write: bytes as {"b64": "..."} or null.
std::string peer_bytes(const Bytes& bytes) {
  return bytes ? "{\"b64\":\"" + base64_encode(*bytes) + "\"}" : "null";
}

Bytes peer_decode(const Json& field) {
  if (field.is_null()) {
    return std::nullopt;
  }
  return base64_decode(field["b64"].str());
}

// The design's bytes field: a string (UTF-8 bytes), {"base64": "..."}, or null.
Bytes envelope_bytes(const Json& field) {
  switch (field.type) {
    case Json::Type::null:
      return std::nullopt;
    case Json::Type::string:
      return field.text;
    case Json::Type::object:
      if (field.members.size() != 1 || field.members[0].first != "base64") {
        throw std::runtime_error("bytes object is not {\"base64\": ...}");
      }
      return base64_decode(field["base64"].str());
    default:
      throw std::runtime_error("bytes field of the wrong type");
  }
}

class JsonReader {
 public:
  explicit JsonReader(std::string_view text) : m_text(text) {}

  Json document() {
    Json value = parse_value();
    skip_space();
    if (m_pos != m_text.size()) {
      throw std::runtime_error("trailing text after JSON document");
    }
    return value;
  }

 private:
  void skip_space() {
    while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' ||
                                     m_text[m_pos] == '\n' || m_text[m_pos] == '\r')) {
      ++m_pos;
    }
  }
  char peek() {
    skip_space();
    if (m_pos >= m_text.size()) {
      throw std::runtime_error("unexpected end of JSON");
    }
    return m_text[m_pos];
  }
  void expect(char c) {
    if (peek() != c) {
      throw std::runtime_error(std::string("expected '") + c + "' in JSON at " +
                               std::to_string(m_pos));
    }
    ++m_pos;
  }
  void expect_word(std::string_view word) {
    if (m_text.substr(m_pos, word.size()) != word) {
      throw std::runtime_error("bad JSON literal at " + std::to_string(m_pos));
    }
    m_pos += word.size();
  }

  static void append_utf8(std::string& out, std::uint32_t code) {
    if (code < 0x80) {
      out.push_back(static_cast<char>(code));
    } else if (code < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (code >> 6)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else if (code < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (code >> 12)));
      out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (code >> 18)));
      out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    }
  }

  std::uint32_t hex4() {
    if (m_pos + 4 > m_text.size()) {
      throw std::runtime_error("short \\u escape");
    }
    const std::string digits(m_text.substr(m_pos, 4));
    m_pos += 4;
    return static_cast<std::uint32_t>(std::stoul(digits, nullptr, 16));
  }

  std::string parse_string() {
    expect('"');
    std::string out;
    for (;;) {
      if (m_pos >= m_text.size()) {
        throw std::runtime_error("unterminated JSON string");
      }
      const char c = m_text[m_pos++];
      if (c == '"') {
        return out;
      }
      if (static_cast<unsigned char>(c) < 0x20) {
        throw std::runtime_error("raw control character in JSON string");
      }
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (m_pos >= m_text.size()) {
        throw std::runtime_error("unterminated escape");
      }
      const char e = m_text[m_pos++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out.push_back(e);
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u': {
          std::uint32_t code = hex4();
          if (code >= 0xD800 && code < 0xDC00) {
            expect_word("\\u");
            const std::uint32_t low = hex4();
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          }
          append_utf8(out, code);
          break;
        }
        default:
          throw std::runtime_error("bad escape in JSON string");
      }
    }
  }

  Json parse_value() {
    Json value;
    const char c = peek();
    if (c == '{') {
      ++m_pos;
      value.type = Json::Type::object;
      if (peek() == '}') {
        ++m_pos;
        return value;
      }
      for (;;) {
        std::string name = parse_string();
        expect(':');
        value.members.emplace_back(std::move(name), parse_value());
        if (peek() == ',') {
          ++m_pos;
          continue;
        }
        expect('}');
        return value;
      }
    }
    if (c == '[') {
      ++m_pos;
      value.type = Json::Type::array;
      if (peek() == ']') {
        ++m_pos;
        return value;
      }
      for (;;) {
        value.items.push_back(parse_value());
        if (peek() == ',') {
          ++m_pos;
          continue;
        }
        expect(']');
        return value;
      }
    }
    if (c == '"') {
      value.type = Json::Type::string;
      value.text = parse_string();
      return value;
    }
    if (c == 'n') {
      expect_word("null");
      return value;
    }
    if (c == 't' || c == 'f') {
      value.type = Json::Type::boolean;
      value.boolean = c == 't';
      expect_word(c == 't' ? "true" : "false");
      return value;
    }
    value.type = Json::Type::number;
    const std::size_t start = m_pos;
    while (m_pos < m_text.size() &&
           std::string_view("-+0123456789.eE").find(m_text[m_pos]) != std::string_view::npos) {
      ++m_pos;
    }
    if (m_pos == start) {
      throw std::runtime_error("bad JSON value at " + std::to_string(m_pos));
    }
    value.text = std::string(m_text.substr(start, m_pos - start));
    return value;
  }

  std::string_view m_text;
  std::size_t m_pos = 0;
};

}  // namespace

std::ostream& operator<<(std::ostream& out, const PeerHeader& header) {
  out << header.name << '=';
  print_bytes(out, header.value);
  return out;
}

std::ostream& operator<<(std::ostream& out, const PeerRecord& record) {
  out << "{p" << record.partition << " o" << record.offset << " ts" << record.timestamp << " key ";
  print_bytes(out, record.key);
  out << " value ";
  print_bytes(out, record.value);
  out << " headers [";
  for (std::size_t i = 0; i < record.headers.size(); ++i) {
    out << (i ? ", " : "") << record.headers[i];
  }
  out << "]}";
  return out;
}

bool Json::has(std::string_view name) const {
  return std::any_of(
      members.begin(), members.end(), [&](const auto& member) { return member.first == name; });
}

const Json& Json::operator[](std::string_view name) const {
  for (const auto& [key, value] : members) {
    if (key == name) {
      return value;
    }
  }
  throw std::runtime_error("JSON member \"" + std::string(name) + "\" missing");
}

std::int64_t Json::integer() const {
  if (type != Type::number) {
    throw std::runtime_error("JSON value is not a number");
  }
  std::size_t used = 0;
  const long long parsed = std::stoll(text, &used);
  if (used != text.size()) {
    throw std::runtime_error("JSON number is not an integer: " + text);
  }
  return parsed;
}

const std::string& Json::str() const {
  if (type != Type::string) {
    throw std::runtime_error("JSON value is not a string");
  }
  return text;
}

std::vector<std::string> Json::keys() const {
  std::vector<std::string> names;
  for (const auto& member : members) {
    names.push_back(member.first);
  }
  return names;
}

Json parse_json(std::string_view text) {
  return JsonReader(text).document();
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string base64_encode(std::string_view bytes) {
  static constexpr char k_alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t n = (static_cast<unsigned char>(bytes[i]) << 16) |
                            (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                            static_cast<unsigned char>(bytes[i + 2]);
    out += {k_alphabet[n >> 18],
            k_alphabet[(n >> 12) & 63],
            k_alphabet[(n >> 6) & 63],
            k_alphabet[n & 63]};
  }
  const std::size_t left = bytes.size() - i;
  if (left == 1) {
    const std::uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
    out += {k_alphabet[n >> 18], k_alphabet[(n >> 12) & 63], '=', '='};
  } else if (left == 2) {
    const std::uint32_t n = (static_cast<unsigned char>(bytes[i]) << 16) |
                            (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += {k_alphabet[n >> 18], k_alphabet[(n >> 12) & 63], k_alphabet[(n >> 6) & 63], '='};
  }
  return out;
}

std::string base64_decode(std::string_view text) {
  auto value_of = [](char c) -> int {
    if (c >= 'A' && c <= 'Z')
      return c - 'A';
    if (c >= 'a' && c <= 'z')
      return c - 'a' + 26;
    if (c >= '0' && c <= '9')
      return c - '0' + 52;
    if (c == '+')
      return 62;
    if (c == '/')
      return 63;
    return -1;
  };
  if (text.size() % 4 != 0) {
    throw std::runtime_error("base64 length is not a multiple of 4");
  }
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::uint32_t n = 0;
    int pad = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const char c = text[i + j];
      if (c == '=' && i + 4 == text.size() && j >= 2) {
        ++pad;
        n <<= 6;
        continue;
      }
      const int v = value_of(c);
      if (v < 0 || pad > 0) {
        throw std::runtime_error("bad base64");
      }
      n = (n << 6) | static_cast<std::uint32_t>(v);
    }
    out.push_back(static_cast<char>((n >> 16) & 0xFF));
    if (pad < 2)
      out.push_back(static_cast<char>((n >> 8) & 0xFF));
    if (pad < 1)
      out.push_back(static_cast<char>(n & 0xFF));
  }
  return out;
}

std::map<std::string, std::string> evt_env() {
  return {{"EVT_CONFIG", "/nonexistent/evt-test-config.yaml"},
          {"EVT_BROKER_FILE", "/nonexistent/evt-test-broker"}};
}

ProcessResult evt_raw(const std::vector<std::string>& args, const RunOptions& options) {
  std::vector<std::string> argv = {evt_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions with_env = options;
  for (const auto& [name, value] : evt_env()) {
    with_env.env.emplace(name, value);
  }
  return run(argv, with_env);
}

std::vector<std::string> evt_argv(const LocalBroker& broker, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {evt_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("-b");
  argv.push_back(broker.bootstrap());
  return argv;
}

ProcessResult shell(const LocalBroker& broker,
                    const std::string& script,
                    const RunOptions& options) {
  RunOptions with_env = options;
  for (const auto& [name, value] : evt_env()) {
    with_env.env.emplace(name, value);
  }
  with_env.env["EVT"] = evt_binary();
  with_env.env["B"] = broker.bootstrap();
  return run({"/bin/bash", "-c", script}, with_env);
}

std::vector<PeerRecord> peer_read(const LocalBroker& broker, const std::string& topic) {
  return peer_read(broker.bootstrap(), topic);
}

std::vector<PeerRecord> peer_read(const std::string& bootstrap, const std::string& topic) {
  const ProcessResult result = run({peer_python(), peer_script(), "read", bootstrap, topic});
  INFO("peer.py read " << topic << " stderr: " << result.err);
  REQUIRE(result.exit_code == 0);
  std::vector<PeerRecord> records;
  for (const std::string& line : split_lines(result.out)) {
    const Json json = parse_json(line);
    PeerRecord record;
    record.partition = static_cast<std::int32_t>(json["partition"].integer());
    record.offset = json["offset"].integer();
    record.timestamp = json["timestamp"].integer();
    record.key = peer_decode(json["key"]);
    record.value = peer_decode(json["value"]);
    for (const Json& pair : json["headers"].items) {
      record.headers.push_back(PeerHeader{pair.items.at(0).str(), peer_decode(pair.items.at(1))});
    }
    records.push_back(std::move(record));
  }
  return records;
}

RunOptions input(std::string data) {
  RunOptions options;
  options.stdin_data = std::move(data);
  return options;
}

std::vector<Bytes> strings(std::initializer_list<const char*> values) {
  std::vector<Bytes> out;
  for (const char* value : values) {
    out.emplace_back(value);
  }
  return out;
}

std::string peer_line(const PeerWrite& record) {
  std::string line =
      "{\"key\":" + peer_bytes(record.key) + ",\"value\":" + peer_bytes(record.value);
  line += ",\"headers\":[";
  for (std::size_t i = 0; i < record.headers.size(); ++i) {
    line += (i ? "," : "");
    line += "[\"" + record.headers[i].first + "\"," + peer_bytes(record.headers[i].second) + "]";
  }
  line += "]";
  if (record.partition) {
    line += ",\"partition\":" + std::to_string(*record.partition);
  }
  if (record.timestamp) {
    line += ",\"timestamp\":" + std::to_string(*record.timestamp);
  }
  return line + "}\n";
}

std::vector<std::string> peer_writer_argv(const LocalBroker& broker, const std::string& topic) {
  return {peer_python(), peer_script(), "write", broker.bootstrap(), topic};
}

void peer_write(const LocalBroker& broker,
                const std::string& topic,
                const std::vector<PeerWrite>& records) {
  peer_write(broker.bootstrap(), topic, records);
}

void peer_write(const std::string& bootstrap,
                const std::string& topic,
                const std::vector<PeerWrite>& records) {
  std::string input;
  for (const PeerWrite& record : records) {
    input += peer_line(record);
  }
  RunOptions options;
  options.stdin_data = input;
  const ProcessResult result =
      run({peer_python(), peer_script(), "write", bootstrap, topic}, options);
  INFO("peer.py write " << topic << " stderr: " << result.err);
  REQUIRE(result.exit_code == 0);
}

void peer_commit(const LocalBroker& broker,
                 const std::string& group,
                 const std::string& topic,
                 const std::vector<std::pair<std::int32_t, std::int64_t>>& offsets) {
  std::vector<std::string> argv = {
      peer_python(), peer_script(), "commit", broker.bootstrap(), group, topic};
  for (const auto& [partition, offset] : offsets) {
    argv.push_back(std::to_string(partition) + "=" + std::to_string(offset));
  }
  const ProcessResult result = run(argv);
  INFO("peer.py commit " << group << " stderr: " << result.err);
  REQUIRE(result.exit_code == 0);
}

std::int32_t java_partition(const std::string& key, int partitions) {
  const ProcessResult result =
      run({debian_python(), peer_script(), "partition-for", key, std::to_string(partitions)});
  INFO("peer.py partition-for stderr: " << result.err);
  REQUIRE(result.exit_code == 0);
  return static_cast<std::int32_t>(std::stoi(result.out));
}

ProcessResult kcat(const LocalBroker& broker,
                   const std::vector<std::string>& args,
                   const RunOptions& options) {
  std::vector<std::string> argv = {"/usr/bin/kcat", "-b", broker.bootstrap()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, options);
}

FaultCluster::FaultCluster(const std::vector<std::string>& topics, int nodes)
    : m_control(m_dir.file("c.sock")) {
  std::vector<std::string> argv = {evt_binary(),
                                   "broker",
                                   "--no-publish",
                                   "--nodes",
                                   std::to_string(nodes),
                                   "--control",
                                   m_control};
  for (const std::string& topic : topics) {
    argv.push_back("--topic");
    argv.push_back(topic);
  }
  m_process = std::make_unique<Process>(argv, evt_env());
  const std::string out = m_process->read_lines(1, std::chrono::seconds(20));
  const std::size_t newline = out.find('\n');
  if (newline == std::string::npos) {
    throw std::runtime_error("evt broker --control did not start");
  }
  m_bootstrap = out.substr(0, newline);
}

FaultCluster::~FaultCluster() {
  m_process->signal(SIGTERM);
  m_process->wait(std::chrono::seconds(10));
}

void FaultCluster::fault(const std::string& command) const {
  std::vector<std::string> argv = {"broker", "fault", "--control", m_control};
  std::istringstream words(command);
  for (std::string word; words >> word;) {
    argv.push_back(word);
  }
  RunOptions options;
  options.timeout = std::chrono::seconds(15);
  const ProcessResult result = evt_raw(argv, options);
  INFO("evt broker fault " << command << ": exit " << result.exit_code
                           << ", stderr: " << result.err);
  REQUIRE(result.exit_code == 0);
  REQUIRE(result.out == "ok\n");
}

std::vector<std::string> FaultCluster::argv(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {evt_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("-b");
  argv.push_back(m_bootstrap);
  return argv;
}

ProcessResult FaultCluster::evt(const std::vector<std::string>& args,
                                const RunOptions& options) const {
  std::vector<std::string> with_brokers = args;
  with_brokers.push_back("-b");
  with_brokers.push_back(m_bootstrap);
  return evt_raw(with_brokers, options);
}

std::vector<int> FaultCluster::leaders(const std::string& topic) const {
  const ProcessResult result = evt({"inspect", "topic", topic, "-o", "json"});
  INFO("evt inspect topic " << topic << " stderr: " << result.err);
  REQUIRE(result.exit_code == 0);
  const Json json = parse_json(result.out);
  std::vector<int> leaders;
  for (const Json& partition : json["partitions"].items) {
    REQUIRE(partition["partition"].integer() == static_cast<std::int64_t>(leaders.size()));
    leaders.push_back(static_cast<int>(partition["leader"].integer()));
  }
  return leaders;
}

std::vector<Bytes> values_of(const std::vector<PeerRecord>& records) {
  std::vector<Bytes> values;
  for (const PeerRecord& record : records) {
    values.push_back(record.value);
  }
  return values;
}

std::vector<Bytes> keys_of(const std::vector<PeerRecord>& records) {
  std::vector<Bytes> keys;
  for (const PeerRecord& record : records) {
    keys.push_back(record.key);
  }
  return keys;
}

std::vector<PeerRecord> in_partition(const std::vector<PeerRecord>& records,
                                     std::int32_t partition) {
  std::vector<PeerRecord> selected;
  for (const PeerRecord& record : records) {
    if (record.partition == partition) {
      selected.push_back(record);
    }
  }
  return selected;
}

std::vector<std::string> positions_of(const std::vector<PeerRecord>& records) {
  std::vector<std::string> positions;
  for (const PeerRecord& record : records) {
    positions.push_back(std::to_string(record.partition) + ":" + std::to_string(record.offset));
  }
  return positions;
}

Envelope parse_envelope(const std::string& line) {
  const Json json = parse_json(line);
  Envelope envelope;
  envelope.topic = json["topic"].str();
  envelope.timestamp_type = json["timestamp_type"].str();
  envelope.record.partition = static_cast<std::int32_t>(json["partition"].integer());
  envelope.record.offset = json["offset"].integer();
  envelope.record.timestamp = json["timestamp"].integer();
  envelope.record.key = envelope_bytes(json["key"]);
  envelope.record.value = envelope_bytes(json["value"]);
  if (json.has("headers")) {
    for (const Json& header : json["headers"].items) {
      envelope.record.headers.push_back(
          PeerHeader{header["name"].str(), envelope_bytes(header["value"])});
    }
  }
  return envelope;
}

std::vector<Envelope> parse_envelopes(const std::string& text) {
  std::vector<Envelope> envelopes;
  for (const std::string& line : split_lines(text)) {
    envelopes.push_back(parse_envelope(line));
  }
  return envelopes;
}

std::vector<PeerRecord> records_of(const std::vector<Envelope>& envelopes) {
  std::vector<PeerRecord> records;
  for (const Envelope& envelope : envelopes) {
    records.push_back(envelope.record);
  }
  std::sort(records.begin(), records.end(), [](const PeerRecord& a, const PeerRecord& b) {
    return std::pair(a.partition, a.offset) < std::pair(b.partition, b.offset);
  });
  return records;
}

void produce_keyed(const FaultCluster& cluster, const std::string& topic, int count) {
  std::string lines;
  for (int i = 0; i < count; ++i) {
    lines += "k" + std::to_string(i % 997) + ":" + std::to_string(i) + "\n";
  }
  RunOptions input;
  input.stdin_data = lines;
  input.timeout = std::chrono::seconds(120);
  REQUIRE(cluster.evt({"produce", topic, "-K:"}, input).exit_code == 0);
}

ProcessResult evt_command(const LocalBroker& broker,
                          const std::string& subcommand,
                          const std::vector<std::string>& args,
                          std::chrono::milliseconds timeout,
                          const std::map<std::string, std::string>& env) {
  std::vector<std::string> argv = {subcommand};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions options;
  options.timeout = timeout;
  options.env = env;
  return evt::test::evt(broker, argv, options);
}

std::string evt_ok(const LocalBroker& broker,
                   const std::string& subcommand,
                   const std::vector<std::string>& args,
                   std::chrono::milliseconds timeout,
                   const std::map<std::string, std::string>& env) {
  const ProcessResult result = evt_command(broker, subcommand, args, timeout, env);
  INFO("evt " << subcommand << " " << Catch::StringMaker<std::vector<std::string>>::convert(args)
              << "\nstderr: " << result.err);
  REQUIRE_FALSE(result.timed_out);
  REQUIRE(result.exit_code == 0);
  return result.out;
}

void write_tricky(const LocalBroker& broker, const std::string& topic) {
  using namespace std::string_literals;
  std::vector<PeerWrite> records(5);
  records[0].key = "\x00\xff"s;
  records[0].value = "\x80\x00\x1b[31m binary"s;
  records[0].headers = {{"trace", "abc"}, {"bin", "\xff\x00"s}, {"trace", "dup"}};
  records[0].partition = 0;
  records[0].timestamp = 1600000000123;
  records[1].key = std::nullopt;
  records[1].value = "";
  records[1].partition = 0;
  records[1].timestamp = 1600000000124;
  records[2].key = "";
  records[2].value = std::nullopt;
  records[2].partition = 1;
  records[2].timestamp = 1600000000125;
  records[3].key = "utf8 \xc3\xa9 \xf0\x9f\x99\x82";
  records[3].value = "{\"id\":1}\n";
  records[3].headers = {{"empty", ""}};
  records[3].partition = 2;
  records[3].timestamp = 1600000000126;
  records[4].key = "\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87";
  records[4].value = "tab\t\"quotes\" back\\slash \x01 \x7f";
  records[4].partition = 2;
  // 0 is a timestamp like any other (librdkafka's producer reads 0 as "now": evt must not).
  records[4].timestamp = 0;
  peer_write(broker, topic, records);
}

ProcessResult in_terminal(const std::string& command, const RunOptions& options) {
  RunOptions with_env = options;
  for (const auto& [name, value] : evt_env()) {
    with_env.env.emplace(name, value);
  }
  return run({"/usr/bin/script", "-qfec", command, "/dev/null"}, with_env);
}

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  return out + "'";
}

std::string terminal_problem(std::string_view text, const std::vector<std::string>& allowed_sgr) {
  auto where = [&](std::size_t i) {
    const std::size_t from = i < 20 ? 0 : i - 20;
    std::ostringstream out;
    out << " at byte " << i << " after ";
    print_bytes(out, std::string(text.substr(from, i - from)));
    return out.str();
  };
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n' || c == '\r' || c == '\t' || (c >= 0x20 && c < 0x7f)) {
      ++i;
      continue;
    }
    if (c == 0x1b) {
      // ESC [ params m, params from allowed_sgr only.
      const std::size_t m = text.find('m', i);
      if (i + 1 >= text.size() || text[i + 1] != '[' || m == std::string_view::npos) {
        return "ESC outside an SGR sequence" + where(i);
      }
      const std::string params(text.substr(i + 2, m - i - 2));
      if (params.find_first_not_of("0123456789;") != std::string::npos ||
          std::find(allowed_sgr.begin(), allowed_sgr.end(), params) == allowed_sgr.end()) {
        return "unexpected escape sequence ESC[" + params + "m" + where(i);
      }
      i = m + 1;
      continue;
    }
    if (c < 0x20) {
      return "C0 control byte " + std::to_string(c) + where(i);
    }
    if (c == 0x7f) {
      return "DEL byte" + where(i);
    }
    // UTF-8: a strict decoder.
    std::size_t length = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || i + length > text.size()) {
      return "raw byte " + std::to_string(c) + " that is not UTF-8" + where(i);
    }
    std::uint32_t code = c & (0x7F >> length);
    for (std::size_t j = 1; j < length; ++j) {
      const auto next = static_cast<unsigned char>(text[i + j]);
      if ((next & 0xC0) != 0x80) {
        return "raw byte " + std::to_string(c) + " that is not UTF-8" + where(i);
      }
      code = (code << 6) | (next & 0x3F);
    }
    const std::uint32_t minimum = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
    if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code < 0xE000)) {
      return "invalid UTF-8 sequence" + where(i);
    }
    if (code >= 0x80 && code < 0xA0) {
      return "C1 control character U+00" + std::string(1, "0123456789ABCDEF"[code >> 4]) +
             std::string(1, "0123456789ABCDEF"[code & 0xF]) + where(i);
    }
    i += length;
  }
  return "";
}

bool json_tool_accepts(const std::string& text) {
  RunOptions options;
  options.stdin_data = text;
  return run({debian_python(), "-m", "json.tool"}, options).exit_code == 0;
}

SilentListener::SilentListener() {
  m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(m_fd, 64) != 0 ||
      ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("cannot listen on 127.0.0.1");
  }
  m_port = ntohs(address.sin_port);
}

SilentListener::~SilentListener() {
  ::close(m_fd);
}

std::string SilentListener::address() const {
  return "127.0.0.1:" + std::to_string(m_port);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace evt::test::cli

namespace Catch {
std::string StringMaker<std::optional<std::string>>::convert(
    const std::optional<std::string>& bytes) {
  std::ostringstream out;
  evt::test::cli::PeerHeader header{"", bytes};
  out << header;
  return out.str().substr(1);
}
}  // namespace Catch
