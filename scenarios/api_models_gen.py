# Generates scenarios/api_models_{clean,lossy}.textproto:
#   python3 scenarios/api_models_gen.py clean 1s > scenarios/api_models_clean.textproto
#   python3 scenarios/api_models_gen.py lossy 20s > scenarios/api_models_lossy.textproto
import sys
ROWS = [
  # name, client fault, server fault, codes, extra expect, go121_flaw
  ("ALPN_MISMATCH", None, "ALPN_MISMATCH", "0x178", "", False),
  ("REFUSE_TRANSPORT_PARAMETERS", None, "REFUSE_TRANSPORT_PARAMETERS", "0x08", "", False),
  ("NO_CERTIFICATE_FOR_SNI", None, "NO_CERTIFICATE_FOR_SNI", "0x128", "", False),
  ("SERVER_INTERNAL_ERROR", None, "SERVER_INTERNAL_ERROR", "0x150", "", True),
  ("SIGNING_FAILURE", None, "SIGNING_FAILURE", "0x150", "", True),
  ("UNTRUSTED_CERTIFICATE", "UNTRUSTED_CERTIFICATE", None, "0x12a", "", False),
  ("BAD_SIGNATURE", "BAD_SIGNATURE", None, "0x133", "", False),
  ("INVALID_SERVER_TRANSPORT_PARAMETERS", None, "INVALID_SERVER_TRANSPORT_PARAMETERS", "0x08", "", False),
  ("ABORT_BEFORE_CLIENT_HELLO", "ABORT_BEFORE_CLIENT_HELLO", None, "0x150", " allow_peer_silent: true", False),
  ("DROP_CONNECTION_CLOSE", "DROP_CONNECTION_CLOSE", "ALPN_MISMATCH", "0x178", " allow_peer_timeout: true", "all"),
]
MODELS = ["PROPOSAL_74922", "GO_1_21", "GO_1_26"]
SAFETY = "oracles: [AMPLIFICATION_LIMIT, NO_PACKET_AFTER_KEY_DISCARD, NO_PACKET_AFTER_DRAINING, NO_STALL, ERROR_PROPAGATION]"

def main(kind, rows_filter=None):
    lossy = kind == "lossy"
    bound = sys.argv[2]
    name = f"api_models_{kind}"
    loss = " impairments { loss: 0.2 }" if lossy else ""
    desc = ("Every error-injection row x the three TLS API models (PROPOSAL_74922, GO_1_21, GO_1_26), "
            + ("20% loss both ways" if lossy else "a clean link")
            + ", judged by error_propagation. GO_1_21 is expected to violate it where the server fails after "
              "TransportParametersRequired (SERVER_INTERNAL_ERROR, SIGNING_FAILURE), and every model where the "
              "peer's CONNECTION_CLOSE is lost (DROP_CONNECTION_CLOSE).")
    out = []
    out.append(f"# {desc}")
    out.append("# One pair per variant per seed; `quicsim run` prints the variant table (row/model).")
    out.append(f'name: "{name}"')
    out.append(f'description: "{desc}"')
    out.append("network {")
    out.append(f'  client_to_server {{ delay: "10ms"{loss} }}')
    out.append(f'  server_to_client {{ delay: "10ms"{loss} }}')
    out.append("}")
    pass
    pass
    variants = []
    for (row, cf, sf, code, extra, flaw) in ROWS:
        if rows_filter and row not in rows_filter: continue
        for m in MODELS:
            c = [f"tls_api: {m}"] + ([f"fault: {cf}"] if cf else [])
            s = [f"tls_api: {m}"] + ([f"fault: {sf}"] if sf else [])
            expected_flaw = flaw == "all" or (flaw is True and m == "GO_1_21")
            if expected_flaw and flaw is True:
                e = f"outcome: CLOSED error_codes: {code} {SAFETY} expected_violations: ERROR_PROPAGATION"
            else:
                e = f"outcome: CLOSED error_codes: {code}{extra} max_handshake_time: \"{bound}\""
                if expected_flaw:
                    e += " expected_violations: ERROR_PROPAGATION"
            variants.append(f'  variants {{ name: "{row}/{m}" client {{ {" ".join(c)} }} server {{ {" ".join(s)} }} expect {{ {e} }} }}')
    out.append("population {")
    out.append(f"  pairs: {len(variants)}")
    out.append('  start_spacing: "1ms"')
    out.extend(variants)
    out.append("}")
    out.append("seeds { count: 100 base: 1 }")
    out.append("limits { max_virtual_time: \"300s\" }")
    out.append(f'expect {{ outcome: CLOSED error_codes: 0x150 max_handshake_time: "{bound}" }}')
    print("\n".join(out))

main(sys.argv[1], set(sys.argv[3].split(",")) if len(sys.argv) > 3 else None)
