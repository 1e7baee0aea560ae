/* tcpflow.c: per-direction sequence tracking (RFC 9293) of selected flows. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/htab.h"
#include "measure/streamclass.h"
#include "measure/tcpflow.h"

/* libvirtd's listening ports (libvirtd.conf tcp_port, tls_port): their
 * connections are RPC, never a migration stream by port. */
#define LIBVIRT_TCP_PORT	16509
#define LIBVIRT_TLS_PORT	16514

/*
 * A flow's key: endpoints in a canonical order (lower address first), as
 * five 64-bit words, each written whole: w[0] the family and the two
 * ports, w[1..2] and w[3..4] the two addresses (IPv4 in the low 32 bits
 * of the first word, the rest zero). Built from narrower stores (bytes,
 * 16-bit ports, a memset), the key read back a word at a time by the
 * compare and the hash missed store-to-load forwarding on every packet:
 * 45% of tcpflow_add's own time in one stalled load (perf annotate,
 * bench/RESULTS.md).
 */
struct flow_key {
	uint64_t w[5];
};
_Static_assert(sizeof(struct flow_key) == 40, "flow_key: five words");

static inline unsigned
key_fam(const struct flow_key *k)
{
	return (unsigned)(k->w[0] & 0xff);
}

static inline uint16_t
key_port(const struct flow_key *k, int i)
{
	return (uint16_t)(k->w[0] >> (16 + 16 * i));
}

/* Endpoint i's address, as a struct mt_addr. */
static void
key_addr(const struct flow_key *k, int i, struct mt_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->family = (uint8_t)key_fam(k);
	if (a->family == 4) {
		uint32_t v = (uint32_t)k->w[1 + 2 * i];
		memcpy(a->a, &v, 4);
	} else
		memcpy(a->a, &k->w[1 + 2 * i], 16);
}

/*
 * One direction of a flow. The fields every segment or ACK touches come
 * first, the flags as bytes: with 100 000 flows alive each segment misses
 * the cache on its flow, and a smaller, hotter-first state misses less
 * (bench/RESULTS.md). The rest is read at the handshake, a FIN, a zero
 * window or a stall's end.
 */
struct half {
	uint64_t base;		/* extended seq of the first data byte */
	uint64_t snd_max;	/* extended seq after the highest byte sent */
	uint64_t acked;		/* highest extended ack from the peer */
	uint64_t segments, retrans;
	mt_ns last_data;
	mt_ns progress;		/* last ack advance while outstanding */
	uint8_t have_data;	/* base set */
	uint8_t have_ack;
	uint8_t fin;		/* a FIN was sent: it takes one sequence number */
	uint8_t zero;		/* peer advertises a zero window now */
	uint8_t migration;
	uint8_t cls;		/* enum sc_class, from the first data */
	uint8_t syn_seen;
	uint8_t opener;		/* sent the SYN without ACK: the client side */
	uint64_t retrans_at_progress;
	mt_ns stall_start, stall_end;
	uint64_t stall_retrans;
	uint64_t fin_seq;	/* extended seq of that FIN (if have_data) */
	mt_ns first_data;
	uint64_t zero_windows;
	mt_ns syn_ts;		/* the first SYN without ACK */
	mt_ns hs_rtt;		/* SYN -> peer's SYN/ACK, or MT_NS_NONE */
	unsigned syns;		/* SYNs without ACK sent (1 + resends) */
	uint32_t isn;
	uint8_t hs_done;	/* the peer's SYN/ACK was seen */
	uint8_t by_port;	/* migration by its port alone */
	uint8_t walked;		/* a struct sc_walk follows its messages */
};

struct flow {
	struct half h[2];	/* h[i]: data sent from endpoint i */
	mt_ns last_ts;		/* last segment of either direction */
	int involves_vm;
};

/*
 * Retiring flows keeps memory bounded by the flows alive at one time,
 * not by every flow of a day-long capture: a flow silent for
 * TCPFLOW_IDLE is folded into what the report can still ask for (its
 * migration directions, kept whole; the longest stall of a VM direction)
 * and deleted. Checked every TCPFLOW_SWEEP of capture time.
 */
#define TCPFLOW_IDLE	(120 * MT_NS_PER_S)
#define TCPFLOW_SWEEP	(10 * MT_NS_PER_S)
#define TCPFLOW_LAST	16	/* a power of two */

