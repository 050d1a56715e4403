// SPDX-License-Identifier: MIT
// Helpers for the CLI tier: an independent view of what is in a topic (tests/cli/peer.py, kcat),
// a small JSON reader for evt's envelopes and --report lines, and base64 — none of it shares
// code with evt, so a bug in evt's own encoders cannot hide itself.
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/support/process.hpp"

namespace evt::test::cli {

/// A bytes field: nullopt is null, which differs from "".
using Bytes = std::optional<std::string>;

struct PeerHeader {
  std::string name;
  Bytes value;
  bool operator==(const PeerHeader&) const = default;
};

/// One record as an independent client sees it.
struct PeerRecord {
  std::int32_t partition = -1;
  std::int64_t offset = -1;
  std::int64_t timestamp = -1;
  Bytes key;
  Bytes value;
  std::vector<PeerHeader> headers;
  bool operator==(const PeerRecord&) const = default;
};
std::ostream& operator<<(std::ostream& out, const PeerRecord& record);
std::ostream& operator<<(std::ostream& out, const PeerHeader& header);

/// What to write with peer.py (partition and timestamp optional; no null header values).
struct PeerWrite {
  Bytes key;
  Bytes value;
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<std::int32_t> partition;
  std::optional<std::int64_t> timestamp;
};

/// Every record of `topic` up to its current end, sorted by (partition, offset), read with
/// confluent-kafka through peer.py. Fails the test when peer.py fails.
std::vector<PeerRecord> peer_read(const LocalBroker& broker, const std::string& topic);
/// The same, for a cluster known only by its bootstrap list (e.g. one started with --control).
std::vector<PeerRecord> peer_read(const std::string& bootstrap, const std::string& topic);
/// Writes records with kafka-python through peer.py (acks=all; returns once all are acknowledged).
void peer_write(const LocalBroker& broker,
                const std::string& topic,
                const std::vector<PeerWrite>& records);
/// The same, for a cluster known only by its bootstrap list.
void peer_write(const std::string& bootstrap,
                const std::string& topic,
                const std::vector<PeerWrite>& records);
/// The partition the Java client's murmur2 partitioner picks for `key` among `partitions`.
std::int32_t java_partition(const std::string& key, int partitions);
/// Run options that feed `data` to standard input.
RunOptions input(std::string data);
/// Non-null byte values, for comparing with values_of()/keys_of().
std::vector<Bytes> strings(std::initializer_list<const char*> values);
/// One line of peer.py write's input for `record` (newline included).
std::string peer_line(const PeerWrite& record);
/// argv of a long-running `peer.py write` into `topic` (an evt::test::Process): each line
/// written to its stdin (see peer_line) is sent at once (linger 5 ms).
std::vector<std::string> peer_writer_argv(const LocalBroker& broker, const std::string& topic);
/// Commits offsets (partition, offset) of `topic` for `group` with confluent-kafka, not as a
/// member: the group must have no members (a new group is fine). Fails the test on error.
void peer_commit(const LocalBroker& broker,
                 const std::string& group,
                 const std::string& topic,
                 const std::vector<std::pair<std::int32_t, std::int64_t>>& offsets);

/// Runs kcat against the broker (stdout and stderr captured).
ProcessResult kcat(const LocalBroker& broker,
                   const std::vector<std::string>& args,
                   const RunOptions& options = {});

/// Runs `evt SUBCOMMAND ARGS -b BOOTSTRAP`, with `env` added to the test environment.
ProcessResult evt_command(const LocalBroker& broker,
                          const std::string& subcommand,
                          const std::vector<std::string>& args,
                          std::chrono::milliseconds timeout,
                          const std::map<std::string, std::string>& env = {});
/// The same, which must end by itself with exit 0; returns its stdout.
std::string evt_ok(const LocalBroker& broker,
                   const std::string& subcommand,
                   const std::vector<std::string>& args,
                   std::chrono::milliseconds timeout,
                   const std::map<std::string, std::string>& env = {});

/// Writes (with the peer client) five records with everything that is easy to get wrong: binary
/// bytes (NUL, an escape sequence), null versus empty key and value, duplicate and binary
/// headers, an empty header value, Unicode, JSON-special and control characters, and timestamp
/// 0. On partitions 0, 0, 1, 2, 2 of `topic`, which needs 3 partitions.
void write_tricky(const LocalBroker& broker, const std::string& topic);

/// Runs evt with the test environment (no config file, no local broker file) but without -b.
ProcessResult evt_raw(const std::vector<std::string>& args, const RunOptions& options = {});
/// The environment evt gets in these tests.
std::map<std::string, std::string> evt_env();
/// argv for `evt ARGS -b BOOTSTRAP`, for a long-running evt::test::Process.
std::vector<std::string> evt_argv(const LocalBroker& broker, const std::vector<std::string>& args);
/// `sh -c SCRIPT` with $EVT set to the binary and $B to the bootstrap list.
ProcessResult shell(const LocalBroker& broker,
                    const std::string& script,
                    const RunOptions& options = {});

/// A local cluster (`evt broker --no-publish --nodes N --control SOCKET`) whose faults are
/// injected through the user-facing `evt broker fault --control SOCKET ...`; stopped when
/// destroyed.
class FaultCluster {
 public:
  explicit FaultCluster(const std::vector<std::string>& topics, int nodes = 3);
  ~FaultCluster();
  FaultCluster(const FaultCluster&) = delete;
  FaultCluster& operator=(const FaultCluster&) = delete;

