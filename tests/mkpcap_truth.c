/*
 * mkpcap_truth.c: the truth JSON of tests/mkpcap, computed from the frames
 * actually written.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <pcap/pcap.h>

#include "mkpcap.h"

/* ---- the truth -------------------------------------------------------- */

static json_t *
j_ns(int64_t v)
{
	return json_integer((json_int_t)v);
}

static json_t *
j_s(int64_t ns)
{
	return json_real((double)ns / 1e9);
}

/* Requests never answered (a reply with their sequence within 1 s). */
static int
lost_all(const struct evlist *l)
{
	size_t k, q;
	int lost = 0;

	for (k = 0; k < l->n; k++) {
		const struct ev *r = &l->v[k];
		int answered = 0;

		if (r->mark != M_PROBE_REQ)
			continue;
		for (q = k + 1; q < l->n && l->v[q].ts < r->ts + NS_PER_S; q++)
			if (l->v[q].mark == M_PROBE_REP &&
			    l->v[q].dport == r->dport) {
				answered = 1;
				break;
			}
		lost += !answered;
	}
	return lost;
}


/* Replies that came back after the next request went out (overtaken:
 * slower than the probe interval); probes in the order sent. */
static json_int_t
late_replies(void)
{
	json_int_t n = 0;

	for (size_t i = 0; i + 1 < nprobe; i++)
		if (probe_rep[i] >= 0 && probe_req[i + 1] < probe_rep[i])
			n++;
	return n;
}

/*
 * The man page's rule: the gap that holds the first announce (announce
 * after its start, at or before its end), else the one that lost the
 * most probes, else the longest.
 */
static const char *
chosen_by(json_t *gaps, int64_t ann)
{
	json_t *g;
	size_t k;
	json_int_t most = 0;

	json_array_foreach(gaps, k, g) {
		json_int_t a = json_integer_value(json_object_get(g, "start_ns"));
		json_int_t b = json_integer_value(json_object_get(g, "end_ns"));
		json_int_t lost = json_integer_value(json_object_get(g, "lost_probes"));

		if (ann != INT64_MIN && a < ann && ann <= b)
			return "announce";
		if (lost > most)
			most = lost;
	}
	return most > 0 ? "lost-probes" : "longest";
}

