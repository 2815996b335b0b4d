#include "sim/link.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "gtest/gtest.h"

namespace quicsim::sim {
namespace {

Time Ms(int64_t ms) { return Time::Zero() + Duration::Millis(ms); }

struct Arrival {
  Time time;
  uint64_t id;
  std::vector<uint8_t> payload;
};

// A link under test with its scheduler, trace and the arrivals it made.
struct Harness {
  explicit Harness(LinkConfig config, uint64_t jitter_seed = 1)
      : link("l", config, &scheduler, Rng::ForStream(jitter_seed, "jitter"),
             &trace, [this](Datagram d) {
               arrivals.push_back({scheduler.Now(), d.id, d.payload});
             }) {}

  void SendAt(Time t, uint64_t id, size_t len, uint8_t fill = 0) {
    scheduler.At(t, [this, id, len, fill] {
      Datagram d;
      d.id = id;
      d.payload.assign(len, fill);
      link.Send(std::move(d));
    });
  }
  std::vector<uint64_t> Ids() const {
    std::vector<uint64_t> ids;
    for (const Arrival& a : arrivals) ids.push_back(a.id);
    return ids;
  }

  Scheduler scheduler;
  TraceRecorder trace;
  std::vector<Arrival> arrivals;
  Link link;
};

LinkConfig Plain() {
  LinkConfig c;
  c.mtu = 0;
  c.overhead_bytes = 0;
  return c;
}

TEST(LinkTest, SerializationDelayIsExactToTheNanosecond) {
  LinkConfig c = Plain();
  c.bandwidth_bps = 1000000;  // 1 Mbit/s: 8 us per byte
  Harness h(c);
  EXPECT_EQ(h.link.SerializationDelay(1200), Duration::Micros(9600));
  c.bandwidth_bps = 3000000000;  // 8/3 ns per byte, rounded up
  Harness h3(c);
  EXPECT_EQ(h3.link.SerializationDelay(1), Duration::Nanos(3));
  EXPECT_EQ(h3.link.SerializationDelay(3), Duration::Nanos(8));
  c.bandwidth_bps = 1000003;  // 56e9 / 1000003 = 55999.83 -> 56000
  Harness h4(c);
  EXPECT_EQ(h4.link.SerializationDelay(7), Duration::Nanos(56000));
  c.bandwidth_bps = 0;
  Harness inf(c);
  EXPECT_EQ(inf.link.SerializationDelay(1 << 20), Duration::Zero());
}

TEST(LinkTest, BandwidthQueuesBackToBackDatagrams) {
  LinkConfig c = Plain();
  c.bandwidth_bps = 1000000;
  c.delay = Duration::Millis(10);
  c.overhead_bytes = 28;  // counted in serialisation
  Harness h(c);
  for (uint64_t i = 1; i <= 3; ++i) h.SendAt(Time::Zero(), i, 1172);
  h.SendAt(Ms(100), 4, 1172);  // idle link: starts at once
  h.scheduler.RunUntilIdle();
  ASSERT_EQ(h.arrivals.size(), 4u);
  EXPECT_EQ(h.arrivals[0].time, Time::FromNanos(19600000));
  EXPECT_EQ(h.arrivals[1].time, Time::FromNanos(29200000));
  EXPECT_EQ(h.arrivals[2].time, Time::FromNanos(38800000));
  EXPECT_EQ(h.arrivals[3].time, Time::FromNanos(119600000));
}

TEST(LinkTest, MtuDropsOversizeDatagrams) {
  LinkConfig c;
  c.mtu = 1200;
  c.overhead_bytes = 28;
  Harness h(c);
  h.link.set_record_decisions(true);
  h.SendAt(Time::Zero(), 1, 1172);
  h.SendAt(Time::Zero(), 2, 1173);
  h.scheduler.RunUntilIdle();
  EXPECT_EQ(h.Ids(), std::vector<uint64_t>{1});
  EXPECT_EQ(h.link.stats().dropped_mtu, 1u);
  ASSERT_EQ(h.link.decisions().size(), 1u);
  EXPECT_EQ(h.link.decisions()[0].index, 1u);
  EXPECT_EQ(h.link.decisions()[0].reason, "mtu");
  EXPECT_TRUE(h.link.decisions()[0].physical);
}

TEST(LinkTest, QueueTailDropsByPackets) {
  LinkConfig c = Plain();
  c.bandwidth_bps = 1000000;
  c.queue_limit_packets = 3;
  Harness h(c);
  h.link.set_record_decisions(true);
  for (uint64_t i = 0; i < 5; ++i) h.SendAt(Time::Zero(), i, 1000);
  // 8 ms per datagram: by 8 ms the first has left, so one more fits.
  h.SendAt(Ms(8), 5, 1000);
  h.SendAt(Ms(8), 6, 1000);
  h.scheduler.RunUntilIdle();
  EXPECT_EQ(h.Ids(), (std::vector<uint64_t>{0, 1, 2, 5}));
  EXPECT_EQ(h.link.stats().dropped_queue, 3u);
  std::vector<uint64_t> dropped;
  for (const Decision& d : h.link.decisions()) {
    EXPECT_EQ(d.reason, "queue_full");
    dropped.push_back(d.index);
  }
  EXPECT_EQ(dropped, (std::vector<uint64_t>{3, 4, 6}));
}

TEST(LinkTest, QueueTailDropsByBytes) {
  LinkConfig c = Plain();
  c.bandwidth_bps = 8000000;  // 1 us per byte
  c.queue_limit_bytes = 2500;
  Harness h(c);
  for (uint64_t i = 0; i < 3; ++i) h.SendAt(Time::Zero(), i, 1000);
  h.scheduler.RunUntil(Time::Zero());
  EXPECT_EQ(h.link.queued_bytes(), 2000u);
  EXPECT_EQ(h.link.queued_packets(), 2u);
  h.SendAt(Time::FromNanos(999999), 3, 600);   // 1400 + 600 fits? no: 2600
  h.SendAt(Time::FromNanos(1000000), 4, 500);  // first left: 1000 + 500 fits
  h.scheduler.RunUntilIdle();
  EXPECT_EQ(h.Ids(), (std::vector<uint64_t>{0, 1, 4}));
  EXPECT_EQ(h.link.stats().dropped_queue, 2u);
}

TEST(LinkTest, JitterNeverReorders) {
  LinkConfig c = Plain();
  c.delay = Duration::Millis(10);
  c.jitter = Duration::Millis(5);
  Harness h(c);
  const int n = 2000;
  for (int i = 0; i < n; ++i) {
    h.SendAt(Time::Zero() + Duration::Millis(1) * i, i, 10);
  }
  h.scheduler.RunUntilIdle();
  ASSERT_EQ(h.arrivals.size(), static_cast<size_t>(n));
  Duration min_extra = Duration::Infinite(), max_extra = Duration::Zero();
  for (int i = 0; i < n; ++i) {
    EXPECT_EQ(h.arrivals[i].id, static_cast<uint64_t>(i));
    const Duration extra =
        h.arrivals[i].time - (Time::Zero() + Duration::Millis(1) * i) - c.delay;
    min_extra = std::min(min_extra, extra);
    max_extra = std::max(max_extra, extra);
  }
  EXPECT_GE(min_extra, Duration::Zero());
  EXPECT_LE(max_extra, c.jitter);
  EXPECT_GT(max_extra - min_extra, Duration::Millis(4));  // jitter is real
}

TEST(LinkTest, ReorderReallyReorders) {
  LinkConfig c = Plain();
  c.delay = Duration::Millis(10);
  Harness h(c);
  h.link.AddImpairment(std::make_unique<Reorder>(0.2, Duration::Millis(5),
                                                 Rng::ForStream(1, "r")));
  h.link.set_record_decisions(true);
  const int n = 500;
  for (int i = 0; i < n; ++i) h.SendAt(Ms(i), i, 10);
  h.scheduler.RunUntilIdle();
  ASSERT_EQ(h.arrivals.size(), static_cast<size_t>(n));
  std::vector<bool> reordered(n);
  for (const Decision& d : h.link.decisions()) reordered[d.index] = true;
  int inversions = 0;
  for (const Arrival& a : h.arrivals) {
    const Duration expected =
        Duration::Millis(10) +
        (reordered[a.id] ? Duration::Millis(5) : Duration::Zero());
    EXPECT_EQ(a.time - Ms(a.id), expected) << a.id;
  }
  for (size_t i = 1; i < h.arrivals.size(); ++i) {
    if (h.arrivals[i].id < h.arrivals[i - 1].id) ++inversions;
  }
  EXPECT_GT(h.link.stats().reordered, 50u);
  EXPECT_GT(inversions, 50);
}

TEST(LinkTest, DuplicationReallyDuplicates) {
  LinkConfig c = Plain();
  c.delay = Duration::Millis(1);
  Harness h(c);
  h.link.AddImpairment(
      std::make_unique<Duplicate>(0.25, Rng::ForStream(1, "d")));
  const int n = 400;
  for (int i = 0; i < n; ++i) h.SendAt(Ms(i), i, 8, static_cast<uint8_t>(i));
  h.scheduler.RunUntilIdle();
  const uint64_t dups = h.link.stats().duplicated;
  EXPECT_GT(dups, 50u);
  ASSERT_EQ(h.arrivals.size(), n + dups);
  std::vector<int> seen(n);
  for (size_t i = 0; i < h.arrivals.size(); ++i) {
    const Arrival& a = h.arrivals[i];
    ++seen[a.id];
    EXPECT_EQ(a.payload, std::vector<uint8_t>(8, static_cast<uint8_t>(a.id)));
    EXPECT_EQ(a.time, Ms(a.id + 1));
  }
  EXPECT_EQ(std::count(seen.begin(), seen.end(), 2), static_cast<long>(dups));
  EXPECT_EQ(std::count(seen.begin(), seen.end(), 1),
            static_cast<long>(n - dups));
}

TEST(LinkTest, CorruptionFlipsTheRecordedBits) {
  Harness h(Plain());
  h.link.AddImpairment(
      std::make_unique<Corrupt>(1.0, 3, Rng::ForStream(1, "c")));
  h.link.set_record_decisions(true);
  h.SendAt(Time::Zero(), 1, 16, 0x00);
  h.scheduler.RunUntilIdle();
  ASSERT_EQ(h.arrivals.size(), 1u);
  ASSERT_EQ(h.link.decisions().size(), 1u);
  std::vector<uint8_t> expected(16, 0);
  for (uint32_t bit : h.link.decisions()[0].bits) {
    expected[bit / 8] ^= 1 << (bit % 8);
  }
  EXPECT_EQ(h.arrivals[0].payload, expected);
  int flipped = 0;
  for (uint8_t b : h.arrivals[0].payload) flipped += __builtin_popcount(b);
  EXPECT_EQ(flipped, 3);
}

TEST(LinkTest, BlackholeWindowDropsOnlyInside) {
  Harness h(Plain());
  h.link.AddImpairment(std::make_unique<Blackhole>(
      std::vector<Blackhole::Window>{{Ms(3), Ms(6)}}));
  for (int i = 0; i < 10; ++i) h.SendAt(Ms(i), i, 1);
  h.scheduler.RunUntilIdle();
  EXPECT_EQ(h.Ids(), (std::vector<uint64_t>{0, 1, 2, 6, 7, 8, 9}));
  EXPECT_EQ(h.link.stats().dropped_impairment, 3u);
}

// Sends a fixed workload through a heavily impaired link.
void Workload(Harness& h) {
  for (int i = 0; i < 300; ++i) {
    h.SendAt(Time::Zero() + Duration::Micros(700) * i, i, 40,
             static_cast<uint8_t>(i));
  }
  h.scheduler.RunUntilIdle();
}

LinkConfig Impaired() {
  LinkConfig c = Plain();
  c.delay = Duration::Millis(20);
  c.jitter = Duration::Millis(3);
  c.bandwidth_bps = 2000000;
  c.queue_limit_packets = 4;
  return c;
}

void AddImpairments(Harness& h) {
  h.link.AddImpairment(std::make_unique<BernoulliLoss>(0.1, Rng(1)));
  h.link.AddImpairment(
      std::make_unique<Reorder>(0.1, Duration::Millis(4), Rng(2)));
  h.link.AddImpairment(std::make_unique<Duplicate>(0.1, Rng(3)));
  h.link.AddImpairment(std::make_unique<Corrupt>(0.1, 2, Rng(4)));
}

TEST(LinkTest, ScriptedModeReproducesARecordedRun) {
  Harness recorded(Impaired());
  AddImpairments(recorded);
  recorded.link.set_record_decisions(true);
  Workload(recorded);
  const std::vector<Decision> decisions = recorded.link.decisions();
  ASSERT_GT(decisions.size(), 50u);

  Harness replay(Impaired());  // no impairments: the script decides
  replay.link.SetScript(decisions);
  replay.link.set_record_decisions(true);
  EXPECT_TRUE(replay.link.scripted());
  Workload(replay);
  EXPECT_EQ(replay.link.decisions(), decisions);
  EXPECT_EQ(replay.trace.DigestHex(), recorded.trace.DigestHex());
  ASSERT_EQ(replay.arrivals.size(), recorded.arrivals.size());
  for (size_t i = 0; i < replay.arrivals.size(); ++i) {
    EXPECT_EQ(replay.arrivals[i].time, recorded.arrivals[i].time);
    EXPECT_EQ(replay.arrivals[i].id, recorded.arrivals[i].id);
    EXPECT_EQ(replay.arrivals[i].payload, recorded.arrivals[i].payload);
  }
}

TEST(LinkTest, ScriptedSubsetAppliesOnlyTheChosenFaults) {
  Harness recorded(Plain());
  recorded.link.AddImpairment(std::make_unique<BernoulliLoss>(0.3, Rng(9)));
  recorded.link.AddImpairment(std::make_unique<Duplicate>(0.3, Rng(10)));
  recorded.link.set_record_decisions(true);
  for (int i = 0; i < 100; ++i) recorded.SendAt(Ms(i), i, 1);
  recorded.scheduler.RunUntilIdle();

  // Keep only the drops of even indices.
  std::vector<Decision> subset;
  std::vector<uint64_t> expected;
  for (const Decision& d : recorded.link.decisions()) {
    if (d.action == Action::kDrop && d.index % 2 == 0) subset.push_back(d);
  }
  ASSERT_GT(subset.size(), 5u);
  Harness replay(Plain());
  replay.link.AddImpairment(std::make_unique<BernoulliLoss>(1.0, Rng(0)));
  replay.link.SetScript(subset);  // impairments are bypassed
  for (int i = 0; i < 100; ++i) replay.SendAt(Ms(i), i, 1);
  replay.scheduler.RunUntilIdle();
  size_t next = 0;
  for (uint64_t i = 0; i < 100; ++i) {
    if (next < subset.size() && subset[next].index == i) {
      ++next;
      continue;
    }
    expected.push_back(i);
  }
  EXPECT_EQ(replay.Ids(), expected);
}

Decision SwapWithNext(uint64_t index, Duration fallback) {
  Decision d;
  d.index = index;
  d.action = Action::kReorder;
  d.reason = "test";
  d.delay = fallback;
  d.until_next = true;
  return d;
}

TEST(LinkTest, UntilNextReorderSwapsWithTheNextDatagram) {
  LinkConfig c = Plain();
  c.delay = Duration::Millis(10);
  Harness h(c);
  h.link.SetScript({SwapWithNext(1, Duration::Seconds(1))});
  // Datagram 2 leaves 5 ms after datagram 1 yet arrives first; 1 arrives
  // right after it (not after its 1 s fallback), and 3 after both.
  h.SendAt(Ms(0), 0, 1);
  h.SendAt(Ms(1), 1, 1);
  h.SendAt(Ms(6), 2, 1);
  h.SendAt(Ms(7), 3, 1);
  h.scheduler.RunUntilIdle();
  EXPECT_EQ(h.Ids(), (std::vector<uint64_t>{0, 2, 1, 3}));
  ASSERT_EQ(h.arrivals.size(), 4u);
  EXPECT_EQ(h.arrivals[1].time, Ms(16));
  EXPECT_EQ(h.arrivals[2].time, Ms(16));
}

TEST(LinkTest, UntilNextReorderFallsBackWhenNothingFollows) {
  LinkConfig c = Plain();
  c.delay = Duration::Millis(10);
  Harness h(c);
  h.link.SetScript({SwapWithNext(0, Duration::Millis(30))});
  h.SendAt(Ms(0), 0, 1);
  h.SendAt(Ms(100), 1, 1);  // too late to overtake
  h.scheduler.RunUntilIdle();
  EXPECT_EQ(h.Ids(), (std::vector<uint64_t>{0, 1}));
  EXPECT_EQ(h.arrivals[0].time, Ms(40));
}

// Appends a drop to every datagram whose index is odd.
class DropOdd : public DecisionHook {
 public:
  void OnDatagram(const std::string& link, uint64_t index, const Datagram&,
                  std::vector<Decision>* out) override {
    seen.push_back(index);
    if (index % 2 == 1) {
      Decision d;
      d.action = Action::kDrop;
      d.reason = "hook";
      out->push_back(d);
    }
  }
  std::vector<uint64_t> seen;
};

TEST(LinkTest, DecisionHookSeesEveryDatagramAndItsDecisionsApply) {
  Harness h(Plain());
  DropOdd hook;
  h.link.set_decision_hook(&hook);
  h.link.set_record_decisions(true);
  for (int i = 0; i < 6; ++i) h.SendAt(Ms(i), i, 1);
  h.scheduler.RunUntilIdle();
  EXPECT_EQ(hook.seen, (std::vector<uint64_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(h.Ids(), (std::vector<uint64_t>{0, 2, 4}));
  ASSERT_EQ(h.link.decisions().size(), 3u);
  EXPECT_EQ(h.link.decisions()[0].link, "l");
  EXPECT_EQ(h.link.decisions()[0].index, 1u);
}

TEST(LinkTest, DestroyingALinkCancelsItsDeliveries) {
  Scheduler s;
  int delivered = 0;
  {
    Link link("l", Plain(), &s, Rng(1), nullptr,
              [&](Datagram) { ++delivered; });
    Datagram d;
    d.payload = {1};
    link.Send(d);
    EXPECT_EQ(link.in_flight(), 1u);
  }
  EXPECT_EQ(s.pending(), 0u);
  s.RunUntilIdle();
  EXPECT_EQ(delivered, 0);
}

// Every link event carries the link's id and pair and the datagram's index
// (and id); a decision event carries the decision itself, so the trace
// assembler need not match events to links by name.
TEST(LinkTest, EventsCarryLinkPairAndDecision) {
  Harness h(Plain());
  h.link.set_id(4);
  h.link.set_pair(2);
  h.link.AddImpairment(std::make_unique<DropNth>(std::vector<uint64_t>{1}));
  h.SendAt(Time::Zero(), 10, 100);
  h.SendAt(Time::Zero() + Duration::Millis(1), 11, 100);
  h.scheduler.RunUntilIdle();
  int sends = 0, delivers = 0, decisions = 0;
  for (const TraceEvent& e : h.trace.events()) {
    const LinkEvent* r = LinkEventOf(e);
    ASSERT_NE(r, nullptr) << e.ToString();
    EXPECT_EQ(r->link_id, 4);
    EXPECT_EQ(r->pair, 2);
    switch (r->kind) {
      case LinkEvent::Kind::kSend:
        EXPECT_EQ(r->datagram_id, 10 + r->index);
        ++sends;
        break;
      case LinkEvent::Kind::kDeliver:
        EXPECT_EQ(r->datagram_id, 10u);
        ++delivers;
        break;
      case LinkEvent::Kind::kDecision:
        ASSERT_NE(r->decision, nullptr);
        EXPECT_EQ(r->decision->index, 1u);
        EXPECT_EQ(r->decision->action, Action::kDrop);
        EXPECT_EQ(e.kind, "drop");
        ++decisions;
        break;
      case LinkEvent::Kind::kNetworkDrop:
        ADD_FAILURE() << e.ToString();
    }
  }
  EXPECT_EQ(sends, 2);
  EXPECT_EQ(delivers, 1);
  EXPECT_EQ(decisions, 1);
}

}  // namespace
}  // namespace quicsim::sim
