/*
 * analysis.c: one run, from capture files to measures: the service
 * interruption (echo gaps, or silence, or TCP stalls), the announce, the
 * migration stream and the timeline. Reads the captures once, and a
 * second time only when the VM was not named and the first read's guess
 * of it was wrong (see measure()).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis/analysis.h"
#include "analysis/analysis_int.h"
#include "input/dedup.h"
#include "analysis/progress.h"

void
analysis_opts_init(struct analysis_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->bin = 100 * MT_NS_PER_MS;
	o->readahead = -1;
	o->mig_port_lo = 49152;		/* qemu.conf migration_port_min */
	o->mig_port_hi = 49215;		/* migration_port_max; docs/wire-formats.md */
}

void
analysis_note(struct analysis *a, const char *fmt, ...)
{
	va_list ap;
	char **n;

	n = realloc(a->notes, (a->nnotes + 1) * sizeof(*n));
	if (n == NULL)
		return;
	a->notes = n;
	va_start(ap, fmt);
	if (vasprintf(&a->notes[a->nnotes], fmt, ap) >= 0)
		a->nnotes++;
	va_end(ap);
}

void
analysis_free(struct analysis *a)
{
	if (a == NULL)
		return;
	echo_free(a->echo);
	overlay_free(a->ov);
	timeline_free(a->tl);
	free(a->dirs);
	free(a->migs);
	free(a->pc);
	free(a->share.b);
	free(a->vm_ann);
	free(a->copies);
	clocks_free(a->ck);
	for (size_t i = 0; i < a->nnotes; i++)
		free(a->notes[i]);
	free(a->notes);
	for (int i = 0; i < a->nfiles; i++)
		free(a->inputs[i].path);
	free(a->inputs);
	free(a);
}

/*
 * One read, also when the VM must be found. With no VM address given,
 * the VM is guessed from the first echo reply (from the given MAC, when
 * one was given): the records before it are kept (at most SPEC_KEEP) and
 * measured once the guess is made, so every measure sees the whole
 * capture with the guessed VM. vmfind sees every record as well, and at
 * the end its pick over the whole capture must be the guess: then the
 * measures are what a read with the VM named would give. When it is not
 * (the first host to answer was another one, or no reply came among the
 * first SPEC_KEEP records) measure() says MEASURE_AGAIN, with the pick in
 * a->vm, and the captures are read again.
 */
#define SPEC_KEEP	8192
#define MEASURE_AGAIN	1

/* A record kept until the guess, with its payload's first bytes. */
struct kept {
	struct pkt p;
	uint8_t head[SRC_PAYLOAD_KEEP];
};

/* One read's state. */
struct pass {
	struct tcpflow *tf;
	struct announce *ann;
	/* guessing: every record; else only to learn the MAC */
	struct vmfind *vf;
	int guessing;		/* the VM is to be guessed in this read */
	int started;		/* the measures are set up */
	struct vm_choice guess;	/* what the read started with */
	struct kept *kept;	/* records before the guess */
	size_t nkept;
	mt_ns last_vm;
	int vm_seen;		/* a frame from or to the VM's IP address */
	uint64_t share_src;	/* captures (bit pkt.src) that carried
				 * migration data: the link's share counts */
};

/* Set up the measures that depend on the VM (a->vm, if a->vm_found). */
static int
pass_start(struct analysis *a, struct pass *ps)
{
	struct tcpflow_opts to;

	memset(&to, 0, sizeof(to));
	to.mig_port_lo = a->o.mig_port_lo;
	to.mig_port_hi = a->o.mig_port_hi;
	if (a->vm_found)
		to.vm = a->vm.ip;
	ps->started = 1;
	ps->guess = a->vm;
	if ((ps->tf = tcpflow_new(&to)) == NULL)
		return -1;
	if (a->vm_found && (a->echo = echo_new(&a->vm.ip, a->o.min_gap)) == NULL)
		return -1;
	if (a->vm_found && (a->ov = overlay_new()) == NULL)
		return -1;
	return 0;
}

/* Guess the VM from p, an echo reply (from the given MAC, if any): 1 if
 * guessed, 0 if p says nothing. */
static int
guess_vm(struct analysis *a, const struct pkt *p)
{
	int mac = (p->layers & PKT_L_MAC) && !mt_mac_is_zero(&p->mac_src);

	if (!(p->layers & PKT_L_ECHO) || p->echo != PKT_ECHO_REPLY)
		return 0;
	if (a->o.vm_mac_given && !(mac && mt_mac_eq(&p->mac_src, &a->o.vm_mac)))
		return 0;
	memset(&a->vm, 0, sizeof(a->vm));
	a->vm.ip.family = p->ip_src.family;
	memcpy(a->vm.ip.a, p->ip_src.a, p->ip_src.family == 4 ? 4 : 16);
	if (mac) {
		a->vm.mac = p->mac_src;
		a->vm.have_mac = 1;
	}
	a->vm_found = 1;
	return 1;
}