json_t *
truth_ext(const struct opts *o, const struct evlist *l, json_t *root)
{
	int64_t min_gap = o->min_gap > 0 ? o->min_gap : 3 * o->probe_interval;
	int64_t prev = INT64_MIN, best_a = 0, best_b = 0, off = o->ns_offset;
	int64_t ann_first = 0, last_vm = INT64_MIN, sil_a = 0, sil_b = 0;
	json_t *gaps = json_array(), *intr, *ann, *vm;
	int nann = 0, nrarp = 0, ngarp = 0, nreplies = 0, nrequests = 0, have_mac;
	size_t i;
	char buf[INET6_ADDRSTRLEN], mac[18];

	have_mac = o->link < 0 || linktypes[o->link].kind == LK_EN10MB ||
	    linktypes[o->link].kind == LK_SLL || linktypes[o->link].kind == LK_SLL2;

	/* Gaps in the replies longer than min_gap; lost = requests in the
	 * gap left without a reply. */
	for (i = 0; i < l->n; i++) {
		const struct ev *e = &l->v[i];

		if (e->mark == M_ANNOUNCE) {
			if (nann++ == 0)
				ann_first = e->ts + off;
			if (e->arp_op == 3)
				nrarp++;
			else
				ngarp++;
		}
		/* The VM's silences: no frame from its IP, or from its MAC
		 * where the link type has MACs. */
		if ((e->kind != EV_ARP && e->sip == H_VM) ||
		    (have_mac && e->smac == H_VM)) {
			if (last_vm != INT64_MIN && e->ts - last_vm > sil_b - sil_a) {
				sil_a = last_vm;
				sil_b = e->ts;
			}
			last_vm = e->ts;
		}
		if (e->mark == M_PROBE_REQ)
			nrequests++;
		if (e->mark != M_PROBE_REP)
			continue;
		nreplies++;
		if (prev != INT64_MIN && e->ts - prev > min_gap) {
			json_t *g = json_object();
			size_t k;
			int lost = 0;

			for (k = 0; k < l->n; k++) {
				const struct ev *r = &l->v[k];
				size_t q;
				int answered = 0;

				if (r->mark != M_PROBE_REQ || r->ts <= prev ||
				    r->ts >= e->ts)
					continue;
				for (q = k + 1; q < l->n &&
				    l->v[q].ts < r->ts + NS_PER_S; q++)
					if (l->v[q].mark == M_PROBE_REP &&
					    l->v[q].dport == r->dport) {
						answered = 1;
						break;
					}
				lost += !answered;
			}
			json_object_set_new(g, "start_ns", j_ns(prev + off));
			json_object_set_new(g, "end_ns", j_ns(e->ts + off));
			json_object_set_new(g, "duration_s", j_s(e->ts - prev));
			json_object_set_new(g, "lost_probes", json_integer(lost));
			json_array_append_new(gaps, g);
			if (e->ts - prev > best_b - best_a) {
				best_a = prev;
				best_b = e->ts;
			}
		}
		prev = e->ts;
	}

	intr = json_object();
	if (json_array_size(gaps) > 0) {
		json_t *g = NULL;
		size_t k;

		json_array_foreach(gaps, k, g)
			if (json_integer_value(json_object_get(g, "start_ns")) ==
			    best_a + off)
				break;
		json_object_set_new(intr, "method", json_string("icmp-echo"));
		json_object_set_new(intr, "last_reply_before_ns", j_ns(best_a + off));
		json_object_set_new(intr, "first_reply_after_ns", j_ns(best_b + off));
		json_object_set_new(intr, "duration_s", j_s(best_b - best_a));
		json_object_set(intr, "lost_probes",
		    json_object_get(g, "lost_probes"));
		json_object_set_new(intr, "probe_interval_s", j_s(o->probe_interval));
		/* OpenStack Tempest's figure: the gap's lost probes x interval. */
		json_object_set_new(intr, "lost_x_interval_s",
		    j_s(json_integer_value(json_object_get(g, "lost_probes")) *
		    o->probe_interval));
		json_object_set_new(intr, "probes_sent", json_integer(nrequests));
		json_object_set_new(intr, "probes_answered", json_integer(nreplies));
		json_object_set_new(intr, "replies", json_integer(nreplies));
		json_object_set_new(intr, "late_replies", json_integer(late_replies()));
		json_object_set_new(intr, "probes_lost", json_integer(lost_all(l)));
		json_object_set_new(intr, "min_gap_s", j_s(min_gap));
		json_object_set_new(intr, "chosen_by",
		    json_string(chosen_by(gaps, nann ? ann_first : INT64_MIN)));
		json_object_set_new(intr, "gaps", gaps);
		json_object_set_new(intr, "tcp_stall", o->vm_upload > 0 ?
		    truth_stall(o, l) : json_null());
		json_object_set_new(root, "interruption", intr);
	} else if (nreplies == 0 && sil_b > sil_a) {
		/* No probes answered: the longest silence of the VM. */
		json_decref(gaps);
		json_object_set_new(intr, "method", json_string("silence"));
		json_object_set_new(intr, "chosen_by", json_null());
		json_object_set_new(intr, "min_gap_s", json_null());
		json_object_set_new(intr, "probes_lost", json_null());
		json_object_set_new(intr, "replies", json_null());
		json_object_set_new(intr, "lost_probes", json_null());
		json_object_set_new(intr, "probe_interval_s", json_null());
		json_object_set_new(intr, "lost_x_interval_s", json_null());
		json_object_set_new(intr, "probes_sent", json_null());
		json_object_set_new(intr, "probes_answered", json_null());
		json_object_set_new(intr, "late_replies", json_null());
		json_object_set_new(intr, "gaps", json_array());
		json_object_set_new(intr, "last_reply_before_ns", j_ns(sil_a + off));
		json_object_set_new(intr, "first_reply_after_ns", j_ns(sil_b + off));
		json_object_set_new(intr, "duration_s", j_s(sil_b - sil_a));
		json_object_set_new(intr, "tcp_stall", o->vm_upload > 0 ?
		    truth_stall(o, l) : json_null());
		json_object_set_new(root, "interruption", intr);
	} else {
		json_decref(gaps);
		json_decref(intr);
		json_object_set_new(root, "interruption", json_null());
	}
	snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x",
	    hosts[H_VM].mac[0], hosts[H_VM].mac[1], hosts[H_VM].mac[2],
	    hosts[H_VM].mac[3], hosts[H_VM].mac[4], hosts[H_VM].mac[5]);
	ann = json_object();
	json_object_set_new(ann, "first_ns", nann ? j_ns(ann_first) : json_null());
	json_object_set_new(ann, "count", json_integer(nann));
	json_object_set_new(ann, "rarp", json_integer(nrarp));
	json_object_set_new(ann, "garp", json_integer(ngarp));
	json_object_set_new(ann, "mac", nann ? json_string(mac) : json_null());
	/* From the first announce to the first reply after the gap (echo). */
	json_object_set_new(ann, "to_first_reply_s", nann && best_b > best_a &&
	    nreplies > 0 ? j_s(best_b + off - ann_first) : json_null());
	json_object_set_new(root, "announce", ann);

	vm = json_object();
	inet_ntop(o->ipv6 ? AF_INET6 : AF_INET,
	    o->ipv6 ? (const void *)hosts[H_VM].ip6 : (const void *)hosts[H_VM].ip4,
	    buf, sizeof buf);
	json_object_set_new(vm, "ip", json_string(buf));
	json_object_set_new(vm, "mac", have_mac ? json_string(mac) : json_null());
	json_object_set_new(root, "vm", vm);
	return root;
}

