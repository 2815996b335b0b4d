#include "scenarios/link_builder.h"

#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "scenarios/datagram_kinds.h"
#include "scenarios/scenario_loader.h"
#include "sim/impairment.h"

namespace quicsim::scenarios {
namespace {

using sim::Duration;
using sim::Time;

// Drops datagrams matching a DatagramPredicate, up to `count` of them (0:
// unlimited).
std::unique_ptr<sim::Impairment> MakePredicateDrop(DatagramPredicate match,
                                                   uint32_t count) {
  const bool first = match == FIRST_INITIAL || match == FIRST_HANDSHAKE ||
                     match == FIRST_ONE_RTT;
  uint64_t limit = count != 0 ? count : (first ? 1 : 0);
  auto dropped = std::make_shared<uint64_t>(0);
  return std::make_unique<sim::DropIf>(
      absl::AsciiStrToLower(DatagramPredicate_Name(match)),
      [match, limit, dropped](const sim::Datagram& d, uint64_t) {
        if (limit != 0 && *dropped >= limit) return false;
        const DatagramKinds k = ClassifyDatagram(d.payload);
        bool hit = false;
        switch (match) {
          case FIRST_INITIAL:
          case ALL_INITIAL:
            hit = k.initial;
            break;
          case FIRST_HANDSHAKE:
          case ALL_HANDSHAKE:
            hit = k.handshake;
            break;
          case FIRST_ONE_RTT:
            hit = k.one_rtt;
            break;
          case ALL_ZERO_RTT:
            hit = k.zero_rtt;
            break;
          case ALL_RETRY:
            hit = k.retry;
            break;
          case ALL_VERSION_NEGOTIATION:
            hit = k.version_negotiation;
            break;
          default:
            hit = false;
        }
        if (hit) ++*dropped;
        return hit;
      });
}

// The impairments of one LinkSpec, drawing from streams "<prefix>/<model>".
absl::Status AddImpairments(
    const Impairments& imp, const sim::Network& network,
    const std::string& prefix,
    std::vector<std::unique_ptr<sim::Impairment>>* out) {
  if (imp.loss() > 0) {
    out->push_back(std::make_unique<sim::BernoulliLoss>(
        imp.loss(), network.MakeRng(prefix + "/loss"), imp.loss_max_burst()));
  }
  const GilbertElliott& ge = imp.gilbert_elliott();
  if (ge.p() > 0 || ge.loss_good() > 0) {
    sim::GilbertElliottLoss::Params params;
    params.p = ge.p();
    params.r = ge.r();
    params.loss_in_good = ge.loss_good();
    params.loss_in_bad = ge.loss_bad();
    out->push_back(std::make_unique<sim::GilbertElliottLoss>(
        params, network.MakeRng(prefix + "/gilbert_elliott")));
  }
  std::vector<uint64_t> nth;
  for (const ScriptedDrop& drop : imp.drops()) {
    if (drop.select_case() == ScriptedDrop::kNth) {
      if (drop.nth() > 0) nth.push_back(drop.nth() - 1);
    } else if (drop.select_case() == ScriptedDrop::kMatch) {
      if (drop.match() == ALL_CONNECTION_CLOSE) {
        return absl::UnimplementedError(
            "drop predicate ALL_CONNECTION_CLOSE cannot be recognised from "
            "cleartext headers; use the DROP_CONNECTION_CLOSE fault");
      }
      out->push_back(MakePredicateDrop(drop.match(), drop.count()));
    }
  }
  if (!nth.empty()) out->push_back(std::make_unique<sim::DropNth>(nth));
  if (!imp.blackholes().empty()) {
    std::vector<sim::Blackhole::Window> windows;
    for (const Blackhole& b : imp.blackholes()) {
      sim::Blackhole::Window w;
      w.start = Time::Zero() + DurationOr(b.start(), Duration::Zero());
      w.end = b.end().empty() ? Time::Infinite()
                              : Time::Zero() + DurationOr(b.end(), {});
      windows.push_back(w);
    }
    out->push_back(std::make_unique<sim::Blackhole>(std::move(windows)));
  }
  if (imp.reorder().probability() > 0) {
    out->push_back(std::make_unique<sim::Reorder>(
        imp.reorder().probability(),
        DurationOr(imp.reorder().extra_delay(), Duration::Millis(10)),
        network.MakeRng(prefix + "/reorder")));
  }
  if (imp.duplicate().probability() > 0) {
    out->push_back(std::make_unique<sim::Duplicate>(
        imp.duplicate().probability(), network.MakeRng(prefix + "/duplicate")));
  }
  if (imp.corrupt().probability() > 0) {
    out->push_back(std::make_unique<sim::Corrupt>(
        imp.corrupt().probability(),
        imp.corrupt().bits() == 0 ? 1 : imp.corrupt().bits(),
        network.MakeRng(prefix + "/corrupt"), imp.corrupt().max_burst()));
  }
  return absl::OkStatus();
}

// Time-varying impairments: from each phase's start on, that phase's
// impairment list decides (the base spec's before the first phase). The
// phase's physical properties (delay, bandwidth, ...) are applied to the link
// by an event at the phase's time (see MakeLink).
class PhasedImpairment : public sim::Impairment {
 public:
  struct Stage {
    Time from;
    std::vector<std::unique_ptr<sim::Impairment>> impairments;
  };
  explicit PhasedImpairment(std::vector<Stage> stages)
      : stages_(std::move(stages)) {}
  void Decide(const sim::Datagram& d, uint64_t index, Time now,
              std::vector<sim::Decision>* out) override {
    const Stage* current = &stages_.front();
    for (const Stage& s : stages_) {
      if (s.from <= now) current = &s;
    }
    for (const auto& imp : current->impairments) {
      imp->Decide(d, index, now, out);
    }
  }

