/*
 * analysis.c: one run, from capture files to measures: the service
 * interruption (echo gaps, or silence, or TCP stalls), the announce, the
 * migration stream and the timeline. Reads the captures once, and a
 * second time only when the VM was not named and the first read's guess
 * of it was wrong (see measure()); summarise.c then turns the measures
 * into the report's numbers.
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
	if (!a->vm.have_mac && !ps->guessing && ps->vf != NULL &&
	    a->vm_found && vmfind_add(ps->vf, p) < 0)
		return -1;
	/* Announces are ARP or RARP (announce.c): the test here, not a
	 * call for every frame. */
	if (__builtin_expect(p->layers & PKT_L_ARP, 0) &&
	    announce_add(ps->ann, p) < 0)
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
		int e = __builtin_expect(p->layers & PKT_L_ECHO, 0) ?
		    echo_add(a->echo, p) : 0, rarp;
		/* From or to the VM, by its address (asked once a frame). */
		int from_ip = (p->layers & PKT_L_IP) &&
		    mt_addr_eq(&p->ip_src, &a->vm.ip);
		int to_ip = !from_ip && (p->layers & PKT_L_IP) &&
		    mt_addr_eq(&p->ip_dst, &a->vm.ip);
		int from_vm;

		/* The VM's traffic, from or to it: seen at all, and its
		 * span (does it hold the switchover?). */
		if (from_ip || to_ip) {
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
		if (!a->vm.have_mac && (p->layers & PKT_L_MAC) && from_ip &&
		    !mt_mac_is_zero(&p->mac_src)) {
			a->vm.mac = p->mac_src;
			a->vm.have_mac = 1;
		}
		if (__builtin_expect(p->layers & PKT_L_ARP, 0) &&
		    a->vm.have_mac && announce_frame(p, &mac, &rarp) &&
		    mt_mac_eq(&mac, &a->vm.mac) &&
		    (timeline_add(a->tl, p->ts, TL_ANNOUNCE, 1) < 0 ||
		    keep_announce(a, p->ts) < 0))
			return -1;
		/* A frame of the VM's: its address, or its MAC once known. */
		from_vm = from_ip || (a->vm.have_mac &&
		    (p->layers & PKT_L_MAC) && mt_mac_eq(&p->mac_src, &a->vm.mac));
		if (__builtin_expect(p->layers & PKT_L_ENCAP, 0)) {
			if (from_vm)
				overlay_from_vm(a->ov, p);
			else if (to_ip || (a->vm.have_mac &&
			    (p->layers & PKT_L_MAC) &&
			    mt_mac_eq(&p->mac_dst, &a->vm.mac)))
				overlay_to_vm(a->ov, p);	/* sent to it */
		}
		if (from_vm) {
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

/* Reading a file again for dedup.c (dedup_lazy): its frames that went
 * to dedup_copy(), so those the VNI filter let through. */
struct backfill {
	struct analysis *a;
	struct srcset *s;
	struct dedup *dd;
	char *errbuf;
	int failed;		/* errbuf says why */
};

static void
backfill_frame(void *ctx, const struct pkt *p)
{
	struct backfill *b = ctx;

	if (b->a->o.vni_given && !in_vni(b->a, p))
		return;
	dedup_backfilled(b->dd, p);
}

static int
backfill_file(void *ctx, int file, mt_ns since)
{
	struct backfill *b = ctx;

	if (srcset_replay(b->s, file, since, backfill_frame, b,
	    b->errbuf) < 0) {
		b->failed = 1;
		return -1;
	}
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
	struct backfill bf = { a, s, NULL, errbuf, 0 };
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
		dd = bf.dd = dedup_new();
		a->copies = calloc((size_t)nf, sizeof(*a->copies));
		/* A file that can be read again keeps nothing of its frames
		 * until another shares one of its conversations. */
		srcset_marks(s, DEDUP_WINDOW);
		for (int i = 0; dd != NULL && i < nf; i++)
			if (srcset_can_replay(s, i))
				dedup_lazy(dd, i, backfill_file, &bf);
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

			if (c < 0 && bf.failed) {
				progress_end(&pr);
				r = -1;
				goto out;
			}
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
	analysis_summarise(a);
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