/*
 * The longest TCP stall of the upload to the VM: a time with data
 * outstanding and no new data acknowledged, from when data became
 * outstanding (or the last ack that left some outstanding) to the next
 * ack of new data; and the retransmissions sent inside it.
 */
json_t *
truth_stall(const struct opts *o, const struct evlist *l)
{
	uint64_t snd_max = 0, acked = 0, rtx = 0, rtx_at = 0, best_rtx = 0;
	int64_t progress = INT64_MIN, best_a = 0, best_b = 0, off = o->ns_offset;
	int have = 0, have_data = 0;
	size_t i;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	json_t *j;

	for (i = 0; i < l->n; i++) {
		const struct ev *e = &l->v[i];

		if (e->mark == M_UP_DATA && e->len > 0) {
			uint64_t a = e->seq - 300000000u, b = a + e->len;

			have_data = 1;
			if (a < snd_max)
				rtx++;
			if (b > snd_max) {
				if (progress == INT64_MIN && acked >= snd_max) {
					progress = e->ts;
					rtx_at = rtx;
				}
				snd_max = b;
			}
		} else if (e->mark == M_UP_ACK && have_data) {
			uint64_t a = e->ack - 300000000u;

			if (a <= acked)
				continue;
			if (progress != INT64_MIN &&
			    (!have || e->ts - progress > best_b - best_a)) {
				have = 1;
				best_a = progress;
				best_b = e->ts;
				best_rtx = rtx - rtx_at;
			}
			progress = a < snd_max ? e->ts : INT64_MIN;
			rtx_at = rtx;
			acked = a;
		}
	}
	if (!have)
		return json_null();
	inet_ntop(o->ipv6 ? AF_INET6 : AF_INET, o->ipv6 ?
	    (const void *)hosts[H_CLIENT].ip6 : (const void *)hosts[H_CLIENT].ip4,
	    src, sizeof src);
	inet_ntop(o->ipv6 ? AF_INET6 : AF_INET, o->ipv6 ?
	    (const void *)hosts[H_VM].ip6 : (const void *)hosts[H_VM].ip4,
	    dst, sizeof dst);
	j = json_object();
	json_object_set_new(j, "src", json_string(src));
	json_object_set_new(j, "sport", json_integer(PORT_UP_CL));
	json_object_set_new(j, "dst", json_string(dst));
	json_object_set_new(j, "dport", json_integer(PORT_UP_VM));
	json_object_set_new(j, "start_ns", j_ns(best_a + off));
	json_object_set_new(j, "end_ns", j_ns(best_b + off));
	json_object_set_new(j, "duration_s", j_s(best_b - best_a));
	json_object_set_new(j, "retransmissions", json_integer((json_int_t)best_rtx));
	return j;
}

