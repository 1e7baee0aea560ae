#!/usr/bin/env python3
"""merge.py A.pcap B.pcap OUT.pcap: merge two pcap files (little-endian,
one link type, as bench/bigpcap writes them) into one, records in time
order: the pair as one capture point would hold it, for a run without
the cross-file copy check (bench/overlay)."""
import heapq
import struct
import sys


def records(path, header):
    with open(path, 'rb') as f:
        header.append(f.read(24))
        while True:
            h = f.read(16)
            if len(h) < 16:
                return
            s, ns, caplen, _ = struct.unpack('<IIII', h)
            yield s * 1000000000 + ns, h + f.read(caplen)


def main():
    a, b, out = sys.argv[1:4]
    headers = []
    merged = heapq.merge(records(a, headers), records(b, headers),
                         key=lambda r: r[0])
    with open(out, 'wb') as o:
        first = True
        for _, rec in merged:
            if first:
                o.write(headers[0])
                first = False
            o.write(rec)


main()