static int
same_vm(const struct vm_choice *x, const struct vm_choice *y)
{
	return mt_addr_eq(&x->ip, &y->ip) && x->have_mac == y->have_mac &&
	    (!x->have_mac || mt_mac_eq(&x->mac, &y->mac));
}

/* Keep p, a record before the guess. */
static void
keep(struct pass *ps, const struct pkt *p)
{
	struct kept *k = &ps->kept[ps->nkept++];

	k->p = *p;
	/* srcset_next() keeps at most SRC_PAYLOAD_KEEP bytes; checked
	 * anyway, the buffer being mmap'd (no sanitizer redzones). */
	if (k->p.payload_caplen > sizeof(k->head))
		k->p.payload_caplen = sizeof(k->head);
	if (k->p.payload_caplen > 0) {
		memcpy(k->head, p->payload, k->p.payload_caplen);
		k->p.payload = k->head;
	} else
		k->p.payload = NULL;
}

static int
is_vm_frame(const struct analysis *a, const struct pkt *p)
{
	if ((p->layers & PKT_L_IP) && mt_addr_eq(&p->ip_src, &a->vm.ip))
		return 1;
	return a->vm.have_mac && (p->layers & PKT_L_MAC) &&
	    mt_mac_eq(&p->mac_src, &a->vm.mac);
}

/* A frame sent to the VM (unicast: its address or its MAC). */
static int
is_to_vm(const struct analysis *a, const struct pkt *p)
{
	if ((p->layers & PKT_L_IP) && mt_addr_eq(&p->ip_dst, &a->vm.ip))
		return 1;
	return a->vm.have_mac && (p->layers & PKT_L_MAC) &&
	    mt_mac_eq(&p->mac_dst, &a->vm.mac);
}

/* --vni: p came out of a tunnel with that VNI, GRE key or session. */
static int
in_vni(const struct analysis *a, const struct pkt *p)
{
	return (p->layers & PKT_L_VNI) && p->outer.vni == a->o.vni;
}

/*
 * A probe answered: counted in the bin its request was sent in (the
 * guest was running then), and its reply marked late when a newer request
 * to the VM went out before it came back: overtaken by the next probe,
 * slower than the probe interval (the man page, "Timeline"). A reply that
 * matches no request seen goes to the bin it arrived in. 0, or -1 when
 * out of memory.
 */
static int
answered(struct analysis *a, mt_ns reply)
{
	mt_ns req = echo_reply_request_ts(a->echo);

	if (req == MT_NS_NONE || req > reply)
		return timeline_add(a->tl, reply, TL_PROBE_ANSWERED, 1);
	if (timeline_add(a->tl, req, TL_PROBE_ANSWERED, 1) < 0)
		return -1;
	if (a->last_request != MT_NS_NONE && a->last_request > req) {
		a->late_replies++;
		return timeline_add(a->tl, req, TL_LATE_REPLY, 1);
	}
	return 0;
}

/* Keep an announce of the VM for split_migrations(): 0, or -1 when out
 * of memory. */
static int
keep_announce(struct analysis *a, mt_ns ts)
{
	if (a->nvm_ann == a->cap_vm_ann) {
		size_t cap = a->cap_vm_ann ? 2 * a->cap_vm_ann : 64;
		mt_ns *n;

		if (a->cap_vm_ann >= ANALYSIS_MAX_ANNOUNCES)
			return 0;	/* the migrations after lack theirs */
		if ((n = realloc(a->vm_ann, cap * sizeof(*n))) == NULL)
			return -1;
		a->vm_ann = n;
		a->cap_vm_ann = cap;
	}
	a->vm_ann[a->nvm_ann++] = ts;
	return 0;
}

/* Every measure of one record: 0, or -1 when out of memory. Inline in
 * both callers: the read loop's is the one that counts. */