void
truth_mgmt(const struct opts *o, const struct evlist *l, json_t *root)
{
	int64_t first = INT64_MIN, last = INT64_MIN, off = o->ns_offset;
	uint64_t bytes = 0, top[16] = { 0 }, base[16] = { 0 };
	int rtx = 0, zw = 0, flows = 0, seen[16] = { 0 }, k;
	json_t *m;
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct ev *e = &l->v[i];
		uint64_t rel;

		if (e->mark == M_MIG_ZEROWIN)
			zw++;
		if ((e->mark != M_MIG_DATA && e->mark != M_MIG_RETRANS) ||
		    e->len == 0)
			continue;
		k = e->flow & 15;
		if (!seen[k]) {
			seen[k] = 1;
			base[k] = e->seq;
			flows++;
		}
		if (first == INT64_MIN)
			first = e->ts;
		last = e->ts;
		/* Bytes in sequence space: only what extends the top. A
		 * retransmission: a segment that starts below the top (sends
		 * old bytes again, new ones or not), except a keep-alive (at
		 * most one byte, ending at the top). */
		rel = (uint32_t)(e->seq - (uint32_t)base[k]);
		if (rel < top[k] && !(e->len <= 1 && rel + e->len == top[k]))
			rtx++;
		if (rel + e->len > top[k])
			top[k] = rel + e->len;
	}
	for (k = 0; k < 16; k++)
		bytes += top[k];
	m = json_object();
	if (flows == 0) {
		json_object_set_new(root, "migration", json_null());
		json_decref(m);
		return;
	}
	json_object_set_new(m, "flows", json_integer(flows));
	/* No libvirt behind a generated capture: nothing says how it ended. */
	json_object_set_new(m, "libvirt_outcome", json_null());
	json_object_set_new(m, "bytes", json_integer((json_int_t)bytes));
	json_object_set_new(m, "first_data_ns", j_ns(first + off));
	json_object_set_new(m, "last_data_ns", j_ns(last + off));
	json_object_set_new(m, "duration_s", j_s(last - first));
	json_object_set_new(m, "mean_bps", last > first ?
	    json_real((double)bytes * 8 / ((double)(last - first) / 1e9)) :
	    json_null());
	json_object_set_new(m, "retransmissions", json_integer(rtx));
	json_object_set_new(m, "zero_windows", json_integer(zw));
	json_object_set_new(m, "stream_rate_bps",
	    json_integer((json_int_t)o->stream_rate));
	json_object_set_new(root, "migration", m);
}

/* ---- the truth beyond the headline: streams, bins, inputs, migrations */

struct flowtruth {
	int seen;
	uint64_t base, top, segments, rtx, zw;
	int64_t first, last, syn, synack;
};

static int
is_mig_data(const struct ev *e)
{
	return (e->mark == M_MIG_DATA || e->mark == M_MIG_RETRANS) && e->len > 0;
}

/* The IP total length of a TCP event (header 32 bytes with timestamps,
 * 40 with a SYN's options): the analyzer counts 14 more per frame. */
static uint64_t
tcp_ip_len(const struct opts *o, const struct ev *e)
{
	return (o->ipv6 ? 40u : 20u) + (e->syn_opts ? 40u : 32u) + e->len;
}

