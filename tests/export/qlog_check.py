#!/usr/bin/env python3
"""Checks qlog 0.3 JSON-SEQ files (.sqlog) as qvis reads them.

  qlog_check.py FILE.sqlog...

Each file: RFC 7464 records (0x1E, JSON text, newline); the first is the
header (qlog_version "0.3", qlog_format "JSON-SEQ", a trace with a
vantage point), every other one an event with a numeric time, a name from
the qlog 0.3 vocabulary (draft-ietf-quic-qlog-main-schema-03 and
draft-ietf-quic-qlog-quic-events-03) and a data object carrying the fields
that event requires. Times must not decrease. Prints one summary line per
file; exits 1 on the first problem, naming file, record and field.
"""
import json
import sys

# draft-ietf-quic-qlog-quic-events-03 (qlog 0.3): the QUIC events.
QUIC_EVENTS = {
    "connectivity:server_listening", "connectivity:connection_started",
    "connectivity:connection_closed", "connectivity:connection_id_updated",
    "connectivity:spin_bit_updated", "connectivity:connection_state_updated",
    "connectivity:mtu_updated",
    "security:key_updated", "security:key_discarded",
    "transport:version_information", "transport:alpn_information",
    "transport:parameters_set", "transport:parameters_restored",
    "transport:packet_sent", "transport:packet_received",
    "transport:packet_dropped", "transport:packet_buffered",
    "transport:packets_acked", "transport:datagrams_sent",
    "transport:datagrams_received", "transport:datagram_dropped",
    "transport:stream_state_updated", "transport:frames_processed",
    "transport:data_moved",
    "recovery:parameters_set", "recovery:metrics_updated",
    "recovery:congestion_state_updated", "recovery:loss_timer_updated",
    "recovery:packet_lost", "recovery:marked_for_retransmit",
}
# draft-ietf-quic-qlog-main-schema-03: generic events.
GENERIC_EVENTS = {"generic:error", "generic:warning", "generic:info",
                  "generic:debug", "generic:verbose"}
KNOWN_EVENTS = QUIC_EVENTS | GENERIC_EVENTS

PACKET_TYPES = {"initial", "handshake", "0RTT", "1RTT", "retry",
                "version_negotiation", "stateless_reset", "unknown"}
NUMBERED_TYPES = {"initial", "handshake", "0RTT", "1RTT"}
FRAME_TYPES = {"padding", "ping", "ack", "reset_stream", "stop_sending",
               "crypto", "new_token", "stream", "max_data",
               "max_stream_data", "max_streams", "data_blocked",
               "stream_data_blocked", "streams_blocked",
               "new_connection_id", "retire_connection_id",
               "path_challenge", "path_response", "connection_close",
               "handshake_done", "datagram", "unknown"}
TRANSPORT_ERRORS = {
    "no_error", "internal_error", "connection_refused", "flow_control_error",
    "stream_limit_error", "stream_state_error", "final_size_error",
    "frame_encoding_error", "transport_parameter_error",
    "connection_id_limit_error", "protocol_violation", "invalid_token",
    "application_error", "crypto_buffer_exceeded", "key_update_error",
    "aead_limit_reached", "no_viable_path"}
DROP_TRIGGERS = {"internal_error", "rejected", "unsupported", "invalid",
                 "connection_unknown", "decryption_failure", "general"}
LOST_TRIGGERS = {"reordering_threshold", "time_threshold", "pto_expired"}
TIMER_EVENTS = {"set", "expired", "cancelled"}
TIMER_TYPES = {"ack", "pto"}
SPACES = {"initial", "handshake", "application_data"}
KEY_TYPES = {"%s_%s_secret" % (o, l) for o in ("server", "client")
             for l in ("initial", "handshake", "0rtt", "1rtt")}
STATES = {"attempted", "peer_validated", "handshake_started", "early_write",
          "handshake_complete", "handshake_confirmed", "closing", "draining",
          "closed"}
CLOSE_TRIGGERS = {"clean", "handshake_timeout", "idle_timeout", "error",
                  "stateless_reset", "version_mismatch", "application"}
METRICS = {"min_rtt", "smoothed_rtt", "latest_rtt", "rtt_variance",
           "pto_count", "congestion_window", "bytes_in_flight",
           "ssthresh", "packets_in_flight", "pacing_rate"}


class Bad(Exception):
    pass


def need(cond, what):
    if not cond:
        raise Bad(what)


def number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def error_code(v, what):
    need(v in TRANSPORT_ERRORS or number(v) or
         (isinstance(v, str) and len(v) == 18 and
          v.startswith("crypto_error_0x1") and
          all(c in "0123456789abcdef" for c in v[15:])),
         "%s: %r is not a transport error, crypto_error_0x1NN or a number"
         % (what, v))


def header(d, what):
    h = d.get("header")
    need(isinstance(h, dict), what + ".header missing")
    need(h.get("packet_type") in PACKET_TYPES,
         "%s.header.packet_type %r" % (what, h.get("packet_type")))
    return h


def numbered_header(d, what):
    h = header(d, what)
    if h["packet_type"] in NUMBERED_TYPES:
        need(number(h.get("packet_number")) and h["packet_number"] >= 0,
             what + ".header.packet_number missing")


