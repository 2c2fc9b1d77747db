#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Hand-built captures for test-capture.sh, made from the suite's real ones.

  pcap-edit.py list IN                       one line per frame: index, TCP/UDP ports, payload length, flags
  pcap-edit.py truncate IN OUT N BYTES       frame N keeps only BYTES captured bytes (a snap length cut)
  pcap-edit.py drop IN OUT N...              frames N... left out
  pcap-edit.py resegment IN OUT N PIECES     frame N's TCP payload split into PIECES segments, sent in
                                             reverse order, the last one sent twice (retransmission)
  pcap-edit.py pcapng IN OUT                 the same frames as pcapng
  pcap-edit.py eapol IN OUT PORT VLAN        the EAP of the RADIUS exchanges (server UDP PORT) replayed as
                                             EAPOL frames on an 802.1Q VLAN, phone MAC from Calling-Station-Id
  pcap-edit.py sip OUT PORT                  a TCP connection to PORT carrying plaintext SIP
  pcap-edit.py interleave IN OUT             the UDP conversations (by client port) taken a frame each in turn,
                                             so that all are in progress at once
  pcap-edit.py repeat IN OUT N PORT          the capture N times over, each copy from other switches
                                             (client address 10.x.y.z) and a second later: a big capture
  pcap-edit.py port IN OUT FROM TO           UDP port FROM becomes TO, both ways (a server on another port)
  pcap-edit.py fuzz-seed IN OUT FRAMES [PORT]  the first FRAMES frames as a fuzz_capture input; UDP PORT
                                             becomes 1812 (RADIUS on a random test port)

