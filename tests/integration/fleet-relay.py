#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A RADIUS relay on loopback for the fleet suites: one eapol_test, several servers.

eapol_test keeps its TLS session only within one process and talks to one
server; a switch talks to several. This relay stands where the switch's
server list would: it forwards the first authentication (every Access-Request
until an Access-Accept or Access-Reject comes back) to the first port, the
second to the second, and so on, the last port taking the rest. So
`eapol_test -r 1` through it makes a full handshake on server A and offers
that session to server B. Packets pass unchanged (RADIUS authenticators
depend on the shared secret, not on addresses); every server sees the relay
as client 127.0.0.1.

Usage: fleet-relay.py DIR PORT [PORT...]
  DIR/port    written once listening: the port to give eapol_test (-p)
  DIR/log     one line per authentication: "N PORT CODE MS" (the server's
              port, the RADIUS code that ended it, milliseconds from its
              first request to that answer)
  DIR/gate    if this file exists, the relay holds authentication N >= 2
              before its first packet: it writes DIR/held-N and forwards
              nothing until DIR/go-N exists (so that a suite can change the
              store between two authentications)
Bounded: it gives up holding after 60 s, and exits after 300 s.
"""
import os
import select
import socket
import sys
import time

LIFETIME = 300
HOLD_LIMIT = 60
ACCESS_ACCEPT, ACCESS_REJECT = 2, 3


def write_atomically(path, text):
    with open(path + ".new", "w") as f:
        f.write(text)
    os.rename(path + ".new", path)


def hold(directory, number):
    """Wait (bounded) for the suite's go before authentication number."""
    if not os.path.exists(os.path.join(directory, "gate")):
        return
    write_atomically(os.path.join(directory, "held-%d" % number), "")
    deadline = time.monotonic() + HOLD_LIMIT
    while not os.path.exists(os.path.join(directory, "go-%d" % number)):
        if time.monotonic() > deadline:
            return
        time.sleep(0.02)


def main():
    directory, ports = sys.argv[1], [int(p) for p in sys.argv[2:]]
    client_side = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client_side.bind(("127.0.0.1", 0))
    server_side = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server_side.bind(("127.0.0.1", 0))
    write_atomically(os.path.join(directory, "port"), "%d\n" % client_side.getsockname()[1])
    log = open(os.path.join(directory, "log"), "a", buffering=1)

    number, started, client = 1, None, None
    end = time.monotonic() + LIFETIME
    while time.monotonic() < end:
        ready, _, _ = select.select([client_side, server_side], [], [], 1)
        for sock in ready:
            data, address = sock.recvfrom(65535)
            if not data:
                continue
            port = ports[min(number, len(ports)) - 1]
            if sock is client_side:
                client = address
                if started is None:
                    if number > 1:
                        hold(directory, number)
                    started = time.monotonic()
                server_side.sendto(data, ("127.0.0.1", port))
            elif client is not None and address == ("127.0.0.1", port):
                client_side.sendto(data, client)
                if data[0] in (ACCESS_ACCEPT, ACCESS_REJECT) and started is not None:
                    log.write("%d %d %d %d\n" % (number, port, data[0], (time.monotonic() - started) * 1000))
                    number, started = number + 1, None


if __name__ == "__main__":
    main()