def frames(d, what):
    fs = d.get("frames", [])
    need(isinstance(fs, list), what + ".frames is not a list")
    for i, f in enumerate(fs):
        w = "%s.frames[%d]" % (what, i)
        need(isinstance(f, dict) and f.get("frame_type") in FRAME_TYPES,
             "%s.frame_type %r" % (w, f.get("frame_type")))
        if f["frame_type"] == "crypto":
            need(number(f.get("offset")) and number(f.get("length")),
                 w + " crypto needs offset and length")
        if f["frame_type"] == "connection_close":
            need(f.get("error_space") in ("transport", "application"),
                 w + ".error_space")
            error_code(f.get("error_code"), w + ".error_code")


def check_event(e, what):
    need(isinstance(e, dict), what + " is not an object")
    need(number(e.get("time")), what + ".time is not a number")
    name = e.get("name")
    need(name in KNOWN_EVENTS, "%s.name %r is not a qlog 0.3 event" %
         (what, name))
    d = e.get("data")
    need(isinstance(d, dict), what + ".data is not an object")
    what = "%s (%s)" % (what, name)
    if name in ("transport:packet_sent", "transport:packet_received"):
        numbered_header(d, what)
        frames(d, what)
    elif name == "transport:packet_dropped":
        if "header" in d:
            header(d, what)
        need(d.get("trigger") in DROP_TRIGGERS,
             "%s.trigger %r" % (what, d.get("trigger")))
    elif name == "recovery:packet_lost":
        numbered_header(d, what)
        need(d["header"]["packet_type"] in NUMBERED_TYPES,
             what + " lost packet type")
        need(d.get("trigger") in LOST_TRIGGERS,
             "%s.trigger %r" % (what, d.get("trigger")))
    elif name == "recovery:loss_timer_updated":
        need(d.get("event_type") in TIMER_EVENTS,
             "%s.event_type %r" % (what, d.get("event_type")))
        if d["event_type"] == "set":
            need(d.get("timer_type") in TIMER_TYPES, what + ".timer_type")
            need(d.get("packet_number_space") in SPACES,
                 what + ".packet_number_space")
            need(number(d.get("delta")) and d["delta"] >= 0, what + ".delta")
        elif d["event_type"] == "expired":
            need(d.get("timer_type") in TIMER_TYPES, what + ".timer_type")
    elif name == "recovery:metrics_updated":
        need(d and set(d) <= METRICS, "%s fields %r" % (what, sorted(d)))
        for k, v in d.items():
            need(number(v) and v >= 0, "%s.%s %r" % (what, k, v))
    elif name in ("security:key_updated", "security:key_discarded"):
        need(d.get("key_type") in KEY_TYPES,
             "%s.key_type %r" % (what, d.get("key_type")))
    elif name == "connectivity:connection_state_updated":
        need(d.get("new") in STATES, "%s.new %r" % (what, d.get("new")))
    elif name == "connectivity:connection_closed":
        need(d.get("owner") in ("local", "remote"), what + ".owner")
        if "connection_code" in d:
            error_code(d["connection_code"], what + ".connection_code")
        if "trigger" in d:
            need(d["trigger"] in CLOSE_TRIGGERS, what + ".trigger")
        need("connection_code" in d or "trigger" in d,
             what + " needs connection_code or trigger")
    elif name == "transport:parameters_set":
        if "owner" in d:
            need(d["owner"] in ("local", "remote"), what + ".owner")
    elif name in GENERIC_EVENTS:
        need(isinstance(d.get("message"), str), what + ".message")
    return name


def check_file(path):
    data = open(path, "rb").read()
    need(data.startswith(b"\x1e"), "does not start with a record separator")
    records = [r for r in data.split(b"\x1e")[1:]]
    need(records, "no records")
    for i, r in enumerate(records):
        need(r.endswith(b"\n"), "record %d does not end with a newline" % i)
    head = json.loads(records[0])
    need(head.get("qlog_version") == "0.3", "qlog_version")
    need(head.get("qlog_format") == "JSON-SEQ", "qlog_format")
    trace = head.get("trace")
    need(isinstance(trace, dict), "header has no trace")
    need(trace.get("vantage_point", {}).get("type") in
         ("client", "server", "network", "unknown"), "vantage_point.type")
    last = None
    names = {}
    for i, r in enumerate(records[1:], start=1):
        e = json.loads(r)
        name = check_event(e, "record %d" % i)
        names[name] = names.get(name, 0) + 1
        need(last is None or e["time"] >= last,
             "record %d: time %r before %r" % (i, e["time"], last))
        last = e["time"]
    return len(records) - 1, names


def main(paths):
    totals = {}
    for path in paths:
        try:
            count, names = check_file(path)
        except (Bad, ValueError, KeyError, TypeError) as err:
            print("%s: %s" % (path, err))
            return 1
        for n, c in names.items():
            totals[n] = totals.get(n, 0) + c
        print("%s: %d events OK" % (path, count))
    for n in sorted(totals):
        print("  %-40s %d" % (n, totals[n]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
