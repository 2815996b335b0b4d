#include "endpoints/ngtcp2_gnutls_session.h"

#include <gnutls/x509.h>
#include <ngtcp2/ngtcp2_crypto_gnutls.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace quicsim::endpoints {
namespace {

constexpr char kPriority[] =
    "NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-X25519:"
    "%DISABLE_TLS13_COMPAT_MODE";

gnutls_datum_t Datum(const std::vector<uint8_t>& bytes) {
  gnutls_datum_t d;
  d.data = const_cast<unsigned char*>(bytes.data());
  d.size = static_cast<unsigned int>(bytes.size());
  return d;
}

// Loads the server's certificate chain and key into `cred`.
absl::Status SetServerCertificate(gnutls_certificate_credentials_t cred,
                                  const GnutlsSession::Config& config) {
  if (config.certificate_chain.empty() || config.private_key.empty()) {
    return absl::InvalidArgumentError("server needs a certificate and key");
  }
  std::vector<gnutls_x509_crt_t> crts;
  gnutls_x509_privkey_t key = nullptr;
  auto cleanup = [&] {
    for (gnutls_x509_crt_t c : crts) gnutls_x509_crt_deinit(c);
    if (key != nullptr) gnutls_x509_privkey_deinit(key);
  };
  for (const std::vector<uint8_t>& der : config.certificate_chain) {
    gnutls_x509_crt_t crt;
    if (gnutls_x509_crt_init(&crt) != 0) {
      cleanup();
      return absl::InternalError("gnutls_x509_crt_init");
    }
    crts.push_back(crt);
    gnutls_datum_t d = Datum(der);
    const int rv = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER);
    if (rv != 0) {
      cleanup();
      return absl::InvalidArgumentError(
          absl::StrCat("certificate: ", gnutls_strerror(rv)));
    }
  }
  gnutls_x509_privkey_init(&key);
  gnutls_datum_t kd = Datum(config.private_key);
  int rv = gnutls_x509_privkey_import_pkcs8(key, &kd, GNUTLS_X509_FMT_DER,
                                            nullptr, GNUTLS_PKCS_PLAIN);
  if (rv == 0) {
    rv = gnutls_certificate_set_x509_key(cred, crts.data(),
                                         static_cast<int>(crts.size()), key);
  }
  cleanup();
  if (rv != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("private key: ", gnutls_strerror(rv)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<GnutlsSession>> GnutlsSession::Create(
    const Config& config, ngtcp2_crypto_conn_ref* conn_ref) {
  std::unique_ptr<GnutlsSession> tls(new GnutlsSession());
  absl::Status status = tls->LoadCredentials(config);
  if (status.ok()) status = tls->InitSession(config, conn_ref);
  if (!status.ok()) return status;
  return tls;
}

GnutlsSession::~GnutlsSession() {
  if (session_ != nullptr) gnutls_deinit(session_);
  if (cred_ != nullptr) gnutls_certificate_free_credentials(cred_);
}

absl::Status GnutlsSession::LoadCredentials(const Config& config) {
  if (gnutls_certificate_allocate_credentials(&cred_) != 0) {
    return absl::InternalError("gnutls_certificate_allocate_credentials");
  }
  if (config.server) return SetServerCertificate(cred_, config);
  if (!config.trust_anchor.empty()) {
    gnutls_datum_t d = Datum(config.trust_anchor);
    const int rv =
        gnutls_certificate_set_x509_trust_mem(cred_, &d, GNUTLS_X509_FMT_DER);
    if (rv != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("trust anchor: ", rv < 0 ? gnutls_strerror(rv) : "?"));
    }
  }
  return absl::OkStatus();
}

absl::Status GnutlsSession::InitSession(const Config& config,
                                        ngtcp2_crypto_conn_ref* conn_ref) {
  const bool server = config.server;
  const unsigned flags = (server ? GNUTLS_SERVER : GNUTLS_CLIENT) |
                         GNUTLS_NO_END_OF_EARLY_DATA | config.resumption_flags;
  if (gnutls_init(&session_, flags) != 0) {
    return absl::InternalError("gnutls_init");
  }
  gnutls_session_t s = session_;
  const char* err_pos = nullptr;
  if (gnutls_priority_set_direct(s, kPriority, &err_pos) != 0) {
    return absl::InternalError(absl::StrCat("priority at ", err_pos));
  }
  const int rv = server ? ngtcp2_crypto_gnutls_configure_server_session(s)
                        : ngtcp2_crypto_gnutls_configure_client_session(s);
  if (rv != 0) return absl::InternalError("ngtcp2 GnuTLS configure");
  gnutls_session_set_ptr(s, conn_ref);
  if (gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, cred_) != 0) {
    return absl::InternalError("gnutls_credentials_set");
  }
  std::vector<gnutls_datum_t> protos;
  for (const std::string& p : config.alpn) {
    protos.push_back(
        {reinterpret_cast<unsigned char*>(const_cast<char*>(p.data())),
         static_cast<unsigned int>(p.size())});
  }
  if (gnutls_alpn_set_protocols(s, protos.data(),
                                static_cast<unsigned>(protos.size()),
                                server ? GNUTLS_ALPN_MANDATORY : 0) != 0) {
    return absl::InternalError("gnutls_alpn_set_protocols");
  }
  if (!server) {
    // GnuTLS keeps the pointer to the name it verifies: it is ours.
    server_name_ = config.server_name;
    gnutls_server_name_set(s, GNUTLS_NAME_DNS, server_name_.data(),
                           server_name_.size());
    if (!config.trust_anchor.empty()) {
      gnutls_session_set_verify_cert(s, server_name_.c_str(), 0);
    }
  }
  return absl::OkStatus();
}

}  // namespace quicsim::endpoints
