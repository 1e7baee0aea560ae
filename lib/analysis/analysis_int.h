/*
 * analysis_int.h: the inside of struct analysis, shared by the files of
 * migtrace-analyze that compute it and write it (analysis.c, report_*.c).
 */
#ifndef MT_ANALYSIS_INT_H
#define MT_ANALYSIS_INT_H

#include "analysis/analysis.h"
#include "measure/announce.h"
#include "measure/echo.h"
#include "measure/overlay.h"
#include "input/pkt.h"
#include "input/source.h"
#include "measure/tcpflow.h"
#include "measure/timeline.h"
#include "measure/vmfind.h"

enum int_method { INT_NONE, INT_ECHO, INT_SILENCE, INT_TCP_STALL };

/* The link's share: frame bytes by class on the capture(s) that carry the
 * migration stream, per second (what the stream shares the wire with). */
enum share_class { SHARE_MIGRATION, SHARE_STORAGE, SHARE_RPC, SHARE_NFS,
    SHARE_OTHER, NSHARE };
#define SHARE_WIDTH	MT_NS_PER_S
#define SHARE_MAX	((size_t)1 << 18)	/* seconds: 3 days, 10 MiB */

struct share_bins {
	mt_ns start;			/* MT_NS_NONE until the first */
	size_t n, cap;
	uint64_t (*b)[NSHARE];
	uint64_t dropped;		/* frames past SHARE_MAX seconds */
	mt_ns hot_lo, hot_hi;		/* the second of the last frame ... */
	size_t hot;			/* ... and its index (hot_hi 0: none) */
};

struct analysis_input {
	char *path;
	struct src_stats st;
};

/*
 * One migration: the migration streams whose spans overlap (a multifd
 * migration's channels run side by side; one migration after another
 * does not overlap), and the reply gap around its last data: the guest
 * pauses before the stream's last bytes and answers again only after the
 * destination has them all.
 */
/*
 * How a migration moved (modes.c): its transport, its post-copy phase
 * from the return path, its storage copy, how it ended, and the split of
 * a post-copy interruption.
 */
struct mig_modes {
	const char *transport;		/* "tcp", "tunnelled", "tls", "unknown" */
	unsigned guessed;		/* its streams taken by port alone */
	uint64_t volume;		/* bytes counted by volume (a walk out of sync) */
	int postcopy;
	mt_ns pc_start, pc_last;	/* first and last page request */
	uint64_t pc_requests, pc_bytes_after;
	unsigned st_channels;		/* storage copy (NBD) connections */
	uint64_t st_bytes;
	mt_ns st_first, st_last;
	const char *outcome;		/* "completed", "aborted", "unknown" */
	mt_ns blackout, brownout;	/* post-copy with an announce in its gap */
};

struct migration {
	mt_ns first, last;		/* first and last data of its streams */
	unsigned streams;
	uint64_t bytes, retrans;
	double mean_bps, peak_bps;
	double utilisation;		/* with --link */
	size_t full_bins, inside_bins;
	int bottleneck;
	const struct echo_gap *gap;	/* NULL: no reply gap holds its end */
	mt_ns announce;			/* the VM's first announce inside the
					 * gap, or MT_NS_NONE */
	struct mig_modes mo;
	uint64_t share[NSHARE];		/* frame bytes by class on its link,
					 * in the seconds it spans */
};

/*
 * Several hosts, one clock (lib/input/clock.h): each file's clock, and
 * the VM's frames as each host's capture points gave them first.
 */
struct analysis_clocks {
	struct clk_plan plan;
	struct clk_result *res;		/* per file */
	mt_ns vm_first[CLK_MAX_HOSTS + 1], vm_last[CLK_MAX_HOSTS + 1];
	uint64_t vm_n[CLK_MAX_HOSTS + 1];
	int src_host, dst_host;		/* -1: not told */
	mt_ns src_last, dst_first;	/* the VM's last frame leaving the
					 * source host, first leaving the
					 * destination; MT_NS_NONE */
};

struct analysis_clocks *clocks_prepare(const struct clk_spec *spec,
    char *const *files, int nfiles, char *errbuf);
int clocks_apply(const struct analysis_clocks *ck, struct srcset *s,
    char *errbuf);
void clocks_free(struct analysis_clocks *ck);

/*
 * What a run reads: capture files, or (analysis_run_mem) one capture held
 * in memory. Each pass opens the input afresh.
 */
struct run_input {
	char *const *files;
	int nfiles;
	const uint8_t *data;	/* non-NULL: one capture in memory */
	size_t size;
};

/* open.c: the run's captures as a fresh set (each pass), on one clock
 * when ck says how; NULL with errbuf set. */
struct srcset *analysis_open(const struct analysis_opts *o,
    const struct run_input *in, const struct analysis_clocks *ck,
    char *errbuf);
const char *analysis_read_once(const struct srcset *s, int nfiles);

/* The VM's announces kept for the migrations: at most this many (five a
 * migration from QEMU; a flood of them must not grow memory). */
#define ANALYSIS_MAX_ANNOUNCES	65536

struct analysis {
	struct analysis_opts o;
	struct analysis_input *inputs;
	int nfiles;
	uint64_t *copies;		/* per file: frames another capture
					 * point gave first (input/dedup.h) */
	struct analysis_clocks *ck;	/* NULL: one clock */
	uint64_t packets;
	mt_ns first_ts, last_ts;

