#include "sim/network.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace quicsim::sim {
namespace {

constexpr Address kClient = Address::V4(10, 0, 0, 1, 4433);
constexpr Address kServer = Address::V4(10, 0, 0, 2, 443);

// Records what it receives.
class Inbox : public DatagramReceiver {
 public:
  explicit Inbox(Scheduler* s) : s_(s) {}
  void OnDatagram(Datagram d) override {
    got.push_back(d);
    times.push_back(s_->Now());
  }
  std::vector<Datagram> got;
  std::vector<Time> times;

 private:
  Scheduler* s_;
};

Datagram Make(Address src, Address dst, size_t len) {
  Datagram d;
  d.src = src;
  d.dst = dst;
  d.payload.assign(len, 0xab);
  return d;
}

TEST(AddressTest, ToStringAndOrder) {
  EXPECT_EQ(kClient.ToString(), "10.0.0.1:4433");
  EXPECT_EQ(Address::V4(192, 168, 255, 7, 65535).ToString(),
            "192.168.255.7:65535");
  EXPECT_LT(kClient, kServer);
  EXPECT_NE(kClient, kServer);
}

TEST(NetworkTest, RoutesAndDelivers) {
  Scheduler s;
  TraceRecorder trace;
  Network net(&s, 1, &trace);
  Inbox client(&s), server(&s);
  ASSERT_TRUE(net.Register(kClient, &client).ok());
  ASSERT_TRUE(net.Register(kServer, &server).ok());
  EXPECT_EQ(net.Register(kServer, &client).code(),
            absl::StatusCode::kAlreadyExists);
  LinkConfig c;
  c.delay = Duration::Millis(10);
  Link* c2s = net.AddLink("c2s", c);
  Link* s2c = net.AddLink("s2c", c);
  EXPECT_EQ(net.FindLink("c2s"), c2s);
  EXPECT_EQ(net.FindLink("nope"), nullptr);
  net.AddRoute(kClient, kServer, c2s);
  net.AddRoute(kServer, kClient, s2c);

  EXPECT_EQ(net.Send(Make(kClient, kServer, 100)), 1u);
  EXPECT_EQ(net.Send(Make(kServer, kClient, 50)), 2u);
  s.RunUntilIdle();
  ASSERT_EQ(server.got.size(), 1u);
  EXPECT_EQ(server.got[0].id, 1u);
  EXPECT_EQ(server.got[0].src, kClient);
  EXPECT_EQ(server.times[0], Time::Zero() + Duration::Millis(10));
  ASSERT_EQ(client.got.size(), 1u);
  EXPECT_EQ(client.got[0].payload.size(), 50u);
  EXPECT_EQ(net.delivered(), 2u);
  ASSERT_GE(trace.events().size(), 4u);
  EXPECT_EQ(trace.events()[0].ToString(),
            "0.000000000s c2s send index=0 id=1 10.0.0.1:4433>10.0.0.2:443 "
            "len=100");
}

TEST(NetworkTest, MissingRouteOrReceiverIsARecordedDrop) {
  Scheduler s;
  TraceRecorder trace;
  Network net(&s, 1, &trace);
  Inbox server(&s);
  ASSERT_TRUE(net.Register(kServer, &server).ok());
  net.Send(Make(kClient, kServer, 10));  // no route
  EXPECT_EQ(net.dropped_no_route(), 1u);
  ASSERT_EQ(trace.events().size(), 1u);
  EXPECT_EQ(trace.events()[0].ToString(),
            "0.000000000s network drop id=1 10.0.0.1:4433>10.0.0.2:443 "
            "reason=no_route");
  net.AddRoute(kServer, kClient, net.AddLink("s2c", LinkConfig()));
  net.Send(Make(kServer, kClient, 10));  // nobody at kClient
  s.RunUntilIdle();
  EXPECT_EQ(net.dropped_no_receiver(), 1u);
  EXPECT_EQ(trace.events().back().kind, "drop");
  net.Unregister(kServer);
  EXPECT_TRUE(net.Register(kServer, &server).ok());
}

TEST(NetworkTest, PairsShareABottleneckLink) {
  Scheduler s;
  Network net(&s, 1);
  LinkConfig c;
  c.bandwidth_bps = 1000000;
  c.overhead_bytes = 0;
  Link* bottleneck = net.AddLink("bottleneck", c);
  std::vector<std::unique_ptr<Inbox>> servers;
  for (uint16_t i = 0; i < 3; ++i) {
    servers.push_back(std::make_unique<Inbox>(&s));
    const Address server = Address::V4(10, 0, 1, 1, 1000 + i);
    ASSERT_TRUE(net.Register(server, servers.back().get()).ok());
    net.AddRoute(Address::V4(10, 0, 0, 1, 1000 + i), server, bottleneck);
  }
  for (uint16_t i = 0; i < 3; ++i) {
    net.Send(Make(Address::V4(10, 0, 0, 1, 1000 + i),
                  Address::V4(10, 0, 1, 1, 1000 + i), 1000));
  }
  s.RunUntilIdle();
  // 8 ms per datagram, serialised one after another.
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(servers[i]->times.size(), 1u);
    EXPECT_EQ(servers[i]->times[0],
              Time::Zero() + Duration::Millis(8) * (i + 1));
  }
}

