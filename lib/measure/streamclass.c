/*
 * streamclass.c: a direction's class from its first bytes, and walkers
 * over libvirt RPC messages (src/rpc/virnetprotocol.x), TLS records
 * (RFC 8446 section 5.1) and QEMU's return path (migration/migration.c,
 * migrate_send_rp_message). docs/migration-modes.md has the formats.
 */
#include "config.h"

#include <string.h>

#include "input/extract.h"
#include "measure/streamclass.h"

/* libvirt RPC (src/rpc/virnetprotocol.x, src/remote/remote_protocol.x). */
#define RPC_MESSAGE_MAX		16777216U	/* VIR_NET_MESSAGE_MAX */
#define RPC_TYPE_STREAM		3		/* VIR_NET_STREAM */
#define RPC_TYPE_MAX		5		/* VIR_NET_REPLY_WITH_FDS */
#define RPC_STATUS_OK		0		/* VIR_NET_OK */
#define RPC_STATUS_CONTINUE	2		/* VIR_NET_CONTINUE */

/*
 * The procedures whose stream is a tunnelled migration
 * (src/remote/remote_protocol.x): DOMAIN_MIGRATE_PREPARE_TUNNEL (148),
 * _PREPARE_TUNNEL3 (215), _PREPARE_TUNNEL3_PARAMS (304, the one libvirt
 * 11.3 uses: docs/migration-modes.md). They tell the tunnel where the
 * capture kept too few bytes to show the "QEVM" 28 bytes into its first
 * message (a snap length of 96 with TCP timestamps keeps 30).
 */
static int
tunnel_proc(uint32_t proc)
{
	return proc == 148 || proc == 215 || proc == 304;
}

/* Programs that speak on a libvirtd connection. */
static int
rpc_program(uint32_t prog)
{
	return prog == 0x20008086U ||	/* REMOTE_PROGRAM */
	    prog == 0x20008087U ||	/* QEMU_PROGRAM */
	    prog == 0x00068000U ||	/* LXC_PROGRAM */
	    prog == 0x06900690U ||	/* ADMIN_PROGRAM */
	    prog == 0x6b656570U;	/* KEEPALIVE_PROGRAM ("keep") */
}

/* TLS (RFC 8446 5.1): content types 20-24, version 3.x, a record's
 * ciphertext at most 2^14 + 256 bytes. */
#define TLS_HANDSHAKE		22
#define TLS_RECORD_MAX		(16384 + 256)

enum sc_class
sc_classify(const uint8_t *p, size_t caplen)
{
	struct bytes b;
	uint32_t w0, w1, vers;
	uint8_t c0, c1, c2;

	/* Checked first: NULL + 0 is undefined behaviour in C. */
	if (p == NULL || caplen == 0)
		return SC_UNKNOWN;
	b = (struct bytes){ p, p + caplen };
	if (get_be32(&b, 0, &w0) == 0) {
		if (w0 == SC_QEVM_MAGIC)
			return SC_QEVM;
		if (w0 == SC_MULTIFD_MAGIC)
			return SC_MULTIFD;
	}
	if (bytes_have(&b, 0, 8) && memcmp(p, "NBDMAGIC", 8) == 0)
		return SC_NBD;
	if (get_u8(&b, 0, &c0) == 0 && get_u8(&b, 1, &c1) == 0 &&
	    get_u8(&b, 2, &c2) == 0 && c0 == TLS_HANDSHAKE && c1 == 3 &&
	    c2 <= 4)
		return SC_TLS;
	if (get_be32(&b, 0, &w0) == 0 && get_be32(&b, 4, &w1) == 0 &&
	    get_be32(&b, 8, &vers) == 0 && w0 >= SC_RPC_HEADER &&
	    w0 <= RPC_MESSAGE_MAX && rpc_program(w1) && vers == 1)
		return SC_RPC;
	/* Fewer bytes than an RPC header's first three words tell nothing. */
	return caplen >= 12 ? SC_OTHER : SC_UNKNOWN;
}

