#!/usr/bin/env python3
# make-hostile.py: regenerate the hand-made hostile inputs in this folder
# (maintainers only; the files are checked in, so that the tests do not
# need Python). Usage: tests/hostile/make-hostile.py
#
# Every capture is built from one small scenario written here byte by
# byte, so its measures are known without running the analyzer:
#   client 192.0.2.1 pings the VM 192.0.2.10 (MAC 52:54:00:12:34:56) every
#   100 ms from t=0 to t=1900 ms (20 probes, seq 1..20), replies 0.5 ms
#   later, except to the probes at 500-800 ms (4 lost): the reply gap is
#   [400.5 ms, 900.5 ms]. QEMU's 5 RARPs at 860, 910, 1060, 1310, 1660 ms.
#   The migration stream 198.51.100.1:45678 -> 198.51.100.2:49152: a
#   handshake, 10 segments of 1000 bytes (the first starts with "QEVM" and
#   version 3) from 100 ms, 10 ms apart, each acknowledged, then FIN.
# t=0 is 2026-01-01T00:00:00Z (1767225600 s), as mkpcap's. One file per
# hostile twist; README says what each is and tests/hostile/TESTLIST what
# migtrace-analyze must do with it.
import gzip
import os
import struct

T0 = 1767225600 * 10**9
MS = 10**6

CLIENT_MAC = bytes([2, 0, 0, 0, 1, 1])
VM_MAC = bytes([0x52, 0x54, 0x00, 0x12, 0x34, 0x56])
SRC_MAC = bytes([2, 0, 0, 0, 2, 1])
DST_MAC = bytes([2, 0, 0, 0, 2, 2])
ROUTER_MAC = bytes([2, 0, 0, 0, 1, 0xfe])
BCAST = b'\xff' * 6
CLIENT = bytes([192, 0, 2, 1])
VM = bytes([192, 0, 2, 10])
ROUTER = bytes([192, 0, 2, 254])
SRC = bytes([198, 51, 100, 1])
DST = bytes([198, 51, 100, 2])
ECHO_ID = 0x4d54


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def eth(dst, src, etype, payload):
    return dst + src + struct.pack('!H', etype) + payload


def ipv4(src, dst, proto, payload, ihl=5, tot_len=None, opts=b''):
    hl = 20 + len(opts)
    tl = hl + len(payload) if tot_len is None else tot_len
    h = struct.pack('!BBHHHBBH4s4s', 0x40 | ihl, 0, tl, 0, 0x4000, 64,
                    proto, 0, src, dst) + opts
    h = h[:10] + struct.pack('!H', csum(h)) + h[12:]
    return h + payload


def icmp(typ, code, rest, payload):
    h = struct.pack('!BBH', typ, code, 0) + rest + payload
    return h[:2] + struct.pack('!H', csum(h)) + h[4:]


def echo(typ, seq, data=b'migtrace-probe-data-0123456789ab'):
    return icmp(typ, 0, struct.pack('!HH', ECHO_ID, seq), data)


def tcp(sport, dport, seq, ack, flags, payload=b'', doff=None, opts=b''):
    d = (20 + len(opts)) // 4 if doff is None else doff
    return struct.pack('!HHIIBBHHH', sport, dport, seq, ack, d << 4, flags,
                       65535, 0, 0) + opts + payload


def rarp(mac):
    # RFC 903 request as QEMU sends it (docs/wire-formats.md): htype 1, ptype
    # IPv4, opcode 3, sender = target = the guest's MAC, addresses 0.
    return eth(BCAST, mac, 0x8035, struct.pack('!HHBBH', 1, 0x0800, 6, 4, 3)
               + mac + b'\0' * 4 + mac + b'\0' * 4)


def probe(seq, reply=False):
    if reply:
        return eth(CLIENT_MAC, VM_MAC, 0x0800, ipv4(VM, CLIENT, 1, echo(0, seq)))
    return eth(VM_MAC, CLIENT_MAC, 0x0800, ipv4(CLIENT, VM, 1, echo(8, seq)))


def mig(seq, ack, flags, payload=b'', back=False, **kw):
    if back:
        return eth(SRC_MAC, DST_MAC, 0x0800,
                   ipv4(DST, SRC, 6, tcp(49152, 45678, seq, ack, flags, payload, **kw)))
    return eth(DST_MAC, SRC_MAC, 0x0800,
               ipv4(SRC, DST, 6, tcp(45678, 49152, seq, ack, flags, payload, **kw)))


SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01


def scenario():
    """The clean scenario: a list of (ns since t0, frame)."""
    ev = []
    for i in range(20):
        t = i * 100 * MS
        ev.append((t, probe(i + 1)))
        if not 500 * MS <= t < 900 * MS:
            ev.append((t + MS // 2, probe(i + 1, reply=True)))
    for t in (860, 910, 1060, 1310, 1660):
        ev.append((t * MS, rarp(VM_MAC)))
    isn, risn = 1000, 5000
    ev.append((90 * MS, mig(isn, 0, SYN)))
    ev.append((90 * MS + 100_000, mig(risn, isn + 1, SYN | ACK, back=True)))
    ev.append((90 * MS + 200_000, mig(isn + 1, risn + 1, ACK)))
    seq = isn + 1
    for k in range(10):
        body = (b'QEVM\x00\x00\x00\x03' if k == 0 else b'') + bytes(
            (k * 7 + j) & 0xff for j in range(1000 - (8 if k == 0 else 0)))
        t = (100 + 10 * k) * MS
        ev.append((t, mig(seq, risn + 1, ACK | PSH, body)))
        seq += len(body)
        ev.append((t + 300_000, mig(risn + 1, seq, ACK, back=True)))
    ev.append((300 * MS, mig(seq, risn + 1, FIN | ACK)))
    ev.append((300 * MS + 100_000, mig(risn + 1, seq + 1, FIN | ACK, back=True)))
    ev.append((300 * MS + 200_000, mig(seq + 1, risn + 2, ACK)))
    ev.sort(key=lambda e: e[0])
    return ev


def pcap_header(linktype=1, snaplen=262144, magic=0xa1b2c3d4):
    return struct.pack('<IHHiIII', magic, 2, 4, 0, 0, snaplen, linktype)


def pcap_record(t_ns, frame, caplen=None, wirelen=None, abs_ns=None):
    ns = T0 + t_ns if abs_ns is None else abs_ns
    sec, usec = divmod(ns // 1000, 10**6)
    cl = len(frame) if caplen is None else caplen
    wl = len(frame) if wirelen is None else wirelen
    return struct.pack('<IIII', sec, usec, cl, wl) + frame


def pcap(events, linktype=1, snaplen=262144):
    return pcap_header(linktype, snaplen) + b''.join(
        pcap_record(t, f) for t, f in events)


def pad4(b):
    return b + b'\0' * (-len(b) % 4)


def ng_block(btype, body):
    n = 12 + len(body)
    return struct.pack('<II', btype, n) + body + struct.pack('<I', n)


def ng_shb():
    return ng_block(0x0a0d0d0a, struct.pack('<IHHq', 0x1a2b3c4d, 1, 0, -1))


def ng_idb(linktype, snaplen=262144):
    # if_tsresol = 6 (microseconds, the default, said explicitly)
    opts = struct.pack('<HH', 9, 1) + b'\x06\0\0\0' + struct.pack('<HH', 0, 0)
    return ng_block(1, struct.pack('<HHI', linktype, 0, snaplen) + opts)


def ng_epb(ifid, t_ns, frame):
    us = (T0 + t_ns) // 1000
    return ng_block(6, struct.pack('<IIIII', ifid, us >> 32, us & 0xffffffff,
                                   len(frame), len(frame)) + pad4(frame))


def write(name, data):
    with open(name, 'wb') as f:
        f.write(data)


def main():
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    ev = scenario()
    base = pcap(ev)
    write('base.pcap', base)

    # --- files that cannot be read at all
    write('bad-magic-gzip.pcap', gzip.compress(base, mtime=0))
    write('bad-magic-text.pcapng', b'\x0a\x0d\x0d\x0anot really pcapng\n')
    write('truncated-shb.pcapng', ng_shb()[:12])
    write('huge-caplen-first.pcap', pcap_header() +
          struct.pack('<IIII', T0 // 10**9, 0, 0x7fffffff, 98) + b'\0' * 64)
    write('caplen-over-max.pcap', pcap_header() +
          struct.pack('<IIII', T0 // 10**9, 0, 262145, 262145) + b'\0' * 64)
    write('linktype-802-11.pcap', pcap(ev, linktype=105))

    # --- readable, nothing (or not everything) to measure
    write('header-only.pcap', pcap_header())
    write('truncated-first-record.pcap', pcap_header() +
          pcap_record(0, probe(1))[:16 + 20])
    write('caplen-zero.pcap', pcap_header() + b''.join(
        pcap_record(t, f, caplen=0)[:16] for t, f in ev))
    # Raw IP link type over Ethernet frames: every frame's "IP version"
    # is the first nibble of a MAC address.
    write('linktype-lies-raw.pcap', pcap(ev, linktype=101))

    # --- damage around sound data: a warning or a count, the same measures
    # snaplen 64 in the header, records of up to 1054 bytes: libpcap cuts
    # them to the snaplen; the echo headers fit in 64 bytes.
    write('caplen-over-snaplen.pcap', pcap(ev, snaplen=64))
    # Every frame twice, as when capturing on a bridge and its port.
    write('duplicated.pcap', pcap([e for e in ev for _ in (0, 1)]))
    # Record timestamps going backwards: the whole file in reverse order.
    write('backwards-all.pcap', pcap(list(reversed(ev))))
    # One extra probe stamped 2038-01-19 (2^31-1 s: a clock jump or a bit
    # flip): the timeline must not allocate bins for the 12 years between.
    far = pcap_record(0, probe(99), abs_ns=(2**31 - 1) * 10**9)
    write('far-future.pcap', base + far)

    # IP header lengths that lie, on extra frames between the scenario's.
    def with_extra(frames, at=450 * MS):
        return pcap(sorted(ev + [(at + i * 1000, f) for i, f in
                                 enumerate(frames)], key=lambda e: e[0]))
    req = echo(8, 77)
    lies = [
        # IHL 3 (< 5)
        eth(VM_MAC, CLIENT_MAC, 0x0800, ipv4(CLIENT, VM, 1, req, ihl=3)),
        # IHL 15 (60 bytes) in a 20-byte header + 40 bytes of echo
        eth(VM_MAC, CLIENT_MAC, 0x0800, ipv4(CLIENT, VM, 1, req, ihl=15)),
        # total length 65535 in a 60-byte packet
        eth(VM_MAC, CLIENT_MAC, 0x0800, ipv4(CLIENT, VM, 1, req, tot_len=65535)),
        # total length 10, shorter than the header
        eth(VM_MAC, CLIENT_MAC, 0x0800, ipv4(CLIENT, VM, 1, req, tot_len=10)),
        # total length 0 (TSO) on a reply from the VM in the outage: taken
        # from the wire length, so it is a real reply... unless it lies:
        # here its IHL is 2, so it must not count as a reply
        eth(CLIENT_MAC, VM_MAC, 0x0800, ipv4(VM, CLIENT, 1, echo(0, 6), ihl=2, tot_len=0)),
    ]
    write('ip-length-lies.pcap', with_extra(lies))
    # On the migration flow, with the sequence number of its 5th segment
    # (so a decoder that took them as data would count retransmissions):
    # TCP data offset 15 (60 bytes) in a packet holding a 20-byte header
    # and 4 bytes; data offset 1 (< 5); and a pure ACK whose only option
    # (MSS, kind 2) says it is 40 bytes long in a 24-byte header: options
    # are not followed, so that one is a sound (harmless) segment.
    seq5 = 1001 + 4 * 1000
    topts = [
        mig(seq5, 5001, ACK | PSH, b'abcd', doff=15),
        mig(seq5, 5001, ACK | PSH, b'abcd', doff=1),
        mig(11001, 5001, ACK, b'', opts=b'\x02\x28\x05\xb4'),
    ]
    write('tcp-options-past-end.pcap', with_extra(topts))
    # ICMP errors quoting echo packets, in the outage: a destination
    # unreachable from the VM's own address quoting the client's echo
    # request, and one from a router quoting a reply from the VM. Neither
    # is an echo: the gap must stay [400.5 ms, 900.5 ms].
    quoted_req = ipv4(CLIENT, VM, 1, echo(8, 7))[:28]
    quoted_rep = ipv4(VM, CLIENT, 1, echo(0, 7))[:28]
    errs = [
        eth(CLIENT_MAC, VM_MAC, 0x0800,
            ipv4(VM, CLIENT, 1, icmp(3, 1, b'\0' * 4, quoted_req))),
        eth(CLIENT_MAC, ROUTER_MAC, 0x0800,
            ipv4(ROUTER, CLIENT, 1, icmp(3, 3, b'\0' * 4, quoted_rep))),
        eth(CLIENT_MAC, ROUTER_MAC, 0x0800,
            ipv4(ROUTER, CLIENT, 1, icmp(11, 0, b'\0' * 4, quoted_rep))),
    ]
    write('icmp-in-icmp-error.pcap', with_extra(errs, at=700 * MS))

    # VLAN tags stacked 10 deep (802.1ad outside, 802.1Q inside) on every
    # frame: deeper than the decoder follows (PKT_VLAN_MAX 8), so no
    # frame is decoded; and 8 deep, which still is.
    def vlan(frame, depth):
        tags = b''.join(struct.pack('!HH', 0x88a8 if i < depth - 1 else 0x8100,
                                    100 + i) for i in range(depth))
        return frame[:12] + tags + frame[12:]
    write('vlan-10-deep.pcap', pcap([(t, vlan(f, 10)) for t, f in ev]))
    write('vlan-8-deep.pcap', pcap([(t, vlan(f, 8)) for t, f in ev]))

    # pcapng: an Ethernet interface, the scenario, then a second interface
    # of type RAW half-way through (libpcap stops there).
    half = len(ev) // 2
    ng = ng_shb() + ng_idb(1) + b''.join(ng_epb(0, t, f) for t, f in ev[:half])
    ng += ng_idb(101) + b''.join(ng_epb(0, t, f) for t, f in ev[half:])
    write('mixed-linktype-midway.pcapng', ng)
    # pcapng: a packet block naming interface 5 (only 0 exists).
    write('pcapng-bad-ifid.pcapng', ng_shb() + ng_idb(1) + ng_epb(5, 0, probe(1)))

    # --- run directories whose manifest says the capture did not
    # complete: killed (SIGKILL leaves the start manifest, "running") and
    # a cancelled migration. The analyzer warns and notes it.
    for status in ('running', 'cancelled'):
        d = 'rundir-' + status
        os.makedirs(d, exist_ok=True)
        write(os.path.join(d, 'ext-client.pcap'), base)
        write(os.path.join(d, 'manifest.json'),
              ('{"format": "migtrace-manifest", "status": "%s",\n'
               ' "factors": {"flavor": "tiny"}}\n' % status).encode())
    # What migtrace-capture writes when it got no completed job (the
    # migration was cancelled): a warning there, not an error.
    write('rundir-cancelled/jobstats.json',
          b'{"format": "migtrace-jobstats", "version": 1, "domain": "mtlab-vm",'
          b' "job": null, "iterations": []}\n')

    # --- job statistics
    write('jobstats-one-valid-line.txt', b'Total downtime:   313          ms\n')
    write('jobstats-one-valid-line-in-garbage.txt',
          b'\x00\x01binary\xff\xfe\nTotal downtime:   313          ms\n'
          b'\x89PNG\r\n\x1a\n')
    write('jobstats-one-valid-line-among-junk.txt',
          b'Job type:         Completed\n'
          b'%%%%%%%%\n'
          b': no label\n'
          b'Total downtime:   313          ms\n'
          b'Downtime:ms:ms\n'
          b'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz\n')
    write('jobstats-utf16.txt',
          '\ufeffJob type:         Completed\nTotal downtime:   313 ms\n'
          .encode('utf-16-le'))
    write('jobstats-nul-in-line.txt',
          b'Job type:         Completed\nTotal downtime:   31\x003 ms\n')
    write('jobstats-deep.json', b'[' * 100000 + b']' * 100000)
    write('jobstats-float-overflow.json',
          b'{"format": "migtrace-jobstats", "version": 1, "job": {"type": 3,'
          b' "params": [{"name": "downtime", "type": "ullong", "value": 1e400}]}}\n')
    write('jobstats-params-not-array.json',
          b'{"format": "migtrace-jobstats", "version": 1, "job": {"type": 3,'
          b' "params": {"name": "downtime"}}}\n')
    write('jobstats-huge-values.txt',
          b'Job type:         Completed\n'
          b'Time elapsed:     18446744073709551615 ms\n'
          b'Total downtime:   18446744073709551615 ms\n'
          b'Data processed:   99999999999999999999.999 TiB\n'
          b'Memory bandwidth: 1e308 MiB/s\n')
    write('jobstats-long-line.txt', b'Total downtime: ' + b'9' * 60000 + b' ms\n')


if __name__ == '__main__':
    main()