// One seeded run: a client pings, the server echoes, over lossy links.
std::string RunDigest(uint64_t seed, std::vector<Decision>* decisions = nullptr,
                      const std::vector<Decision>* script = nullptr) {
  Scheduler s;
  TraceRecorder trace;
  Network net(&s, seed, &trace);
  net.set_record_decisions(true);
  class Echo : public DatagramReceiver {
   public:
    explicit Echo(Network* net) : net_(net) {}
    void OnDatagram(Datagram d) override {
      std::swap(d.src, d.dst);
      net_->Send(std::move(d));
    }
    Network* net_;
  } echo(&net);
  Inbox client(&s);
  EXPECT_TRUE(net.Register(kClient, &client).ok());
  EXPECT_TRUE(net.Register(kServer, &echo).ok());
  LinkConfig c;
  c.delay = Duration::Millis(15);
  c.jitter = Duration::Millis(2);
  for (const char* name : {"c2s", "s2c"}) {
    Link* link = net.AddLink(name, c);
    const std::string base = std::string(name);
    link->AddImpairment(
        std::make_unique<BernoulliLoss>(0.2, net.MakeRng(base + "/loss")));
    link->AddImpairment(std::make_unique<Reorder>(
        0.1, Duration::Millis(3), net.MakeRng(base + "/reorder")));
    link->AddImpairment(
        std::make_unique<Duplicate>(0.05, net.MakeRng(base + "/dup")));
  }
  net.AddRoute(kClient, kServer, net.FindLink("c2s"));
  net.AddRoute(kServer, kClient, net.FindLink("s2c"));
  if (script != nullptr) net.SetScript(*script);
  for (int i = 0; i < 200; ++i) {
    s.At(Time::Zero() + Duration::Millis(1) * i,
         [&net] { net.Send(Make(kClient, kServer, 64)); });
  }
  EXPECT_EQ(s.RunUntilIdle(), RunResult::kIdle);
  if (decisions != nullptr) *decisions = net.RecordedDecisions();
  return trace.DigestHex();
}

TEST(NetworkTest, SameSeedSameDigestDifferentSeedDifferentDigest) {
  const std::string a = RunDigest(7);
  EXPECT_EQ(a, RunDigest(7));
  EXPECT_NE(a, RunDigest(8));
}

TEST(NetworkTest, NetworkScriptReplaysTheRun) {
  std::vector<Decision> decisions;
  const std::string digest = RunDigest(21, &decisions);
  ASSERT_GT(decisions.size(), 20u);
  bool saw_s2c = false;
  for (const Decision& d : decisions) saw_s2c |= d.link == "s2c";
  EXPECT_TRUE(saw_s2c);
  // A different seed changes jitter, so replay with the same seed: the
  // script alone must reproduce the impairments.
  std::vector<Decision> replayed;
  EXPECT_EQ(RunDigest(21, &replayed, &decisions), digest);
  EXPECT_EQ(replayed, decisions);
}

}  // namespace
}  // namespace quicsim::sim