	int vm_found;
	int vm_given_unseen;	/* --vm (or the manifest) named one not seen */
	struct vm_choice vm;
	mt_ns vm_first, vm_last;	/* frames from or to the VM's IP */
	/* The captures do not hold a migration's switchover: the note that
	 * says which file and by how much (one of notes[]), else NULL;
	 * not_covered_by: how far the VM's traffic stops short of it. */
	const char *not_covered;
	mt_ns not_covered_by;

	/* service interruption */
	struct echo *echo;
	struct echo_result er;		/* its gaps belong to echo */
	mt_ns silence_start, silence_end;
	const struct tcp_dir_info *stall;	/* longest stall of a VM flow */
	enum int_method method;
	mt_ns int_start, int_end;
	uint64_t int_lost;
	mt_ns last_request;		/* the newest echo request to the VM */
	uint64_t late_replies;		/* overtaken by a newer request */
	const char *int_chosen_by;	/* why this gap: "announce", "lost-probes", "longest" */

	/* announce */
	int have_ann;
	struct announce_info ann;

	/* migration stream */
	struct tcp_dir_info *dirs;	/* every data direction tracked */
	size_t ndirs;
	unsigned mig_flows;
	uint64_t mig_bytes, mig_retrans, mig_zero_windows;
	mt_ns mig_first, mig_last;
	double mig_mean_bps, mig_peak_bps;	/* payload (sequence space) */
	double mig_wire_mean_bps, mig_wire_peak_bps;	/* Ethernet frames */
	double utilisation;
	size_t full_bins, inside_bins;
	int bottleneck;
	struct migration *migs;		/* in time order */
	size_t nmigs;
	mt_ns *vm_ann;			/* the VM's announces, as read */
	size_t nvm_ann, cap_vm_ann;

	struct tcp_postcopy *pc;	/* post-copy switches (tcpflow) */
	size_t npc;
	const struct migration *main_mig;	/* the one the top-level
					 * interruption belongs to, or NULL */

	struct timeline *tl;
	struct share_bins share;

	/* the VM's tunnel endpoints (NULL: the VM not found) */
	struct overlay *ov;
	struct overlay_result ovr;

	char **notes;
	size_t nnotes;
};

void analysis_note(struct analysis *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* clocks.c: a frame of the VM (kept), and the figures after the read. */
static inline void
clocks_vm_frame(struct analysis_clocks *ck, const struct pkt *p)
{
	int h = ck->plan.host_of[p->src];

	if (ck->vm_n[h]++ == 0)
		ck->vm_first[h] = p->ts;
	ck->vm_last[h] = p->ts;
}
void clocks_summarise(struct analysis *a);

/* summarise.c: the interruption's gap, the migrations, their figures and
 * verdicts, the captures' coverage, once every packet is read. */
void analysis_summarise(struct analysis *a);

/* report_clocks.c: "clocks" (null with one clock) and the
 * interruption's host fields, for report_json.c. */
json_t *report_clocks_json(const struct analysis *a);
void report_clocks_interruption(const struct analysis *a, json_t *o);

/* modes.c: m's transport, post-copy phase and storage copy (before its
 * gap is looked for: a post-copy gap holds the first page request, not
 * the stream's end), then, with m->gap and m->announce set, its outcome
 * and blackout/brownout. */
void modes_of(const struct analysis *a, struct migration *m, size_t k);
void modes_outcome(const struct analysis *a, struct migration *m, size_t k);

/* The role of a migration direction: "main", "multifd", "preempt",
 * "rpc", "tls", or "unknown" (by port, bytes unseen). */
const char *modes_role(const struct analysis *a, const struct tcp_dir_info *d);

/* d belongs to m (its first data inside m's span). */
int modes_in(const struct migration *m, const struct tcp_dir_info *d);

/* The link's share: count p's frame bytes under its class (kind: its
 * flow's, from tcpflow) in its second (0, or -1 when out of memory);
 * m->share from the seconds m's span touches. Asked of every frame of the
 * stream's capture: the current second inline, the rest in modes.c. */
int modes_share_add_slow(struct analysis *a, enum share_class c,
    const struct pkt *p);
static inline int
modes_share_add(struct analysis *a, enum tcpflow_kind kind,
    const struct pkt *p)
{
	struct share_bins *sb = &a->share;
	enum share_class c;

	switch (kind) {
	case TCPFLOW_MIGRATION: c = SHARE_MIGRATION; break;
	case TCPFLOW_STORAGE: c = SHARE_STORAGE; break;
	case TCPFLOW_RPC: c = SHARE_RPC; break;
	default:
		/* NFS (RFC 7530: port 2049, TCP or UDP). */
		c = (p->layers & (PKT_L_TCP | PKT_L_UDP)) &&
		    (p->sport == 2049 || p->dport == 2049) ? SHARE_NFS :
		    SHARE_OTHER;
		break;
	}
	/* Most frames fall in the second of the one before: no division. */
	if (p->ts >= sb->hot_lo && p->ts < sb->hot_hi) {
		sb->b[sb->hot][c] += p->wire_len > 0 ? p->wire_len :
		    (uint64_t)p->ip_len + 14;
		return 0;
	}
	return modes_share_add_slow(a, c, p);
}

void modes_share_of(const struct analysis *a, struct migration *m);

/* The migration the top-level interruption belongs to (a->main_mig), and
 * the notes on how the streams were found. */
void modes_notes(struct analysis *a);

/* Copy tcpflow's post-copy switches into a: 0, or -1 when out of memory. */
int modes_keep_postcopy(struct analysis *a, const struct tcpflow *tf);

#endif /* MT_ANALYSIS_INT_H */