static inline __attribute__((always_inline)) int
measure_pkt(struct analysis *a, struct pass *ps, const struct pkt *p)
{
	uint64_t added;
	int mig;

	if (a->packets++ == 0) {
		a->first_ts = p->ts;
		timeline_set_start(a->tl, p->ts);
	}
	a->last_ts = p->ts;
	/*
	 * Without guessing, vf only supplies the VM's MAC after the loop,
	 * and only when the VM was found: once its MAC is known (learned
	 * below from the VM's own frames), vmfind_pick() returns that one,
	 * so feeding vf every frame would be wasted work.
	 */
	if (!ps->guessing && ps->vf != NULL && a->vm_found &&
	    !a->vm.have_mac && vmfind_add(ps->vf, p) < 0)
		return -1;
	if (announce_add(ps->ann, p) < 0)
		return -1;
	if ((mig = tcpflow_add(ps->tf, p, &added)) < 0)
		return -1;
	if (mig && (timeline_add(a->tl, p->ts, TL_STREAM_BYTES, added) < 0 ||
	    timeline_add(a->tl, p->ts, TL_STREAM_FRAME_BYTES,
	    (uint64_t)p->ip_len + 14) < 0))
		return -1;
	if (mig && p->src >= 0 && p->src < 64)
		ps->share_src |= (uint64_t)1 << p->src;
	if (ps->share_src != 0 && p->src >= 0 && p->src < 64 &&
	    (ps->share_src >> p->src & 1) &&
	    modes_share_add(a, tcpflow_last_kind(ps->tf), p) < 0)
		return -1;
	if (a->vm_found) {
		int e = echo_add(a->echo, p), rarp;

		/* The VM's traffic, from or to it: seen at all, and its
		 * span (does it hold the switchover?). */
		if ((p->layers & PKT_L_IP) &&
		    (mt_addr_eq(&p->ip_src, &a->vm.ip) ||
		    mt_addr_eq(&p->ip_dst, &a->vm.ip))) {
			if (!ps->vm_seen)
				a->vm_first = p->ts;
			ps->vm_seen = 1;
			a->vm_last = p->ts;
		}
		struct mt_mac mac;
		if (e < 0 ||
		    (e == ECHO_NEW_REQUEST && (a->last_request = p->ts,
		    timeline_add(a->tl, p->ts, TL_PROBE_SENT, 1)) < 0) ||
		    (e == ECHO_NEW_REPLY && answered(a, p->ts) < 0))
			return -1;
		/* Learn the VM's MAC from its own frames, if not given. */
		if (!a->vm.have_mac && (p->layers & PKT_L_MAC) &&
		    (p->layers & PKT_L_IP) &&
		    mt_addr_eq(&p->ip_src, &a->vm.ip) &&
		    !mt_mac_is_zero(&p->mac_src)) {
			a->vm.mac = p->mac_src;
			a->vm.have_mac = 1;
		}
		if (a->vm.have_mac && announce_frame(p, &mac, &rarp) &&
		    mt_mac_eq(&mac, &a->vm.mac) &&
		    (timeline_add(a->tl, p->ts, TL_ANNOUNCE, 1) < 0 ||
		    keep_announce(a, p->ts) < 0))
			return -1;
		if (__builtin_expect(p->layers & PKT_L_ENCAP, 0)) {
			if (is_vm_frame(a, p))
				overlay_from_vm(a->ov, p);
			else if (is_to_vm(a, p))
				overlay_to_vm(a->ov, p);
		}
		if (is_vm_frame(a, p)) {
			if (a->ck != NULL)
				clocks_vm_frame(a->ck, p);
			if (ps->last_vm != MT_NS_NONE && p->ts - ps->last_vm >
			    a->silence_end - a->silence_start) {
				a->silence_start = ps->last_vm;
				a->silence_end = p->ts;
			}
			ps->last_vm = p->ts;
		}
	}
	return 0;
}

/* The guess made (or given up): set up, then measure the kept records. */
static int
start_and_replay(struct analysis *a, struct pass *ps)
{
	if (pass_start(a, ps) < 0)
		return -1;
	for (size_t i = 0; i < ps->nkept; i++)
		if (measure_pkt(a, ps, &ps->kept[i].p) < 0)
			return -1;
	mt_big_free(ps->kept, SPEC_KEEP * sizeof(*ps->kept));
	ps->kept = NULL;
	ps->nkept = 0;
	return 0;
}

/*
 * Read s once and measure everything. a->vm_found says whether the VM is
 * known; guessing (it is not, and was never looked for): guess it as
 * above. 0, MEASURE_AGAIN, or -1 with errbuf set.
 */
