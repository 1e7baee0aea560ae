/*
 * explain.c: decomposition of the service interruption, crosschecks of
 * the capture against libvirt, and the pre-copy model for one run
 * (docs/libvirt-jobstats.md, docs/precopy-model.md, docs/probing.md).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/explain.h"

#define KNOWN(x) (!isnan(x))

void
explain_in_init(struct explain_in *in)
{
	memset(in, 0, sizeof(*in));
	in->last_reply_before_ns = MT_NS_NONE;
	in->first_reply_after_ns = MT_NS_NONE;
	in->announce_first_ns = MT_NS_NONE;
	in->interruption_s = in->probe_interval_s = NAN;
	in->stream_bytes = in->stream_duration_s = NAN;
	in->stream_mean_bps = in->link_bps = NAN;
	in->downtime_s = in->time_elapsed_s = in->setup_s = NAN;
	in->memory_total = in->memory_processed = in->memory_bps = NAN;
	in->memory_constant = in->page_size = in->dirty_rate = NAN;
	in->iterations = NAN;
	in->limit_s = MODEL_DEFAULT_LIMIT_S;
	in->what_if_bps = 0;
	in->tol_bytes = EXPLAIN_TOL_BYTES;
	in->tol_rate = EXPLAIN_TOL_RATE;
	in->tol_duration = EXPLAIN_TOL_DURATION;
}

const char *
explain_part_name(enum explain_part p)
{
	switch (p) {
	case EXPLAIN_PAUSED:
		return "paused";
	case EXPLAIN_CONVERGENCE:
		return "convergence";
	case EXPLAIN_RESOLUTION:
		return "resolution";
	case EXPLAIN_NONE:
		break;
	}
	return NULL;
}

/*
 * The interruption seen on the network, split in three:
 *   paused      libvirt's downtime, guest CPUs stopped;
 *   convergence from the first RARP announce (the destination resumes
 *               the guest, docs/wire-formats.md) to the first reply;
 *   resolution  the rest: the outage began somewhere between the last
 *               answered probe and the pause, so 0 <= rest <= one probe
 *               interval. The rest can also be a little negative:
 *               QEMU announces (RARP) as soon as the incoming migration
 *               completes, while libvirt (which starts the destination
 *               paused, -S) resumes the guest with 'cont' a little later,
 *               and libvirt's downtime ends only then; so paused and
 *               convergence overlap (seen in the lab: -4.7 ms with both
 *               nodes on one clock, more under CPU load). A rest beyond
 *               one probe interval either way means the clocks (libvirt's
 *               downtime comes from two hosts' wall clocks) or the
 *               captures disagree.
 */
static void
explain_decompose(const struct explain_in *in, struct explain_decomp *d)
{
	double parts[4];

	memset(d, 0, sizeof(*d));
	d->interruption_s = in->interruption_s;
	if (!KNOWN(d->interruption_s) &&
	    in->last_reply_before_ns != MT_NS_NONE &&
	    in->first_reply_after_ns != MT_NS_NONE)
		d->interruption_s = (double)(in->first_reply_after_ns -
		    in->last_reply_before_ns) / 1e9;
	d->probe_interval_s = in->probe_interval_s;
	d->paused_s = in->downtime_s;
	d->convergence_s = NAN;
	if (in->announce_first_ns != MT_NS_NONE &&
	    in->first_reply_after_ns != MT_NS_NONE)
		d->convergence_s = (double)(in->first_reply_after_ns -
		    in->announce_first_ns) / 1e9;
	d->resolution_s = d->interruption_s - d->paused_s - d->convergence_s;

	parts[EXPLAIN_PAUSED] = d->paused_s;
	parts[EXPLAIN_CONVERGENCE] = d->convergence_s;
	parts[EXPLAIN_RESOLUTION] = d->resolution_s;
	d->dominant = EXPLAIN_NONE;
	for (int p = EXPLAIN_PAUSED; p <= EXPLAIN_RESOLUTION; p++)
		if (KNOWN(parts[p]) && parts[p] > 0 &&
		    (d->dominant == EXPLAIN_NONE || parts[p] > parts[d->dominant]))
			d->dominant = (enum explain_part)p;

	if (KNOWN(d->convergence_s) && d->convergence_s < 0)
		snprintf(d->finding, sizeof(d->finding), "the first announce "
		    "came %.1f ms after the first reply: the announce belongs "
		    "to another event, or the captures' clocks disagree",
		    -d->convergence_s * 1e3);
	if (!KNOWN(d->resolution_s) || !KNOWN(d->probe_interval_s))
		return;
	d->rest_checked = 1;
	d->rest_ok = d->resolution_s >= -d->probe_interval_s - EXPLAIN_MS_SLACK_S &&
	    d->resolution_s <= d->probe_interval_s + EXPLAIN_MS_SLACK_S;
	if (d->rest_ok || d->finding[0] != '\0')
		return;
	if (d->resolution_s < 0)
		snprintf(d->finding, sizeof(d->finding), "the parts add up to "
		    "%.1f ms more than the interruption: libvirt's downtime "
		    "(measured across two hosts' wall clocks) is longer than "
		    "the network saw: clock skew between the hosts, libvirt "
		    "resuming the guest late on a loaded destination, or job "
		    "statistics of another migration", -d->resolution_s * 1e3);
	else
		snprintf(d->finding, sizeof(d->finding), "%.1f ms of the "
		    "interruption is unexplained, more than one probe interval "
		    "(%.1f ms): clock skew between the hosts, job statistics "
		    "of another migration, or a stall after the guest resumed",
		    d->resolution_s * 1e3, d->probe_interval_s * 1e3);
}

