/* model.c: the pre-copy migration model (docs/precopy-model.md). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "stats/model.h"

int
model_precopy(const struct model_in *in, struct model_out *out)
{
	double x, threshold, precopy = 0, sent = 0;
	int n = 0;

	memset(out, 0, sizeof(*out));
	if (!isfinite(in->v_bytes) || !isfinite(in->rate_Bps) ||
	    !isfinite(in->dirty_Bps) || !isfinite(in->limit_s) ||
	    !isfinite(in->setup_s) || !isfinite(in->fixed_downtime_s) ||
	    !isfinite(in->mem_bytes) || in->mem_bytes < 0 ||
	    in->v_bytes < 0 || in->rate_Bps <= 0 || in->dirty_Bps < 0 ||
	    in->limit_s <= 0 || in->setup_s < 0 || in->fixed_downtime_s < 0)
		return -1;

	out->lambda = in->dirty_Bps / in->rate_Bps;
	threshold = in->rate_Bps * in->limit_s;
	x = in->v_bytes;
	/*
	 * Pass n sends x = V*lambda^n; while the guest runs, it dirties
	 * D * x/R = lambda*x bytes, which the next pass sends. Switch over
	 * when the pass left fits into the downtime limit; before pass 0,
	 * QEMU counts the whole memory M as pending (see model.h).
	 */
	while ((n == 0 && in->mem_bytes > 0 ? fmax(in->mem_bytes, x) : x) >
	    threshold) {
		if (out->lambda >= 1 || n + 1 >= MODEL_MAX_PASSES) {
			out->converges = 0;
			out->passes = MODEL_MAX_PASSES;
			out->precopy_s = out->last_pass_bytes = NAN;
			out->downtime_s = out->total_s = out->sent_bytes = NAN;
			return 0;
		}
		precopy += x / in->rate_Bps;
		sent += x;
		x *= out->lambda;
		n++;
	}
	out->converges = 1;
	out->passes = n + 1;
	out->precopy_s = precopy;
	out->last_pass_bytes = x;
	out->sent_bytes = sent + x;
	out->downtime_s = x / in->rate_Bps + in->fixed_downtime_s;
	out->total_s = in->setup_s + precopy + out->downtime_s;
	return 0;
}

double
model_first_pass_bytes(uint64_t memory_total, uint64_t memory_constant,
    uint64_t page_size)
{
	uint64_t pages;

	if (page_size == 0)
		return NAN;
	pages = memory_total / page_size;
	if (memory_constant > pages)
		return NAN;
	return (double)(pages - memory_constant) *
	    (double)(page_size + MODEL_PAGE_HEADER) +
	    (double)memory_constant * MODEL_ZERO_PAGE_BYTES;
}