static int
measure(struct analysis *a, struct srcset *s, int guessing, const char *what,
    char *errbuf)
{
	struct pass ps;
	struct progress pr;
	const struct pkt *p;
	struct dedup *dd = NULL;
	uint64_t n = 0;
	int r, nf = srcset_count(s);

	memset(&ps, 0, sizeof(ps));
	ps.guessing = guessing;
	ps.last_vm = MT_NS_NONE;
	ps.ann = announce_new();
	a->tl = timeline_new(a->o.bin);
	a->last_request = MT_NS_NONE;
	a->late_replies = 0;
	if (guessing || !a->vm_found || !a->vm.have_mac)
		ps.vf = vmfind_new();
	if (guessing)
		ps.kept = mt_big_alloc(SPEC_KEEP * sizeof(*ps.kept));
	/* Several files: a frame two capture points share is counted once. */
	if (nf > 1) {
		dd = dedup_new();
		a->copies = calloc((size_t)nf, sizeof(*a->copies));
	}
	if (ps.ann == NULL || a->tl == NULL ||
	    (nf > 1 && (dd == NULL || a->copies == NULL)) ||
	    ((guessing || !a->vm_found || !a->vm.have_mac) && ps.vf == NULL) ||
	    (guessing && ps.kept == NULL) ||
	    (!guessing && pass_start(a, &ps) < 0)) {
		r = -1;
		snprintf(errbuf, MT_ERRBUF_SIZE, "out of memory");
		goto out;
	}
	a->silence_start = a->silence_end = MT_NS_NONE;
	if (a->ck != NULL)
		memset(a->ck->vm_n, 0, sizeof(a->ck->vm_n));
	progress_init(&pr, a->o.progress, what);
	while ((r = srcset_next(s, &p, errbuf)) == 1) {
		if (a->o.vni_given && !in_vni(a, p))
			continue;
		if (dd != NULL) {
			int c = dedup_copy(dd, p);

			if (c < 0)
				goto oom;
			if (c) {
				a->copies[p->src]++;
				continue;
			}
		}
		if (guessing) {
			if (vmfind_add(ps.vf, p) < 0)
				goto oom;
			if (!ps.started) {
				if (!guess_vm(a, p) && ps.nkept < SPEC_KEEP) {
					keep(&ps, p);
					continue;
				}
				if (start_and_replay(a, &ps) < 0)
					goto oom;
			}
		}
		if (measure_pkt(a, &ps, p) < 0)
			goto oom;
		if ((++n & 0xffff) == 0)
			progress_tick(&pr, s);
	}
	progress_end(&pr);
	if (r < 0)
		goto out;
	if (!ps.started && start_and_replay(a, &ps) < 0)
		goto oom;
	r = 0;
	if (guessing) {
		struct vm_choice given, got;
		int found;

		memset(&given, 0, sizeof(given));
		given.mac = a->o.vm_mac;
		given.have_mac = a->o.vm_mac_given;
		found = vmfind_pick(ps.vf, &given, &got) == 0;
		if (found != a->vm_found || (found && !same_vm(&got, &ps.guess))) {
			a->vm = got;
			a->vm_found = found;
			r = MEASURE_AGAIN;
			goto out;
		}
		if (found)
			memcpy(a->vm.reason, got.reason, sizeof(a->vm.reason));
		else
			a->vm = got;	/* why none */
	}
	if (!guessing && a->vm_found && !ps.vm_seen) {
		/* The VM given (--vm, a manifest) is not in the captures: a
		 * typo, or the wrong captures. Say who did answer. */
		char ipbuf[64], list[160];

		snprintf(a->vm.reason, sizeof(a->vm.reason), "%s (%s) is not "
		    "in the captures (no frame from or to it); hosts "
		    "answering echo requests: %s",
		    mt_addr_str(&a->vm.ip, ipbuf, sizeof(ipbuf)),
		    a->o.vm_from != NULL ? "named in the manifest" :
		    "given with --vm", ps.vf != NULL ?
		    vmfind_answering(ps.vf, list, sizeof(list)) : "not known");
		a->vm_found = 0;
		a->vm_given_unseen = 1;
	}
	if (ps.vf != NULL) {
		struct vm_choice given = a->vm, got;
		if (!a->vm_found)
			memset(&given, 0, sizeof(given));
		if (vmfind_pick(ps.vf, &given, &got) == 0 && a->vm_found &&
		    got.have_mac) {
			a->vm.mac = got.mac;
			a->vm.have_mac = 1;
		}
	}
	if (a->vm_found && a->vm.have_mac &&
	    announce_get(ps.ann, &a->vm.mac, &a->ann) == 0)
		a->have_ann = 1;
	if (a->ov != NULL)
		overlay_result(a->ov, &a->ovr);
	if ((a->vm_found && echo_result(a->echo, &a->er) < 0) ||
	    tcpflow_list(ps.tf, &a->dirs, &a->ndirs) < 0)
		goto oom;
	if (modes_keep_postcopy(a, ps.tf) < 0)
		goto oom;
	goto out;
oom:
	progress_end(&pr);
	snprintf(errbuf, MT_ERRBUF_SIZE, "out of memory");
	r = -1;
out:
	mt_big_free(ps.kept, SPEC_KEEP * sizeof(*ps.kept));
	dedup_free(dd);
	vmfind_free(ps.vf);
	tcpflow_free(ps.tf);
	announce_free(ps.ann);
	return r;
}

/*
 * Which reply gap is the migration's interruption. The switchover is where
 * the destination announces the guest (docs/wire-formats.md), so the
 * gap holding the first announce is it. Without an announce inside any
 * gap: the gap that lost the most probes, then the longest. The longest
 * alone is not enough: a TCG guest under load can answer a burst of
 * probes 400 ms late, a longer gap than the real outage but with no probe
 * lost (seen in the lab grid).
 */
static size_t
pick_gap(struct analysis *a)
{
	const struct echo_gap *g = a->er.gaps;
	size_t best = 0;

	if (a->have_ann)
		for (size_t i = 0; i < a->er.ngaps; i++)
			if (g[i].start < a->ann.first && a->ann.first <= g[i].end) {
				a->int_chosen_by = "announce";
				return i;
			}
	for (size_t i = 1; i < a->er.ngaps; i++)
		if (g[i].lost > g[best].lost || (g[i].lost == g[best].lost &&
		    g[i].end - g[i].start > g[best].end - g[best].start))
			best = i;
	a->int_chosen_by = g[best].lost > 0 ? "lost-probes" : "longest";
	return best;
}

/* Bin i of the timeline; an empty one (and *lost set) if unreadable. */
static const struct tbin *
bin_at(const struct analysis *a, size_t i, int *lost)
{
	static const struct tbin none;
	const struct tbin *b = timeline_bin(a->tl, i);

	if (b == NULL) {
		*lost = 1;
		return &none;
	}
	return b;
}

