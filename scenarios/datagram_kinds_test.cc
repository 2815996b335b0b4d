// ClassifyDatagram on hand-built packets and on the datagrams of real
// handshakes (clean, Retry, Version Negotiation, resumption with 0-RTT),
// whose shapes are known independently of the parser.
#include "scenarios/datagram_kinds.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/world.h"
#include "sim/capture.h"

namespace quicsim::scenarios {
namespace {

// A long-header packet of `type` (0 Initial, 1 0-RTT, 2 Handshake), version
// 1, DCID {0xaa}, empty SCID (and token), Length covering a 1-byte packet
// number and `payload` bytes.
std::vector<uint8_t> Long(int type, size_t payload) {
  std::vector<uint8_t> p = {
      static_cast<uint8_t>(0xc0 | (type << 4)), 0, 0, 0, 1, 1, 0xaa, 0};
  if (type == 0) p.push_back(0);  // token length
  p.push_back(static_cast<uint8_t>(1 + payload));
  p.push_back(0);  // packet number
  p.insert(p.end(), payload, 0x55);
  return p;
}

std::vector<uint8_t> Concat(std::vector<std::vector<uint8_t>> parts) {
  std::vector<uint8_t> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST(ClassifyDatagramTest, WalksCoalescedPackets) {
  // Initial + Handshake + 1-RTT (the 1-RTT DCID is the same 1-byte 0xaa).
  const std::vector<uint8_t> d =
      Concat({Long(0, 2), Long(2, 1), {0x40, 0xaa, 0x01, 0x02}});
  const DatagramKinds k = ClassifyDatagram(d);
  EXPECT_TRUE(k.initial);
  EXPECT_TRUE(k.handshake);
  EXPECT_TRUE(k.one_rtt);
  EXPECT_FALSE(k.zero_rtt);
  EXPECT_FALSE(k.retry);
  EXPECT_FALSE(k.version_negotiation);
  EXPECT_TRUE(ClassifyDatagram(Concat({Long(0, 3), Long(1, 4)})).zero_rtt);
}

TEST(ClassifyDatagramTest, StopsWhereAReceiverWould) {
  // A coalesced packet with another DCID is not part of the datagram
  // (RFC 9000 §12.2).
  std::vector<uint8_t> other = Long(2, 1);
  other[6] = 0xbb;
  const DatagramKinds k = ClassifyDatagram(Concat({Long(0, 2), other}));
  EXPECT_TRUE(k.initial);
  EXPECT_FALSE(k.handshake);
  // Truncated anywhere inside the Initial: no crash, and never a Handshake.
  const std::vector<uint8_t> full = Concat({Long(0, 5), Long(2, 1)});
  for (size_t n = 0; n < Long(0, 5).size(); ++n) {
    const DatagramKinds t =
        ClassifyDatagram(absl::Span<const uint8_t>(full.data(), n));
    EXPECT_FALSE(t.handshake) << n;
    EXPECT_FALSE(t.initial) << n;
  }
  EXPECT_FALSE(ClassifyDatagram({}).initial);
}

TEST(ClassifyDatagramTest, VersionNegotiationRetryAndUnknownVersions) {
  // Version 0 with one supported version listed.
  EXPECT_TRUE(ClassifyDatagram({0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})
                  .version_negotiation);
  std::vector<uint8_t> retry = {0xf0, 0, 0, 0, 1, 0, 0, 9, 9};
  retry.insert(retry.end(), 16, 0);  // integrity tag
  EXPECT_TRUE(ClassifyDatagram(retry).retry);
  // A client's Initial of a version the server does not speak (forcing
  // Version Negotiation) is still an Initial.
  std::vector<uint8_t> unknown = Long(0, 4);
  unknown[1] = 0x1a, unknown[2] = 0x2a, unknown[3] = 0x3a, unknown[4] = 0x4a;
  const DatagramKinds k = ClassifyDatagram(unknown);
  EXPECT_TRUE(k.initial);
  EXPECT_FALSE(k.version_negotiation);
}

// The datagrams of seed 1 of `text`, from a capture.
std::vector<sim::CapturedDatagram> Capture(const std::string& text) {
  absl::StatusOr<Scenario> scenario = ParseScenario(text, "test.textproto");
  EXPECT_TRUE(scenario.ok()) << scenario.status();
  sim::Capture capture;
  RunSeedOptions options;
  options.capture = &capture;
  QuicsimSeedRunner runner;
  absl::StatusOr<SeedResult> r = runner.RunSeed(*scenario, 1, options);
  EXPECT_TRUE(r.ok()) << r.status();
  return capture.datagrams();
}

constexpr char kNetwork[] = R"pb(
  network {
    client_to_server { delay: "10ms" }
    server_to_client { delay: "10ms" }
  }
  population { pairs: 1 }
  seeds { count: 1 }
  expect { outcome: CONFIRMED }
)pb";

TEST(ClassifyDatagramTest, RealHandshakes) {
  // Clean: the client's first datagram is an Initial only, the server's
  // first carries Initial and Handshake, and the client ends with 1-RTT.
  std::vector<sim::CapturedDatagram> clean = Capture(kNetwork);
  ASSERT_GE(clean.size(), 3u);
  const DatagramKinds first = ClassifyDatagram(clean[0].payload);
  EXPECT_TRUE(first.initial);
  EXPECT_FALSE(first.handshake || first.one_rtt || first.zero_rtt);
  const DatagramKinds reply = ClassifyDatagram(clean[1].payload);
  EXPECT_TRUE(reply.initial);
  EXPECT_TRUE(reply.handshake);
  bool any_one_rtt = false;
  for (const sim::CapturedDatagram& d : clean) {
    const DatagramKinds k = ClassifyDatagram(d.payload);
    EXPECT_TRUE(k.initial || k.handshake || k.one_rtt) << d.index;
    EXPECT_FALSE(k.retry || k.version_negotiation || k.zero_rtt) << d.index;
    any_one_rtt |= k.one_rtt;
  }
  EXPECT_TRUE(any_one_rtt);

  // Retry: the server's first datagram is the Retry, and only it.
  std::vector<sim::CapturedDatagram> retry =
      Capture(std::string(kNetwork) + "server { retry: true }");
  ASSERT_GE(retry.size(), 2u);
  int retries = 0;
  for (const sim::CapturedDatagram& d : retry) {
    retries += ClassifyDatagram(d.payload).retry ? 1 : 0;
  }
  EXPECT_EQ(retries, 1);
  EXPECT_TRUE(ClassifyDatagram(retry[1].payload).retry);

  // Version Negotiation: answered to the unknown version's Initial.
  std::vector<sim::CapturedDatagram> vn = Capture(
      std::string(kNetwork) + "client { offer_unknown_version_first: true }");
  ASSERT_GE(vn.size(), 2u);
  EXPECT_TRUE(ClassifyDatagram(vn[0].payload).initial);
  EXPECT_TRUE(ClassifyDatagram(vn[1].payload).version_negotiation);

  // Resumption with 0-RTT: the measured client's first datagram carries
  // Initial and 0-RTT.
  std::vector<sim::CapturedDatagram> zero_rtt =
      Capture(std::string(kNetwork) +
              "client { resumption { enabled: true zero_rtt: true } }"
              "server { resumption { enabled: true zero_rtt: true } }");
  bool initial_with_0rtt = false;
  for (const sim::CapturedDatagram& d : zero_rtt) {
    const DatagramKinds k = ClassifyDatagram(d.payload);
    initial_with_0rtt |= k.initial && k.zero_rtt;
  }
  EXPECT_TRUE(initial_with_0rtt);
}

}  // namespace
}  // namespace quicsim::scenarios
