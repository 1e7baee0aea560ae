/*
 * check_decap.c: Check suite for the tunnels the frame decoder opens
 * (lib/input/decap.c through pkt_decode): VXLAN, Geneve, GRE, ERSPAN.
 * Frames are written byte by byte here, as on the wire (RFC 7348 5,
 * RFC 8926 3, RFC 2784 2, RFC 2890 2, draft-foschiano-erspan-03 4).
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "input/pkt.h"
#include "testutil.h"

#define DLT_EN10MB_	1

static const uint8_t MAC_VM[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t MAC_CL[6] = { 0x02, 0x00, 0x00, 0x00, 0x01, 0x01 };
static const uint8_t MAC_O[6] = { 0x02, 0x00, 0x00, 0x00, 0xee, 0x01 };
static const uint8_t IP_VM[4] = { 192, 0, 2, 10 };
static const uint8_t IP_CL[4] = { 192, 0, 2, 1 };
static const uint8_t OUT_A[4] = { 198, 51, 100, 11 };
static const uint8_t OUT_C[4] = { 198, 51, 100, 1 };
static const uint8_t OUT6_A[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x11 };
static const uint8_t OUT6_C[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 };

/* The frame inside: the VM's echo reply to the client, 40 bytes of data
 * (14 + 20 + 8 + 40 = 82 bytes). */
#define INNER_LEN	82

static void
inner(struct fb *f, int vlan)
{
	pbytes(f, MAC_CL, 6);
	pbytes(f, MAC_VM, 6);
	if (vlan) {
		p16(f, 0x8100);
		p16(f, 42);
	}
	p16(f, 0x0800);
	p8(f, 0x45);
	p8(f, 0);
	p16(f, 20 + 8 + 40);
	p32(f, 0);
	p8(f, 64);
	p8(f, 1);
	p16(f, 0);
	pbytes(f, IP_VM, 4);
	pbytes(f, IP_CL, 4);
	p8(f, 0);		/* echo reply */
	p8(f, 0);
	p16(f, 0);
	p16(f, 0x4d54);
	p16(f, 77);
	for (int i = 0; i < 40; i++)
		p8(f, 0x61);
}

/* Outer Ethernet (+ an 802.1Q tag) and IP header for len bytes after it. */
static void
outer(struct fb *f, int v6, int vlan, unsigned proto, unsigned len)
{
	pbytes(f, MAC_O, 6);
	pbytes(f, MAC_O, 6);
	if (vlan) {
		p16(f, 0x8100);
		p16(f, 100);
	}
	if (v6) {
		p16(f, 0x86dd);
		p32(f, 0x60000000);
		p16(f, len);
		p8(f, proto);
		p8(f, 64);
		pbytes(f, OUT6_A, 16);
		pbytes(f, OUT6_C, 16);
		return;
	}
	p16(f, 0x0800);
	p8(f, 0x45);
	p8(f, 0);
	p16(f, 20 + len);
	p32(f, 0x4000);
	p8(f, 64);
	p8(f, proto);
	p16(f, 0);
	pbytes(f, OUT_A, 4);
	pbytes(f, OUT_C, 4);
}

static void
udp(struct fb *f, unsigned dport, unsigned len)
{
	p16(f, 50000);
	p16(f, dport);
	p16(f, len);
	p16(f, 0);
}

/* The kinds of tunnel, each built around the inner frame. */
enum {
	T_VXLAN, T_VXLAN8472, T_GENEVE, T_GRE, T_GRE_KCS, T_GRE_IP,
	T_ERSPAN1, T_ERSPAN2, T_ERSPAN3, T_ERSPAN3_SUB, T_NKINDS
};

static const struct {
	const char *name;
	int kind;
	int has_key;
	uint32_t key;
} kinds[T_NKINDS] = {
	[T_VXLAN] = { "vxlan", PKT_ENCAP_VXLAN, 1, 4242 },
	[T_VXLAN8472] = { "vxlan8472", PKT_ENCAP_VXLAN, 1, 0xabcdef },
	[T_GENEVE] = { "geneve", PKT_ENCAP_GENEVE, 1, 5001 },
	[T_GRE] = { "gre", PKT_ENCAP_GRE, 0, 0 },
	[T_GRE_KCS] = { "gre-kcs", PKT_ENCAP_GRE, 1, 0x1234abcd },
	[T_GRE_IP] = { "gre-ip", PKT_ENCAP_GRE, 1, 7 },
	[T_ERSPAN1] = { "erspan1", PKT_ENCAP_ERSPAN, 0, 0 },
	[T_ERSPAN2] = { "erspan2", PKT_ENCAP_ERSPAN, 1, 341 },
	[T_ERSPAN3] = { "erspan3", PKT_ENCAP_ERSPAN, 1, 1023 },
	[T_ERSPAN3_SUB] = { "erspan3-sub", PKT_ENCAP_ERSPAN, 1, 5 },
};