/*
 * What the timeline says of the stream over [first, last], from the bins
 * that overlap it: its peak rate, its frames' bytes (14-byte Ethernet
 * header included) and, with --link, the bins wholly inside it and how
 * many of those ran at 90% of the link or more.
 */
struct span {
	double peak_bps;		/* payload, the busiest bin */
	double wire_peak_bps;		/* Ethernet frames, the busiest bin */
	uint64_t frame_bytes;
	size_t inside, full;
};

static void
span_of(const struct analysis *a, mt_ns first, mt_ns last, struct span *sp,
    int *lost)
{
	size_t nb = timeline_count(a->tl), i = 0;
	mt_ns t0 = timeline_start(a->tl), w = a->o.bin;
	double bin_s = (double)w / 1e9;

	memset(sp, 0, sizeof(*sp));
	if (first > t0)
		i = (size_t)((first - t0) / w);
	for (; i < nb && t0 + (mt_ns)i * w <= last; i++) {
		const struct tbin *b = bin_at(a, i, lost);
		mt_ns bs = t0 + (mt_ns)i * w;
		double bps = (double)b->stream_bytes * 8 / bin_s;

		if (bps > sp->peak_bps)
			sp->peak_bps = bps;
		if ((double)b->stream_frame_bytes * 8 / bin_s > sp->wire_peak_bps)
			sp->wire_peak_bps = (double)b->stream_frame_bytes * 8 /
			    bin_s;
		sp->frame_bytes += b->stream_frame_bytes;
		if (a->o.link_bps <= 0 || bs < first || bs + w > last)
			continue;
		sp->inside++;
		if ((double)b->stream_frame_bytes * 8 / bin_s >=
		    0.9 * a->o.link_bps)
			sp->full++;
	}
}

/* The link's utilisation over [first, last] and whether it was the
 * bottleneck: the stream ran at 90% of the link or more in most of the
 * bins wholly inside the span (the mean decides a span shorter than a
 * bin). */
static void
verdict(const struct analysis *a, const struct span *sp, mt_ns first,
    mt_ns last, double *utilisation, int *bottleneck)
{
	if (last > first)
		*utilisation = (double)sp->frame_bytes * 8 /
		    ((double)(last - first) / 1e9) / a->o.link_bps;
	if (sp->inside > 0)
		*bottleneck = 2 * sp->full > sp->inside;
	else
		*bottleneck = *utilisation >= 0.9;
}

/*
 * The migrations (struct migration): the streams grouped by overlap, each
 * group's figures from its streams and from the timeline bins it spans,
 * and its reply gap. 0, or -1 when out of memory.
 */
static int
split_migrations(struct analysis *a, int *lost)
{
	struct migration *m = NULL;

	/* a->dirs is in order of first data (tcpflow_list). */
	for (size_t i = 0; i < a->ndirs; i++) {
		const struct tcp_dir_info *d = &a->dirs[i];
		if (!d->migration)
			continue;
		if (m == NULL || d->first_data > m->last) {
			struct migration *n = realloc(a->migs,
			    (a->nmigs + 1) * sizeof(*n));
			if (n == NULL)
				return -1;
			a->migs = n;
			m = &a->migs[a->nmigs++];
			memset(m, 0, sizeof(*m));
			m->first = d->first_data;
			m->last = d->last_data;
		}
		m->streams++;
		m->bytes += d->bytes;
		m->retrans += d->retrans;
		if (d->last_data > m->last)
			m->last = d->last_data;
	}
	for (size_t k = 0; k < a->nmigs; k++) {
		struct span sp;
		mt_ns at;

		m = &a->migs[k];
		if (m->last > m->first)
			m->mean_bps = (double)m->bytes * 8 /
			    ((double)(m->last - m->first) / 1e9);
		span_of(a, m->first, m->last, &sp, lost);
		m->peak_bps = sp.peak_bps;
		if (a->o.link_bps > 0)
			verdict(a, &sp, m->first, m->last, &m->utilisation,
			    &m->bottleneck);
		m->full_bins = sp.full;
		m->inside_bins = sp.inside;
		modes_share_of(a, m);
		m->announce = MT_NS_NONE;
		modes_of(a, m, k);
		/* Post-copy: the guest runs on the destination before the
		 * stream ends; its gap holds the first page request. */
		at = m->mo.postcopy ? m->mo.pc_start : m->last;
		if (a->vm_found)
			for (size_t g = 0; g < a->er.ngaps; g++)
				if (a->er.gaps[g].start <= at &&
				    at <= a->er.gaps[g].end) {
					m->gap = &a->er.gaps[g];
					break;
				}
		/* Its announce: the first inside the gap (the destination
		 * announces the guest as it resumes). */
		for (size_t j = 0; m->gap != NULL && j < a->nvm_ann; j++)
			if (a->vm_ann[j] > m->gap->start &&
			    a->vm_ann[j] <= m->gap->end &&
			    (m->announce == MT_NS_NONE || a->vm_ann[j] < m->announce))
				m->announce = a->vm_ann[j];
		modes_outcome(a, m, k);
	}
	return 0;
}

