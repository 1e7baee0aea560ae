/*
 * modes.c: how each migration moved the VM, from the classes and walks
 * tcpflow gave its directions (docs/migration-modes.md): the transport
 * (QEMU's own TCP stream, libvirt's tunnel, QEMU's TLS), each channel's
 * role, the post-copy phase seen on the return path, the storage copy
 * (NBD), how it ended, and the split of a post-copy interruption into a
 * blackout (nobody runs the guest) and a brownout (the destination runs
 * it, but it waits for its pages).
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis_int.h"

int
modes_in(const struct migration *m, const struct tcp_dir_info *d)
{
	return d->first_data >= m->first && d->first_data <= m->last;
}

static int
same_hosts(const struct tcp_dir_info *x, const struct tcp_dir_info *y)
{
	return mt_addr_eq(&x->src, &y->src) && mt_addr_eq(&x->dst, &y->dst);
}

const char *
modes_role(const struct analysis *a, const struct tcp_dir_info *d)
{
	switch (d->cls) {
	case SC_QEVM:
		return "main";
	case SC_MULTIFD:
		return "multifd";
	case SC_RPC:
		return "rpc";
	case SC_TLS:
		return "tls";
	case SC_OTHER:
		/* Bytes of nothing known to the migration port, while a main
		 * channel runs between the same hosts: post-copy's preempt
		 * channel (its first bytes are a RAM page's header). */
		for (size_t i = 0; i < a->ndirs; i++) {
			const struct tcp_dir_info *q = &a->dirs[i];
			if (q->migration && q->cls == SC_QEVM &&
			    same_hosts(q, d) && q->first_data <= d->first_data &&
			    d->first_data <= q->last_data)
				return "preempt";
		}
		return "unknown";
	default:
		return "unknown";
	}
}

/* The direction of the same connection the other way, or NULL. */
static const struct tcp_dir_info *
reverse(const struct analysis *a, const struct tcp_dir_info *d)
{
	for (size_t i = 0; i < a->ndirs; i++) {
		const struct tcp_dir_info *r = &a->dirs[i];
		if (r->sport == d->dport && r->dport == d->sport &&
		    mt_addr_eq(&r->src, &d->dst) && mt_addr_eq(&r->dst, &d->src))
			return r;
	}
	return NULL;
}

/* The migration a storage copy starting at t belongs to: the first that
 * starts at or after it (the disk goes first), else the last before. */
static size_t
storage_owner(const struct analysis *a, mt_ns t)
{
	for (size_t k = 0; k < a->nmigs; k++)
		if (a->migs[k].first >= t || t <= a->migs[k].last)
			return k;
	return a->nmigs - 1;
}

void
modes_of(const struct analysis *a, struct migration *m, size_t k)
{
	struct mig_modes *mo = &m->mo;
	int tcp = 0, rpc = 0, tls = 0;

	memset(mo, 0, sizeof(*mo));
	mo->pc_start = mo->pc_last = MT_NS_NONE;
	mo->st_first = mo->st_last = MT_NS_NONE;
	mo->blackout = mo->brownout = MT_NS_NONE;
	for (size_t i = 0; i < a->ndirs; i++) {
		const struct tcp_dir_info *d = &a->dirs[i];

		if (d->migration && modes_in(m, d)) {
			rpc |= d->cls == SC_RPC;
			tls |= d->cls == SC_TLS;
			/* Bytes of nothing known (a preempt channel) say TCP
			 * too; bytes unseen say nothing. */
			tcp |= d->cls == SC_QEVM || d->cls == SC_MULTIFD ||
			    d->cls == SC_OTHER;
			/* A preempt channel's role is told by the main one. */
			mo->guessed += d->by_port &&
			    strcmp(modes_role(a, d), "preempt") != 0;
			if (d->walked)
				mo->volume += d->walk.volume;
		}
		/* Post-copy: page requests on a return path of this span. */
		if (d->cls == SC_RETURN && d->walked &&
		    d->walk.rp_first_req != MT_NS_NONE &&
		    d->walk.rp_first_req >= m->first &&
		    d->walk.rp_first_req <= m->last) {
			mo->postcopy = 1;
			if (mo->pc_start == MT_NS_NONE ||
			    d->walk.rp_first_req < mo->pc_start)
				mo->pc_start = d->walk.rp_first_req;
			if (mo->pc_last == MT_NS_NONE ||
			    d->walk.rp_last_req > mo->pc_last)
				mo->pc_last = d->walk.rp_last_req;
			mo->pc_requests += d->walk.rp[SC_RP_REQ_PAGES] +
			    d->walk.rp[SC_RP_REQ_PAGES_ID];
		}
		/* Storage: the bigger direction of each NBD connection (the
		 * disk's writes; its other direction carries the replies). */
		if (d->cls == SC_NBD && storage_owner(a, d->first_data) == k) {
			const struct tcp_dir_info *r = reverse(a, d);
			if (r != NULL && (r->bytes > d->bytes ||
			    (r->bytes == d->bytes && r < d)))
				continue;
			mo->st_channels++;
			mo->st_bytes += d->bytes;
			if (mo->st_first == MT_NS_NONE || d->first_data < mo->st_first)
				mo->st_first = d->first_data;
			if (mo->st_last == MT_NS_NONE || d->last_data > mo->st_last)
				mo->st_last = d->last_data;
		}
	}
	mo->transport = rpc ? "tunnelled" : tls ? "tls" : tcp ? "tcp" :
	    "unknown";
	for (size_t i = 0; mo->postcopy && i < a->npc; i++)
		if (a->pc[i].start == mo->pc_start)
			mo->pc_bytes_after += a->pc[i].bytes_after;
}