struct tcpflow {
	struct tcpflow_opts o;
	struct htab *flows;	/* struct flow_key -> struct flow */
	mt_ns next_sweep;	/* MT_NS_NONE until the first packet */
	struct tcp_dir_info *kept;	/* directions of retired flows */
	size_t nkept, capkept;
	struct tcp_dir_info stall;	/* the longest retired VM stall */
	int have_stall;
	/*
	 * The flow last seen of each slot, a slot chosen by the two ports
	 * (last_slot()): a migration stream's data and its ACKs, the VM's
	 * service traffic and a second capture's streams interleave but
	 * mostly keep apart, so most lookups end here without hashing; so
	 * do those of a flow not measured (f NULL: absent until a flow is
	 * put in the table, which empties the slots). Emptied by anything
	 * that moves or deletes table entries (htab_put, the sweep).
	 */
	struct last_flow {
		struct flow_key k;
		struct flow *f;	/* NULL: k is not in the table */
		int known;	/* k and f are set */
	} last[TCPFLOW_LAST];
	uint64_t magic_flows;	/* flows taken in by their magic alone, ever */
	/* The walks of RPC, TLS and return-path directions (struct
	 * walk_key -> struct sc_walk): few flows, so apart from the flows. */
	struct htab *walks;
	uint8_t last_kind;	/* enum tcpflow_kind of the last packet */
	struct tcp_postcopy *pc;	/* post-copy switches seen */
	size_t npc, cappc;
};

struct walk_key {
	struct flow_key k;
	uint64_t dir;
};

struct tcpflow *
tcpflow_new(const struct tcpflow_opts *o)
{
	struct tcpflow *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->o = *o;
	t->next_sweep = MT_NS_NONE;
	t->flows = htab_new(sizeof(struct flow_key), sizeof(struct flow));
	t->walks = htab_new(sizeof(struct walk_key), sizeof(struct sc_walk));
	if (t->flows == NULL || t->walks == NULL) {
		htab_free(t->flows);
		htab_free(t->walks);
		free(t);
		return NULL;
	}
	return t;
}

void
tcpflow_free(struct tcpflow *t)
{
	if (t == NULL)
		return;
	htab_free(t->flows);
	htab_free(t->walks);
	free(t->kept);
	free(t->pc);
	free(t);
}

static int sweep(struct tcpflow *, mt_ns);

/* Equal keys: five 64-bit compares. */
static inline int
key_eq(const struct flow_key *x, const struct flow_key *y)
{
	return ((x->w[0] ^ y->w[0]) | (x->w[1] ^ y->w[1]) |
	    (x->w[2] ^ y->w[2]) | (x->w[3] ^ y->w[3]) |
	    (x->w[4] ^ y->w[4])) == 0;
}

/* Build the key; return which endpoint (0 or 1) sent p. */
static inline int
make_key(const struct pkt *p, struct flow_key *k)
{
	uint64_t a[2][2];	/* source, destination */
	int s;

	if (p->ip_src.family == 4) {
		uint32_t x, y;

		memcpy(&x, p->ip_src.a, 4);
		memcpy(&y, p->ip_dst.a, 4);
		a[0][0] = x, a[0][1] = 0;
		a[1][0] = y, a[1][1] = 0;
		x = __builtin_bswap32(x);	/* network order compares */
		y = __builtin_bswap32(y);
		s = x < y || (x == y && p->sport <= p->dport) ? 0 : 1;
	} else {
		int c = memcmp(p->ip_src.a, p->ip_dst.a, 16);

		memcpy(a[0], p->ip_src.a, 16);
		memcpy(a[1], p->ip_dst.a, 16);
		s = c < 0 || (c == 0 && p->sport <= p->dport) ? 0 : 1;
	}
	/* Endpoint s is the source. */
	k->w[0] = (uint64_t)p->ip_src.family |
	    (uint64_t)(s ? p->dport : p->sport) << 16 |
	    (uint64_t)(s ? p->sport : p->dport) << 32;
	k->w[1 + 2 * s] = a[0][0];
	k->w[2 + 2 * s] = a[0][1];
	k->w[3 - 2 * s] = a[1][0];
	k->w[4 - 2 * s] = a[1][1];
	return s;
}