/*
 * Do the captures hold each migration's switchover? The guest is paused
 * just before the stream's last data (docs/probing.md), so the VM's
 * traffic (from or to it: probes and replies) must span that instant,
 * or the interruption cannot be in the capture at all. If not, name the
 * capture that stops short (the latest to end before it) or starts late
 * (the earliest to start after it), and by how much.
 */
static void
coverage(struct analysis *a)
{
	char ipbuf[64];
	size_t n;

	/* A migration that never switched over (cancelled or failed, as
	 * its capture's manifest says) has no switchover to cover. */
	if (!a->vm_found || a->mig_flows == 0 || a->o.no_switchover)
		return;
	for (size_t k = 0; k < (a->nmigs > 0 ? a->nmigs : 1); k++) {
		mt_ns t = a->nmigs > 0 ? a->migs[k].last : a->mig_last;
		const struct src_stats *late = NULL, *early = NULL;
		mt_ns by;

		/* Nor one the packets show aborted (the guest answered on
		 * past the stream's end, no announce). */
		if (a->nmigs > 0 && a->migs[k].mo.outcome != NULL &&
		    strcmp(a->migs[k].mo.outcome, "aborted") == 0)
			continue;
		if (a->vm_first != MT_NS_NONE && a->vm_first <= t &&
		    a->vm_last >= t)
			continue;
		for (int i = 0; i < a->nfiles; i++) {
			const struct src_stats *st = &a->inputs[i].st;

			if (st->packets == 0)
				continue;
			if (st->last_ts < t &&
			    (early == NULL || st->last_ts > early->last_ts))
				early = st;
			if (st->first_ts > t &&
			    (late == NULL || st->first_ts < late->first_ts))
				late = st;
		}
		if (a->vm_first == MT_NS_NONE)
			by = 0;
		else if (a->vm_last < t)
			by = t - a->vm_last;
		else
			by = a->vm_first - t;
		a->not_covered_by = by;
		n = a->nnotes;
		if (early != NULL && (a->vm_first == MT_NS_NONE ||
		    a->vm_last < t))
			analysis_note(a, "%s ends %.3f s before the migration's "
			    "switchover (its last data at %.3f s into the "
			    "captures): the captures do not cover the migration%s",
			    early->path, (double)(t - early->last_ts) / 1e9,
			    (double)(t - a->first_ts) / 1e9, a->nmigs > 1 ?
			    " (one of several)" : "");
		else if (late != NULL)
			analysis_note(a, "%s starts %.3f s after the migration's "
			    "switchover (its last data at %.3f s into the "
			    "captures): the captures do not cover the migration%s",
			    late->path, (double)(late->first_ts - t) / 1e9,
			    (double)(t - a->first_ts) / 1e9, a->nmigs > 1 ?
			    " (one of several)" : "");
		else if (a->vm_last < t)
			/* Every file runs past the stream's end, but the
			 * VM's traffic does not: typically a capture stopped
			 * while the stream was still sending. */
			analysis_note(a, "the traffic of %s ends %.3f s before "
			    "the last data of migration %zu of %zu, and the "
			    "captures %.3f s after it: the captures do not cover "
			    "its switchover", mt_addr_str(&a->vm.ip, ipbuf,
			    sizeof(ipbuf)), (double)by / 1e9, k + 1,
			    a->nmigs > 0 ? a->nmigs : 1,
			    (double)(a->last_ts - t) / 1e9);
		else
			analysis_note(a, "the traffic of %s starts %.3f s after "
			    "the last data of migration %zu of %zu: the captures "
			    "do not cover its switchover", mt_addr_str(&a->vm.ip,
			    ipbuf, sizeof(ipbuf)), (double)by / 1e9, k + 1,
			    a->nmigs > 0 ? a->nmigs : 1);
		a->not_covered = a->nnotes > n ? a->notes[n] :
		    "the captures do not cover the migration";
		return;
	}
}