const char *
sc_class_name(enum sc_class c)
{
	static const char *const names[] = {
		[SC_UNKNOWN] = "unknown", [SC_QEVM] = "qevm",
		[SC_MULTIFD] = "multifd", [SC_RPC] = "rpc", [SC_TLS] = "tls",
		[SC_NBD] = "nbd", [SC_OTHER] = "other", [SC_RETURN] = "return",
	};

	return (unsigned)c < sizeof(names) / sizeof(names[0]) ? names[c] : "?";
}

void
sc_walk_init(struct sc_walk *w, enum sc_class kind, uint64_t start, int synced)
{
	memset(w, 0, sizeof(*w));
	w->kind = (uint8_t)kind;
	w->done = w->hdr = start;
	w->synced = synced != 0;
	w->first = w->last = w->rp_first_req = w->rp_last_req = MT_NS_NONE;
}

/*
 * The header at the start of b, of w's kind: 1 with *len (the whole
 * message, header included) and w's per-message state set; 0 when b
 * holds too few bytes to tell; -1 when the bytes are not a header.
 */
static int
rpc_header(struct sc_walk *w, const struct bytes *b, uint64_t *len, mt_ns ts)
{
	uint32_t l = 0, prog = 0, vers = 0, proc = 0, type = 0, status = 0;
	uint32_t magic = 0;

	(void)ts;
	if (!bytes_have(b, 0, SC_RPC_HEADER))
		return 0;
	(void)get_be32(b, 0, &l);
	(void)get_be32(b, 4, &prog);
	(void)get_be32(b, 8, &vers);
	(void)get_be32(b, 12, &proc);
	(void)get_be32(b, 16, &type);
	(void)get_be32(b, 24, &status);
	if (l < SC_RPC_HEADER || l > RPC_MESSAGE_MAX || !rpc_program(prog) ||
	    vers != 1 || type > RPC_TYPE_MAX || status > RPC_STATUS_CONTINUE)
		return -1;
	*len = l;
	w->counting = 0;
	if (type == RPC_TYPE_STREAM && status == RPC_STATUS_CONTINUE &&
	    l > SC_RPC_HEADER) {
		/* Stream data (virnetclientstream.c): the QEMU stream when its
		 * first bytes are QEMU's magic. */
		w->counting = 1;
		w->streaming = 1;
		if (get_be32(b, SC_RPC_HEADER, &magic) == 0) {
			if (magic == SC_QEVM_MAGIC)
				w->tunnel = 1;
		} else if (prog == 0x20008086U && tunnel_proc(proc))
			w->tunnel = 1;
	} else if (type == RPC_TYPE_STREAM)
		w->streaming = 0;	/* the stream's end (OK) or abort (ERROR) */
	return 1;
}

static int
tls_header(struct sc_walk *w, const struct bytes *b, uint64_t *len, mt_ns ts)
{
	uint8_t type = 0, major = 0, minor = 0;
	uint16_t l = 0;

	(void)ts;
	if (!bytes_have(b, 0, SC_TLS_HEADER))
		return 0;
	(void)get_u8(b, 0, &type);
	(void)get_u8(b, 1, &major);
	(void)get_u8(b, 2, &minor);
	(void)get_be16(b, 3, &l);
	if (type < 20 || type > 24 || major != 3 || minor > 4 ||
	    l > TLS_RECORD_MAX)
		return -1;
	if (l == 0)
		w->bad++;	/* legal framing, but nothing a QEMU peer sends */
	*len = SC_TLS_HEADER + (uint64_t)l;
	w->counting = 1;
	return 1;
}

/* The length each return-path message has (migration/migration.c):
 * exact, or a range for those carrying a RAMBlock's name. */
static int
rp_len_ok(uint16_t type, uint16_t l)
{
	switch (type) {
	case SC_RP_SHUT:
	case SC_RP_PONG:
	case SC_RP_RESUME_ACK:
		return l == 4;		/* be32 value */
	case SC_RP_REQ_PAGES:
		return l == 12;		/* be64 start, be32 len */
	case SC_RP_REQ_PAGES_ID:
		return l >= 13 && l <= 12 + 1 + 255;	/* + name, len byte */
	case SC_RP_RECV_BITMAP:
		return l >= 1 && l <= 1 + 255;
	case SC_RP_SWITCHOVER_ACK:
		return l == 0;
	default:
		return 0;
	}
}