 private:
  std::vector<Stage> stages_;
};

sim::LinkConfig LinkConfigOf(const LinkSpec& spec) {
  sim::LinkConfig c;
  c.delay = DurationOr(spec.delay(), Duration::Zero());
  c.jitter = DurationOr(spec.jitter(), Duration::Zero());
  c.bandwidth_bps = spec.bandwidth_bps();
  c.queue_limit_packets = spec.queue_limit_packets();
  c.queue_limit_bytes = spec.queue_limit_bytes();
  c.mtu = spec.mtu() != 0 ? spec.mtu() : 1500;
  return c;
}

}  // namespace

absl::StatusOr<sim::Link*> MakeLink(const Network& net,
                                    LinkDirection link_direction,
                                    const std::string& name,
                                    sim::Network* network) {
  const int direction = static_cast<int>(link_direction);
  const LinkSpec& spec = link_direction == LinkDirection::kClientToServer
                             ? net.client_to_server()
                             : net.server_to_client();
  sim::Link* link = network->AddLink(name, LinkConfigOf(spec));
  std::vector<PhasedImpairment::Stage> stages;
  stages.emplace_back();
  stages.back().from = Time::Zero();
  absl::Status s = AddImpairments(spec.impairments(), *network, name,
                                  &stages.back().impairments);
  if (!s.ok()) return s;
  int k = 0;
  for (const Phase& phase : net.phases()) {
    ++k;
    if (phase.direction() != Phase::BOTH && phase.direction() != direction) {
      continue;
    }
    stages.emplace_back();
    stages.back().from =
        Time::Zero() + DurationOr(phase.at(), Duration::Zero());
    // The phase's LinkSpec replaces the physical properties too. A phase
    // beyond the run's time bound never applies (and must not keep the run
    // alive as a pending event).
    if (stages.back().from <= network->scheduler()->limits().max_time) {
      const sim::LinkConfig config = LinkConfigOf(phase.link());
      network->scheduler()->At(stages.back().from,
                               [link, config] { link->set_config(config); });
    }
    s = AddImpairments(phase.link().impairments(), *network,
                       absl::StrCat(name, "/phase", k),
                       &stages.back().impairments);
    if (!s.ok()) return s;
  }
  if (stages.size() == 1) {
    for (auto& imp : stages.front().impairments) {
      link->AddImpairment(std::move(imp));
    }
  } else {
    link->AddImpairment(std::make_unique<PhasedImpairment>(std::move(stages)));
  }
  return link;
}

}  // namespace quicsim::scenarios