static inline int
in_range(const struct tcpflow *t, uint16_t port)
{
	return port >= t->o.mig_port_lo && port <= t->o.mig_port_hi;
}

/* A flow's slot of tcpflow.last: its ports' low bits, either way. */
static inline unsigned
last_slot(const struct flow_key *k)
{
	return (unsigned)((k->w[0] >> 16 ^ k->w[0] >> 32) & (TCPFLOW_LAST - 1));
}

static inline int
libvirt_port(uint16_t port)
{
	return port == LIBVIRT_TCP_PORT || port == LIBVIRT_TLS_PORT;
}

/* The segment starts with QEMU's stream magic, or with an NBD server's
 * greeting (a storage copy on a port outside the range: --disks-port). */
static int
has_magic(const struct pkt *p)
{
	return p->payload != NULL && p->payload_caplen >= 4 &&
	    (((uint32_t)p->payload[0] << 24 | (uint32_t)p->payload[1] << 16 |
	    (uint32_t)p->payload[2] << 8 | p->payload[3]) == QEMU_VM_FILE_MAGIC ||
	    (p->payload_caplen >= 8 && memcmp(p->payload, "NBDMAGIC", 8) == 0));
}

static inline int
is_vm(const struct tcpflow *t, const struct mt_addr *a)
{
	return t->o.vm.family != 0 && mt_addr_eq(a, &t->o.vm);
}

/* Extend a 32-bit sequence number next to a known extended one. */
static uint64_t
extend(uint64_t near, uint32_t seq)
{
	return near + (uint64_t)(int64_t)(int32_t)(seq - (uint32_t)near);
}

/* An ack from the peer for h's data. */
static void
on_ack(struct half *h, uint32_t ack32, mt_ns ts)
{
	uint64_t ack;

	if (!h->have_data)
		return;
	ack = extend(h->snd_max, ack32);
	if (h->fin && ack == h->fin_seq + 1)
		ack = h->fin_seq;	/* the FIN's sequence number, not data */
	if (ack > h->snd_max)	/* acks what we never saw: capture missed it */
		h->snd_max = ack;
	if (h->have_ack && ack <= h->acked)
		return;
	if (h->have_ack || ack > h->base) {
		/* New data acknowledged: a stall, if any, ends here. */
		if (h->progress != MT_NS_NONE &&
		    (h->stall_start == MT_NS_NONE ||
		    ts - h->progress > h->stall_end - h->stall_start)) {
			h->stall_start = h->progress;
			h->stall_end = ts;
			h->stall_retrans = h->retrans - h->retrans_at_progress;
		}
		h->progress = ack < h->snd_max ? ts : MT_NS_NONE;
		h->retrans_at_progress = h->retrans;
	}
	h->acked = ack;
	h->have_ack = 1;
}

/* A data segment of h: returns the new bytes it adds. */
static uint64_t
on_data(struct half *h, const struct pkt *p, uint64_t *startp)
{
	uint64_t start, end, added = 0;

	if (!h->have_data) {
		/* Extended values start far from 0 so they can move back. */
		h->have_data = 1;
		h->base = ((uint64_t)1 << 32) +
		    (h->syn_seen ? (uint32_t)(h->isn + 1) : p->tcp_seq);
		start = extend(h->base, p->tcp_seq);
		if (start < h->base)
			h->base = start;
		h->snd_max = h->base;
		h->first_data = p->ts;
		h->stall_start = h->stall_end = MT_NS_NONE;
		h->progress = MT_NS_NONE;
		/* What the bytes are, where they are the stream's first. */
		h->cls = start == h->base ?
		    (uint8_t)sc_classify(p->payload, p->payload_caplen) :
		    SC_UNKNOWN;
	} else
		start = extend(h->snd_max, p->tcp_seq);
	*startp = start;
	end = start + p->l4_payload_len;
	h->segments++;
	h->last_data = p->ts;
	if (start < h->snd_max) {
		/* Old sequence space sent again, new bytes too or not (a
		 * keep-alive probe of one byte just below snd_max is not a
		 * retransmission): the man page's definition. */
		if (!(p->l4_payload_len <= 1 && end == h->snd_max))
			h->retrans++;
	}
	if (end > h->snd_max) {
		if (h->progress == MT_NS_NONE &&
		    (!h->have_ack || h->acked >= h->snd_max)) {
			h->progress = p->ts;	/* data outstanding from now */
			/* Only retransmissions from here on are the stall's. */
			h->retrans_at_progress = h->retrans;
		}
		added = end - h->snd_max;
		h->snd_max = end;
	}
	return added;
}

