/*
 * summarise.c: after the read, from the measures to the numbers the
 * report gives: which reply gap is the interruption, the migrations in
 * the captures and each one's figures and verdicts, and whether the
 * captures cover each switchover (analysis.c reads; this decides).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "analysis/analysis_int.h"

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
void
analysis_summarise(struct analysis *a)
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