/* Bytes between the outer IP header and the inner frame. */
static unsigned
tunnel_len(int t)
{
	switch (t) {
	case T_VXLAN: case T_VXLAN8472: return 8 + 8;
	case T_GENEVE: return 8 + 8 + 8;
	case T_GRE: return 4;
	case T_GRE_KCS: return 16;
	case T_GRE_IP: return 8;
	case T_ERSPAN1: return 4;
	case T_ERSPAN2: return 8 + 8;
	case T_ERSPAN3: return 8 + 12;
	default: return 8 + 12 + 8;
	}
}

/* The tunnel header of kind t for an inner frame of len bytes. */
static void
tunnel(struct fb *f, int t, unsigned len)
{
	uint32_t key = kinds[t].key;

	switch (t) {
	case T_VXLAN:
	case T_VXLAN8472:
		udp(f, t == T_VXLAN ? 4789 : 8472, 8 + 8 + len);
		p32(f, 0x08000000);
		p32(f, key << 8);
		break;
	case T_GENEVE:
		udp(f, 6081, 8 + 16 + len);
		p8(f, 2);		/* version 0, 2 words of options */
		p8(f, 0);
		p16(f, 0x6558);
		p32(f, key << 8);
		p16(f, 0x0102);		/* option class, type, length 1 */
		p8(f, 0x80);
		p8(f, 1);
		p32(f, 0x6d746776);
		break;
	case T_GRE:
		p16(f, 0);
		p16(f, 0x6558);
		break;
	case T_GRE_KCS:
		p16(f, 0xb000);		/* C, K, S */
		p16(f, 0x6558);
		p32(f, 0);		/* checksum, reserved1 */
		p32(f, key);
		p32(f, 99);
		break;
	case T_GRE_IP:
		p16(f, 0x2000);
		p16(f, 0x0800);
		p32(f, key);
		break;
	case T_ERSPAN1:
		p16(f, 0);
		p16(f, 0x88be);
		break;
	case T_ERSPAN2:
		p16(f, 0x1000);
		p16(f, 0x88be);
		p32(f, 5);
		p16(f, 0x1000);		/* version 1, VLAN 0 */
		p16(f, 0x0400 | key);	/* COS, En, T, session */
		p32(f, 0);
		break;
	default:
		p16(f, 0x1000);
		p16(f, 0x22eb);
		p32(f, 5);
		p16(f, 0x2000);		/* version 2 */
		p16(f, key);
		p32(f, 123456);		/* timestamp */
		p16(f, 0);		/* SGT */
		p16(f, t == T_ERSPAN3_SUB ? 1 : 0);	/* FT 0, O */
		if (t == T_ERSPAN3_SUB) {
			p32(f, 0xdeadbeef);
			p32(f, 0);
		}
		break;
	}
}

/* A whole tunnelled frame; returns where the inner frame starts. */
static size_t
build(struct fb *f, int t, int v6, int ovlan, int ivlan)
{
	unsigned ilen = INNER_LEN + (ivlan ? 4 : 0);
	size_t at;

	if (t == T_GRE_IP)
		ilen = INNER_LEN - 14;
	f->n = 0;
	f->le = 0;
	outer(f, v6, ovlan, t <= T_GENEVE ? 17 : 47, tunnel_len(t) + ilen);
	tunnel(f, t, ilen);
	at = f->n;
	if (t == T_GRE_IP) {
		struct fb g = { .n = 0 };
		inner(&g, 0);
		pbytes(f, g.b + 14, g.n - 14);
	} else
		inner(f, ivlan);
	f->wire = (uint32_t)f->n;
	return at;
}

static int
dec(const struct fb *f, struct pkt *p)
{
	memset(p, 0xa5, sizeof(*p));
	p->ts = 42;
	p->wire_len = f->wire;
	p->src = 3;
	return pkt_decode(DLT_EN10MB_, f->b, (uint32_t)f->n, p);
}

