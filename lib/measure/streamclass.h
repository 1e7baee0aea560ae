/*
 * streamclass.h: what a TCP direction carries, told by its first bytes
 * (QEMU's migration stream, a multifd channel, libvirt RPC, TLS, NBD),
 * and small walkers over the framed ones (libvirt RPC messages, TLS
 * records, QEMU's return path) that follow message boundaries in
 * sequence space. docs/migration-modes.md gives each format and its
 * primary source.
 *
 * Captures are often headers-only: a walker reads a message header only
 * where its bytes were captured (SRC_PAYLOAD_KEEP bytes at a segment's
 * start). When the next header lies past them, or in bytes the capture
 * missed, the walk loses sync: the bytes until it finds a header again at
 * a segment's start are counted by volume (sc_walk.volume), and the
 * report says so.
 *
 * Every read of packet bytes goes through lib/input/extract.h.
 * No allocation: a struct sc_walk is plain data the caller owns.
 */
#ifndef MT_STREAMCLASS_H
#define MT_STREAMCLASS_H

#include <stddef.h>
#include <stdint.h>

#include "base/mt.h"

#define SC_QEVM_MAGIC		0x5145564dU	/* "QEVM", migration/savevm.c */
#define SC_MULTIFD_MAGIC	0x11223344U	/* migration/multifd.c */
#define SC_RPC_HEADER		28		/* length word + virNetMessageHeader */
#define SC_RP_HEADER		4		/* return path: be16 type, be16 len */
#define SC_TLS_HEADER		5		/* TLSPlaintext/Ciphertext header */

/* What a direction's first payload bytes are. */
enum sc_class {
	SC_UNKNOWN = 0,	/* its first data segment's bytes were not captured */
	SC_QEVM,	/* QEMU migration stream (the main channel) */
	SC_MULTIFD,	/* a multifd channel */
	SC_RPC,		/* libvirt RPC messages */
	SC_TLS,		/* a TLS handshake record */
	SC_NBD,		/* an NBD server's greeting (or its client: set by the
			   caller from the peer) */
	SC_OTHER,	/* bytes captured, none of the above */
	SC_RETURN,	/* QEMU's return path: the destination's direction of a
			   QEVM channel (set by the caller from the peer) */
};

/* The class of a direction whose first payload bytes are p[0..caplen). */
enum sc_class sc_classify(const uint8_t *p, size_t caplen);

/* A short name ("qevm", "rpc", ...) for messages and the report. */
const char *sc_class_name(enum sc_class c);

/* Return-path message types (migration/migration.c mig_rp_message_type). */
enum {
	SC_RP_SHUT = 1, SC_RP_PONG = 2, SC_RP_REQ_PAGES_ID = 3,
	SC_RP_REQ_PAGES = 4, SC_RP_RECV_BITMAP = 5, SC_RP_RESUME_ACK = 6,
	SC_RP_SWITCHOVER_ACK = 7, SC_RP_MAX = 8
};

/* One walk over a direction's bytes, in extended sequence numbers. */
struct sc_walk {
	uint8_t kind;		/* SC_RPC, SC_TLS or SC_RETURN */
	uint8_t synced;		/* hdr is where the next header starts */
	uint8_t counting;	/* the current message's body is counted */
	uint8_t tunnel;		/* RPC: a STREAM message's data began with QEVM */
	uint8_t streaming;	/* RPC: a stream is open (bytes out of sync count) */
	uint64_t done;		/* extended seq after the last byte walked */
	uint64_t hdr;		/* extended seq of the next header (synced) */
	uint64_t payload;	/* body bytes counted from decoded messages */
	uint64_t volume;	/* bytes counted by volume while out of sync */
	uint64_t messages;	/* headers decoded */
	uint64_t bad;		/* headers that made no sense (the walk lost sync) */
	uint64_t losses;	/* times the walk lost sync */
	mt_ns first, last;	/* first and last segment that counted bytes */
	uint64_t rp[SC_RP_MAX];	/* return path: messages by type ([0] unused) */
	mt_ns rp_first_req, rp_last_req;	/* REQ_PAGES(_ID) */
};

/* Start a walk of kind (SC_RPC, SC_TLS, SC_RETURN) at extended seq start,
 * in sync (start is a message's first byte) or not. */
void sc_walk_init(struct sc_walk *w, enum sc_class kind, uint64_t start,
    int synced);

/*
 * Walk one data segment: [seq, seq + len) in extended sequence space, its
 * first caplen bytes at p (p may be NULL when caplen is 0). Segments come
 * in time order; bytes walked before are skipped (retransmissions), bytes
 * the capture skipped are walked as unseen. Return the bytes of the
 * segment counted (message bodies of the counted kind, or volume).
 */
uint64_t sc_walk_segment(struct sc_walk *w, uint64_t seq, uint32_t len,
    const uint8_t *p, size_t caplen, mt_ns ts);

/* Counted bytes: decoded bodies and volume. */
static inline uint64_t
sc_walk_bytes(const struct sc_walk *w)
{
	return w->payload + w->volume;
}

#endif /* MT_STREAMCLASS_H */