static void
explain_check(struct explain_check *c, const char *name, double capture,
    double libvirt, double tol)
{
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->capture = capture;
	c->libvirt = libvirt;
	c->tolerance = tol;
	c->rel_diff = NAN;
	if (!KNOWN(capture) || !KNOWN(libvirt) || libvirt <= 0)
		return;
	c->checked = 1;
	c->rel_diff = (capture - libvirt) / libvirt;
	c->ok = fabs(c->rel_diff) <= tol;
}

static void
explain_crosscheck(const struct explain_in *in, struct explain_check *ck)
{
	struct explain_check *c;
	double pct;

	explain_check(&ck[EXPLAIN_CK_BYTES], "bytes", in->stream_bytes,
	    in->memory_processed, in->tol_bytes);
	explain_check(&ck[EXPLAIN_CK_RATE], "throughput", in->stream_mean_bps,
	    in->memory_bps * 8, in->tol_rate);
	explain_check(&ck[EXPLAIN_CK_DURATION], "duration",
	    in->stream_duration_s, in->time_elapsed_s, in->tol_duration);

	c = &ck[EXPLAIN_CK_BYTES];
	pct = fabs(c->rel_diff) * 100;
	if (c->checked && !c->ok)
		snprintf(c->finding, sizeof(c->finding), c->rel_diff < 0 ?
		    "the capture saw %.1f%% fewer stream bytes than libvirt "
		    "sent: it missed part of the stream (capture drops, a wrong "
		    "interface, multifd flows outside --mig-ports) or the job "
		    "statistics belong to another migration" :
		    "the capture counted %.1f%% more stream bytes than libvirt "
		    "sent: other traffic on the migration ports, or job "
		    "statistics of another (smaller) migration", pct);
	c = &ck[EXPLAIN_CK_RATE];
	pct = fabs(c->rel_diff) * 100;
	if (c->checked && !c->ok)
		snprintf(c->finding, sizeof(c->finding), "the stream's mean "
		    "throughput is %.1f%% %s than libvirt's memory_bps: the "
		    "capture saw only part of the stream, its timestamps are "
		    "off, or the statistics belong to another migration", pct,
		    c->rel_diff < 0 ? "lower" : "higher");
	c = &ck[EXPLAIN_CK_DURATION];
	pct = fabs(c->rel_diff) * 100;
	if (c->checked && !c->ok)
		snprintf(c->finding, sizeof(c->finding), c->rel_diff > 0 ?
		    "the stream lasted %.1f%% longer than libvirt's whole job: "
		    "impossible on one clock: clock skew between the hosts "
		    "(time_elapsed spans both), or statistics of another "
		    "migration" :
		    "the stream lasted %.1f%% less than libvirt's job, more "
		    "than setup and handover explain: clock skew between the "
		    "hosts, a capture that started late or stopped early, or "
		    "statistics of another migration", pct);
}

