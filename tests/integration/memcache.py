#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Read and write one entry of a memcached on loopback, as someone who can
write the store would (the fleet suites tamper with TLS sessions so).

Usage: memcache.py PORT get KEY        the entry's value on stdout (exit 1: none)
       memcache.py PORT set KEY TTL    stdin becomes the entry's value
       memcache.py PORT keys           every key, one a line (memcached 1.6's lru_crawler metadump)
       memcache.py PORT version        exit 0 when memcached answers
Every wait is bounded (5 s).
"""
import socket
import sys
import urllib.parse


def reply(sock, ends):
    data = b""
    while not data.endswith(ends):
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
        if any(data.endswith(end) for end in (b"ERROR\r\n", b"NOT_STORED\r\n")):
            break
    return data


def main():
    port, command = int(sys.argv[1]), sys.argv[2]
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    if command == "version":
        sock.sendall(b"version\r\n")
        sys.exit(0 if reply(sock, b"\r\n").startswith(b"VERSION ") else 1)
    if command == "keys":
        sock.sendall(b"lru_crawler metadump all\r\n")
        for line in reply(sock, b"END\r\n").decode().splitlines():
            fields = dict(f.split("=", 1) for f in line.split() if "=" in f)
            if "key" in fields:
                print(urllib.parse.unquote(fields["key"]))
        return
    key = sys.argv[3].encode()
    if command == "get":
        sock.sendall(b"get " + key + b"\r\n")
        data = reply(sock, b"END\r\n")
        header, _, rest = data.partition(b"\r\n")
        if not header.startswith(b"VALUE "):
            sys.exit(1)
        sys.stdout.buffer.write(rest[:int(header.split()[3])])
    elif command == "set":
        value = sys.stdin.buffer.read()
        sock.sendall(b"set %s 0 %d %d\r\n%s\r\n" % (key, int(sys.argv[4]), len(value), value))
        sys.exit(0 if reply(sock, b"\r\n") == b"STORED\r\n" else 1)
    else:
        sys.exit("memcache.py: unknown command " + command)


if __name__ == "__main__":
    main()