/*
 * New bytes in sequence space of data event e of flow ft (0: a
 * retransmission of old bytes only); counts it, and a retransmission:
 * a segment that starts below the highest sequence sent (tests/README.md).
 */
static uint64_t
flow_step(struct flowtruth *ft, const struct ev *e)
{
	uint64_t rel, added = 0;

	if (!ft->seen) {
		ft->seen = 1;
		ft->base = e->seq;
		ft->first = e->ts;
	}
	ft->last = e->ts;
	ft->segments++;
	rel = (uint32_t)(e->seq - (uint32_t)ft->base);
	if (rel < ft->top && !(e->len <= 1 && rel + e->len == ft->top))
		ft->rtx++;
	if (rel + e->len > ft->top) {
		added = rel + e->len - ft->top;
		ft->top = rel + e->len;
	}
	return added;
}

/* Each migration flow's figures (ft[16], by flow number). */
static void
flows_truth(const struct evlist *l, struct flowtruth *ft)
{
	size_t i;

	memset(ft, 0, 16 * sizeof *ft);
	for (i = 0; i < l->n; i++) {
		const struct ev *e = &l->v[i];
		int ks = (e->sport - PORT_MIG_SRC) & 15, kd = (e->dport - PORT_MIG_SRC) & 15;

		if (e->kind != EV_TCP)
			continue;
		if (e->mark == M_MIG_CTRL && e->tcp_flags == TH_SYN &&
		    e->dport == PORT_MIG_DST && ft[ks].syn == 0)
			ft[ks].syn = e->ts;
		if (e->mark == M_MIG_CTRL && e->tcp_flags == (TH_SYN | TH_ACK) &&
		    e->sport == PORT_MIG_DST && ft[kd].synack == 0)
			ft[kd].synack = e->ts;
		if (e->mark == M_MIG_ZEROWIN)
			ft[kd].zw++;
		if (is_mig_data(e))
			flow_step(&ft[e->flow & 15], e);
	}
}

/* migration.streams[]: in the report's order (first data, then port). */
static json_t *
truth_streams(const struct opts *o, const struct flowtruth *ft)
{
	json_t *a = json_array();
	int order[16], n = 0, i, j;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];

	inet_ntop(o->ipv6 ? AF_INET6 : AF_INET, o->ipv6 ?
	    (const void *)hosts[H_SRC].ip6 : (const void *)hosts[H_SRC].ip4,
	    src, sizeof src);
	inet_ntop(o->ipv6 ? AF_INET6 : AF_INET, o->ipv6 ?
	    (const void *)hosts[H_DST].ip6 : (const void *)hosts[H_DST].ip4,
	    dst, sizeof dst);
	for (i = 0; i < 16; i++) {
		if (!ft[i].seen)
			continue;
		for (j = n; j > 0 && ft[order[j - 1]].first > ft[i].first; j--)
			order[j] = order[j - 1];
		order[j] = i;
		n++;
	}
	for (j = 0; j < n; j++) {
		const struct flowtruth *f = &ft[order[j]];
		json_t *s = json_object();

		json_object_set_new(s, "src", json_string(src));
		json_object_set_new(s, "sport", json_integer(PORT_MIG_SRC + order[j]));
		json_object_set_new(s, "dst", json_string(dst));
		json_object_set_new(s, "dport", json_integer(PORT_MIG_DST));
		json_object_set_new(s, "magic", json_boolean(order[j] == 0 &&
		    o->snaplen >= mig_payload_off + 4));
		json_object_set_new(s, "bytes", json_integer((json_int_t)f->top));
		json_object_set_new(s, "segments", json_integer((json_int_t)f->segments));
		json_object_set_new(s, "first_data_ns", j_ns(f->first + o->ns_offset));
		json_object_set_new(s, "last_data_ns", j_ns(f->last + o->ns_offset));
		json_object_set_new(s, "duration_s", j_s(f->last - f->first));
		json_object_set_new(s, "retransmissions", json_integer((json_int_t)f->rtx));
		json_object_set_new(s, "zero_windows", json_integer((json_int_t)f->zw));
		json_object_set_new(s, "handshake_rtt_ns", f->syn && f->synack ?
		    j_ns(f->synack - f->syn) : json_null());
		json_array_append_new(a, s);
	}
	return a;
}

