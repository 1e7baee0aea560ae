/*
 * timeline.c: the timeline chart of one run: stream throughput, probes
 * and announces per bin (timeline.csv), the interruption and the
 * migration's phases from report.json and jobstats.json.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/jpath.h"
#include "base/mt.h"
#include "report/pause_report.h"
#include "stats/regress.h"
#include "stats/table.h"
#include "plot/plot.h"

int
chart_timeline(const struct opts *o, const char *dir, const char *csv,
    const char *prefix)
{
	static const char *const cols[] = { "bin_start_ns", "bin_start_s",
	    "stream_bps", "probes_sent", "probes_answered", "announces" };
	int ci[6], lc, rc = EXIT_INPUT;
	char err[MT_ERRBUF_SIZE], path[4096], dpath[4096], epath[4096],
	    ppath[4096];
	struct table *t;
	json_t *rep = NULL, *js = NULL, *iters = NULL;
	FILE *f = NULL, *e = NULL, *s = NULL;
	double maxbps = 0, bin_s = 0, link, ymax, xmax = 0;
	mt_ns t0_ns = MT_NS_NONE;
	double first_s = 0;
	double istart, iend, idur;
	size_t nann = 0, niter = 0, npause = 0, nlate = 0;
	double pause_ms = NAN;

	if ((t = table_read(csv, err)) == NULL) {
		perr("%s", err);
		return EXIT_INPUT;
	}
	if (need_cols(t, csv, cols, ci, 6) == -1)
		goto out;
	/* late_replies: optional (a CSV written before it was a column). */
	lc = table_col(t, "late_replies");
	if (t->nrows == 0) {
		perr("%s: no bins", csv);
		goto out;
	}
	pjoin(path, sizeof(path), dir, "report.json");
	rep = load_json(path);
	pjoin(path, sizeof(path), dir, "jobstats.json");
	js = load_json(path);

	/* timeline.dat: seconds from the first bin, Mbit/s, counts. */
	if ((f = dat_open(o, prefix, "timeline.dat", dpath, sizeof(dpath))) == NULL)
		goto out;
	fprintf(f, "# t_s\tstream_mbps\tprobes_sent\tprobes_answered\t"
	    "answered_pct\tannounces\tlate_replies\n");
	for (size_t r = 0; r < t->nrows; r++) {
		double v[6], late = 0;

		for (int k = 0; k < 6; k++)
			if (table_num(t, r, (size_t)ci[k], &v[k]) != 0) {
				perr("%s:%zu: %s is not a number", csv,
				    t->lines[r], cols[k]);
				goto out;
			}
		if (r == 0) {
			/*
			 * Time zero of bin_start_s, in integer ns: doubles
			 * hold epoch ns only to ~256 ns.
			 */
			char *end;
			long long ns = strtoll(table_cell(t, r, (size_t)ci[0]),
			    &end, 10);

			t0_ns = (mt_ns)ns - (mt_ns)llround(v[1] * 1e9);
			first_s = v[1];
		} else if (r == 1)
			bin_s = v[1] - first_s;
		if (v[2] > maxbps)
			maxbps = v[2];
		xmax = v[1];
		fprintf(f, "%.9f\t%.6f\t%.0f\t%.0f\t", v[1], v[2] / 1e6, v[3],
		    v[4]);
		if (v[3] > 0)
			fprintf(f, "%.3f", 100.0 * v[4] / v[3]);
		else
			fputs("NaN", f);
		if (lc >= 0 && table_num(t, r, (size_t)lc, &late) != 0) {
			perr("%s:%zu: late_replies is not a number", csv,
			    t->lines[r]);
			goto out;
		}
		if (late > 0)
			nlate++;
		fprintf(f, "\t%.0f\t%.0f\n", v[5], late);
	}
	if (t->nrows < 2)
		bin_s = 0.1;
	xmax += bin_s;
	if (dat_close(f, dpath) == -1) {
		f = NULL;
		goto out;
	}
	f = NULL;

	/* timeline_events.dat: announces (per bin) and pre-copy passes. */
	if ((e = dat_open(o, prefix, "timeline_events.dat", epath,
	    sizeof(epath))) == NULL)
		goto out;
	fprintf(e, "# kind\tt_s\tlabel\ttext  (kind 1: announces in the bin "
	    "starting at t_s, label = count; kind 2: a pre-copy pass starts, "
	    "label = pass; kind 3: where to write the pass numbers, text)\n");
	for (size_t r = 0; r < t->nrows; r++) {
		double a, ts;

		if (table_num(t, r, (size_t)ci[5], &a) == 0 && a > 0 &&
		    table_num(t, r, (size_t)ci[1], &ts) == 0) {
			fprintf(e, "1\t%.9f\t%.0f\t\"\"\n", ts, a);
			nann++;
		}
	}
	iters = json_object_get(js, "iterations");
	if (!json_is_array(iters) && rep) {
		/* migtrace-analyze's report.json: jobstats.iteration_events */
		json_t *jr = json_object_get(rep, "jobstats");

		iters = json_object_get(jr, "iteration_events");
		if (!json_is_array(iters))
			iters = json_object_get(jr, "iterations");
	}
	if (json_is_array(iters)) {
		size_t i;
		json_t *it;
		double lab_t = -INFINITY, lab_n = 0, last_n = 0;
		int open = 0;

		/*
		 * kind 2 rows: t, pass, and the label to draw there. Passes
		 * closer than 2 % of the time axis to the last labelled one
		 * share its label ("2-4"): the last passes before the
		 * switchover come milliseconds apart.
		 */
		json_array_foreach(iters, i, it) {
			mt_ns ts = jpath_ns(it, "ts_ns");
			double n = jpath_num(it, "iteration");
			double tr = rel_s(ts, t0_ns);

			if (ts == MT_NS_NONE || !isfinite(n))
				continue;
			if (open && tr - lab_t < 0.02 * xmax) {
				last_n = n;
				fprintf(e, "2\t%.9f\t%.0f\t\"\"\n", tr, n);
			} else {
				if (open && last_n != lab_n)
					fprintf(e, "3\t%.9f\t%.0f\t\"%.0f-%.0f\"\n",
					    lab_t, lab_n, lab_n, last_n);
				else if (open)
					fprintf(e, "3\t%.9f\t%.0f\t\"%.0f\"\n",
					    lab_t, lab_n, lab_n);
				fprintf(e, "2\t%.9f\t%.0f\t\"\"\n", tr, n);
				lab_t = tr;
				lab_n = last_n = n;
				open = 1;
			}
			niter++;
		}
		if (open && last_n != lab_n)
			fprintf(e, "3\t%.9f\t%.0f\t\"%.0f-%.0f\"\n", lab_t,
			    lab_n, lab_n, last_n);
		else if (open)
			fprintf(e, "3\t%.9f\t%.0f\t\"%.0f\"\n", lab_t, lab_n,
			    lab_n);
	}
	if (dat_close(e, epath) == -1) {
		e = NULL;
		goto out;
	}
	e = NULL;

	/* timeline_pause.dat: the pause's phases (QEMU traces joined). */
	if (json_is_object(jpath(rep, "pause"))) {
		if ((e = dat_open(o, prefix, "timeline_pause.dat", ppath,
		    sizeof(ppath))) == NULL)
			goto out;
		npause = pause_write_bar(rep, e, &pause_ms);
		if (dat_close(e, ppath) == -1) {
			e = NULL;
			goto out;
		}
		e = NULL;
	}

	istart = rel_s(jpath_ns(rep, "interruption.last_reply_before_ns"), t0_ns);
	iend = rel_s(jpath_ns(rep, "interruption.first_reply_after_ns"), t0_ns);
	idur = jpath_num(rep, "interruption.duration_s");
	link = o->link_bps > 0 ? o->link_bps : jpath_num(rep, "migration.link_bps");
	ymax = fmax(maxbps, isfinite(link) ? link : 0) / 1e6 * 1.22;
	if (!(ymax > 0))
		ymax = 1;

	if ((s = script_open(o, prefix, "timeline", path, sizeof(path))) == NULL)
		goto out;
	fputs("datafile = ", s);
	gp_quote(s, base_name(dpath));
	fputs("\neventfile = ", s);
	gp_quote(s, base_name(epath));
	fputc('\n', s);
	gp_num(s, "xmax", xmax);
	gp_num(s, "ymax", ymax);
	gp_num(s, "bin_s", bin_s);
	gp_num(s, "link_mbps", isfinite(link) && link > 0 ? link / 1e6 : NAN);
	gp_num(s, "int_start", istart);
	gp_num(s, "int_end", iend);
	gp_num(s, "int_ms", idur * 1e3);
	gp_num(s, "ann_first", rel_s(jpath_ns(rep, "announce.first_ns"), t0_ns));
	fprintf(s, "n_announce_bins = %zu\nn_iterations = %zu\n", nann, niter);
	fprintf(s, "n_pause = %zu\n", npause);
	fprintf(s, "n_late_bins = %zu\n", nlate);
	if (npause > 0) {
		fputs("pausefile = ", s);
		gp_quote(s, base_name(ppath));
		fputc('\n', s);
		gp_num(s, "pause_ms", pause_ms);
	}
	rc = script_run(o, s, path, "timeline");
	s = NULL;
out:
	if (f)
		fclose(f);
	if (e)
		fclose(e);
	json_decref(rep);
	json_decref(js);
	table_free(t);
	return rc;
}
