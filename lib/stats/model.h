/*
 * model.h: the pre-copy model of live migration (docs/precopy-model.md,
 * after Clark et al. NSDI 2005, Akoush et al. MASCOTS 2010, Liu 2011).
 *
 * V bytes to send, link rate R bytes/s, dirty rate D bytes/s,
 * lambda = D/R. Pass i sends V*lambda^i in V*lambda^i/R seconds; QEMU
 * switches over at the first pass n with V*lambda^n <= R*T_limit and
 * sends that pass with the guest paused (the downtime). lambda >= 1
 * never converges (unless the pass is already small enough at n = 0).
 *
 * One refinement, as QEMU does it (migration_iteration_run: pending
 * bytes vs bandwidth x downtime limit): before the first pass every page
 * is pending at its full size, zero pages included, so the n = 0 test
 * uses the guest's memory size M, not the stream bytes V of the first
 * pass. Without it a mostly-zero 256 MiB guest on a fast link would be
 * "sent" stopped in one go, which QEMU never does. Later passes re-send
 * dirtied pages in full, so there memory bytes and stream bytes agree.
 */
#ifndef MT_MODEL_H
#define MT_MODEL_H

#include <stdint.h>

/* QEMU's default downtime limit (docs/wire-formats.md): 300 ms. */
#define MODEL_DEFAULT_LIMIT_S	0.300
/* Passes the model follows before it calls a run non-converging. */
#define MODEL_MAX_PASSES	1000

/*
 * QEMU's RAM stream framing (migration/ram.c, save_page_header): each
 * page goes with an 8-byte header (be64 offset | flags); a page of one
 * repeated byte (zero page, RAM_SAVE_FLAG_ZERO) is the header plus that
 * byte. Checked against the real sample in docs/libvirt-jobstats.md:
 * 23164 normal pages x 4104 + 42654 constant x 9 = 95,448,942 bytes,
 * and virsh printed "Memory processed: 91.028 MiB" = 95,449,776 +- 524:
 * the same to 0.001% (the rest: the RAM section's block list and the
 * end-of-pass markers). The 256.625 MiB of memory_total would be 2.8x.
 */
#define MODEL_PAGE_HEADER	8
#define MODEL_ZERO_PAGE_BYTES	9

/* The model's inputs; everything in bytes, bytes/s and seconds. */
struct model_in {
	double v_bytes;		/* V: bytes of the first full pass */
	double mem_bytes;	/* M: pending before pass 0; 0: same as V */
	double rate_Bps;	/* R: bytes/s the stream achieves, > 0 */
	double dirty_Bps;	/* D: bytes/s the guest dirties, >= 0 */
	double limit_s;		/* T_limit, > 0 */
	double setup_s;		/* added in front of the passes (>= 0) */
	double fixed_downtime_s;	/* added to the downtime and the time */
};

struct model_out {
	int converges;		/* 0: lambda >= 1 and V > R*T_limit */
	double lambda;		/* D/R */
	int passes;		/* passes including the paused one (n + 1) */
	double precopy_s;	/* live passes 0..n-1 */
	double last_pass_bytes;	/* V*lambda^n, sent while paused */
	double downtime_s;	/* V*lambda^n/R + fixed_downtime_s */
	double total_s;		/* setup + all passes + fixed_downtime_s */
	double sent_bytes;	/* sum of all passes */
};

/*
 * Run the model. Return 0 with *out filled; converges == 0 leaves the
 * times as NAN (a run that never converges has no predicted end) and
 * passes = MODEL_MAX_PASSES. Return -1 on inputs out of range (R <= 0,
 * V < 0, D < 0, T_limit <= 0, a NAN), with *out zeroed.
 */
int model_precopy(const struct model_in *in, struct model_out *out);

/*
 * V from libvirt's job statistics: the first pass over guest memory in
 * stream bytes. memory_total / page_size pages, of which memory_constant
 * were sent as zero-page markers (9 bytes) and the rest in full
 * (page_size + 8). A guest that touched little of its memory costs much
 * less than memory_total: in the job of tests/jobstats/domjobinfo.txt 94.95 MB rather
 * than 269.1 MB, which is why the model does not use memory_total.
 * Assumes each zero page is counted once (true for the first pass; a
 * dirtying guest re-sends normal pages, which the dirty rate models).
 * Return V, or NAN when page_size is 0 or constant > total pages.
 */
double model_first_pass_bytes(uint64_t memory_total, uint64_t memory_constant,
    uint64_t page_size);

#endif /* MT_MODEL_H */
