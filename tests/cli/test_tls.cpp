// SPDX-License-Identifier: MIT
// TLS through the OpenSSL that evt is built with (statically, by default: EVT_STATIC_KAFKA).
// The local broker has no TLS listener, so `openssl s_server` stands in for one: it completes
// the handshake and prints what the client sent, decrypted. It is no Kafka broker, so evt
// then gives up with exit 3; what matters is how far the connection got.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/cli/cli_support.hpp"
#include "tests/support/process.hpp"
#include <signal.h>

namespace {

using evt::test::Process;
using evt::test::ProcessResult;
using evt::test::TempDir;
using evt::test::cli::evt_raw;

// A self-signed certificate for 127.0.0.1 and a TLS server presenting it on a free port.
class TlsServer {
 public:
  explicit TlsServer(const TempDir& dir) {
    const ProcessResult made = evt::test::run({"openssl",
                                               "req",
                                               "-x509",
                                               "-newkey",
                                               "rsa:2048",
                                               "-nodes",
                                               "-days",
                                               "2",
                                               "-subj",
                                               "/CN=localhost",
                                               "-addext",
                                               "subjectAltName=IP:127.0.0.1,DNS:localhost",
                                               "-keyout",
                                               dir.file("key.pem"),
                                               "-out",
                                               dir.file("cert.pem")});
    INFO(made.err);
    REQUIRE(made.exit_code == 0);
    // stdin stays open (a pipe the test holds): at end of input s_server would hang up.
    m_server = std::make_unique<Process>(std::vector<std::string>{"openssl",
                                                                  "s_server",
                                                                  "-accept",
                                                                  "127.0.0.1:0",
                                                                  "-cert",
                                                                  dir.file("cert.pem"),
                                                                  "-key",
                                                                  dir.file("key.pem")});
    const std::string out = m_server->read_lines(2, std::chrono::seconds(10));
    const std::string accept = "ACCEPT 127.0.0.1:";
    const std::size_t at = out.find(accept);
    INFO("s_server: " << out);
    REQUIRE(at != std::string::npos);
    m_address =
        "127.0.0.1:" + out.substr(at + accept.size(), out.find('\n', at) - at - accept.size());
  }

  const std::string& address() const { return m_address; }

  // What the server printed: the handshake's outcome and the bytes it decrypted.
  std::string finish() {
    m_server->signal(SIGTERM);
    return m_server->wait(std::chrono::seconds(10)).out;
  }

 private:
  std::unique_ptr<Process> m_server;
  std::string m_address;
};

ProcessResult inspect_over_tls(const std::string& address, const std::vector<std::string>& extra) {
  std::vector<std::string> args = {
      "inspect", "topics", "-b", address, "-v", "-X", "security.protocol=ssl", "--timeout", "2s"};
  args.insert(args.end(), extra.begin(), extra.end());
  return evt_raw(args);
}

}  // namespace

TEST_CASE(
    "tls: a broker certificate signed by ssl.ca.location is accepted and the request is "
    "sent encrypted",
    "[cli][tls]") {
  TempDir dir;
  TlsServer server(dir);
  const ProcessResult result =
      inspect_over_tls(server.address(), {"-X", "ssl.ca.location=" + dir.file("cert.pem")});
  const std::string seen = server.finish();
  INFO("evt stderr: " << result.err << "\ns_server: " << seen);
  CHECK(result.exit_code == 3);  // a TLS server, but no Kafka broker
  CHECK_THAT(result.err, !Catch::Contains("certificate verify failed"));
  CHECK_THAT(seen, Catch::Contains("CIPHER is TLS_"));
  // The first Kafka request (ApiVersions, naming the client library) arrived decrypted.
  CHECK_THAT(seen, Catch::Contains("librdkafka"));
}

TEST_CASE("tls: a certificate no trusted CA signed fails verification, and says so", "[cli][tls]") {
  TempDir dir;
  TlsServer server(dir);
  const ProcessResult result = inspect_over_tls(server.address(), {});
  const std::string seen = server.finish();
  INFO("evt stderr: " << result.err << "\ns_server: " << seen);
  CHECK(result.exit_code == 3);
  CHECK_THAT(result.err, Catch::Contains("certificate verify failed"));
  CHECK_THAT(seen, !Catch::Contains("librdkafka"));
}