void
modes_outcome(const struct analysis *a, struct migration *m, size_t k)
{
	struct mig_modes *mo = &m->mo;
	mt_ns bound = k + 1 < a->nmigs ? a->migs[k + 1].first : a->last_ts;
	int announced = 0;
	mt_ns past;		/* the stream's end and a probe gap after it */

	/* Completed: the destination announced the guest after the stream
	 * began, or the guest stopped answering at its end (probes lost
	 * there: a TCG guest under load answers late, not never, and an
	 * aborted migration's guest did so in the lab with no probe lost). */
	for (size_t j = 0; j < a->nvm_ann && !announced; j++)
		announced = a->vm_ann[j] > m->first && a->vm_ann[j] <= bound;
	if (announced || (m->gap != NULL && m->gap->lost > 0))
		mo->outcome = "completed";
	else if (a->vm_found && a->er.replies > 0 &&
	    a->er.last_reply != MT_NS_NONE &&
	    !__builtin_add_overflow(m->last, a->er.min_gap, &past) &&
	    a->er.last_reply > past)
		/* The stream stopped, the guest went on answering (from the
		 * source: no announce) past the end: aborted or failed. */
		mo->outcome = "aborted";
	else
		mo->outcome = "unknown";
	if (mo->postcopy && m->gap != NULL && m->announce != MT_NS_NONE) {
		mo->blackout = m->announce - m->gap->start;
		mo->brownout = m->gap->end - m->announce;
	}
}

/* modes_share_add() past the current second (analysis_int.h). */
int
modes_share_add_slow(struct analysis *a, enum share_class c,
    const struct pkt *p)
{
	struct share_bins *sb = &a->share;
	size_t i;

	if (sb->start == MT_NS_NONE)
		sb->start = p->ts - p->ts % SHARE_WIDTH;
	i = p->ts <= sb->start ? 0 :
	    (size_t)(((uint64_t)p->ts - (uint64_t)sb->start) / SHARE_WIDTH);
	if (i >= SHARE_MAX) {
		sb->dropped++;
		return 0;
	}
	if (i >= sb->cap) {
		size_t cap = sb->cap ? sb->cap : 64;
		uint64_t (*nb)[NSHARE];
		while (cap <= i)
			cap *= 2;
		if ((nb = realloc(sb->b, cap * sizeof(*nb))) == NULL)
			return -1;
		memset(nb + sb->cap, 0, (cap - sb->cap) * sizeof(*nb));
		sb->b = nb;
		sb->cap = cap;
	}
	if (i >= sb->n)
		sb->n = i + 1;
	if (p->ts >= sb->start) {
		sb->hot = i;
		sb->hot_lo = sb->start + (mt_ns)i * SHARE_WIDTH;
		sb->hot_hi = sb->hot_lo + SHARE_WIDTH;
	}
	sb->b[i][c] += p->wire_len > 0 ? p->wire_len : (uint64_t)p->ip_len + 14;
	return 0;
}

void
modes_share_of(const struct analysis *a, struct migration *m)
{
	const struct share_bins *sb = &a->share;
	size_t i, j;

	memset(m->share, 0, sizeof(m->share));
	if (sb->n == 0 || m->last < sb->start)
		return;
	i = m->first <= sb->start ? 0 :
	    (size_t)((m->first - sb->start) / SHARE_WIDTH);
	j = (size_t)((m->last - sb->start) / SHARE_WIDTH);
	for (; i <= j && i < sb->n; i++)
		for (int c = 0; c < NSHARE; c++)
			m->share[c] += sb->b[i][c];
}

/* The migration the top-level interruption belongs to, and what the
 * reader must know about how the streams were found. */
void
modes_notes(struct analysis *a)
{
	uint64_t volume = 0;
	unsigned guessed = 0;

	a->main_mig = NULL;
	for (size_t k = 0; k < a->nmigs; k++) {
		const struct migration *m = &a->migs[k];
		if (a->method == INT_ECHO && m->gap != NULL &&
		    m->gap->start == a->int_start)
			a->main_mig = m;
		volume += m->mo.volume;
		guessed += m->mo.guessed;
	}
	if (a->main_mig == NULL && a->nmigs > 0)
		a->main_mig = &a->migs[a->nmigs - 1];
	if (volume > 0)
		analysis_note(a, "%" PRIu64 " bytes of libvirt RPC or TLS "
		    "streams were counted by volume: the capture did not hold "
		    "the message headers there (headers-only?), so their "
		    "framing is counted too", volume);
	if (guessed > 0)
		analysis_note(a, "%u migration stream(s) taken by port alone "
		    "(--mig-ports), a guess: their first bytes were not "
		    "captured or are of nothing known", guessed);
}

int
modes_keep_postcopy(struct analysis *a, const struct tcpflow *tf)
{
	size_t npc;
	const struct tcp_postcopy *pc = tcpflow_postcopy(tf, &npc);

	if (npc == 0)
		return 0;
	if ((a->pc = malloc(npc * sizeof(*pc))) == NULL)
		return -1;
	memcpy(a->pc, pc, npc * sizeof(*pc));
	a->npc = npc;
	return 0;
}