/* The direction towards the listening migration port. A client whose
 * ephemeral port also falls in the range is told by who opened the
 * connection. */
static inline int
to_listener(const struct tcpflow *t, const struct pkt *p,
    const struct half *h, const struct half *peer)
{
	return in_range(t, p->dport) && (!in_range(t, p->sport) || h->opener ||
	    (!peer->opener && p->sport > p->dport));
}

static struct sc_walk *
walk_of(struct tcpflow *t, const struct flow_key *k, int s, int create)
{
	struct walk_key wk;

	memset(&wk, 0, sizeof(wk));
	wk.k = *k;
	wk.dir = (uint64_t)s;
	return create ? htab_put(t->walks, &wk, NULL) : htab_get(t->walks, &wk);
}

/* Follow h's messages from extended seq start on. 0, or -1 when out of
 * memory. */
static int
start_walk(struct tcpflow *t, const struct flow_key *k, int s,
    struct half *h, uint64_t start, int synced)
{
	struct sc_walk *w = walk_of(t, k, s, 1);

	if (w == NULL)
		return -1;
	sc_walk_init(w, (enum sc_class)h->cls, start, synced);
	h->walked = 1;
	return 0;
}

/*
 * h's first data (p) came: its class from its bytes (on_data) or from its
 * peer's, what follows from it for the migration, and its walk. 0, or -1
 * when out of memory.
 */
static int
classify(struct tcpflow *t, const struct flow_key *k, int s, struct half *h,
    struct half *peer, const struct pkt *p, uint64_t start)
{
	if (peer->cls == SC_QEVM)
		h->cls = SC_RETURN;	/* the destination's answers */
	else if (peer->cls == SC_NBD)
		h->cls = SC_NBD;	/* the client of an NBD server */
	switch (h->cls) {
	case SC_QEVM:
		if (peer->have_data && peer->cls != SC_RETURN) {
			/* The destination spoke first: a return path. */
			peer->cls = SC_RETURN;
			peer->migration = peer->by_port = 0;
			if (start_walk(t, k, !s, peer, peer->snd_max, 0) < 0)
				return -1;
		}
		h->migration = 1;
		break;
	case SC_MULTIFD:
		h->migration = 1;
		break;
	case SC_NBD:
		if (peer->have_data && peer->cls != SC_NBD) {
			peer->cls = SC_NBD;
			peer->migration = peer->by_port = 0;
		}
		break;
	case SC_TLS:
		/* TLS between the hosts on a migration port (QEMU's native
		 * TLS); libvirtd's own TLS port is RPC. */
		if (to_listener(t, p, h, peer) && !libvirt_port(p->sport))
			h->migration = 1;
		break;
	default:
		break;
	}
	if (h->cls == SC_RPC || h->cls == SC_TLS || h->cls == SC_RETURN)
		return start_walk(t, k, s, h, h->base, start == h->base);
	return 0;
}

/* Remember a post-copy switch (the first page request on a return path,
 * p): 0, or -1 when out of memory. */
static int
postcopy_switch(struct tcpflow *t, const struct pkt *p, mt_ns ts)
{
	struct tcp_postcopy *c;

	if (t->npc == t->cappc) {
		size_t n = t->cappc ? 2 * t->cappc : 4;
		if ((c = realloc(t->pc, n * sizeof(*c))) == NULL)
			return -1;
		t->pc = c;
		t->cappc = n;
	}
	c = &t->pc[t->npc++];
	memset(c, 0, sizeof(*c));
	c->src = p->ip_dst;	/* the return path runs destination -> source */
	c->dst = p->ip_src;
	c->start = ts;
	return 0;
}

/* Migration bytes from a host pair after its latest post-copy switch. */
static void
postcopy_bytes(struct tcpflow *t, const struct pkt *p, uint64_t added)
{
	for (size_t i = t->npc; i-- > 0;)
		if (mt_addr_eq(&p->ip_src, &t->pc[i].src) &&
		    mt_addr_eq(&p->ip_dst, &t->pc[i].dst)) {
			if (p->ts >= t->pc[i].start)
				t->pc[i].bytes_after += added;
			return;
		}
}

