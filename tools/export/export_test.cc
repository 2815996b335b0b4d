// Unit tests of the exporters on hand-built captures and a real handshake.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "sim/capture.h"
#include "tools/export/json.h"
#include "tools/export/keylog.h"
#include "tools/export/ladder_html.h"
#include "tools/export/pcap_writer.h"
#include "tools/export/qlog_writer.h"
#include "tools/export/scenario.h"
#include "tools/export/trace_details.h"

namespace quicsim::exporter {
namespace {

std::string TmpDir() {
  const char* d = std::getenv("TEST_TMPDIR");
  return d != nullptr ? d : "/tmp";
}

TEST(PcapTest, Ipv4AndUdpHeaders) {
  // 192.0.2.1:1234 -> 198.51.100.2:443, payload "abc", id 7. IPv4 checksum
  // and UDP checksum computed by hand (RFC 1071 one's-complement sums).
  const std::string p = EncapsulateUdp(sim::Address::V4(192, 0, 2, 1, 1234),
                                       sim::Address::V4(198, 51, 100, 2, 443),
                                       7, {'a', 'b', 'c'});
  const std::string expected_ip(
      "\x45\x00\x00\x1f\x00\x07\x40\x00\x40\x11\x00\x00"
      "\xc0\x00\x02\x01\xc6\x33\x64\x02",
      20);
  // Sum: 4500+001f+0007+4000+4011+c000+0201+c633+6402 = 0x2b16d ->
  // b16d+2 = b16f -> ~ = 4e90.
  std::string ip = expected_ip;
  ip[10] = '\x4e';
  ip[11] = '\x90';
  EXPECT_EQ(p.substr(0, 20), ip);
  // UDP: ports, length 11. Pseudo-header sum c000+0201+c633+6402+0011+000b
  // + header 04d2+01bb+000b + data 6162+6300 = 0x2b74c -> b74e -> ~ = 48b1.
  EXPECT_EQ(p.substr(20), std::string("\x04\xd2\x01\xbb\x00\x0b\x48\xb1"
                                      "abc",
                                      11));
}

TEST(PcapTest, SentAndDeliveredFiles) {
  sim::CapturedDatagram a;
  a.id = 1;
  a.sent = sim::Time::Zero() + sim::Duration::Millis(1500);
  a.payload = {1, 2};
  a.corrupted = true;
  a.corrupted_payload = {1, 3};
  a.deliveries = {{sim::Time::Zero() + sim::Duration::Millis(1510), true},
                  {sim::Time::Zero() + sim::Duration::Millis(1510), true}};
  sim::CapturedDatagram b;
  b.id = 2;
  b.dropped = true;
  b.payload = {9};
  const std::string sent = BuildPcap({a, b}, CapturePoint::kSent);
  const std::string delivered = BuildPcap({a, b}, CapturePoint::kDelivered);
  // 24-byte header, then records of 16 + 28 + payload bytes.
  EXPECT_EQ(sent.size(), 24u + (16 + 30) + (16 + 29));
  EXPECT_EQ(delivered.size(), 24u + 2 * (16 + 30));
  EXPECT_EQ(sent.substr(0, 4), std::string("\x4d\x3c\xb2\xa1", 4));
  EXPECT_EQ(static_cast<uint8_t>(sent[20]), 101);  // LINKTYPE_RAW
  // First record: 1704067201 s + 500000000 ns.
  auto le32 = [](const std::string& s, size_t at) {
    return static_cast<uint32_t>(static_cast<uint8_t>(s[at])) |
           static_cast<uint32_t>(static_cast<uint8_t>(s[at + 1])) << 8 |
           static_cast<uint32_t>(static_cast<uint8_t>(s[at + 2])) << 16 |
           static_cast<uint32_t>(static_cast<uint8_t>(s[at + 3])) << 24;
  };
  EXPECT_EQ(le32(sent, 24), 1704067201u);
  EXPECT_EQ(le32(sent, 28), 500000000u);
  // Sent bytes are the original, delivered ones the corrupted copy.
  EXPECT_EQ(sent.substr(24 + 16 + 28, 2), std::string("\x01\x02", 2));
  EXPECT_EQ(delivered.substr(24 + 16 + 28, 2), std::string("\x01\x03", 2));
}

TEST(KeylogTest, DeduplicatesAndTerminates) {
  EXPECT_EQ(BuildKeylog({"A 00 11", "B 00 22", "A 00 11"}),
            "# SSLKEYLOGFILE written by quicsim\nA 00 11\nB 00 22\n");
}

TEST(JsonTest, QuoteAndMillis) {
  EXPECT_EQ(JsonQuote("a\"b\\\n\x01"), "\"a\\\"b\\\\\\n\\u0001\"");
  EXPECT_EQ(JsonMillis(20000000), "20");
  EXPECT_EQ(JsonMillis(1500), "0.0015");
}

// Parses a .sqlog with python3 (RFC 7464 records) and prints one summary
// line per record: name or header fields.
std::string PythonCheck(const std::string& path) {
  const std::string script = absl::StrCat(
      "python3 -c '\n"
      "import json,sys\n"
      "data=open(sys.argv[1]).read()\n"
      "recs=data.split(\"\\x1e\")\n"
      "assert recs[0]==\"\"\n"
      "h=json.loads(recs[1])\n"
      "print(h[\"qlog_version\"],h[\"qlog_format\"],"
      "h[\"trace\"][\"vantage_point\"][\"type\"],"
      "h[\"trace\"][\"common_fields\"][\"protocol_type\"][0])\n"
      "for r in recs[2:]:\n"
      "  assert r.endswith(\"\\n\")\n"
      "  e=json.loads(r)\n"
      "  assert isinstance(e[\"time\"],(int,float)) and "
      "isinstance(e[\"data\"],dict)\n"
      "  print(e[\"name\"])\n"
      "' ",
      path);
  std::string out;
  std::FILE* p = popen(script.c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  EXPECT_EQ(pclose(p), 0) << out;
  return out;
}

TEST(QlogTest, RealHandshakeParsesWithRequiredEvents) {
  auto r = RunScenario("alpn_mismatch");
  ASSERT_TRUE(r.ok());
  std::vector<std::string> paths;
  ASSERT_TRUE(WriteQlogs((*r)->events, TmpDir() + "/qlog_alpn", &paths).ok());
  ASSERT_EQ(paths.size(), 2u);
  const std::string client = PythonCheck(paths[0]);
  const std::string server = PythonCheck(paths[1]);
  EXPECT_TRUE(absl::StartsWith(client, "0.3 JSON-SEQ client QUIC\n")) << client;
  EXPECT_TRUE(absl::StartsWith(server, "0.3 JSON-SEQ server QUIC\n")) << server;
  for (const char* name :
       {"transport:parameters_set", "transport:packet_sent",
        "transport:packet_received", "connectivity:connection_closed"}) {
    EXPECT_TRUE(absl::StrContains(client, name)) << name;
    EXPECT_TRUE(absl::StrContains(server, name)) << name;
  }
  // The close code travels in the events.
  const std::string text = BuildQlog((*r)->events, "pair/0/client");
  EXPECT_TRUE(absl::StrContains(text, "\"owner\":\"remote\""));

  auto clean = RunScenario("lossy");
  ASSERT_TRUE(clean.ok());
  paths.clear();
  ASSERT_TRUE(
      WriteQlogs((*clean)->events, TmpDir() + "/qlog_lossy", &paths).ok());
  const std::string lossy_client = PythonCheck(paths[0]);
  const std::string lossy_server = PythonCheck(paths[1]);
  EXPECT_TRUE(absl::StrContains(lossy_server, "security:key_updated"));
  for (const char* name : {"security:key_updated", "security:key_discarded",
                           "recovery:metrics_updated"}) {
    EXPECT_TRUE(absl::StrContains(lossy_client, name)) << name;
  }
}

TEST(LadderTest, MarksEveryFate) {
  auto r = RunScenario("impaired");
  ASSERT_TRUE(r.ok());
  const std::string html =
      BuildLadderHtml((*r)->capture, (*r)->events, "impaired <test>");
  EXPECT_TRUE(absl::StartsWith(html, "<!DOCTYPE html>"));
  EXPECT_TRUE(absl::StrContains(html, "<svg"));
  EXPECT_TRUE(absl::StrContains(html, "impaired &lt;test&gt;"));
  EXPECT_FALSE(absl::StrContains(html, "http://") &&
               !absl::StrContains(html, "http://www.w3.org/2000/svg"));
  // One script (the pair selector), inline.
  EXPECT_FALSE(absl::StrContains(html, "<script src"));
  // One group per datagram; the fates are marked.
  size_t groups = 0;
  for (size_t at = html.find("data-id=\""); at != std::string::npos;
       at = html.find("data-id=\"", at + 1)) {
    ++groups;
  }
  EXPECT_EQ(groups, (*r)->capture.datagrams().size());
  EXPECT_TRUE(absl::StrContains(html, "dgram corrupted"));
  EXPECT_TRUE(absl::StrContains(html, "dgram duplicated"));
  EXPECT_TRUE(absl::StrContains(html, "DUPLICATED x2"));
  EXPECT_TRUE(absl::StrContains(html, "Initial 0: CRYPTO 0+"));
  EXPECT_TRUE(absl::StrContains(html, "ClientHello"));
  EXPECT_TRUE(absl::StrContains(html, "VERDICT confirmed"));

  auto lossy = RunScenario("lossy");
  ASSERT_TRUE(lossy.ok());
  const std::string lossy_html =
      BuildLadderHtml((*lossy)->capture, (*lossy)->events, "lossy");
  EXPECT_TRUE(absl::StrContains(lossy_html, "dgram dropped"));
  EXPECT_TRUE(absl::StrContains(lossy_html, "class=\"x\""));
  EXPECT_TRUE(absl::StrContains(lossy_html, "DROPPED (bernoulli)"));
}

}  // namespace
}  // namespace quicsim::exporter