/* From the measures to the numbers the report gives. */
static void
summarise(struct analysis *a)
{
	int lost = 0;
	char buf[64];

	/* The interruption: echo gaps first, then silence, then TCP stalls. */
	a->method = INT_NONE;
	if (a->vm_found && a->er.replies > 0 && a->er.ngaps > 0) {
		const struct echo_gap *g = &a->er.gaps[pick_gap(a)];
		a->method = INT_ECHO;
		a->int_start = g->start;
		a->int_end = g->end;
		a->int_lost = g->lost;
	} else if (a->vm_found && a->er.replies > 0) {
		/* Said below, once coverage is known: "every probe" only
		 * when none was lost and the switchover is in the capture. */
	} else if (a->vm_found && a->silence_start != MT_NS_NONE) {
		a->method = INT_SILENCE;
		a->int_start = a->silence_start;
		a->int_end = a->silence_end;
		analysis_note(a, "no echo probes to the VM in the capture: the "
		    "interruption is its longest silence (no frame from %s)",
		    mt_addr_str(&a->vm.ip, buf, sizeof(buf)));
	}
	if (a->vm_found && a->er.duplicates + a->er.reply_duplicates > 0)
		analysis_note(a, "%llu probe requests and %llu replies were seen "
		    "twice (one link captured at two places?); each counted once",
		    (unsigned long long)a->er.duplicates,
		    (unsigned long long)a->er.reply_duplicates);
	for (size_t i = 0; i < a->ndirs; i++) {
		const struct tcp_dir_info *d = &a->dirs[i];
		if (!d->involves_vm || d->stall_start == MT_NS_NONE)
			continue;
		if (a->stall == NULL || d->stall_end - d->stall_start >
		    a->stall->stall_end - a->stall->stall_start)
			a->stall = d;
	}
	if (a->method == INT_NONE && a->stall != NULL) {
		a->method = INT_TCP_STALL;
		a->int_start = a->stall->stall_start;
		a->int_end = a->stall->stall_end;
	}

	/* The migration stream: every direction marked as one. */
	a->mig_first = a->mig_last = MT_NS_NONE;
	for (size_t i = 0; i < a->ndirs; i++) {
		const struct tcp_dir_info *d = &a->dirs[i];
		if (!d->migration)
			continue;
		a->mig_flows++;
		a->mig_bytes += d->bytes;
		a->mig_retrans += d->retrans;
		a->mig_zero_windows += d->zero_windows;
		if (a->mig_first == MT_NS_NONE || d->first_data < a->mig_first)
			a->mig_first = d->first_data;
		if (a->mig_last == MT_NS_NONE || d->last_data > a->mig_last)
			a->mig_last = d->last_data;
	}
	if (a->mig_flows > 0 && a->mig_last > a->mig_first)
		a->mig_mean_bps = (double)a->mig_bytes * 8 /
		    ((double)(a->mig_last - a->mig_first) / 1e9);
	if (a->mig_flows > 0) {
		struct span sp;
		span_of(a, a->mig_first, a->mig_last, &sp, &lost);
		a->mig_peak_bps = sp.peak_bps;
		a->mig_wire_peak_bps = sp.wire_peak_bps;
		if (a->mig_last > a->mig_first)
			a->mig_wire_mean_bps = (double)sp.frame_bytes * 8 /
			    ((double)(a->mig_last - a->mig_first) / 1e9);
		if (a->o.link_bps > 0) {
			verdict(a, &sp, a->mig_first, a->mig_last,
			    &a->utilisation, &a->bottleneck);
			a->full_bins = sp.full;
			a->inside_bins = sp.inside;
		}
	}
	if (split_migrations(a, &lost) < 0)
		analysis_note(a, "out of memory: no per-migration figures");
	else if (a->nmigs > 1)
		analysis_note(a, "%zu migrations in the capture: the migration "
		    "stream's duration, mean throughput, utilisation and "
		    "bottleneck span all of them, the service interruption is "
		    "one of them; each one's are under Migrations (JSON: "
		    "migrations)", a->nmigs);
	modes_notes(a);
	if (lost)
		analysis_note(a, "part of the timeline could not be read back "
		    "from its temporary file (%s): the peak throughput and the "
		    "link utilisation leave it out", strerror(errno));
	if (timeline_dropped(a->tl) > 0)
		analysis_note(a, "%" PRIu64 " event(s) more than %zu bins "
		    "after the first packet left out of the timeline (a "
		    "timestamp far off? or widen --bin)",
		    timeline_dropped(a->tl), (size_t)TIMELINE_MAX_BINS);
	if (a->mig_flows == 0)
		analysis_note(a, "no migration stream: no TCP flow begins with "
		    "QEMU's magic \"QEVM\" or uses ports %u-%u (--mig-ports)",
		    a->o.mig_port_lo, a->o.mig_port_hi);
	coverage(a);
	if (a->method == INT_NONE && a->vm_found && a->er.replies > 0) {
		if (a->er.lost > 0)
			analysis_note(a, "no gap in the VM's echo replies is "
			    "longer than %.3f ms (--min-gap), yet %llu probe(s) "
			    "were never answered: lower --min-gap to see where",
			    (double)a->er.min_gap / 1e6,
			    (unsigned long long)a->er.lost);
		else if (a->not_covered == NULL)
			analysis_note(a, "the VM answered every probe: no gap "
			    "longer than %.3f ms in its echo replies",
			    (double)a->er.min_gap / 1e6);
	}
}

