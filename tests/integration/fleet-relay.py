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

Several eapol_test processes may use one relay at once: each client (by its
address) goes through its own authentications, over a socket of its own
towards the servers.

Usage: fleet-relay.py DIR PORT [PORT...]
  DIR/port    written once listening: the port to give eapol_test (-p)
  DIR/log     one line per authentication: "N PORT CODE MS AT" (the
              server's port, the RADIUS code that ended it, milliseconds
              from its first request to that answer, and when that answer
              passed, in milliseconds since the epoch)
  DIR/retries written on each retransmission seen: how many requests came
              twice from one client (same source port, identifier and
              authenticator: the client's RADIUS retry after no answer)
  DIR/gate    if this file exists, the relay holds authentication N >= 2
              before its first packet: it writes DIR/held-N and forwards
              nothing until DIR/go-N exists (so that a suite can change the
              store between two authentications)
A client is known by its address until it has made AUTHS authentications
(environment FLEET_RELAY_AUTHS; default: for the relay's lifetime); then it
is forgotten, so that a new eapol_test that the kernel gives the same port
starts on the first server again.
Bounded: it gives up holding after 60 s, and exits after LIFETIME seconds
(environment FLEET_RELAY_SECONDS, default 300).
"""
import os
import select
import socket
import sys
import time

LIFETIME = int(os.environ.get("FLEET_RELAY_SECONDS", "300"))
AUTHS = int(os.environ.get("FLEET_RELAY_AUTHS", "0"))
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


class Client:
    """One eapol_test (by its address): its own socket towards the servers, and where it is."""

    def __init__(self, address):
        self.address = address
        self.upstream = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.upstream.bind(("127.0.0.1", 0))
        self.number = 1         # of the authentication in progress
        self.started = None     # when its first request went out
        self.last = None        # identifier and authenticator of its last request


def main():
    directory, ports = sys.argv[1], [int(p) for p in sys.argv[2:]]
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))
    write_atomically(os.path.join(directory, "port"), "%d\n" % listener.getsockname()[1])
    log = open(os.path.join(directory, "log"), "a", buffering=1)
    clients, by_upstream = {}, {}
    retries = 0

    end = time.monotonic() + LIFETIME
    while time.monotonic() < end:
        ready, _, _ = select.select([listener] + list(by_upstream), [], [], 1)
        for sock in ready:
            data, address = sock.recvfrom(65535)
            if not data:
                continue
            if sock is listener:
                client = clients.get(address)
                if client is None:
                    client = clients[address] = Client(address)
                    by_upstream[client.upstream] = client
                if data[1:2] + data[4:20] == client.last:
                    retries += 1
                    write_atomically(os.path.join(directory, "retries"), "%d\n" % retries)
                client.last = data[1:2] + data[4:20]
                if client.started is None:
                    if client.number > 1:
                        hold(directory, client.number)
                    client.started = time.monotonic()
                port = ports[min(client.number, len(ports)) - 1]
                client.upstream.sendto(data, ("127.0.0.1", port))
                continue
            client = by_upstream[sock]
            port = ports[min(client.number, len(ports)) - 1]
            if address != ("127.0.0.1", port):
                continue
            listener.sendto(data, client.address)
            if data[0] in (ACCESS_ACCEPT, ACCESS_REJECT) and client.started is not None:
                log.write("%d %d %d %d %d\n" % (client.number, port, data[0], (time.monotonic() - client.started) * 1000,
                                                 time.time() * 1000))
                client.number, client.started = client.number + 1, None
                if client.number > AUTHS > 0:
                    del clients[client.address], by_upstream[sock]
                    sock.close()


if __name__ == "__main__":
    main()
