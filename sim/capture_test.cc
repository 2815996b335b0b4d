#include "sim/capture.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "sim/impairment.h"
#include "sim/network.h"
#include "sim/scheduler.h"
#include "sim/trace.h"

namespace quicsim::sim {
namespace {

constexpr Address kClient = Address::V4(10, 0, 0, 1, 4433);
constexpr Address kServer = Address::V4(10, 0, 0, 2, 443);
constexpr Address kNobody = Address::V4(10, 0, 0, 9, 9);

class Inbox : public DatagramReceiver {
 public:
  void OnDatagram(Datagram d) override { got.push_back(std::move(d)); }
  std::vector<Datagram> got;
};

Datagram Make(Address src, Address dst, uint8_t fill) {
  Datagram d;
  d.src = src;
  d.dst = dst;
  d.payload.assign(4, fill);
  return d;
}

Decision Make(uint64_t index, Action action) {
  Decision d;
  d.link = "c2s";
  d.index = index;
  d.action = action;
  d.reason = ActionName(action);
  return d;
}

// Sends six datagrams c2s (index 1 dropped, 2 corrupted, 3 duplicated, 4
// reordered, 5 to an address nobody listens on) and one with no route, 1 ms
// apart, on a 10 ms link. Returns the trace digest.
std::string RunScenario(Capture* capture, Inbox* server) {
  Scheduler s;
  TraceRecorder trace;
  Network net(&s, 7, &trace);
  if (capture != nullptr) net.set_capture(capture);
  EXPECT_TRUE(net.Register(kServer, server).ok());
  LinkConfig config;
  config.delay = Duration::Millis(10);
  Link* c2s = net.AddLink("c2s", config);
  net.AddRoute(kClient, kServer, c2s);
  net.AddRoute(kClient, kNobody, c2s);
  std::vector<Decision> script = {
      Make(1, Action::kDrop), Make(2, Action::kCorrupt),
      Make(3, Action::kDuplicate), Make(4, Action::kReorder)};
  script[1].bits = {9};  // byte 1, mask 0x02
  script[2].copies = 1;
  script[3].delay = Duration::Millis(5);
  net.SetScript(script);
  for (int i = 0; i < 5; ++i) {
    s.At(Time::Zero() + Duration::Millis(i), [&net, i] {
      net.Send(Make(kClient, kServer, static_cast<uint8_t>(i)));
    });
  }
  s.At(Time::Zero() + Duration::Millis(5),
       [&net] { net.Send(Make(kClient, kNobody, 5)); });
  s.At(Time::Zero() + Duration::Millis(6),
       [&net] { net.Send(Make(kServer, kClient, 6)); });
  s.RunUntilIdle();
  return trace.DigestHex();
}

TEST(CaptureTest, RecordsEveryFate) {
  Capture capture;
  Inbox server;
  RunScenario(&capture, &server);
  const std::vector<CapturedDatagram>& all = capture.datagrams();
  ASSERT_EQ(all.size(), 7u);
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(all[i].link, "c2s");
    EXPECT_EQ(all[i].index, static_cast<uint64_t>(i));
    EXPECT_EQ(all[i].id, static_cast<uint64_t>(i + 1));
    EXPECT_EQ(all[i].src, kClient);
    EXPECT_EQ(all[i].sent, Time::Zero() + Duration::Millis(i));
    EXPECT_EQ(all[i].payload, std::vector<uint8_t>(4, i));
  }
  // 0: clean.
  ASSERT_EQ(all[0].deliveries.size(), 1u);
  EXPECT_EQ(all[0].deliveries[0].time, Time::Zero() + Duration::Millis(10));
  EXPECT_TRUE(all[0].deliveries[0].received);
  EXPECT_FALSE(all[0].dropped || all[0].corrupted || all[0].reordered);
  // 1: dropped, never delivered.
  EXPECT_TRUE(all[1].dropped);
  EXPECT_EQ(all[1].drop_reason, "drop");
  EXPECT_TRUE(all[1].deliveries.empty());
  // 2: corrupted, the original bytes kept beside the arrived ones.
  EXPECT_TRUE(all[2].corrupted);
  EXPECT_EQ(all[2].payload, std::vector<uint8_t>({2, 2, 2, 2}));
  EXPECT_EQ(all[2].arrived_payload(), std::vector<uint8_t>({2, 0, 2, 2}));
  EXPECT_EQ(server.got[1].payload, all[2].arrived_payload());
  // 3: one extra copy, both at 13 ms.
  EXPECT_EQ(all[3].copies, 1u);
  ASSERT_EQ(all[3].deliveries.size(), 2u);
  EXPECT_EQ(all[3].deliveries[1].time, Time::Zero() + Duration::Millis(13));
  // 4: reordered by 5 ms: arrives at 19 ms.
  EXPECT_TRUE(all[4].reordered);
  ASSERT_EQ(all[4].deliveries.size(), 1u);
  EXPECT_EQ(all[4].deliveries[0].time, Time::Zero() + Duration::Millis(19));
  // 5: reached 10.0.0.9, where nobody listens.
  ASSERT_EQ(all[5].deliveries.size(), 1u);
  EXPECT_FALSE(all[5].deliveries[0].received);
  // 6: no route.
  EXPECT_TRUE(all[6].link.empty());
  EXPECT_TRUE(all[6].dropped);
  EXPECT_EQ(all[6].drop_reason, "no_route");
  EXPECT_EQ(all[6].src, kServer);

  capture.Clear();
  EXPECT_TRUE(capture.datagrams().empty());
}

TEST(CaptureTest, AttachingChangesNothing) {
  Capture capture;
  Inbox with, without;
  const std::string a = RunScenario(&capture, &with);
  const std::string b = RunScenario(nullptr, &without);
  EXPECT_EQ(a, b);
  ASSERT_EQ(with.got.size(), without.got.size());
  for (size_t i = 0; i < with.got.size(); ++i) {
    EXPECT_EQ(with.got[i].payload, without.got[i].payload);
    EXPECT_EQ(with.got[i].id, without.got[i].id);
  }
}

TEST(CaptureTest, PhysicalDropsAndRandomImpairments) {
  Scheduler s;
  Network net(&s, 3);
  Capture capture;
  net.set_capture(&capture);
  Inbox server;
  ASSERT_TRUE(net.Register(kServer, &server).ok());
  LinkConfig config;
  config.mtu = 100;
  Link* c2s = net.AddLink("c2s", config);
  c2s->AddImpairment(std::make_unique<BernoulliLoss>(1.0, net.MakeRng("x")));
  net.AddRoute(kClient, kServer, c2s);
  Datagram big = Make(kClient, kServer, 1);
  big.payload.resize(200);
  net.Send(big);
  net.Send(Make(kClient, kServer, 2));
  s.RunUntilIdle();
  ASSERT_EQ(capture.datagrams().size(), 2u);
  EXPECT_EQ(capture.datagrams()[0].drop_reason, "mtu");
  EXPECT_EQ(capture.datagrams()[0].payload.size(), 200u);
  EXPECT_EQ(capture.datagrams()[1].drop_reason, "bernoulli");
  EXPECT_TRUE(server.got.empty());
}

}  // namespace
}  // namespace quicsim::sim