static struct analysis *
run(const struct analysis_opts *o, const struct run_input *in, char *errbuf)
{
	struct analysis *a = calloc(1, sizeof(*a));
	struct srcset *s = NULL;
	char *const *files = in->files;
	int nfiles = in->nfiles, guessing = 0, r;

	if (a == NULL) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "out of memory");
		return NULL;
	}
	a->o = *o;
	a->first_ts = a->last_ts = MT_NS_NONE;
	a->vm_first = a->vm_last = MT_NS_NONE;
	a->share.start = MT_NS_NONE;
	if (o->vm_ip.family != 0) {
		a->vm_found = 1;
		a->vm.ip = o->vm_ip;
		a->vm.mac = o->vm_mac;
		a->vm.have_mac = o->vm_mac_given;
		if (o->vm_from != NULL)
			snprintf(a->vm.reason, sizeof(a->vm.reason), "named in "
			    "%.200s", o->vm_from);
		else
			snprintf(a->vm.reason, sizeof(a->vm.reason),
			    "given with --vm");
	} else
		guessing = 1;
	pkt_vxlan_port(o->vxlan_port);
	if (in->data == NULL && clk_spec_used(o->clocks) &&
	    (a->ck = clocks_prepare(o->clocks, files, nfiles, errbuf)) == NULL)
		goto fail;
	if ((s = analysis_open(o, in, a->ck, errbuf)) == NULL)
		goto fail;
	r = measure(a, s, guessing, "reading", errbuf);
	if (r == MEASURE_AGAIN) {
		/* The guess was wrong: again, with the VM found, quietly (the
		 * first read said what there was to say about the files). */
		struct analysis_opts quiet = *o;
		struct analysis *b;
		const char *pipe = analysis_read_once(s, nfiles);

		if (pipe != NULL) {
			snprintf(errbuf, MT_ERRBUF_SIZE, "%s: a pipe is read "
			    "only once, and one read did not tell the VM (it "
			    "is not the first host to answer an echo request "
			    "in the first %d packets): name it with --vm",
			    pipe, SPEC_KEEP);
			goto fail;
		}
		srcset_free(s);
		s = NULL;
		if ((b = calloc(1, sizeof(*b))) == NULL) {
			snprintf(errbuf, MT_ERRBUF_SIZE, "out of memory");
			goto fail;
		}
		b->o = *o;
		b->first_ts = b->last_ts = MT_NS_NONE;
		b->vm_first = b->vm_last = MT_NS_NONE;
		b->share.start = MT_NS_NONE;
		b->vm = a->vm;
		b->vm_found = a->vm_found;
		b->ck = a->ck;
		a->ck = NULL;
		analysis_free(a);
		a = b;
		quiet.warn = NULL;
		if ((s = analysis_open(&quiet, in, a->ck, errbuf)) == NULL)
			goto fail;
		r = measure(a, s, 0, "reading again", errbuf);
	}
	if (r < 0)
		goto fail;
	a->inputs = calloc((size_t)nfiles, sizeof(*a->inputs));
	if (a->inputs == NULL) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "out of memory");
		goto fail;
	}
	a->nfiles = nfiles;
	for (int i = 0; i < nfiles; i++) {
		a->inputs[i].st = *srcset_stats(s, i);
		a->inputs[i].path = strdup(files[i]);
		a->inputs[i].st.path = a->inputs[i].path;
		if (a->inputs[i].st.backwards > 0)
			analysis_note(a, "%s: %" PRIu64 " record(s) stamped "
			    "earlier than the record before; the measures "
			    "assume time order, so those near them may be wrong "
			    "(sort the file by time, e.g. with reordercap)",
			    files[i], a->inputs[i].st.backwards);
		if (a->inputs[i].st.damaged)
			analysis_note(a, "%s is damaged: only the packets before "
			    "the damage were read", files[i]);
		if (a->inputs[i].st.tunnels_bad > 0)
			analysis_note(a, "%s: %" PRIu64 " frame(s) with a tunnel "
			    "header (VXLAN, Geneve, GRE, ERSPAN) cut short or "
			    "malformed, or tunnels nested more than %d deep: "
			    "what they carry was not measured", files[i],
			    a->inputs[i].st.tunnels_bad, PKT_TUNNEL_MAX);
	}
	srcset_free(s);
	summarise(a);
	clocks_summarise(a);
	return a;
fail:
	srcset_free(s);
	analysis_free(a);
	return NULL;
}

struct analysis *
analysis_run(const struct analysis_opts *o, char *const *files, int nfiles,
    char *errbuf)
{
	struct run_input in = { .files = files, .nfiles = nfiles };

	return run(o, &in, errbuf);
}

struct analysis *
analysis_run_mem(const struct analysis_opts *o, const char *name,
    const uint8_t *data, size_t size, char *errbuf)
{
	char *names[1] = { (char *)(uintptr_t)name };
	/* fmemopen() of 0 bytes: any non-NULL pointer reads as empty. */
	struct run_input in = { .files = names, .nfiles = 1,
	    .data = data != NULL ? data : (const uint8_t *)"", .size = size };

	return run(o, &in, errbuf);
}

const char *
analysis_not_covered(const struct analysis *a)
{
	return a->not_covered;
}

int
analysis_status(const struct analysis *a)
{
	if (!a->vm_found)
		return MT_EXIT_NO_VM;
	if (a->mig_flows == 0)
		return MT_EXIT_NO_STREAM;
	if (a->not_covered != NULL)
		return MT_EXIT_NOT_COVERED;
	return 0;
}
