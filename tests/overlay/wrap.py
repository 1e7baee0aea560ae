#!/usr/bin/env python3
# wrap.py: wrap every Ethernet frame of a pcap in a tunnel, as a compute
# node's NIC or a mirror port would see the guest's traffic, and write
# what migtrace-analyze must then report about the tunnel (the truth),
# computed here from the frames themselves, never by the analyzer.
#
#   wrap.py --kind KIND --outer 4|6 --vm-ip IP --vm-mac MAC [options] IN OUT TRUTH
#
# KIND: vxlan (UDP 4789), vxlan8472, vxlan-port (UDP 4790 + --vxlan-port),
# geneve (UDP 6081, one 8-byte option), gre (no key), gre-kcs (checksum,
# key, sequence), erspan2, erspan3 (with the platform subheader),
# vxlan-in-erspan3 (a mirror session of VXLAN traffic: two tunnels).
#
# Endpoints: the VM's frames leave from endpoint A (198.51.100.11 or
# 2001:db8::11) until its first announce (RARP, or ARP from its MAC), from
# endpoint B (.12) from the announce on; the client side's endpoint is C
# (.1). Frames to the VM go to A before the announce and, for --late MS
# after it (a network that learned the move late), still to A, then to B.
# Other frames go from C to D (.2). --outer-vlan puts an 802.1Q tag on
# the outer frame, --inner-vlan one on the frame inside.
#
# --hostile adds, at the VM's first announce, frames whose tunnel header
# is bad (each carries an echo reply from the VM that must not be seen):
# a VXLAN header cut by the snaplen, a UDP length past the datagram, GRE
# version 1, an ERSPAN II header shorter than 8 bytes, VXLAN nested 4 deep.
#
# --seeds DIR writes the first wrapped frame of the VM's and, with
# --hostile, each bad one as an input of tests/fuzz/fuzz_decap (a 4-byte
# prefix: Ethernet, no extra VXLAN port, no bytes beyond the capture).
#
# The truth (JSON): encapsulation, vni, endpoints [{ip, first_ns, last_ns,
# frames}], moves [{from, to, at_ns, late_frames, late_last_ns}], and
# tunnels_bad (the hostile frames).
import argparse
import ipaddress
import json
import struct
import sys

KINDS = ('vxlan', 'vxlan8472', 'vxlan-port', 'geneve', 'gre', 'gre-kcs',
         'erspan2', 'erspan3', 'vxlan-in-erspan3')
VNI = {'vxlan': 4242, 'vxlan8472': 4242, 'vxlan-port': 77, 'geneve': 5001,
       'gre': None, 'gre-kcs': 0x1234abcd, 'erspan2': 341, 'erspan3': 1023,
       'vxlan-in-erspan3': 4242}
ENCAP = {'vxlan': 'vxlan', 'vxlan8472': 'vxlan', 'vxlan-port': 'vxlan',
         'geneve': 'geneve', 'gre': 'gre', 'gre-kcs': 'gre',
         'erspan2': 'erspan', 'erspan3': 'erspan',
         'vxlan-in-erspan3': 'vxlan'}
PORT_EXTRA = 4790