/*
 * Walk h's segment p (extended seq start): for a walked migration
 * direction *added becomes the bytes its messages carry (the tunnelled
 * stream's data, the TLS records' payload). 0, or -1 when out of memory.
 */
static int
walk_segment(struct tcpflow *t, const struct flow_key *k, int s,
    struct half *h, const struct pkt *p, uint64_t start, uint64_t *added)
{
	struct sc_walk *w = walk_of(t, k, s, 0);
	mt_ns req;
	uint64_t n;

	if (w == NULL)
		return 0;
	req = w->rp_first_req;
	n = sc_walk_segment(w, start, p->l4_payload_len, p->payload,
	    p->payload_caplen, p->ts);
	if (h->cls == SC_RPC && w->tunnel)
		h->migration = 1;	/* libvirt's tunnel carries QEMU's stream */
	if (h->migration)
		*added = n;
	if (h->cls == SC_RETURN && req == MT_NS_NONE &&
	    w->rp_first_req != MT_NS_NONE)
		return postcopy_switch(t, p, w->rp_first_req);
	return 0;
}

int
tcpflow_add(struct tcpflow *t, const struct pkt *p, uint64_t *new_mig_bytes)
{
	struct flow_key k;
	struct flow *f;
	struct half *h, *peer;
	int s, created, wanted, magic;
	uint64_t added = 0;
	struct last_flow *c;

	*new_mig_bytes = 0;
	t->last_kind = TCPFLOW_OTHER;
	if (!(p->layers & PKT_L_TCP))
		return 0;
	if (t->next_sweep == MT_NS_NONE)
		t->next_sweep = p->ts + TCPFLOW_SWEEP;
	else if (p->ts >= t->next_sweep) {
		if (sweep(t, p->ts) < 0)
			return -1;
		t->next_sweep = p->ts + TCPFLOW_SWEEP;
	}
	/*
	 * A flow is measured when it involves the VM or a migration port
	 * (true of each of its segments) or starts with QEMU's magic or an
	 * NBD greeting (true of one). So a segment that is neither is not
	 * looked up while no
	 * flow has come in by its magic alone: most of the other traffic.
	 */
	wanted = in_range(t, p->sport) || in_range(t, p->dport) ||
	    libvirt_port(p->sport) || libvirt_port(p->dport) ||
	    is_vm(t, &p->ip_src) || is_vm(t, &p->ip_dst);
	magic = !wanted && p->l4_payload_len > 0 && has_magic(p);
	if (!wanted && !magic && t->magic_flows == 0)
		return 0;
	s = make_key(p, &k);
	c = &t->last[last_slot(&k)];
	if (c->known && key_eq(&k, &c->k))
		f = c->f;
	else {
		f = htab_get(t->flows, &k);
		c->k = k;
		c->f = f;
		c->known = 1;
	}
	if (f == NULL) {
		if (!wanted && !magic)
			return 0;	/* not a flow we measure (kept so) */
		f = htab_put(t->flows, &k, &created);
		if (f == NULL)
			return -1;
		/* The table may have moved its entries. */
		memset(t->last, 0, sizeof(t->last));
		f->involves_vm = is_vm(t, &p->ip_src) || is_vm(t, &p->ip_dst);
		if (!wanted)
			t->magic_flows++;
		f->h[0].hs_rtt = f->h[1].hs_rtt = MT_NS_NONE;
		c->k = k;
		c->f = f;
		c->known = 1;
	}
	h = &f->h[s];
	peer = &f->h[!s];
	f->last_ts = p->ts;
	if (p->tcp_flags & TCPF_SYN) {
		h->syn_seen = 1;
		if (!(p->tcp_flags & TCPF_ACK)) {
			h->opener = 1;
			if (h->syns++ == 0)
				h->syn_ts = p->ts;
		} else if (peer->syns > 0 && !peer->hs_done) {
			/* The first SYN/ACK answers the opener's SYN; after a
			 * resent SYN, which one is unknown. */
			peer->hs_done = 1;
			if (peer->syns == 1 && p->ts >= peer->syn_ts)
				peer->hs_rtt = p->ts - peer->syn_ts;
		}
		h->isn = p->tcp_seq;
	}
	if ((p->tcp_flags & TCPF_ACK) && !(p->tcp_flags & TCPF_RST)) {
		on_ack(peer, p->tcp_ack, p->ts);
		/* Zero window: the receiver (this side) stops the peer. */
		if (p->tcp_win == 0 && !(p->tcp_flags & TCPF_SYN)) {
			if (!peer->zero)
				peer->zero_windows++;
			peer->zero = 1;
		} else
			peer->zero = 0;
	}
	if (p->l4_payload_len > 0 && !(p->tcp_flags & TCPF_SYN)) {
		int first = !h->have_data;
		uint64_t start;

		added = on_data(h, p, &start);
		if (first && classify(t, &k, s, h, peer, p, start) < 0)
			return -1;
		if (h->walked) {
			if (walk_segment(t, &k, s, h, p, start, &added) < 0)
				return -1;
		} else if (!h->migration &&
		    (h->cls == SC_UNKNOWN || h->cls == SC_OTHER) &&
		    (peer->cls == SC_UNKNOWN || peer->cls == SC_OTHER) &&
		    !libvirt_port(p->sport) && !libvirt_port(p->dport) &&
		    to_listener(t, p, h, peer)) {
			/* By port alone, a guess: its bytes were not seen,
			 * or are of nothing known (a post-copy preempt
			 * channel starts with a RAM page's header). */
			h->migration = 1;
			h->by_port = 1;
		}
		if (h->migration && t->npc > 0 && added > 0)
			postcopy_bytes(t, p, added);
	}
	t->last_kind = h->migration || peer->migration ? TCPFLOW_MIGRATION :
	    h->cls == SC_NBD ? TCPFLOW_STORAGE :
	    h->cls == SC_RPC || peer->cls == SC_RPC || libvirt_port(p->sport) ||
	    libvirt_port(p->dport) ? TCPFLOW_RPC : TCPFLOW_OTHER;
	/* After on_data, so a FIN with the first data has its base. The FIN
	 * follows the segment's payload, which may lie past snd_max when the
	 * capture missed segments. */
	if ((p->tcp_flags & TCPF_FIN) && h->have_data) {
		h->fin = 1;
		h->fin_seq = extend(h->snd_max, p->tcp_seq) + p->l4_payload_len;
	}
	if (p->l4_payload_len > 0 && !(p->tcp_flags & TCPF_SYN) && h->migration) {
		*new_mig_bytes = added;
		return 1;
	}
	return 0;
}