  const std::string& bootstrap() const { return m_bootstrap; }
  const std::string& control() const { return m_control; }
  /// Runs `evt broker fault --control SOCKET WORDS...` (words split at spaces); fails the test
  /// unless it answers "ok".
  void fault(const std::string& command) const;
  /// argv for `evt ARGS -b BOOTSTRAP`.
  std::vector<std::string> argv(const std::vector<std::string>& args) const;
  /// Runs `evt ARGS -b BOOTSTRAP` with the test environment.
  ProcessResult evt(const std::vector<std::string>& args, const RunOptions& options = {}) const;
  /// The leader broker of each partition of `topic` (from `evt inspect topic -o json`).
  std::vector<int> leaders(const std::string& topic) const;

 private:
  TempDir m_dir;
  std::string m_control;
  std::unique_ptr<Process> m_process;
  std::string m_bootstrap;
};

/// Produces `count` records "k(I % 997)" : "I" (I from 0) into `topic` of `cluster`, with evt
/// produce -K: (keys spread them over the partitions).
void produce_keyed(const FaultCluster& cluster, const std::string& topic, int count);

/// A TCP port on 127.0.0.1 that accepts connections (the kernel completes them) but never
/// answers: a broker that may still answer, unlike a refused port.
class SilentListener {
 public:
  SilentListener();
  ~SilentListener();
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;
  std::string address() const;

 private:
  int m_fd = -1;
  int m_port = 0;
};

/// Values (or keys) of records, in order.
std::vector<Bytes> values_of(const std::vector<PeerRecord>& records);
std::vector<Bytes> keys_of(const std::vector<PeerRecord>& records);
/// Records of one partition, in offset order.
std::vector<PeerRecord> in_partition(const std::vector<PeerRecord>& records,
                                     std::int32_t partition);

/// "p:o" of every record, for compact position checks.
std::vector<std::string> positions_of(const std::vector<PeerRecord>& records);

/// Splits text at '\n'; a final empty piece after the last '\n' is dropped.
std::vector<std::string> split_lines(const std::string& text);

std::string base64_encode(std::string_view bytes);
std::string base64_decode(std::string_view text);

/// A minimal JSON value, enough to read envelopes, reports and peer.py output.
struct Json {
  enum class Type { null, boolean, number, string, array, object };
  Type type = Type::null;
  bool boolean = false;
  std::string text;  ///< a string's content, or a number's literal text
  std::vector<Json> items;
  std::vector<std::pair<std::string, Json>> members;  ///< in document order

  bool is_null() const { return type == Type::null; }
  bool has(std::string_view name) const;
  /// The member `name`; fails the test when absent.
  const Json& operator[](std::string_view name) const;
  std::int64_t integer() const;
  const std::string& str() const;
  /// The member names, in order.
  std::vector<std::string> keys() const;
};
/// Parses one JSON document; throws std::runtime_error on malformed input.
Json parse_json(std::string_view text);

/// An envelope of evt's -f json output, decoded: topic plus the record as PeerRecord.
struct Envelope {
  std::string topic;
  std::string timestamp_type;
  PeerRecord record;
};
/// Decodes one envelope line, following the design's bytes-field rules (string, {"base64"}, null).
Envelope parse_envelope(const std::string& line);
std::vector<Envelope> parse_envelopes(const std::string& text);
std::vector<PeerRecord> records_of(const std::vector<Envelope>& envelopes);

/// Runs a shell command line under a pseudo-terminal (`script -qfec COMMAND /dev/null` from
/// util-linux); stdout and stderr of the command both arrive on the result's `out`, with the
/// terminal's \n -> \r\n translation. The exit code is the command's.
ProcessResult in_terminal(const std::string& command, const RunOptions& options = {});
/// `text` quoted for sh.
std::string shell_quote(const std::string& text);
/// The first reason `text` is unsafe for a terminal, or "" when it is safe: a C0 control byte
/// other than \n, \r and \t; ESC other than in a CSI SGR sequence ESC [ ... m whose parameter is
/// in `allowed_sgr` (e.g. "0", "2", "1;31"); DEL; a byte that is not part of valid UTF-8 (a raw
/// C1 byte such as 0x9b); or a C1 control character U+0080..U+009F encoded in UTF-8.
std::string terminal_problem(std::string_view text, const std::vector<std::string>& allowed_sgr);
/// Whether `/usr/bin/python3 -m json.tool` accepts `text` (one JSON document).
bool json_tool_accepts(const std::string& text);

/// Waits until `predicate` holds, checking every few ms, for at most `timeout`.
template <typename Predicate>
bool eventually(std::chrono::milliseconds timeout, Predicate predicate) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (predicate()) {
      return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}
/// Seconds since `start` on the steady clock.
double seconds_since(std::chrono::steady_clock::time_point start);

}  // namespace evt::test::cli

namespace Catch {
// Bytes fields print as "..." (with \xNN for unprintable bytes) or null in failure messages.
template <>
struct StringMaker<std::optional<std::string>> {
  static std::string convert(const std::optional<std::string>& bytes);
};
}  // namespace Catch