def addrs(v):
    if v == 4:
        n = lambda k: ipaddress.ip_address('198.51.100.%d' % (k % 16 + 10 * (k // 16)))
    else:
        n = lambda k: ipaddress.ip_address('2001:db8::%x' % k)
    return {'A': n(0x11), 'B': n(0x12), 'C': n(1), 'D': n(2),
            'M': n(0x21), 'N': n(0x22)}


def ip_hdr(v, src, dst, proto, plen):
    if v == 4:
        h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + plen, 0, 0x4000, 64,
                        proto, 0, src.packed, dst.packed)
        s = sum(struct.unpack('!10H', h))
        while s >> 16:
            s = (s & 0xffff) + (s >> 16)
        return h[:10] + struct.pack('!H', ~s & 0xffff) + h[12:]
    return struct.pack('!IHBB16s16s', 0x60000000, plen, proto, 64,
                       src.packed, dst.packed)


def eth_hdr(v, vlan):
    t = 0x0800 if v == 4 else 0x86dd
    h = bytes([2, 0, 0, 0, 0xee, 2]) + bytes([2, 0, 0, 0, 0xee, 1])
    if vlan:
        h += struct.pack('!HH', 0x8100, 100)
    return h + struct.pack('!H', t)


def tunnel(kind, seq, inner_len):
    """The bytes between the outer IP header and the inner frame, and
    the IP protocol."""
    vni = VNI[kind]
    if kind.startswith('vxlan') or kind == 'geneve':
        if kind == 'geneve':
            opt = struct.pack('!HBB', 0x0102, 0x80, 1) + b'mtgv'
            t = struct.pack('!BBHI', len(opt) // 4, 0, 0x6558, vni << 8) + opt
            port = 6081
        else:
            t = struct.pack('!BBHI', 0x08, 0, 0, vni << 8)
            port = {'vxlan8472': 8472, 'vxlan-port': PORT_EXTRA}.get(kind, 4789)
        ulen = 8 + len(t) + inner_len
        return struct.pack('!HHHH', 49152 + seq % 16000, port, ulen, 0) + t, 17
    if kind == 'gre':
        return struct.pack('!HH', 0, 0x6558), 47
    if kind == 'gre-kcs':
        return struct.pack('!HHHHII', 0xb000, 0x6558, 0, 0, vni, seq), 47
    if kind == 'erspan2':
        g = struct.pack('!HHI', 0x1000, 0x88be, seq)
        return g + struct.pack('!HHI', 0x1000, vni, 0), 47
    if kind in ('erspan3',):
        g = struct.pack('!HHI', 0x1000, 0x22eb, seq)
        e = struct.pack('!HHIHH', 0x2000, vni, seq * 1000, 0, 0x0001)
        return g + e + struct.pack('!II', 0, seq), 47
    raise ValueError(kind)


def wrap(kind, v, src, dst, frame, wire, seq, outer_vlan, depth=1):
    """frame: the captured bytes of the inner frame, wire its length on
    the wire. Returns (captured, wire) of the wrapped frame."""
    if kind == 'vxlan-in-erspan3':
        frame, wire = wrap('vxlan', v, src, dst, frame, wire, seq, False)
        a = addrs(v)
        return wrap('erspan3', v, a['M'], a['N'], frame, wire, seq, outer_vlan)
    t, proto = tunnel(kind, seq, wire)
    head = eth_hdr(v, outer_vlan) + ip_hdr(v, src, dst, proto, len(t) + wire) + t
    return head + frame, len(head) + wire


def inner_vlan(frame):
    return frame[:12] + struct.pack('!HH', 0x8100, 42) + frame[12:]


def classify(frame, vm_ip, vm_mac):
    """'from', 'to' or None, and whether it is the VM's announce."""
    if len(frame) < 14:
        return None, False
    dst, src = frame[0:6], frame[6:12]
    t = struct.unpack('!H', frame[12:14])[0]
    off = 14
    while t in (0x8100, 0x88a8, 0x9100) and len(frame) >= off + 4:
        t = struct.unpack('!H', frame[off + 2:off + 4])[0]
        off += 4
    ipsrc = ipdst = None
    if t == 0x0800 and len(frame) >= off + 20:
        ipsrc, ipdst = frame[off + 12:off + 16], frame[off + 16:off + 20]
    elif t == 0x86dd and len(frame) >= off + 40:
        ipsrc, ipdst = frame[off + 8:off + 24], frame[off + 24:off + 40]
    announce = src == vm_mac and t in (0x8035, 0x0806)
    if src == vm_mac or ipsrc == vm_ip:
        return 'from', announce
    if dst == vm_mac or ipdst == vm_ip:
        return 'to', False
    return None, False


def read_pcap(path):
    with open(path, 'rb') as f:
        data = f.read()
    magic = data[:4]
    for e in ('<', '>'):
        m = struct.unpack(e + 'I', magic)[0]
        if m in (0xa1b2c3d4, 0xa1b23c4d):
            break
    else:
        sys.exit('%s: not a pcap file' % path)
    ns = m == 0xa1b23c4d
    _, _, _, _, snap, lt = struct.unpack(e + 'HHiIII', data[4:24])
    if lt != 1:
        sys.exit('%s: link type %d, not Ethernet' % (path, lt))
    recs, off = [], 24
    while off + 16 <= len(data):
        s, frac, cap, wire = struct.unpack(e + 'IIII', data[off:off + 16])
        recs.append((s, frac, data[off + 16:off + 16 + cap], wire))
        off += 16 + cap
    return ns, recs


def write_pcap(path, ns, recs):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b23c4d if ns else 0xa1b2c3d4,
                            2, 4, 0, 0, 262144, 1))
        for s, frac, cap, wire in recs:
            f.write(struct.pack('<IIII', s, frac, len(cap), wire) + cap)


def hostile(v, vm_ip, vm_mac, seq):
    """Frames with a bad tunnel header, each around an echo reply from
    the VM: (captured, wire) pairs."""
    a = addrs(v)
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 28, 0, 0, 64, 1, 0,
                     vm_ip, bytes([192, 0, 2, 99]))
    reply = bytes([2, 0, 0, 0, 9, 9]) + vm_mac + b'\x08\x00' + ip + \
        struct.pack('!BBHHH', 0, 0, 0, 0x4d54, 60000)
    out = []
    # a VXLAN header cut by the snaplen (the wire has it all)
    cap, wire = wrap('vxlan', v, a['B'], a['C'], reply, len(reply), seq, False)
    hl = len(cap) - len(reply)
    out.append((cap[:hl - 4], wire))
    # a UDP length past the datagram
    c = bytearray(cap)
    u = hl - 16
    struct.pack_into('!H', c, u + 4, 8 + 8 + len(reply) + 100)
    out.append((bytes(c), wire))
    # GRE version 1
    cap, wire = wrap('gre', v, a['B'], a['C'], reply, len(reply), seq, False)
    c = bytearray(cap)
    g = len(cap) - len(reply) - 4
    struct.pack_into('!H', c, g, 0x0001)
    out.append((bytes(c), wire))
    # an ERSPAN II header shorter than 8 bytes: the datagram ends 4 bytes in
    g = eth_hdr(v, False) + ip_hdr(v, a['B'], a['C'], 47, 8 + 4)
    out.append((g + struct.pack('!HHI', 0x1000, 0x88be, seq) + b'\x10\x00\x01\x55',
                len(g) + 12))
    # VXLAN nested 4 deep
    cap, wire = reply, len(reply)
    for _ in range(4):
        cap, wire = wrap('vxlan', v, a['B'], a['C'], cap, wire, seq, False)
    out.append((cap, wire))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--kind', choices=KINDS, required=True)
    ap.add_argument('--outer', type=int, choices=(4, 6), default=4)
    ap.add_argument('--vm-ip', required=True)
    ap.add_argument('--vm-mac', required=True)
    ap.add_argument('--late', type=float, default=0.0, help='ms')
    ap.add_argument('--outer-vlan', action='store_true')
    ap.add_argument('--inner-vlan', action='store_true')
    ap.add_argument('--hostile', action='store_true')
    ap.add_argument('--seeds')
    ap.add_argument('input')
    ap.add_argument('output')
    ap.add_argument('truth')
    o = ap.parse_args()
    vm_ip = ipaddress.ip_address(o.vm_ip).packed
    vm_mac = bytes(int(x, 16) for x in o.vm_mac.split(':'))
    ns, recs = read_pcap(o.input)
    scale = 1 if ns else 1000
    a = addrs(o.outer)
    late_ns = int(o.late * 1e6)
    out, eps, moved, move, bad = [], {}, None, None, 0
    for i, (s, frac, cap, wire) in enumerate(recs):
        ts = s * 10**9 + frac * scale
        who, ann = classify(cap, vm_ip, vm_mac)
        if ann and moved is None:
            moved = ts
            move = {'from': str(a['A']), 'to': str(a['B']), 'at_ns': ts,
                    'late_frames': 0, 'late_last_ns': None}
            if o.hostile:
                for hc, hw in hostile(o.outer, vm_ip, vm_mac, i):
                    out.append((s, frac, hc, hw))
                    bad += 1
        if who == 'from':
            ep = 'A' if moved is None else 'B'
            src, dst = a[ep], a['C']
            e = eps.setdefault(ep, {'ip': str(a[ep]), 'first_ns': ts,
                                    'last_ns': ts, 'frames': 0})
            e['last_ns'] = ts
            e['frames'] += 1
        elif who == 'to':
            src = a['C']
            if moved is None or ts < moved + late_ns:
                dst = a['A']
                if moved is not None:
                    move['late_frames'] += 1
                    move['late_last_ns'] = ts
            else:
                dst = a['B']
        else:
            src, dst = a['C'], a['D']
        if o.inner_vlan:
            cap, wire = inner_vlan(cap), wire + 4
        c, w = wrap(o.kind, o.outer, src, dst, cap, wire, i, o.outer_vlan)
        out.append((s, frac, c, w))
    write_pcap(o.output, ns, out)
    if o.seeds:
        keep = [c for _, _, c, _ in out if c[-len(vm_mac) - 8:] and vm_mac in c]
        for k, c in enumerate(keep[:1] + [h for h, _ in
                              (hostile(o.outer, vm_ip, vm_mac, 0) if o.hostile else [])]):
            with open('%s/%s-v%d-%d' % (o.seeds, o.kind, o.outer, k), 'wb') as f:
                f.write(b'\0\0\0\0' + c)
    truth = {'encapsulation': ENCAP[o.kind], 'vni': VNI[o.kind],
             'endpoints': [eps[k] for k in ('A', 'B') if k in eps],
             'moves': [move] if move is not None and 'A' in eps else [],
             'tunnels_bad': bad}
    with open(o.truth, 'w') as f:
        json.dump(truth, f, indent=1)


if __name__ == '__main__':
    main()