static int
cmp_first(const void *a, const void *b)
{
	const struct tcp_dir_info *x = a, *y = b;

	if (x->first_data != y->first_data)
		return x->first_data < y->first_data ? -1 : 1;
	return (x->sport > y->sport) - (x->sport < y->sport);
}

/* Direction s of flow f (which carried data) as the report sees it. */
static void
dir_info(struct tcpflow *t, const struct flow *f, const struct flow_key *k,
    int s, struct tcp_dir_info *d)
{
	const struct half *h = &f->h[s];
	const struct sc_walk *w;

	memset(d, 0, sizeof(*d));
	d->stall_start = h->stall_start;
	d->stall_end = h->stall_end;
	d->stall_retrans = h->stall_retrans;
	/* A stall still open when the capture ends. */
	if (h->progress != MT_NS_NONE && h->snd_max > h->acked &&
	    (d->stall_start == MT_NS_NONE ||
	    f->last_ts - h->progress > d->stall_end - d->stall_start)) {
		d->stall_start = h->progress;
		d->stall_end = f->last_ts;
		d->stall_retrans = h->retrans - h->retrans_at_progress;
	}
	key_addr(k, s, &d->src);
	key_addr(k, !s, &d->dst);
	d->sport = key_port(k, s);
	d->dport = key_port(k, !s);
	d->migration = h->migration;
	d->magic = h->cls == SC_QEVM;
	d->cls = h->cls;
	d->by_port = h->by_port;
	d->involves_vm = f->involves_vm;
	d->bytes = h->snd_max - h->base;
	d->segments = h->segments;
	d->retrans = h->retrans;
	d->zero_windows = h->zero_windows;
	d->first_data = h->first_data;
	d->last_data = h->last_data;
	d->handshake_rtt = h->hs_rtt;
	if (h->walked && (w = walk_of(t, k, s, 0)) != NULL) {
		d->walked = 1;
		d->walk = *w;
		/* A tunnel's or TLS's stream is what its messages carry. */
		if (h->migration) {
			d->bytes = sc_walk_bytes(w);
			if (w->first != MT_NS_NONE) {
				d->first_data = w->first;
				d->last_data = w->last;
			}
		}
	}
}

