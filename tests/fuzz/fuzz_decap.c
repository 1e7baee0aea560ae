/*
 * fuzz_decap.c: libFuzzer target for the tunnel decoder (lib/input/decap.c
 * through pkt_decode): one frame's bytes, Ethernet or raw IPv4/IPv6, with
 * the wire length and an extra VXLAN port taken from the input. Besides
 * the sanitizers, it aborts when a record breaks the decoder's promises:
 * the payload outside the frame, a tunnel depth past PKT_TUNNEL_MAX, a
 * tunnel kind unknown, PKT_L_TUNNEL_BAD with PKT_L_ENCAP's inner fields
 * or with status PKT_OK, or a record other than pkt_decode_general()'s
 * (the decoder's fast path for the common frame and tunnel must change
 * nothing).
 *
 * Input: byte 0 selects the link type (even: Ethernet, odd: raw IP),
 * bytes 1-2 the extra VXLAN port (0: none), byte 3 how much longer the
 * frame was on the wire than captured; the rest is the frame.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "input/pkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkt p, g;
	const uint8_t *f;
	uint32_t n;
	int st;

	if (size < 4 || size > 65536)
		return 0;
	f = data + 4;
	n = (uint32_t)(size - 4);
	pkt_vxlan_port((uint16_t)(data[1] << 8 | data[2]));
	memset(&p, 0, sizeof(p));
	p.wire_len = n + data[3];
	st = pkt_decode(data[0] & 1 ? 101 : 1, f, n, &p);
	if (st != p.status || st < PKT_OK || st > PKT_INVALID)
		abort();
	if (p.payload != NULL && (p.payload < f ||
	    p.payload + p.payload_caplen > f + n))
		abort();
	if (p.layers & PKT_L_ENCAP) {
		if (p.outer.depth < 1 || p.outer.depth > PKT_TUNNEL_MAX ||
		    pkt_encap_name(p.outer.kind) == NULL ||
		    (p.outer.src.family != 4 && p.outer.src.family != 6))
			abort();
	}
	if ((p.layers & PKT_L_TUNNEL_BAD) && (st == PKT_OK ||
	    (p.layers & PKT_L_ECHO)))
		abort();
	/* Both from zeros: every byte the same, padding included. */
	memset(&g, 0, sizeof(g));
	g.wire_len = p.wire_len;
	if (pkt_decode_general(data[0] & 1 ? 101 : 1, f, n, &g) != st ||
	    memcmp(&p, &g, sizeof(p)) != 0)
		abort();
	pkt_vxlan_port(0);
	return 0;
}