Classic pcap in (what tcpdump -w writes), Ethernet frames; indexes from 0.
"""
import struct
import sys


def read_pcap(path):
    with open(path, 'rb') as f:
        data = f.read()
    magic = struct.unpack('<I', data[:4])[0]
    assert magic == 0xa1b2c3d4, 'little-endian microsecond pcap expected'
    linktype = struct.unpack('<I', data[20:24])[0]
    frames, at = [], 24
    while at + 16 <= len(data):
        sec, usec, caplen, wirelen = struct.unpack('<IIII', data[at:at + 16])
        frames.append([sec, usec, data[at + 16:at + 16 + caplen], wirelen])
        at += 16 + caplen
    return linktype, frames


def write_pcap(path, linktype, frames):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 262144, linktype))
        for sec, usec, frame, wirelen in frames:
            f.write(struct.pack('<IIII', sec, usec, len(frame), wirelen) + frame)


def write_pcapng(path, linktype, frames):
    def block(kind, body):
        body += b'\0' * (-len(body) % 4)
        return struct.pack('<II', kind, len(body) + 12) + body + struct.pack('<I', len(body) + 12)
    with open(path, 'wb') as f:
        f.write(block(0x0A0D0D0A, struct.pack('<IHHq', 0x1A2B3C4D, 1, 0, -1)))
        f.write(block(1, struct.pack('<HHI', linktype, 0, 262144)))
        for sec, usec, frame, wirelen in frames:
            ts = sec * 1000000 + usec
            f.write(block(6, struct.pack('<IIIII', 0, ts >> 32, ts & 0xFFFFFFFF, len(frame), wirelen) + frame))


def ip_parts(frame):
    """(ip header offset, IP header length, protocol, transport offset) of an Ethernet/IPv4 frame."""
    ihl = (frame[14] & 0x0F) * 4
    return 14, ihl, frame[23], 14 + ihl


def tcp_payload(frame):
    _, _, proto, t = ip_parts(frame)
    assert proto == 6
    doff = (frame[t + 12] >> 4) * 4
    return t, doff, frame[t + doff:]


def cmd_list(args):
    _, frames = read_pcap(args[0])
    for i, (_, _, frame, _) in enumerate(frames):
        _, _, proto, t = ip_parts(frame)
        sport, dport = struct.unpack('>HH', frame[t:t + 4])
        if proto == 6:
            _, _, payload = tcp_payload(frame)
            print(i, 'tcp', sport, dport, len(payload), frame[t + 13])
        else:
            print(i, 'udp', sport, dport, len(frame) - t - 8, frame[t + 8] if len(frame) > t + 8 else -1)


def cmd_truncate(args):
    linktype, frames = read_pcap(args[0])
    n, keep = int(args[2]), int(args[3])
    frames[n][2] = frames[n][2][:keep]
    write_pcap(args[1], linktype, frames)


def cmd_drop(args):
    linktype, frames = read_pcap(args[0])
    gone = {int(a) for a in args[2:]}
    write_pcap(args[1], linktype, [f for i, f in enumerate(frames) if i not in gone])


def cmd_resegment(args):
    linktype, frames = read_pcap(args[0])
    n, pieces = int(args[2]), int(args[3])
    sec, usec, frame, _ = frames[n]
    t, doff, payload = tcp_payload(frame)
    seq = struct.unpack('>I', frame[t + 4:t + 8])[0]
    size = -(-len(payload) // pieces)
    made = []
    for k in range(0, len(payload), size):
        part = payload[k:k + size]
        head = bytearray(frame[:t + doff])
        struct.pack_into('>H', head, 16, len(head) - 14 + len(part))    # IPv4 total length
        struct.pack_into('>I', head, t + 4, (seq + k) & 0xFFFFFFFF)
        made.append([sec, usec, bytes(head) + part, len(head) + len(part)])
    out = made[::-1] + [made[-1]]
    write_pcap(args[1], linktype, frames[:n] + out + frames[n + 1:])


def radius_attributes(payload):
    attrs, at = [], 20
    while at + 2 <= len(payload):
        kind, length = payload[at], payload[at + 1]
        attrs.append((kind, payload[at + 2:at + length]))
        at += length
    return attrs


def cmd_eapol(args):
    _, frames = read_pcap(args[0])
    port, vlan = int(args[2]), int(args[3])
    switch = bytes.fromhex('00005e005301')
    phones = {}
    out = []
    for sec, usec, frame, _ in frames:
        _, _, proto, t = ip_parts(frame)
        sport, dport = struct.unpack('>HH', frame[t:t + 4])
        payload = frame[t + 8:]
        attrs = radius_attributes(payload)
        eap = b''.join(v for k, v in attrs if k == 79)
        if not eap:
            continue
        if dport == port:
            station = [v for k, v in attrs if k == 31]
            phones[sport] = bytes.fromhex(station[0].decode().replace('-', '').replace(':', ''))
            src, dst = phones[sport], bytes.fromhex('0180c2000003')
        else:
            src, dst = switch, phones[dport]
        eapol = struct.pack('>BBH', 2, 0, len(eap)) + eap
        tagged = dst + src + struct.pack('>HH', 0x8100, vlan) + struct.pack('>H', 0x888E) + eapol
        out.append([sec, usec, tagged, len(tagged)])
    write_pcap(args[1], 1, out)


def cmd_sip(args):
    port = int(args[1])
    phone, cucm = bytes([10, 20, 0, 31]), bytes([10, 20, 0, 2])
    mac = bytes.fromhex('2c3124c9f8e1') + bytes.fromhex('00005e005302')

    def segment(src, dst, sport, dport, seq, ack, flags, data=b''):
        tcp = struct.pack('>HHIIBBHHH', sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + data
        ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(tcp), 1, 0x4000, 64, 6, 0, src, dst)
        return mac + struct.pack('>H', 0x0800) + ip + tcp
    register = b'REGISTER sip:10.20.0.2 SIP/2.0\r\nVia: SIP/2.0/TCP 10.20.0.31:51000\r\n\r\n'
    frames = [segment(phone, cucm, 51000, port, 1000, 0, 0x02),
              segment(cucm, phone, port, 51000, 5000, 1001, 0x12),
              segment(phone, cucm, 51000, port, 1001, 5001, 0x18, register),
              segment(phone, cucm, 51000, port, 1001 + len(register), 5001, 0x11),
              segment(cucm, phone, port, 51000, 5001, 1002 + len(register), 0x11)]
    write_pcap(args[0], 1, [[1767225600, i * 1000, f, len(f)] for i, f in enumerate(frames)])


def cmd_pcapng(args):
    linktype, frames = read_pcap(args[0])
    write_pcapng(args[1], linktype, frames)


def cmd_interleave(args):
    linktype, frames = read_pcap(args[0])
    server = None
    talks = {}
    for item in frames:
        _, _, _, t = ip_parts(item[2])
        sport, dport = struct.unpack('>HH', item[2][t:t + 4])
        server = server or dport
        talks.setdefault(sport if dport == server else dport, []).append(item)
    queues, out = list(talks.values()), []
    while any(queues):
        for q in queues:
            if q:
                out.append(q.pop(0))
    write_pcap(args[1], linktype, out)


def cmd_repeat(args):
    linktype, frames = read_pcap(args[0])
    n, port = int(args[2]), int(args[3])
    span = frames[-1][0] - frames[0][0] + 1
    with open(args[1], 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 262144, linktype))
        for k in range(n):
            client = bytes([10, (k >> 16) & 255, (k >> 8) & 255, k & 255])
            for sec, usec, frame, wirelen in frames:
                frame = bytearray(frame)
                _, _, _, t = ip_parts(frame)
                to_server = struct.unpack('>H', frame[t + 2:t + 4])[0] == port
                frame[26 if to_server else 30:30 if to_server else 34] = client
                f.write(struct.pack('<IIII', sec + k * span, usec, len(frame), wirelen) + bytes(frame))


def moved_udp_port(frame, old, new):
    """The frame with UDP port old (source or destination) as new (the UDP checksum is not checked)."""
    frame = bytearray(frame)
    _, _, proto, t = ip_parts(frame)
    for at in (t, t + 2):
        if proto == 17 and struct.unpack('>H', frame[at:at + 2])[0] == old:
            struct.pack_into('>H', frame, at, new)
    return bytes(frame)


def cmd_port(args):
    linktype, frames = read_pcap(args[0])
    old, new = int(args[2]), int(args[3])
    write_pcap(args[1], linktype, [[sec, usec, moved_udp_port(frame, old, new), wirelen]
                                   for sec, usec, frame, wirelen in frames])


def cmd_fuzz_seed(args):
    """tests/fuzz/fuzz_capture.c's input: link type index (0: Ethernet), flow cap byte, length-prefixed frames."""
    _, frames = read_pcap(args[0])
    count, port = int(args[2]), int(args[3]) if len(args) > 3 else None
    with open(args[1], 'wb') as f:
        f.write(bytes([0, 0x07]))    # Ethernet; 8 flows
        for _, _, frame, _ in frames[:count]:
            if port:
                frame = moved_udp_port(frame, port, 1812)
            f.write(struct.pack('>H', len(frame)) + frame)


if __name__ == '__main__':
    globals()['cmd_' + sys.argv[1].replace('-', '_')](sys.argv[2:])