/* Keep what the report needs of a retiring flow. */
static int
fold(struct tcpflow *t, const struct flow *f, const struct flow_key *k)
{
	struct tcp_dir_info d;

	for (int s = 0; s < 2; s++) {
		if (!f->h[s].have_data)
			continue;
		dir_info(t, f, k, s, &d);
		if (d.migration || d.cls == SC_NBD ||
		    (d.cls == SC_RETURN && d.walk.messages > 0)) {
			if (t->nkept == t->capkept) {
				size_t ncap = t->capkept ? 2 * t->capkept : 16;
				struct tcp_dir_info *nk = realloc(t->kept,
				    ncap * sizeof(*nk));
				if (nk == NULL)
					return -1;
				t->kept = nk;
				t->capkept = ncap;
			}
			t->kept[t->nkept++] = d;
		} else if (d.involves_vm && d.stall_start != MT_NS_NONE &&
		    (!t->have_stall || d.stall_end - d.stall_start >
		    t->stall.stall_end - t->stall.stall_start)) {
			t->stall = d;
			t->have_stall = 1;
		}
	}
	return 0;
}

/*
 * Retire the flows silent since before now - TCPFLOW_IDLE. A stall still
 * open in such a flow ends at its last segment, as at the end of the
 * capture; if the flow speaks again it starts afresh. Return 0, or -1
 * when out of memory.
 */
static int
sweep(struct tcpflow *t, mt_ns now)
{
	struct flow_key *old = NULL;
	size_t it = 0, n = 0, cap = 0;
	const void *key;
	struct flow *f;

	memset(t->last, 0, sizeof(t->last));
	while ((f = htab_next(t->flows, &it, &key)) != NULL) {
		if (now - f->last_ts <= TCPFLOW_IDLE)
			continue;
		if (fold(t, f, key) < 0)
			goto oom;
		if (n == cap) {
			size_t ncap = cap ? 2 * cap : 64;
			struct flow_key *no = realloc(old, ncap * sizeof(*no));
			if (no == NULL)
				goto oom;
			old = no;
			cap = ncap;
		}
		old[n++] = *(const struct flow_key *)key;
	}
	/* Deleted after the walk: htab allows no del while iterating. */
	for (size_t i = 0; i < n; i++) {
		for (int s = 0; s < 2; s++) {
			struct sc_walk *w = walk_of(t, &old[i], s, 0);
			if (w != NULL)
				htab_del_value(t->walks, w);
		}
		htab_del(t->flows, &old[i]);
	}
	free(old);
	return 0;
oom:
	/* What was folded is also still live: delete nothing, fail. */
	free(old);
	return -1;
}

int
tcpflow_list(struct tcpflow *t, struct tcp_dir_info **out, size_t *n)
{
	size_t it = 0, cnt = 0;
	const void *key;
	struct flow *f;
	struct tcp_dir_info *v;

	v = calloc(2 * htab_count(t->flows) + t->nkept + 2, sizeof(*v));
	if (v == NULL)
		return -1;
	while ((f = htab_next(t->flows, &it, &key)) != NULL)
		for (int s = 0; s < 2; s++)
			if (f->h[s].have_data)
				dir_info(t, f, key, s, &v[cnt++]);
	for (size_t i = 0; i < t->nkept; i++)
		v[cnt++] = t->kept[i];
	if (t->have_stall)
		v[cnt++] = t->stall;
	qsort(v, cnt, sizeof(*v), cmp_first);
	*out = v;
	*n = cnt;
	return 0;
}

enum tcpflow_kind
tcpflow_last_kind(const struct tcpflow *t)
{
	return (enum tcpflow_kind)t->last_kind;
}

const struct tcp_postcopy *
tcpflow_postcopy(const struct tcpflow *t, size_t *n)
{
	*n = t->npc;
	return t->pc;
}
