#include "scenarios/tls_contexts.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "scenarios/faults.h"
#include "tls/config.h"

namespace quicsim::scenarios {
namespace {

tls::Config BaseConfig(const EndpointConfig& ep, tls::Role role) {
  tls::Config c;
  c.role = role;
  if (!ep.alpn().empty()) c.alpn.assign(ep.alpn().begin(), ep.alpn().end());
  if (!ep.groups().empty()) c.groups = absl::StrJoin(ep.groups(), ":");
  c.enable_0rtt = ep.resumption().enabled() && ep.resumption().zero_rtt();
  // Pairs run proposal #74922 unless the scenario says otherwise.
  c.api_model = ep.tls_api() == EndpointConfig::GO_1_21 ? tls::ApiModel::kGo121
                : ep.tls_api() == EndpointConfig::GO_1_26
                    ? tls::ApiModel::kGo126
                    : tls::ApiModel::kProposal74922;
  c.enable_send_first_flight = !ep.disable_send_first_flight();
  // ResumeSession/StoreSession events: the stack answers them.
  c.enable_session_events = true;
  return c;
}

}  // namespace

absl::StatusOr<const TlsContexts*> TlsContextCache::For(
    const Scenario& scenario) {
  std::string key;
  scenario.client().SerializeToString(&key);
  std::string server_key;
  scenario.server().SerializeToString(&server_key);
  key = absl::StrCat(key.size(), ":", key, server_key);
  auto it = contexts_.find(key);
  if (it != contexts_.end()) return &it->second;

  const EndpointConfig& cl = scenario.client();
  const EndpointConfig& sv = scenario.server();
  if (!cl.cipher_suites().empty() || !sv.cipher_suites().empty()) {
    return absl::UnimplementedError(
        "cipher_suites: the tls layer has no cipher-suite setting yet");
  }
  const CertificateSpec& cert = sv.certificate();
  tls::TestPkiOptions pki;
  pki.key_type = cert.key_type() == CertificateSpec::P256
                     ? tls::KeyType::kEcdsaP256
                     : tls::KeyType::kEd25519;
  pki.chain_length = cert.chain_length() != 0 ? cert.chain_length() : 2;
  pki.target_certificate_size = cert.leaf_padding_bytes();
  if (!sv.server_name().empty()) pki.dns_names = {sv.server_name()};
  if (cert.variant() == CertificateSpec::EXPIRED) {
    pki.variant = tls::TestPkiOptions::Variant::kExpired;
  } else if (cert.variant() == CertificateSpec::WRONG_SIGNATURE) {
    pki.variant = tls::TestPkiOptions::Variant::kWronglySigned;
  }
  absl::StatusOr<tls::TestChain> chain = tls::MakeTestChain(pki);
  if (!chain.ok()) return chain.status();
  std::vector<uint8_t> anchor = chain->root;
  if (cert.variant() == CertificateSpec::UNTRUSTED) {
    tls::TestPkiOptions other = pki;
    other.seed = "quicsim-pki-untrusted-root";
    other.variant = tls::TestPkiOptions::Variant::kValid;
    absl::StatusOr<tls::TestChain> other_chain = tls::MakeTestChain(other);
    if (!other_chain.ok()) return other_chain.status();
    anchor = other_chain->root;
  }

  tls::Config server = BaseConfig(sv, tls::Role::kServer);
  server.certificate_chain = chain->chain;
  server.private_key = chain->private_key;
  tls::Config client = BaseConfig(cl, tls::Role::kClient);
  client.trust_anchors = {anchor};
  if (!cl.server_name().empty()) client.server_name = cl.server_name();

  const PairFaults faults = MapFaults(cl, sv);
  client.faults = faults.client.tls;
  server.faults = faults.server.tls;
  TlsContexts contexts;
  contexts.chain = *chain;
  contexts.trust_anchor = anchor;
  absl::StatusOr<std::unique_ptr<tls::Context>> c =
      tls::Context::Create(client);
  if (!c.ok()) return c.status();
  contexts.client = std::move(*c);
  absl::StatusOr<std::unique_ptr<tls::Context>> s =
      tls::Context::Create(server);
  if (!s.ok()) return s.status();
  contexts.server = std::move(*s);
  return &contexts_.emplace(key, std::move(contexts)).first->second;
}

}  // namespace quicsim::scenarios
