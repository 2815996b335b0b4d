#include "sim/capture.h"

#include <utility>

namespace quicsim::sim {

void Capture::Clear() {
  datagrams_.clear();
  by_link_.clear();
  last_delivered_ = SIZE_MAX;
}

CapturedDatagram* Capture::Find(std::string_view link, uint64_t index) {
  auto it = by_link_.find(std::make_pair(std::string(link), index));
  return it == by_link_.end() ? nullptr : &datagrams_[it->second];
}

void Capture::OnEnter(std::string_view link, uint64_t index, const Datagram& d,
                      Time now) {
  CapturedDatagram c;
  c.id = d.id;
  c.link = std::string(link);
  c.index = index;
  c.src = d.src;
  c.dst = d.dst;
  c.sent = now;
  c.payload = d.payload;
  by_link_[std::make_pair(c.link, index)] = datagrams_.size();
  datagrams_.push_back(std::move(c));
}

void Capture::OnDrop(std::string_view link, uint64_t index,
                     std::string_view reason) {
  CapturedDatagram* c = Find(link, index);
  if (c == nullptr) return;
  c->dropped = true;
  if (!c->drop_reason.empty()) c->drop_reason += ",";
  c->drop_reason += std::string(reason);
}

void Capture::OnCorrupt(std::string_view link, uint64_t index,
                        const std::vector<uint8_t>& payload) {
  CapturedDatagram* c = Find(link, index);
  if (c == nullptr) return;
  c->corrupted = true;
  c->corrupted_payload = payload;
}

void Capture::OnReorder(std::string_view link, uint64_t index) {
  if (CapturedDatagram* c = Find(link, index)) c->reordered = true;
}

void Capture::OnDuplicate(std::string_view link, uint64_t index,
                          uint32_t copies) {
  if (CapturedDatagram* c = Find(link, index)) c->copies += copies;
}

void Capture::OnDeliver(std::string_view link, uint64_t index, Time now) {
  auto it = by_link_.find(std::make_pair(std::string(link), index));
  if (it == by_link_.end()) {
    last_delivered_ = SIZE_MAX;
    return;
  }
  last_delivered_ = it->second;
  datagrams_[it->second].deliveries.push_back(CapturedDelivery{now, true});
}

void Capture::OnNoReceiver() {
  if (last_delivered_ == SIZE_MAX) return;
  CapturedDatagram& c = datagrams_[last_delivered_];
  if (!c.deliveries.empty()) c.deliveries.back().received = false;
  last_delivered_ = SIZE_MAX;
}

void Capture::OnNetworkDrop(const Datagram& d, Time now,
                            std::string_view reason) {
  CapturedDatagram c;
  c.id = d.id;
  c.src = d.src;
  c.dst = d.dst;
  c.sent = now;
  c.payload = d.payload;
  c.dropped = true;
  c.drop_reason = std::string(reason);
  datagrams_.push_back(std::move(c));
}

}  // namespace quicsim::sim
