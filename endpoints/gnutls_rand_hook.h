// ELF interposition of GnuTLS's gnutls_rnd for the ngtcp2 peer (design rule
// 4): the ClientHello random, the X25519 key shares, ECDSA nonces and any
// ticket material GnuTLS and its nettle backend draw all go through the
// exported gnutls_rnd, which libgnutls itself calls through its PLT. The
// definition in gnutls_rand_hook.cc is linked into the executable
// (alwayslink) and exported to its dynamic symbol table, so libgnutls.so.30
// binds to it. Inside a tls::ScopedEnv with a random stream (the ngtcp2
// endpoint installs its own around every call into ngtcp2/GnuTLS), bytes
// come from that stream; elsewhere from GnuTLS's own generator.
#ifndef QUICSIM_ENDPOINTS_GNUTLS_RAND_HOOK_H_
#define QUICSIM_ENDPOINTS_GNUTLS_RAND_HOOK_H_

namespace quicsim::endpoints {

// True when the process-wide gnutls_rnd symbol is this hook, i.e. GnuTLS
// draws from the scoped stream.
bool GnutlsRndInterposed();

}  // namespace quicsim::endpoints

#endif  // QUICSIM_ENDPOINTS_GNUTLS_RAND_HOOK_H_