/* The inner fields of x and y agree: tunnelled and bare are one frame. */
static void
ck_inner_same(const struct pkt *x, const struct pkt *y)
{
	ck_assert_uint_eq(x->layers & ~(PKT_L_ENCAP | PKT_L_VNI), y->layers);
	ck_assert_uint_eq(x->status, y->status);
	ck_assert_uint_eq(x->vlan_depth, y->vlan_depth);
	ck_assert(mt_mac_eq(&x->mac_src, &y->mac_src));
	ck_assert(mt_mac_eq(&x->mac_dst, &y->mac_dst));
	ck_assert_uint_eq(x->ethertype, y->ethertype);
	ck_assert(mt_addr_eq(&x->ip_src, &y->ip_src));
	ck_assert(mt_addr_eq(&x->ip_dst, &y->ip_dst));
	ck_assert_uint_eq(x->ip_proto, y->ip_proto);
	ck_assert_uint_eq(x->ip_len, y->ip_len);
	ck_assert_uint_eq(x->l4_payload_len, y->l4_payload_len);
	ck_assert_uint_eq(x->payload_caplen, y->payload_caplen);
	ck_assert_uint_eq(x->echo, y->echo);
	ck_assert_uint_eq(x->icmp_id, y->icmp_id);
	ck_assert_uint_eq(x->icmp_seq, y->icmp_seq);
	ck_assert_uint_eq(x->arp_op, y->arp_op);
}

/* Every kind, over IPv4 and IPv6, VLAN tags outside and inside: the
 * inner frame decodes as it does bare; the outer addresses, kind and
 * key are kept. */
START_TEST(every_kind)
{
	for (int t = 0; t < T_NKINDS; t++)
		for (int v6 = 0; v6 < 2; v6++)
			for (int vl = 0; vl < 4; vl++) {
				struct fb f, bare;
				struct pkt p, b;
				size_t at = build(&f, t, v6, vl & 1, vl >> 1);
				int bdlt = t == T_GRE_IP ? 228 : DLT_EN10MB_;

				ck_assert_msg(dec(&f, &p) == PKT_OK, "%s v6 %d vlan %d",
				    kinds[t].name, v6, vl);
				memcpy(bare.b, f.b + at, f.n - at);
				bare.n = f.n - at;
				memset(&b, 0, sizeof(b));
				b.wire_len = (uint32_t)bare.n;
				(void)pkt_decode(bdlt, bare.b, (uint32_t)bare.n, &b);
				ck_assert_uint_eq(b.status, PKT_OK);
				ck_inner_same(&p, &b);
				ck_assert_uint_eq(p.echo, PKT_ECHO_REPLY);
				ck_assert(p.layers & PKT_L_ENCAP);
				ck_assert_uint_eq(!!(p.layers & PKT_L_VNI),
				    kinds[t].has_key);
				ck_assert_uint_eq(p.outer.kind, kinds[t].kind);
				ck_assert_uint_eq(p.outer.depth, 1);
				if (kinds[t].has_key)
					ck_assert_uint_eq(p.outer.vni, kinds[t].key);
				ck_assert_uint_eq(p.outer.src.family, v6 ? 6 : 4);
				ck_assert_mem_eq(p.outer.src.a, v6 ? OUT6_A : OUT_A,
				    v6 ? 16 : 4);
				ck_assert_mem_eq(p.outer.dst.a, v6 ? OUT6_C : OUT_C,
				    v6 ? 16 : 4);
				/* the caller's fields kept, payload inside */
				ck_assert_int_eq(p.ts, 42);
				ck_assert_int_eq(p.src, 3);
				ck_assert_uint_eq(p.cap_len, f.n);
				ck_assert(p.payload >= f.b + at &&
				    p.payload + p.payload_caplen <= f.b + f.n);
			}
}
END_TEST

START_TEST(names_and_port)
{
	struct fb f;
	struct pkt p;

	ck_assert_str_eq(pkt_encap_name(PKT_ENCAP_VXLAN), "vxlan");
	ck_assert_str_eq(pkt_encap_name(PKT_ENCAP_GENEVE), "geneve");
	ck_assert_str_eq(pkt_encap_name(PKT_ENCAP_GRE), "gre");
	ck_assert_str_eq(pkt_encap_name(PKT_ENCAP_ERSPAN), "erspan");
	ck_assert_ptr_null(pkt_encap_name(PKT_ENCAP_NONE));
	/* VXLAN on port 4790: plain UDP, until pkt_vxlan_port(4790). */
	build(&f, T_VXLAN, 0, 0, 0);
	f.b[14 + 20 + 2] = 4790 >> 8;
	f.b[14 + 20 + 3] = 4790 & 0xff;
	ck_assert_int_eq(dec(&f, &p), PKT_OK);
	ck_assert(!(p.layers & PKT_L_ENCAP));
	ck_assert(p.layers & PKT_L_UDP);
	ck_assert_uint_eq(p.dport, 4790);
	pkt_vxlan_port(4790);
	ck_assert_int_eq(dec(&f, &p), PKT_OK);
	ck_assert(p.layers & PKT_L_ENCAP);
	ck_assert_uint_eq(p.echo, PKT_ECHO_REPLY);
	pkt_vxlan_port(0);
	ck_assert_int_eq(dec(&f, &p), PKT_OK);
	ck_assert(!(p.layers & PKT_L_ENCAP));
}
END_TEST

