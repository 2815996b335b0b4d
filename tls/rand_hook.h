// ELF interposition of BoringSSL's RAND_bytes and BN_rand_range_ex (design
// rule 4; the latter draws NIST-curve key shares). The definitions live in
// rand_hook.cc, linked into the executable with
// alwayslink and exported to the dynamic symbol table, so that the shared
// libssl.so.0/libcrypto.so.0 resolve their calls to them. Inside a
// ScopedEnv with a random stream, bytes come from that stream; elsewhere from
// the real BoringSSL generator.
#ifndef QUICSIM_TLS_RAND_HOOK_H_
#define QUICSIM_TLS_RAND_HOOK_H_

namespace quicsim::tls {

// True when the process-wide RAND_bytes and BN_rand_range_ex symbols are this
// file's definitions, i.e. the shared BoringSSL libraries draw from the
// scoped stream.
bool RandBytesInterposed();

}  // namespace quicsim::tls

#endif  // QUICSIM_TLS_RAND_HOOK_H_
