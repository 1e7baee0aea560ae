/*
 * report_csv.c: the timeline as CSV for gnuplot, one line per time bin.
 * Not rendered from the report document: the bins are a different dataset
 * (thousands of rows the document does not hold), streamed from the
 * analysis's timeline (measure/timeline.h). Columns: the man page,
 * "Timeline": probes_sent and probes_answered in the bin the request was
 * sent in, late_replies those answered after the next request went out.
 */
#include "config.h"

#include "analysis/analysis_int.h"
#include "report/report.h"

void
report_write_csv(const struct analysis *a, FILE *f)
{
	size_t n = timeline_count(a->tl);
	mt_ns t0 = timeline_start(a->tl), w = a->o.bin;
	double bin_s = (double)w / 1e9;

	fprintf(f, "bin_start_ns,bin_start_s,stream_bps,probes_sent,"
	    "probes_answered,announces,late_replies%s\n", a->o.link_bps > 0 ? ",utilisation" : "");
	for (size_t i = 0; i < n; i++) {
		const struct tbin *b = timeline_bin(a->tl, i);

		if (b == NULL)		/* the temporary file failed: said in notes */
			break;
		fprintf(f, "%lld,%.9f,%.1f,%u,%u,%u,%u",
		    (long long)(t0 + (mt_ns)i * w),
		    (double)((mt_ns)i * w) / 1e9,
		    (double)b->stream_bytes * 8 / bin_s, b->probes_sent,
		    b->probes_answered, b->announces, b->late_replies);
		if (a->o.link_bps > 0)
			fprintf(f, ",%.4f", (double)b->stream_frame_bytes * 8 /
			    bin_s / a->o.link_bps);
		fputc('\n', f);
	}
}