/* Set byte off of the frame to v. */
static void
poke(struct fb *f, size_t off, uint8_t v)
{
	ck_assert_uint_lt(off, f->n);
	f->b[off] = v;
}

/* Expect status st and, when bad, the outer datagram's fields. */
static void
ck_bad(const struct fb *f, int st, const char *what)
{
	struct pkt p;

	ck_assert_msg(dec(f, &p) == st, "%s: status %d, want %d", what,
	    p.status, st);
	if (st == PKT_OK)
		return;
	ck_assert_msg(p.layers & PKT_L_TUNNEL_BAD, "%s: not marked", what);
	ck_assert(!(p.layers & PKT_L_ENCAP));
	ck_assert(!(p.layers & PKT_L_ECHO));
	ck_assert_mem_eq(p.ip_src.a, OUT_A, 4);
}

START_TEST(bad_headers)
{
	struct fb f;
	const size_t ip = 14, l4 = 14 + 20;

	/* VXLAN without the I flag */
	build(&f, T_VXLAN, 0, 0, 0);
	poke(&f, l4 + 8, 0);
	ck_bad(&f, PKT_INVALID, "vxlan no I");
	/* a UDP length past the datagram, and below 8 */
	build(&f, T_VXLAN, 0, 0, 0);
	poke(&f, l4 + 4, 0x7f);
	ck_bad(&f, PKT_INVALID, "udp length past");
	build(&f, T_VXLAN, 0, 0, 0);
	poke(&f, l4 + 4, 0);
	poke(&f, l4 + 5, 7);
	ck_bad(&f, PKT_INVALID, "udp length 7");
	/* a UDP length that leaves no room for the VXLAN header */
	build(&f, T_VXLAN, 0, 0, 0);
	poke(&f, l4 + 4, 0);
	poke(&f, l4 + 5, 12);
	ck_bad(&f, PKT_INVALID, "udp length 12");
	/* Geneve version 1; options past the end */
	build(&f, T_GENEVE, 0, 0, 0);
	poke(&f, l4 + 8, 0x42);
	ck_bad(&f, PKT_INVALID, "geneve version 1");
	build(&f, T_GENEVE, 0, 0, 0);
	poke(&f, l4 + 8, 0x3f);
	ck_bad(&f, PKT_INVALID, "geneve options past the end");
	/* GRE version 1 (PPTP), routing present */
	build(&f, T_GRE, 0, 0, 0);
	poke(&f, l4 + 1, 0x01);
	ck_bad(&f, PKT_INVALID, "gre version 1");
	build(&f, T_GRE, 0, 0, 0);
	poke(&f, l4, 0x40);
	ck_bad(&f, PKT_INVALID, "gre routing");
	/* ERSPAN II with version 2 in its header; III with version 1 */
	build(&f, T_ERSPAN2, 0, 0, 0);
	poke(&f, l4 + 8, 0x20);
	ck_bad(&f, PKT_INVALID, "erspan2 version 2");
	build(&f, T_ERSPAN3, 0, 0, 0);
	poke(&f, l4 + 8, 0x10);
	ck_bad(&f, PKT_INVALID, "erspan3 version 1");
	/* an ERSPAN II header the IP length cuts to 4 bytes */
	build(&f, T_ERSPAN2, 0, 0, 0);
	poke(&f, ip + 2, 0);
	poke(&f, ip + 3, 20 + 8 + 4);
	f.n = 14 + 20 + 8 + 4;
	f.wire = (uint32_t)f.n;
	ck_bad(&f, PKT_INVALID, "erspan2 short");
	/* the same cut by the snaplen instead: truncated */
	build(&f, T_ERSPAN2, 0, 0, 0);
	f.n = 14 + 20 + 8 + 4;
	ck_bad(&f, PKT_TRUNCATED, "erspan2 cut");
	/* GRE carrying another protocol (MPLS) and Geneve another
	 * payload: not opened, the outer datagram's payload */
	build(&f, T_GRE, 0, 0, 0);
	poke(&f, l4 + 2, 0x88);
	poke(&f, l4 + 3, 0x47);
	ck_bad(&f, PKT_OK, "gre mpls");
	build(&f, T_GENEVE, 0, 0, 0);
	poke(&f, l4 + 10, 0x12);
	ck_bad(&f, PKT_OK, "geneve other");
}
END_TEST