/*
 * The bins (the man page, "Migration stream"): --bin wide from the first
 * frame of all files (t0); a data frame's new bytes and its Ethernet frame
 * bytes (IP length + 14) go to the bin holding it. Over the bins from the
 * one holding the first data to the last one starting at or before the
 * last data: the peak rate; with --link, the utilisation (frame bytes *
 * 8 / duration / link) and the bins wholly inside [first, last] at 90%
 * of the link or more, the bottleneck when they are most (the mean when
 * no bin is wholly inside). Sets those keys of m (migration or
 * migrations[i]).
 */
static void
truth_bins(const struct opts *o, const struct evlist *l, int64_t t0,
    int64_t first, int64_t last, json_t *m)
{
	int64_t w = o->bin;
	size_t nb = (size_t)((last - t0) / w) + 1, i;
	uint64_t *bytes = calloc(nb, sizeof *bytes), *frames = calloc(nb, sizeof *frames);
	uint64_t fbytes = 0, inside = 0, full = 0;
	struct flowtruth ft[16];
	double bin_s = (double)w / 1e9, peak = 0, util = 0;

	if (bytes == NULL || frames == NULL)
		die(2, "out of memory");
	memset(ft, 0, sizeof ft);
	for (i = 0; i < l->n; i++) {
		const struct ev *e = &l->v[i];
		size_t b;

		if (!is_mig_data(e))
			continue;
		b = (size_t)((e->ts - t0) / w);
		bytes[b] += flow_step(&ft[e->flow & 15], e);
		frames[b] += tcp_ip_len(o, e) + 14;
	}
	for (i = (size_t)((first - t0) / w); i < nb && t0 + (int64_t)i * w <= last; i++) {
		int64_t bs = t0 + (int64_t)i * w;
		double bps = (double)bytes[i] * 8 / bin_s;

		if (bps > peak)
			peak = bps;
		fbytes += frames[i];
		if (o->link_bps == 0 || bs < first || bs + w > last)
			continue;
		inside++;
		if ((double)frames[i] * 8 / bin_s >= 0.9 * (double)o->link_bps)
			full++;
	}
	json_object_set_new(m, "peak_bps", json_real(peak));
	if (o->link_bps > 0) {
		if (last > first)
			util = (double)fbytes * 8 / ((double)(last - first) / 1e9) /
			    (double)o->link_bps;
		json_object_set_new(m, "utilisation", json_real(util));
		json_object_set_new(m, "bottleneck", json_boolean(inside > 0 ?
		    2 * full > inside : util >= 0.9));
		json_object_set_new(m, "bins_at_90pct", json_integer((json_int_t)full));
		json_object_set_new(m, "bins_inside", json_integer((json_int_t)inside));
	} else {
		json_object_set_new(m, "utilisation", json_null());
		json_object_set_new(m, "bottleneck", json_null());
		json_object_set_new(m, "bins_at_90pct", json_null());
		json_object_set_new(m, "bins_inside", json_null());
	}
	free(bytes);
	free(frames);
}

static const char *
link_name(const struct opts *o)
{
	static const char *const names[] = { "EN10MB", "LINUX_SLL",
	    "LINUX_SLL2", "RAW", "NULL", "LOOP" };

	return o->link >= 0 ? names[o->link] : NULL;
}

