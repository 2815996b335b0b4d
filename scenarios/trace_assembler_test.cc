#include "scenarios/trace_assembler.h"

#include <optional>
#include <vector>

#include "gtest/gtest.h"
#include "sim/network.h"
#include "sim/scheduler.h"

namespace quicsim::scenarios {
namespace {

TEST(TraceAssemblerTest, PairOfActor) {
  EXPECT_EQ(PairOfActor("pair/3/client"), 3);
  EXPECT_EQ(PairOfActor("pair/12"), 12);
  EXPECT_EQ(PairOfActor("link/pair/7/c2s"), 7);
  EXPECT_EQ(PairOfActor("pair/0/prime/server"), 0);
  EXPECT_EQ(PairOfActor("bottleneck/c2s"), -1);
  EXPECT_EQ(PairOfActor("pair/x/client"), -1);
  EXPECT_EQ(PairOfActor("pair/"), -1);
  EXPECT_EQ(PairOfActor(""), -1);
}

class Sink : public sim::DatagramReceiver {
 public:
  void OnDatagram(sim::Datagram) override { ++received; }
  int received = 0;
};

TEST(TraceAssemblerTest, AttachesEachLinkDecisionToItsEventInOrder) {
  sim::Scheduler scheduler;
  sim::TraceRecorder recorder;
  sim::Network network(&scheduler, 1, &recorder);
  network.set_record_decisions(true);
  sim::Link* link = network.AddLink("pair/4/c2s", sim::LinkConfig());
  const sim::Address a = sim::Address::V4(10, 0, 0, 1, 1);
  const sim::Address b = sim::Address::V4(10, 0, 0, 2, 2);
  Sink sink;
  ASSERT_TRUE(network.Register(b, &sink).ok());
  network.AddRoute(a, b, link);
  // Scripted: the 2nd and 4th datagrams are dropped.
  std::vector<sim::Decision> script(2);
  script[0] = {"pair/4/c2s", 1, sim::Action::kDrop, "drop"};
  script[1] = {"pair/4/c2s", 3, sim::Action::kDrop, "drop"};
  network.SetScript(script);
  for (int i = 0; i < 5; ++i) {
    sim::Datagram d;
    d.src = a;
    d.dst = b;
    d.payload.assign(10, static_cast<uint8_t>(i));
    network.Send(std::move(d));
  }
  scheduler.RunUntilIdle();
  ASSERT_EQ(sink.received, 3);

  std::vector<trace::NetworkDecision> replayed(1);
  replayed[0].set_link("pair/4/c2s");
  const trace::Trace t = AssembleTrace(recorder.events(), replayed);
  ASSERT_EQ(t.events_size(), static_cast<int>(recorder.events().size()));
  std::vector<uint64_t> dropped;
  for (int i = 0; i < t.events_size(); ++i) {
    const trace::Event& e = t.events(i);
    EXPECT_EQ(e.actor(), recorder.events()[i].actor);
    EXPECT_EQ(e.kind(), recorder.events()[i].kind);
    EXPECT_EQ(e.details(), recorder.events()[i].details);
    EXPECT_EQ(e.time_ns(), recorder.events()[i].time.nanos());
    if (e.kind() == "send" || e.kind() == "deliver") {
      EXPECT_FALSE(e.has_decision());
    }
    if (e.has_decision()) {
      EXPECT_EQ(e.decision().link(), "pair/4/c2s");
      EXPECT_EQ(e.decision().action(), trace::NetworkDecision::DROP);
      EXPECT_EQ(e.pair(), 4);
      dropped.push_back(e.decision().index());
    }
  }
  // 1-based in traces.
  EXPECT_EQ(dropped, (std::vector<uint64_t>{2, 4}));
  EXPECT_TRUE(t.scripted());
  ASSERT_EQ(t.script_size(), 1);
  EXPECT_EQ(t.script(0).link(), "pair/4/c2s");

  const trace::Trace unscripted =
      AssembleTrace(recorder.events(), std::nullopt);
  EXPECT_FALSE(unscripted.scripted());
  EXPECT_EQ(unscripted.script_size(), 0);
}

}  // namespace
}  // namespace quicsim::scenarios
