// Exports real handshakes (clean, 30% loss, Retry, resumption with 0-RTT,
// ALPN mismatch) as pcap + keylog and checks with tshark that Wireshark
// dissects and decrypts every QUIC packet, with no malformed packets and no
// expert warnings or errors, and that the TLS handshake messages it shows
// are the ones the endpoints' own events report.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tools/export/keylog.h"
#include "tools/export/pcap_writer.h"
#include "tools/export/scenario.h"
#include "tools/export/trace_details.h"

namespace quicsim::exporter {
namespace {

std::string Shell(const std::string& command) {
  std::string out;
  std::FILE* p = popen((command + " 2>/dev/null").c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

std::string TmpDir() {
  const char* d = std::getenv("TEST_TMPDIR");
  return d != nullptr ? d : "/tmp";
}

struct Case {
  // tools/export/testdata/SCENARIO.textproto (its seed included).
  std::string scenario;
  // TLS handshake message types Wireshark must show, in order (1
  // ClientHello, 2 ServerHello, 8 EncryptedExtensions, 11 Certificate, 15
  // CertificateVerify, 20 Finished, 4 NewSessionTicket).
  std::string handshake_types;
};

class TsharkTest : public ::testing::TestWithParam<Case> {};

TEST_P(TsharkTest, EveryPacketDissectedAndDecrypted) {
  const Case& c = GetParam();
  auto result = RunScenario(c.scenario);
  ASSERT_TRUE(result.ok()) << result.status();
  const ScenarioResult& r = **result;
  const std::string base = absl::StrCat(TmpDir(), "/", c.scenario);
  ASSERT_TRUE(WritePcaps(r.capture, base).ok());
  ASSERT_TRUE(WriteKeylog(r.keylog, base + ".keys").ok());

  // Packets the endpoints sent (per their trace), datagrams on the wire.
  size_t endpoint_packets = 0;
  for (const auto& e : r.events) {
    if (e.kind == "packet_sent") ++endpoint_packets;
  }
  size_t dropped = 0, arrivals = 0;
  for (const auto& d : r.capture.datagrams()) {
    dropped += d.dropped;
    arrivals += d.deliveries.size();
  }
  if (c.scenario == "lossy") EXPECT_GT(dropped, 0u);

  for (const char* point : {"sent", "delivered"}) {
    SCOPED_TRACE(point);
    const std::string pcap = absl::StrCat(base, ".", point, ".pcap");
    const std::string opts =
        absl::StrCat("tshark -n -r ", pcap, " -o tls.keylog_file:", base,
                     ".keys -d udp.port==443,quic -d udp.port==444,quic");
    // One line per frame: its QUIC packet types and whether any packet is
    // still undecrypted.
    const std::string fields =
        Shell(absl::StrCat(opts,
                           " -T fields -e frame.number -e quic.long.packet_type"
                           " -e quic.short -e quic.remaining_payload"));
    const std::vector<std::string> frames =
        absl::StrSplit(fields, '\n', absl::SkipEmpty());
    const size_t expected_frames =
        std::string(point) == "sent" ? r.capture.datagrams().size() : arrivals;
    EXPECT_EQ(frames.size(), expected_frames) << fields;
    for (const std::string& f : frames) {
      std::vector<std::string> cols = absl::StrSplit(f, '\t');
      ASSERT_EQ(cols.size(), 4u) << f;
      EXPECT_TRUE(!cols[1].empty() || !cols[2].empty())
          << "frame without a QUIC packet: " << f;
      EXPECT_TRUE(cols[3].empty()) << "undecrypted payload: " << f;
    }
    const std::string verbose = Shell(absl::StrCat(opts, " -V"));
    EXPECT_FALSE(absl::StrContains(verbose, "Malformed"));
    EXPECT_FALSE(absl::StrContains(verbose, "Decryption failed"));
    const std::string expert = Shell(absl::StrCat(opts, " -q -z expert,warn"));
    EXPECT_FALSE(absl::StrContains(expert, "Warns (")) << expert;
    EXPECT_FALSE(absl::StrContains(expert, "Errors (")) << expert;

    // Every QUIC packet the endpoints sent is in the sent capture.
    if (std::string(point) == "sent") {
      const std::string n =
          Shell(absl::StrCat(opts, " -T fields -e quic.packet_length"));
      size_t packets = 0;
      for (absl::string_view line :
           absl::StrSplit(n, '\n', absl::SkipEmpty())) {
        for (absl::string_view col : absl::StrSplit(line, '\t')) {
          for (absl::string_view v :
               absl::StrSplit(col, ',', absl::SkipEmpty())) {
            (void)v;
            ++packets;
          }
        }
      }
      EXPECT_EQ(packets, endpoint_packets) << n;
      const std::string hs =
          Shell(absl::StrCat(opts, " -T fields -e tls.handshake.type"));
      std::vector<std::string> types;
      for (absl::string_view line :
           absl::StrSplit(hs, '\n', absl::SkipEmpty())) {
        for (absl::string_view t :
             absl::StrSplit(line, ',', absl::SkipEmpty())) {
          types.emplace_back(t);
        }
      }
      EXPECT_EQ(absl::StrJoin(types, ","), c.handshake_types);
      // ... and they are exactly the messages the endpoints say they wrote,
      // in order.
      std::vector<std::string> written;
      for (const sim::TraceEvent& e : r.events) {
        if (e.kind != "tls_message_sent") continue;
        const size_t at = e.details.find("type=");
        if (at == std::string::npos) continue;
        written.push_back(
            e.details.substr(at + 5, e.details.find(' ', at) - (at + 5)));
      }
      EXPECT_EQ(absl::StrJoin(types, ","), absl::StrJoin(written, ","));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Scenarios, TsharkTest,
    ::testing::Values(
        Case{"clean", "1,2,8,11,15,20,20,4"},
        Case{"lossy", "1,2,8,11,15,20,20,4"},
        // The ClientHello repeated after the Retry is shown once: Wireshark
        // treats its CRYPTO data (offset 0 again) as a retransmission.
        Case{"retry", "1,2,8,11,15,20,20,4"},
        // Full handshake, then the resumption: no Certificate or
        // CertificateVerify the second time.
        Case{"zero_rtt", "1,2,8,11,15,20,20,4,1,2,8,20,20,4"},
        Case{"alpn_mismatch", "1"}),
    [](const ::testing::TestParamInfo<Case>& info) {
      return info.param.scenario;
    });

}  // namespace
}  // namespace quicsim::exporter
