/*
 * clocks.c: the analysis on one clock when several hosts stamped the
 * captures: each file's offset measured before the read
 * (lib/input/clock.h) and applied as the files are merged, and after the
 * read the VM's frames as the source and destination hosts gave them,
 * and the notes on what the clocks' uncertainty means for the measures.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis_int.h"

struct analysis_clocks *
clocks_prepare(const struct clk_spec *spec, char *const *files, int nfiles,
    char *errbuf)
{
	struct analysis_clocks *ck = calloc(1, sizeof(*ck));

	if (ck == NULL) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "out of memory");
		return NULL;
	}
	if (clk_plan(spec, files, nfiles, &ck->plan, errbuf) < 0) {
		free(ck);
		return NULL;
	}
	if ((ck->res = calloc((size_t)(nfiles > 0 ? nfiles : 1),
	    sizeof(*ck->res))) == NULL) {
		snprintf(errbuf, MT_ERRBUF_SIZE, "out of memory");
		clocks_free(ck);
		return NULL;
	}
	if (clk_estimate(&ck->plan, files, nfiles, ck->res, errbuf) < 0) {
		clocks_free(ck);
		return NULL;
	}
	ck->src_host = ck->dst_host = -1;
	ck->src_last = ck->dst_first = MT_NS_NONE;
	return ck;
}

int
clocks_apply(const struct analysis_clocks *ck, struct srcset *s, char *errbuf)
{
	for (int i = 0; i < srcset_count(s); i++) {
		const struct clk_result *r = &ck->res[i];

		if ((r->offset != 0 || r->drift != 0) &&
		    srcset_set_clock(s, i, r->offset, r->drift, r->t0, errbuf) < 0)
			return -1;
	}
	return 0;
}

void
clocks_free(struct analysis_clocks *ck)
{
	if (ck == NULL)
		return;
	clk_plan_free(&ck->plan);
	free(ck->res);
	free(ck);
}

/*
 * Which hosts the VM left and arrived at: of the hosts whose capture
 * points gave at least a tenth of the VM's frames first (a frame seen at
 * several points is kept where it was seen first, nearest its sender),
 * the one whose first such frame came earliest is the source, the one
 * whose last came latest the destination.
 */
static void
roles(struct analysis *a)
{
	struct analysis_clocks *ck = a->ck;
	uint64_t all = 0;
	int src = -1, dst = -1;

	for (int h = 0; h < ck->plan.nhosts; h++)
		all += ck->vm_n[h];
	for (int h = 0; h < ck->plan.nhosts; h++) {
		if (ck->vm_n[h] == 0 || ck->vm_n[h] * 10 < all)
			continue;
		if (src < 0 || ck->vm_first[h] < ck->vm_first[src])
			src = h;
		if (dst < 0 || ck->vm_last[h] > ck->vm_last[dst])
			dst = h;
	}
	if (src < 0 || src == dst)
		return;
	if (a->nmigs > 1) {
		analysis_note(a, "%zu migrations: the VM's last frame leaving "
		    "the source host and first leaving the destination are "
		    "given for one migration only", a->nmigs);
		return;
	}
	ck->src_host = src;
	ck->dst_host = dst;
	ck->src_last = ck->vm_last[src];
	ck->dst_first = ck->vm_first[dst];
}

void
clocks_summarise(struct analysis *a)
{
	struct analysis_clocks *ck = a->ck;
	mt_ns worst = 0, shortest = MT_NS_NONE;
	const char *what = NULL, *wfile = NULL;

	if (ck == NULL)
		return;
	if (a->vm_found)
		roles(a);
	for (int i = 0; i < a->nfiles; i++) {
		const struct clk_result *r = &ck->res[i];

		if (r->how == CLK_UNKNOWN)
			analysis_note(a, "%s (host %s) shares no frame with the "
			    "reference host %s or a host joined to it: its clock "
			    "offset is unknown and its times are its own clock's",
			    a->inputs[i].path, ck->plan.name[ck->plan.host_of[i]],
			    ck->plan.name[ck->plan.ref]);
		if (r->how == CLK_ESTIMATED && r->uncertainty > worst) {
			worst = r->uncertainty;
			wfile = a->inputs[i].path;
		}
	}
	/* The shortest measure the clocks' uncertainty moves. */
	if (a->method != INT_NONE) {
		shortest = a->int_end - a->int_start;
		what = "the interruption";
	}
	for (size_t k = 0; k < a->nmigs; k++) {
		const struct migration *m = &a->migs[k];

		if (m->gap != NULL && m->announce != MT_NS_NONE &&
		    (shortest == MT_NS_NONE || m->gap->end - m->announce < shortest)) {
			shortest = m->gap->end - m->announce;
			what = "the time from the announce to the first reply";
		}
	}
	if (ck->src_last != MT_NS_NONE && ck->dst_first > ck->src_last &&
	    (shortest == MT_NS_NONE || ck->dst_first - ck->src_last < shortest)) {
		shortest = ck->dst_first - ck->src_last;
		what = "the pause the hosts saw";
	}
	if (wfile != NULL && shortest != MT_NS_NONE && worst > shortest)
		analysis_note(a, "%s's clock offset is known only to +/- %.3f ms, "
		    "more than %s (%.3f ms) it moves: that measure is not to be "
		    "trusted across hosts", wfile, (double)worst / 1e6, what,
		    (double)shortest / 1e6);
}
