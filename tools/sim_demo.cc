// sim_demo: two nodes exchange datagrams over a lossy, reordering,
// duplicating pair of links on a seed, and the run's event log (one line per
// event: time, actor, kind, details) and trace digest are printed. The same
// seed always prints the same output.
//
//   bazel run //tools:sim_demo -- --seed=7 --datagrams=20 --loss=0.2
#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gflags/gflags.h"
#include "sim/datagram.h"
#include "sim/impairment.h"
#include "sim/link.h"
#include "sim/network.h"
#include "sim/scheduler.h"
#include "sim/trace.h"

DEFINE_uint64(seed, 1, "run seed");
DEFINE_int32(datagrams, 20, "datagrams the client sends");
DEFINE_double(loss, 0.1, "Bernoulli loss probability on each direction");

namespace quicsim::sim {
namespace {

constexpr Address kClient = Address::V4(10, 0, 0, 1, 4433);
constexpr Address kServer = Address::V4(10, 0, 0, 2, 443);

std::string Text(const Datagram& d) {
  return std::string(d.payload.begin(), d.payload.end());
}

Datagram Make(Address src, Address dst, const std::string& text) {
  Datagram d;
  d.src = src;
  d.dst = dst;
  d.payload.assign(text.begin(), text.end());
  return d;
}

// Answers every "ping N" with "pong N".
class Server : public DatagramReceiver {
 public:
  Server(Network* net, TraceSink* trace) : net_(net), trace_(trace) {}
  void OnDatagram(Datagram d) override {
    const std::string text = Text(d);
    if (TraceOn(trace_)) {
      trace_->Record(net_->scheduler()->Now(), "server", "recv",
                     absl::StrCat("id=", d.id, " \"", text, "\""));
    }
    if (text.rfind("ping ", 0) != 0) return;
    net_->Send(Make(kServer, d.src, "pong " + text.substr(5)));
  }

 private:
  Network* net_;
  TraceSink* trace_;
};

// Counts the replies.
class Client : public DatagramReceiver {
 public:
  Client(Network* net, TraceSink* trace) : net_(net), trace_(trace) {}
  void OnDatagram(Datagram d) override {
    ++replies;
    if (TraceOn(trace_)) {
      trace_->Record(net_->scheduler()->Now(), "client", "recv",
                     absl::StrCat("id=", d.id, " \"", Text(d), "\""));
    }
  }
  int replies = 0;

 private:
  Network* net_;
  TraceSink* trace_;
};

int Main() {
  Scheduler scheduler(Limits{1000000, Time::Zero() + Duration::Seconds(60)});
  TraceRecorder::Options options;
  options.keep_events = false;
  TraceRecorder trace(options);
  trace.set_listener(
      [](const TraceEvent& e) { std::printf("%s\n", e.ToString().c_str()); });
  Network net(&scheduler, FLAGS_seed, &trace);
  Client client(&net, &trace);
  Server server(&net, &trace);
  if (!net.Register(kClient, &client).ok() ||
      !net.Register(kServer, &server).ok()) {
    return 1;
  }
  LinkConfig config;
  config.delay = Duration::Millis(20);
  config.jitter = Duration::Millis(4);
  config.bandwidth_bps = 10000000;
  config.queue_limit_packets = 32;
  for (const char* name : {"c2s", "s2c"}) {
    Link* link = net.AddLink(name, config);
    const std::string base = name;
    link->AddImpairment(std::make_unique<BernoulliLoss>(
        FLAGS_loss, net.MakeRng(base + "/loss")));
    link->AddImpairment(std::make_unique<Reorder>(
        0.15, Duration::Millis(7), net.MakeRng(base + "/reorder")));
    link->AddImpairment(
        std::make_unique<Duplicate>(0.05, net.MakeRng(base + "/duplicate")));
  }
  net.AddRoute(kClient, kServer, net.FindLink("c2s"));
  net.AddRoute(kServer, kClient, net.FindLink("s2c"));

  std::printf("# sim_demo seed=%llu datagrams=%d loss=%g\n",
              static_cast<unsigned long long>(FLAGS_seed), FLAGS_datagrams,
              FLAGS_loss);
  for (int i = 0; i < FLAGS_datagrams; ++i) {
    scheduler.At(Time::Zero() + Duration::Millis(5) * i, [&net, i] {
      net.Send(Make(kClient, kServer, absl::StrCat("ping ", i)));
    });
  }
  const RunResult result = scheduler.RunUntilIdle();
  std::printf("# result=%s end=%s events=%llu replies=%d/%d\n",
              RunResultName(result), scheduler.Now().ToString().c_str(),
              static_cast<unsigned long long>(scheduler.events_run()),
              client.replies, FLAGS_datagrams);
  std::printf("# digest=%s\n", trace.DigestHex().c_str());
  return result == RunResult::kStalled ? 2 : 0;
}

}  // namespace
}  // namespace quicsim::sim

int main(int argc, char** argv) {
  gflags::SetUsageMessage(
      "Runs the simulation core on a seed and prints its event log.");
  gflags::ParseCommandLineFlags(&argc, &argv, true);
  return quicsim::sim::Main();
}