/*
 * The model fed with this run's numbers. The choices:
 *  V  the first pass in stream bytes, from libvirt's page counts
 *     (model_first_pass_bytes): non-zero pages in full, zero pages as
 *     9-byte markers. memory_total would count every zero page at 4 KiB
 *     and predict the job of tests/jobstats/domjobinfo.txt at 22.7 s instead of 8.7 s.
 *     Without page counts: memory_total (said so), without job
 *     statistics: the capture's stream bytes.
 *  M  memory_total: what QEMU counts as pending before pass 0 (model.h).
 *  R  the stream's measured mean throughput (what the link delivered to
 *     this migration), else libvirt's memory_bps, else --link x TCP's
 *     payload share.
 *  D  memory_dirty_rate x page size (docs/precopy-model.md); 0 if
 *     unknown (said in the note).
 * Measured time: libvirt's time_elapsed (the whole job, what a user calls
 * the migration time), else the stream's duration.
 * What-if: the same V, M, D at the new rate; the stream gets the share
 * of the new link it got of the measured one (TCP's payload share when
 * the measured link is unknown); and the part of the measured time and
 * downtime the model does not explain (libvirt's prepare and finish,
 * device state, resuming the guest) is carried over unchanged, because
 * it does not depend on the link.
 */
static void
explain_model(const struct explain_in *in, struct explain_model *m)
{
	double v = NAN, r = NAN, d = 0;
	size_t nl;

	memset(m, 0, sizeof(*m));
	m->measured_time_s = m->measured_downtime_s = NAN;
	m->time_rel_diff = m->downtime_diff_s = NAN;
	m->wi_link_bps = m->wi_rate_Bps = m->wi_efficiency = NAN;
	m->wi_fixed_time_s = m->wi_fixed_downtime_s = NAN;
	m->wi_time_s = m->wi_downtime_s = NAN;
	m->measured_interruption_s = m->wi_fixed_interruption_s = NAN;
	m->wi_interruption_s = NAN;

	/* No switchover, no downtime: nothing for the model to predict;
	 * nor for post-copy, which it does not describe. */
	if (in->aborted || in->postcopy) {
		snprintf(m->note, sizeof(m->note), "not run: %s", in->aborted ?
		    "the migration was aborted (its stream stopped without a "
		    "switchover), so there is no downtime to predict; the "
		    "stream's partial measures are above" :
		    "a post-copy migration (the guest left the source before "
		    "its memory did: the pre-copy model's downtime does not "
		    "apply; the blackout and brownout are above)");
		return;
	}
	/* V: see model_first_pass_bytes() for why not memory_total. */
	if (KNOWN(in->memory_total) && KNOWN(in->memory_constant) &&
	    KNOWN(in->page_size) && in->page_size > 0 &&
	    KNOWN(v = model_first_pass_bytes((uint64_t)in->memory_total,
	    (uint64_t)in->memory_constant, (uint64_t)in->page_size))) {
		m->v_source = "non-zero pages in full + zero-page markers "
		    "(libvirt memory_total, memory_constant, page_size)";
	} else if (KNOWN(in->memory_total)) {
		v = in->memory_total;
		m->v_source = "libvirt memory_total (zero pages unknown: "
		    "overestimates a guest that uses little of its memory)";
	} else if (KNOWN(in->stream_bytes)) {
		v = in->stream_bytes;
		m->v_source = "capture stream bytes (no job statistics)";
	}
	/* R: the rate the stream really achieved, measured on the wire. */
	if (KNOWN(in->stream_mean_bps) && in->stream_mean_bps > 0) {
		r = in->stream_mean_bps / 8;
		m->r_source = "capture mean stream throughput";
	} else if (KNOWN(in->memory_bps) && in->memory_bps > 0) {
		r = in->memory_bps;
		m->r_source = "libvirt memory_bps";
	} else if (KNOWN(in->link_bps) && in->link_bps > 0) {
		r = in->link_bps / 8 * EXPLAIN_TCP_EFFICIENCY;
		m->r_source = "--link rate x TCP payload efficiency";
	}
	if (!KNOWN(v) || !KNOWN(r)) {
		snprintf(m->note, sizeof(m->note), "no model: %s unknown (needs "
		    "job statistics or a measured migration stream)",
		    !KNOWN(v) ? "memory to send" : "link rate");
		return;
	}
	/* D = pages/s x page size (docs/precopy-model.md). */
	if (KNOWN(in->dirty_rate) && KNOWN(in->page_size))
		d = in->dirty_rate * in->page_size;
	else
		snprintf(m->note, sizeof(m->note), "dirty rate unknown, "
		    "assumed 0; ");

	m->in.v_bytes = v;
	/* QEMU's pending bytes before the first pass (model.h). */
	m->in.mem_bytes = KNOWN(in->memory_total) ? in->memory_total : 0;
	m->in.rate_Bps = r;
	m->in.dirty_Bps = d;
	m->in.limit_s = in->limit_s > 0 ? in->limit_s : MODEL_DEFAULT_LIMIT_S;
	m->in.setup_s = KNOWN(in->setup_s) ? in->setup_s : 0;
	m->in.fixed_downtime_s = 0;
	if (model_precopy(&m->in, &m->out) < 0) {
		nl = strlen(m->note);
		snprintf(m->note + nl, sizeof(m->note) - nl, "no model: inputs "
		    "out of range");
		return;
	}
	m->run = 1;
	m->measured_time_s = KNOWN(in->time_elapsed_s) ? in->time_elapsed_s :
	    in->stream_duration_s;
	m->measured_downtime_s = in->downtime_s;
	if (m->out.converges) {
		if (KNOWN(m->measured_time_s) && m->measured_time_s > 0)
			m->time_rel_diff = (m->out.total_s -
			    m->measured_time_s) / m->measured_time_s;
		m->downtime_diff_s = m->measured_downtime_s -
		    m->out.downtime_s;
	} else {
		nl = strlen(m->note);
		snprintf(m->note + nl, sizeof(m->note) - nl, "does not "
		    "converge: the guest dirties memory at %.2f x the link "
		    "rate (needs auto-converge, a larger downtime limit, "
		    "post-copy or a forced pause)", m->out.lambda);
	}

	if (!(in->what_if_bps > 0))
		return;
	m->what_if = 1;
	m->wi_link_bps = in->what_if_bps;
	/*
	 * The stream reaches the same share of the new link as of the
	 * measured one when that is known; else TCP's payload share.
	 */
	if (KNOWN(in->stream_mean_bps) && KNOWN(in->link_bps) &&
	    in->link_bps > 0 && in->stream_mean_bps > 0)
		m->wi_efficiency = fmin(1.0, in->stream_mean_bps / in->link_bps);
	else
		m->wi_efficiency = EXPLAIN_TCP_EFFICIENCY;
	m->wi_rate_Bps = in->what_if_bps / 8 * m->wi_efficiency;
	/*
	 * What the model does not explain in the measured run (libvirt's
	 * prepare and finish, device state, resuming the guest) does not
	 * depend on the link: carry it over, never negative.
	 */
	m->wi_fixed_time_s = 0;
	m->wi_fixed_downtime_s = 0;
	if (m->out.converges && KNOWN(m->measured_time_s))
		m->wi_fixed_time_s = fmax(0, m->measured_time_s -
		    m->out.total_s);
	if (m->out.converges && KNOWN(m->measured_downtime_s))
		m->wi_fixed_downtime_s = fmax(0, m->measured_downtime_s -
		    m->out.downtime_s);
	/*
	 * The interruption the probes saw: beyond the pause, the announce
	 * and the network catching up, and the probes' own resolution; none
	 * of it depends on the link, so it is carried over the same way.
	 */
	m->measured_interruption_s = in->interruption_s;
	m->wi_calibrated = m->out.converges &&
	    (!KNOWN(m->measured_time_s) ||
	    m->measured_time_s >= m->out.total_s) &&
	    (!KNOWN(m->measured_downtime_s) ||
	    m->measured_downtime_s >= m->out.downtime_s);
	if (m->out.converges && KNOWN(in->interruption_s)) {
		m->wi_fixed_interruption_s = fmax(0, in->interruption_s -
		    m->out.downtime_s);
		if (in->interruption_s < m->out.downtime_s)
			m->wi_calibrated = 0;
	}
	{
		struct model_in wi = m->in;

		wi.rate_Bps = m->wi_rate_Bps;
		if (model_precopy(&wi, &m->wi) < 0) {
			m->what_if = 0;
			return;
		}
	}
	if (m->wi.converges) {
		m->wi_time_s = m->wi.total_s + m->wi_fixed_time_s;
		m->wi_downtime_s = m->wi.downtime_s + m->wi_fixed_downtime_s;
		if (KNOWN(m->wi_fixed_interruption_s))
			m->wi_interruption_s = m->wi.downtime_s +
			    m->wi_fixed_interruption_s;
	}
}

void
explain_run(const struct explain_in *in, struct explain_result *r)
{
	memset(r, 0, sizeof(*r));
	explain_decompose(in, &r->dec);
	explain_crosscheck(in, r->ck);
	explain_model(in, &r->model);
}