static int
rp_header(struct sc_walk *w, const struct bytes *b, uint64_t *len, mt_ns ts)
{
	uint16_t type = 0, l = 0;

	if (!bytes_have(b, 0, SC_RP_HEADER))
		return 0;
	(void)get_be16(b, 0, &type);
	(void)get_be16(b, 2, &l);
	if (!rp_len_ok(type, l))
		return -1;	/* an unknown type, or a length it cannot have */
	*len = SC_RP_HEADER + (uint64_t)l;
	w->counting = 0;
	w->rp[type]++;
	if (type == SC_RP_REQ_PAGES || type == SC_RP_REQ_PAGES_ID) {
		if (w->rp_first_req == MT_NS_NONE)
			w->rp_first_req = ts;
		w->rp_last_req = ts;
	}
	return 1;
}

static int
header(struct sc_walk *w, const struct bytes *b, uint64_t *len, mt_ns ts)
{
	switch (w->kind) {
	case SC_RPC:
		return rpc_header(w, b, len, ts);
	case SC_TLS:
		return tls_header(w, b, len, ts);
	case SC_RETURN:
		return rp_header(w, b, len, ts);
	default:
		return -1;
	}
}

/* Out of sync, bytes count by volume where the walk's kind counts bytes:
 * TLS always, RPC while a stream is open, the return path never. */
static int
volume_counts(const struct sc_walk *w)
{
	return w->kind == SC_TLS || (w->kind == SC_RPC && w->streaming);
}

static size_t
hdr_size(const struct sc_walk *w)
{
	return w->kind == SC_RPC ? SC_RPC_HEADER :
	    w->kind == SC_TLS ? SC_TLS_HEADER : SC_RP_HEADER;
}

uint64_t
sc_walk_segment(struct sc_walk *w, uint64_t seq, uint32_t len,
    const uint8_t *p, size_t caplen, mt_ns ts)
{
	uint64_t end = seq + len, pos = w->done, counted = 0;

	if (end <= w->done)
		return 0;		/* walked already */
	if (p == NULL || caplen > len)
		caplen = p == NULL ? 0 : len;
	while (pos < end) {
		uint64_t n, mlen;
		struct bytes b;
		int r;

		if (!w->synced) {
			/* Find a header again at the segment's start. */
			if (pos <= seq && caplen > 0) {
				int vc = volume_counts(w);

				b.p = p;
				b.end = p + caplen;
				r = header(w, &b, &mlen, ts);
				if (r == 1) {
					/* Bytes the capture missed before it. */
					w->synced = 1;
					w->messages++;
					if (pos < seq && vc) {
						counted += seq - pos;
						w->volume += seq - pos;
					}
					w->hdr = seq + mlen;
					pos = seq + hdr_size(w);
					continue;
				}
			}
			n = end - pos;
			if (volume_counts(w)) {
				w->volume += n;
				counted += n;
			}
			pos = end;
			break;
		}
		if (pos < w->hdr) {	/* inside the current message's body */
			n = (w->hdr < end ? w->hdr : end) - pos;
			if (w->counting) {
				w->payload += n;
				counted += n;
			}
			pos += n;
			continue;
		}
		/* A header starts at pos: readable only if captured. */
		if (pos < seq || pos - seq >= caplen) {
			w->synced = 0;
			w->losses++;
			continue;
		}
		b.p = p + (pos - seq);
		b.end = p + caplen;
		r = header(w, &b, &mlen, ts);
		if (r != 1) {
			if (r < 0)
				w->bad++;
			w->synced = 0;
			w->losses++;
			continue;
		}
		w->messages++;
		w->hdr = pos + mlen;
		/* The header's bytes are framing, not counted. */
		pos += hdr_size(w) < end - pos ? hdr_size(w) : end - pos;
	}
	w->done = end;
	if (counted > 0) {
		if (w->first == MT_NS_NONE)
			w->first = ts;
		w->last = ts;
	}
	return counted;
}