static json_t *
j_input(const struct opts *o, const char *path, const struct filestat *fs)
{
	json_t *in = json_object();

	json_object_set_new(in, "file", json_string(path));
	json_object_set_new(in, "link_type", json_string(link_name(o)));
	json_object_set_new(in, "packets", json_integer((json_int_t)fs->packets));
	json_object_set_new(in, "bytes", json_integer((json_int_t)fs->bytes));
	json_object_set_new(in, "first_ns", j_ns(fs->first + o->ns_offset));
	json_object_set_new(in, "last_ns", j_ns(fs->last + o->ns_offset));
	json_object_set_new(in, "backwards_timestamps", json_integer(0));
	json_object_set_new(in, "invalid_headers", json_integer(0));
	json_object_set_new(in, "damaged", json_false());
	/* Headers cut by the snapshot length: only TCP headers (32 bytes,
	 * 40 in a SYN) can be, unless IPv6 or VLAN tags make the others
	 * longer than 68 bytes too. */
	if (o->snaplen >= 80 || (!o->ipv6 && o->vlan == 0))
		json_object_set_new(in, "truncated_headers",
		    json_integer((json_int_t)fs->truncated));
	return in;
}

/*
 * The timeline's probe columns (the man page, "Timeline"): --bin wide
 * from the first frame of all files (t0); a probe counts as sent, and
 * when answered as answered, in the bin holding its request; its reply is
 * late when the next request went out before it (late_replies()).
 */
static void
truth_probe_bins(const struct opts *o, int64_t t0, json_t *root)
{
	json_t *pb, *sent = json_array(), *ans = json_array(), *late = json_array();
	size_t nb, i, b;
	uint32_t *cs, *ca, *cl;

	if (nprobe == 0 || probe_req[nprobe - 1] < t0) {
		json_decref(sent);
		json_decref(ans);
		json_decref(late);
		return;
	}
	nb = (size_t)((probe_req[nprobe - 1] - t0) / o->bin) + 1;
	cs = calloc(nb, sizeof(*cs));
	ca = calloc(nb, sizeof(*ca));
	cl = calloc(nb, sizeof(*cl));
	if (cs == NULL || ca == NULL || cl == NULL)
		die(2, "out of memory");
	for (i = 0; i < nprobe; i++) {
		b = (size_t)((probe_req[i] - t0) / o->bin);
		cs[b]++;
		if (probe_rep[i] >= 0) {
			ca[b]++;
			/* Late: the next request went out before it. */
			if (i + 1 < nprobe && probe_req[i + 1] < probe_rep[i])
				cl[b]++;
		}
	}
	for (b = 0; b < nb; b++) {
		json_array_append_new(sent, json_integer(cs[b]));
		json_array_append_new(ans, json_integer(ca[b]));
		json_array_append_new(late, json_integer(cl[b]));
	}
	free(cs);
	free(ca);
	free(cl);
	pb = json_object();
	json_object_set_new(pb, "bin_s", j_s(o->bin));
	json_object_set_new(pb, "probes_sent", sent);
	json_object_set_new(pb, "probes_answered", ans);
	json_object_set_new(pb, "late_replies", late);
	json_object_set_new(root, "probe_bins", pb);
}

/*
 * What needs both files (or the file list): inputs[], packets, first and
 * last frame, the bins of the stream, and migrations[] (one migration:
 * every flow overlaps the others) with the reply gap that holds its last
 * data (the man page, "Migrations"). Left out with --garbage or
 * --backwards, whose extra frames the measures must survive but whose
 * decoding is not settled here.
 */
