#!/usr/bin/env python3
"""Writes the seed corpora under tests/fuzz/corpus/ from the RFC 9001
Appendix A vectors in endpoints/rfc9001_vectors.h. Re-run after changing
the vectors; the output is committed."""
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
src = open(os.path.join(ROOT, "endpoints/rfc9001_vectors.h")).read()
vec = {}
for name, body in re.findall(r'inline constexpr char (k\w+)\[\] =\s*((?:"[0-9a-f]*"\s*)+);', src):
    vec[name] = bytes.fromhex("".join(re.findall(r'"([0-9a-f]*)"', body)))


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


client = vec["kClientInitialPacket"]
server = vec["kServerInitialPacket"]
retry = vec["kRetryPacket"]
chacha = vec["kChaChaPacket"]
vn = bytes.fromhex("d5000000000201020303040500000001" "1a2a3a4a")

# packet_header: whole datagrams.
write("packet_header", "rfc9001_a2_client_initial", client)
write("packet_header", "rfc9001_a3_server_initial", server)
write("packet_header", "rfc9001_a4_retry", retry)
write("packet_header", "rfc9001_a5_chacha_short", chacha)
write("packet_header", "version_negotiation", vn)
write("packet_header", "coalesced_initial_short", server + chacha)

# frames: one level byte (0 Initial, 1 0-RTT, 2 Handshake, 3 1-RTT) + payload.
crypto = vec["kClientCryptoFrame"]
write("frames", "initial_client_crypto_padding", b"\x00" + crypto + bytes(20))
write("frames", "initial_server_ack_crypto", b"\x00" + vec["kServerInitialPayload"])
write("frames", "onertt_misc", b"\x03" + bytes.fromhex(
    "1e" "01" "0304030201000102"  # HANDSHAKE_DONE, PING, ACK_ECN
    "0705746f6b656e"              # NEW_TOKEN "token"
    "1801000408090a0b" + "ab" * 16 +  # NEW_CONNECTION_ID
    "0f0400026869"                # STREAM id 4, off 0, len 2, FIN
    "1d2a00" "1c4178060161"))     # CONNECTION_CLOSE app / transport
write("frames", "zerortt_stream", b"\x01" + bytes.fromhex("0a0003616263"))
write("frames", "handshake_close", b"\x02" + bytes.fromhex("1c0a0000"))

# transport_parameters: the client's extension from the A.2 ClientHello and a
# server-side example with every server-only parameter.
write("transport_parameters", "rfc9001_a2_client", bytes.fromhex(
    "0408ffffffffffffffff05048000ffff07048000ffff0801100104800075300901100f"
    "088394c8f03e51570806048000ffff"))
write("transport_parameters", "server_all", bytes.fromhex(
    "00088394c8f03e515708" "01024e20"
    "0210" + "77" * 16 +
    "030245c0" "0a010a" "0b0132" "0c00"
    "0d2c" "c0000201" "01bb" + "00" * 16 + "20fb" "03050607" + "11" * 16 +
    "0e0104" "0f08f067a5502a4262b5" "1001cc" "407803010203"))

# initial_open: protected Initial datagrams.
write("initial_open", "rfc9001_a2_client_initial", client)
write("initial_open", "rfc9001_a3_server_initial", server)
write("initial_open", "coalesced_server_initial_twice", server + server)

# endpoint_datagram: reserved for the whole-endpoint target.
d = os.path.join(HERE, "corpus", "endpoint_datagram")
os.makedirs(d, exist_ok=True)
with open(os.path.join(d, "README.md"), "w") as f:
    f.write("Seeds for the future whole-endpoint fuzz target (datagrams fed "
            "to a server endpoint). One datagram per file.\n")
write("endpoint_datagram", "rfc9001_a2_client_initial", client)

# endpoint_frames: byte 0 = target (bit 0: server) | level << 1 | flags,
# byte 1 = point (datagrams the target received first) | pn offset << 3,
# then the plaintext frames of the injected packet (see the fuzzer).
frame_sets = {
    "ping": bytes.fromhex("01"),
    "ack": bytes.fromhex("02" "05" "00" "00" "05"),  # largest 5, range 5
    "crypto": bytes.fromhex("06" "00" "08") + b"\x16\x03\x03\x00\x04abc",
    "crypto_far": bytes.fromhex("06" "4400" "04") + b"\x14\x00\x00\x00",
    "close": bytes.fromhex("1c" "0a" "00" "03") + b"bye",
    "stream": bytes.fromhex("0f" "00" "00" "05") + b"GET /",
    "misc": bytes.fromhex(
        "1e" "01" "0400" "05" "1000" "07" "0474" "6f6b" "1801000408090a0b"
    ) + bytes(16) + bytes.fromhex("1d2a00"),
}
for target, tname in ((0, "client"), (1, "server")):
    for level, lname in ((0, "initial"), (1, "zerortt"), (2, "handshake"),
                         (3, "onertt")):
        for fname, frames in frame_sets.items():
            for point in (0, 2):
                flags = 0x10 if target == 1 else 0  # pad client Initials
                write("endpoint_frames",
                      "%s_%s_%s_p%d" % (tname, lname, fname, point),
                      bytes([target | level << 1 | flags, point]) + frames)
