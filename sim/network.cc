#include "sim/network.h"

#include "absl/strings/str_cat.h"
#include "base/check.h"

namespace quicsim::sim {

Network::Network(Scheduler* scheduler, uint64_t seed, TraceSink* trace)
    : scheduler_(scheduler), seed_(seed), trace_(trace) {}

absl::Status Network::Register(Address address, DatagramReceiver* receiver) {
  if (!receivers_.emplace(address, receiver).second) {
    return absl::AlreadyExistsError(
        absl::StrCat("address in use: ", address.ToString()));
  }
  return absl::OkStatus();
}

void Network::Unregister(Address address) { receivers_.erase(address); }

Link* Network::AddLink(std::string name, LinkConfig config) {
  QUICSIM_CHECK(!links_by_name_.contains(name));
  auto link = std::make_unique<Link>(
      name, config, scheduler_, MakeRng(absl::StrCat("link/", name, "/jitter")),
      trace_, [this](Datagram d) { Deliver(std::move(d)); });
  link->set_id(static_cast<int32_t>(links_.size()));
  link->set_record_decisions(record_decisions_);
  link->set_capture(capture_);
  link->set_decision_hook(decision_hook_);
  Link* raw = link.get();
  links_by_name_.emplace(std::move(name), raw);
  links_.push_back(std::move(link));
  return raw;
}

Link* Network::FindLink(std::string_view name) const {
  auto it = links_by_name_.find(absl::string_view(name.data(), name.size()));
  return it == links_by_name_.end() ? nullptr : it->second;
}

void Network::AddRoute(Address src, Address dst, Link* link) {
  routes_[{src, dst}] = link;
}

void Network::TraceDrop(const Datagram& d, const char* reason) {
  if (TraceOn(trace_)) {
    LinkEvent e;
    e.kind = LinkEvent::Kind::kNetworkDrop;
    e.datagram_id = d.id;
    trace_->Record(scheduler_->Now(), "network", "drop",
                   absl::StrCat("id=", d.id, " ", d.src.ToString(), ">",
                                d.dst.ToString(), " reason=", reason),
                   &e);
  }
}

uint64_t Network::Send(Datagram d) {
  d.id = next_id_++;
  ++sent_;
  const uint64_t id = d.id;
  if (wire_digest_ != nullptr) wire_digest_->Add(scheduler_->Now(), d);
  auto it = routes_.find(std::make_pair(d.src, d.dst));
  if (it == routes_.end()) {
    ++dropped_no_route_;
    TraceDrop(d, "no_route");
    if (capture_ != nullptr) {
      capture_->OnNetworkDrop(d, scheduler_->Now(), "no_route");
    }
    return id;
  }
  it->second->Send(std::move(d));
  return id;
}

void Network::Deliver(Datagram d) {
  auto it = receivers_.find(d.dst);
  if (it == receivers_.end()) {
    ++dropped_no_receiver_;
    TraceDrop(d, "no_receiver");
    if (capture_ != nullptr) capture_->OnNoReceiver();
    return;
  }
  ++delivered_;
  it->second->OnDatagram(std::move(d));
}

void Network::SetScript(const std::vector<Decision>& decisions) {
  for (const auto& link : links_) {
    std::vector<Decision> mine;
    for (const Decision& d : decisions) {
      if (d.link == link->name()) mine.push_back(d);
    }
    link->SetScript(std::move(mine));
  }
}

std::vector<Decision> Network::RecordedDecisions() const {
  std::vector<Decision> all;
  for (const auto& link : links_) {
    all.insert(all.end(), link->decisions().begin(), link->decisions().end());
  }
  return all;
}

void Network::set_capture(Capture* capture) {
  capture_ = capture;
  for (const auto& link : links_) link->set_capture(capture);
}

void Network::set_decision_hook(DecisionHook* hook) {
  decision_hook_ = hook;
  for (const auto& link : links_) link->set_decision_hook(hook);
}

void Network::set_record_decisions(bool record) {
  record_decisions_ = record;
  for (const auto& link : links_) link->set_record_decisions(record);
}

}  // namespace quicsim::sim