/* Tunnels in tunnels: PKT_TUNNEL_MAX deep is opened (the innermost's
 * outer kept), one more is not. */
START_TEST(nesting)
{
	for (int depth = 1; depth <= PKT_TUNNEL_MAX + 1; depth++) {
		struct fb f, g;
		struct pkt p;

		build(&f, T_VXLAN, 0, 0, 0);
		for (int d = 1; d < depth; d++) {
			int t = d % 2 ? T_ERSPAN3 : T_GRE_KCS;
			unsigned len = (unsigned)f.n;

			g.n = 0;
			g.le = 0;
			outer(&g, d % 2, 0, 47, tunnel_len(t) + len);
			tunnel(&g, t, len);
			pbytes(&g, f.b, f.n);
			f = g;
		}
		f.wire = (uint32_t)f.n;
		if (depth <= PKT_TUNNEL_MAX) {
			ck_assert_int_eq(dec(&f, &p), PKT_OK);
			ck_assert_uint_eq(p.outer.depth, depth);
			ck_assert_uint_eq(p.outer.kind, PKT_ENCAP_VXLAN);
			ck_assert_uint_eq(p.outer.src.family, 4);
			ck_assert_uint_eq(p.outer.vni, 4242);
			ck_assert_uint_eq(p.echo, PKT_ECHO_REPLY);
		} else {
			ck_assert_int_eq(dec(&f, &p), PKT_INVALID);
			ck_assert(p.layers & PKT_L_TUNNEL_BAD);
			ck_assert(!(p.layers & PKT_L_ECHO));
		}
	}
}
END_TEST

/* Every prefix of every kind: never invalid, never read past the end;
 * cut inside the tunnel header it is marked, cut after it the inner
 * frame's fields are right as far as they go. */
START_TEST(every_prefix)
{
	for (int t = 0; t < T_NKINDS; t++)
		for (int v6 = 0; v6 < 2; v6++) {
			struct fb f;
			struct pkt full, p;
			size_t at = build(&f, t, v6, 1, 1);

			ck_assert_int_eq(dec(&f, &full), PKT_OK);
			for (size_t n = 0; n <= f.n; n++) {
				uint8_t *buf = malloc(n ? n : 1);
				int st;

				ck_assert_ptr_nonnull(buf);
				memcpy(buf, f.b, n);
				p.wire_len = f.wire;
				st = pkt_decode(DLT_EN10MB_, n ? buf : NULL,
				    (uint32_t)n, &p);
				ck_assert_msg(st == PKT_OK || st == PKT_TRUNCATED,
				    "%s prefix %zu: %d", kinds[t].name, n, st);
				if (n >= at)
					ck_assert_msg(p.layers & PKT_L_ENCAP,
					    "%s prefix %zu", kinds[t].name, n);
				if (p.layers & PKT_L_ENCAP) {
					ck_assert_uint_eq(p.outer.vni, full.outer.vni);
					ck_assert((p.layers & ~full.layers) == 0);
					if (p.layers & PKT_L_IP)
						ck_assert(mt_addr_eq(&p.ip_src,
						    &full.ip_src));
				} else if (st == PKT_TRUNCATED && n >= at - tunnel_len(t) +
				    (t <= T_GENEVE ? 8 : 0))
					ck_assert_msg(p.layers & PKT_L_TUNNEL_BAD,
					    "%s prefix %zu", kinds[t].name, n);
				if (p.payload != NULL)
					ck_assert(p.payload >= buf &&
					    p.payload + p.payload_caplen <= buf + n);
				free(buf);
			}
		}
}
END_TEST

static Suite *
decap_suite(void)
{
	Suite *s = suite_create("decap");
	TCase *tc = tcase_create("tunnels");

	tcase_add_test(tc, every_kind);
	tcase_add_test(tc, names_and_port);
	tcase_add_test(tc, bad_headers);
	tcase_add_test(tc, nesting);
	tcase_add_test(tc, every_prefix);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(decap_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