void
truth_whole(const struct opts *o, const struct evlist *mgmt,
    const char *ext_path, const struct filestat *fe,
    const char *mgmt_path, const struct filestat *fm, json_t *root)
{
	json_t *inputs, *mig = json_object_get(root, "migration");
	json_t *intr = json_object_get(root, "interruption"), *ms, *one, *g;
	int64_t t0 = INT64_MAX, t1 = INT64_MIN, off = o->ns_offset;
	uint64_t packets = 0;
	size_t k;

	if (o->garbage > 0 || o->backwards || o->link < 0)
		return;
	inputs = json_array();
	if (ext_path != NULL) {
		json_array_append_new(inputs, j_input(o, ext_path, fe));
		packets += fe->packets;
		t0 = fe->first;
		t1 = fe->last;
	}
	if (mgmt_path != NULL) {
		json_array_append_new(inputs, j_input(o, mgmt_path, fm));
		packets += fm->packets;
		t0 = fm->first < t0 ? fm->first : t0;
		t1 = fm->last > t1 ? fm->last : t1;
	}
	json_object_set_new(root, "inputs", inputs);
	truth_probe_bins(o, t0, root);
	json_object_set_new(root, "packets", json_integer((json_int_t)packets));
	json_object_set_new(root, "first_ns", j_ns(t0 + off));
	json_object_set_new(root, "last_ns", j_ns(t1 + off));
	if (!json_is_object(mig)) {
		json_object_set_new(root, "migrations", json_array());
		return;
	}
	{
		int64_t first = json_integer_value(json_object_get(mig,
		    "first_data_ns")) - off;
		int64_t last = json_integer_value(json_object_get(mig,
		    "last_data_ns")) - off;
		struct flowtruth ft[16];

		flows_truth(mgmt, ft);
		json_object_set_new(mig, "streams", truth_streams(o, ft));
		json_object_set_new(mig, "bin_s", j_s(o->bin));
		json_object_set_new(mig, "link_bps", o->link_bps > 0 ?
		    json_integer((json_int_t)o->link_bps) : json_null());
		truth_bins(o, mgmt, t0, first, last, mig);
	}
	one = json_object();
	json_object_set(one, "first_data_ns", json_object_get(mig, "first_data_ns"));
	json_object_set(one, "last_data_ns", json_object_get(mig, "last_data_ns"));
	json_object_set(one, "duration_s", json_object_get(mig, "duration_s"));
	json_object_set(one, "streams", json_object_get(mig, "flows"));
	json_object_set(one, "bytes", json_object_get(mig, "bytes"));
	json_object_set(one, "mean_bps", json_object_get(mig, "mean_bps"));
	json_object_set(one, "peak_bps", json_object_get(mig, "peak_bps"));
	json_object_set(one, "retransmissions", json_object_get(mig, "retransmissions"));
	json_object_set(one, "utilisation", json_object_get(mig, "utilisation"));
	json_object_set(one, "bottleneck", json_object_get(mig, "bottleneck"));
	json_object_set(one, "bins_at_90pct", json_object_get(mig, "bins_at_90pct"));
	json_object_set(one, "bins_inside", json_object_get(mig, "bins_inside"));
	/* Its interruption: the reply gap holding its last data. */
	json_object_set_new(one, "interruption", json_null());
	json_array_foreach(json_is_object(intr) ? json_object_get(intr, "gaps") :
	    NULL, k, g) {
		json_int_t a = json_integer_value(json_object_get(g, "start_ns"));
		json_int_t b = json_integer_value(json_object_get(g, "end_ns"));
		json_int_t last = json_integer_value(json_object_get(mig, "last_data_ns"));
		json_t *ann = json_object_get(json_object_get(root, "announce"), "first_ns");
		json_t *gi;

		if (!(a < last && last <= b))
			continue;
		gi = json_object();
		json_object_set_new(gi, "last_reply_before_ns", j_ns(a));
		json_object_set_new(gi, "first_reply_after_ns", j_ns(b));
		json_object_set(gi, "duration_s", json_object_get(g, "duration_s"));
		json_object_set(gi, "lost_probes", json_object_get(g, "lost_probes"));
		if (json_is_integer(ann) && a < json_integer_value(ann) &&
		    json_integer_value(ann) <= b) {
			json_object_set(gi, "announce_ns", ann);
			json_object_set_new(gi, "announce_to_first_reply_s",
			    j_s(b - json_integer_value(ann)));
		} else {
			json_object_set_new(gi, "announce_ns", json_null());
			json_object_set_new(gi, "announce_to_first_reply_s", json_null());
		}
		json_object_set_new(one, "interruption", gi);
		break;
	}
	ms = json_array();
	json_array_append_new(ms, one);
	json_object_set_new(root, "migrations", ms);
}
