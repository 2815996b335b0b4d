#include "tools/export/trace_details.h"

#include "absl/strings/numbers.h"
#include "endpoints/connection_event.h"

namespace quicsim::exporter {

Details::Details(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    if (i >= text.size()) break;
    size_t key_end = i;
    while (key_end < text.size() && text[key_end] != '=' &&
           text[key_end] != ' ') {
      ++key_end;
    }
    std::string key(text.substr(i, key_end - i));
    if (key_end >= text.size() || text[key_end] == ' ') {
      fields_.emplace_back(std::move(key), "");
      i = key_end;
      continue;
    }
    size_t v = key_end + 1;
    std::string value;
    if (v < text.size() && text[v] == '"') {
      size_t close = text.find('"', v + 1);
      if (close == std::string_view::npos) close = text.size();
      value = std::string(text.substr(v + 1, close - v - 1));
      i = close + 1;
    } else {
      size_t end = text.find(' ', v);
      if (end == std::string_view::npos) end = text.size();
      value = std::string(text.substr(v, end - v));
      i = end;
    }
    fields_.emplace_back(std::move(key), std::move(value));
  }
}

std::string Details::Get(std::string_view key,
                         std::string_view fallback) const {
  for (const auto& [k, v] : fields_) {
    if (k == key) return v;
  }
  return std::string(fallback);
}

int64_t Details::GetInt(std::string_view key, int64_t fallback) const {
  int64_t v;
  for (const auto& [k, value] : fields_) {
    if (k == key && absl::SimpleAtoi(value, &v)) return v;
  }
  return fallback;
}

bool Details::Has(std::string_view key) const {
  for (const auto& field : fields_) {
    if (field.first == key) return true;
  }
  return false;
}

absl::flat_hash_map<uint64_t, DatagramPackets> MatchPacketsToDatagrams(
    const std::vector<sim::TraceEvent>& events) {
  absl::flat_hash_map<uint64_t, DatagramPackets> out;
  DatagramPackets pending;
  for (const sim::TraceEvent& e : events) {
    const endpoints::ConnectionEvent* typed = endpoints::ConnectionEventOf(e);
    if (typed != nullptr &&
        (typed->get<endpoints::events::PacketSent>() != nullptr ||
         typed->get<endpoints::events::VersionProbeSent>() != nullptr ||
         typed->get<endpoints::events::StatelessPacketSent>() != nullptr)) {
      if (!pending.packets.empty() && pending.actor != e.actor) {
        pending.packets.clear();
      }
      pending.actor = e.actor;
      pending.packets.push_back(&e);
    } else if (typed != nullptr &&
               typed->get<endpoints::events::DatagramLostByFault>() !=
                   nullptr) {
      pending.packets.clear();
    } else if (e.kind == "send" || (e.actor == "network" && e.kind == "drop")) {
      const int64_t id = Details(e.details).GetInt("id");
      if (id >= 0 && !pending.packets.empty()) {
        out[static_cast<uint64_t>(id)] = pending;
      }
      pending.packets.clear();
    }
  }
  return out;
}

}  // namespace quicsim::exporter
