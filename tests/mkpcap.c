/*
 * mkpcap.c: write synthetic captures of a VM live migration whose every
 * measure is known exactly, and write those values (the truth) as JSON.
 *
 * Two capture points, one file each (--role):
 *   ext   the external network: ICMP/ICMPv6 echo between a client and the
 *         VM, ARP, QEMU's RARP announces after the switchover
 *         (docs/wire-formats.md: ethertype 0x8035, opcode 3, broadcast, source =
 *         guest MAC, 5 frames at +0, +50, +200, +450, +800 ms), and the
 *         background traffic of other hosts (echo between two other hosts,
 *         UDP queries);
 *   mgmt  the management network: the migration TCP stream source host ->
 *         destination host port 49152 whose payload starts with "QEVM"
 *         0x5145564d and version 3 (docs/wire-formats.md), MSS-sized segments at
 *         a given payload rate, ACKs back, optional retransmissions and
 *         zero-window ACKs, optional multifd channels (magic 0x11223344),
 *         an unrelated bulk TCP flow on port 22 and libvirtd RPC on 16509.
 * Options for other cases: gratuitous ARPs, the VM's own traffic (for
 * captures without probes), frames of random bytes, link types the
 * analyzer does not read, pcapng with two interfaces, a timestamp going
 * backwards (tests/README.md has them all).
 *
 * pcap is written with libpcap (pcap_open_dead_with_tstamp_precision +
 * pcap_dump), or by hand in the other byte order with --swapped; pcapng
 * by hand (SHB, IDB with if_tsresol, EPB). Every timestamp is a whole
 * microsecond (plus --ns-offset nanoseconds with --precision ns), so
 * microsecond and nanosecond files hold the same times.
 *
 * The truth is computed from the frames actually written, not from the
 * parameters, so it holds whatever the options do to the scenario.
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

const struct linktype_def linktypes[6] = {
	{ "en10mb", LK_EN10MB, LT_EN10MB, DLT_EN10MB },
	{ "sll", LK_SLL, LT_SLL, DLT_LINUX_SLL },
	{ "sll2", LK_SLL2, LT_SLL2, DLT_LINUX_SLL2 },
	{ "raw", LK_RAW, LT_RAW, DLT_RAW },
	{ "null", LK_NULL, LT_NULL, DLT_NULL },
	{ "loop", LK_LOOP, LT_LOOP, DLT_LOOP },
};

const struct host_def hosts[NHOSTS] = {
	[H_CLIENT] = { {2, 0, 0, 0, 1, 1}, {192, 0, 2, 1},
	    {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x01} },
	[H_VM] = { {0x52, 0x54, 0x00, 0x12, 0x34, 0x56}, {192, 0, 2, 10},
	    {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x10} },
	[H_BGA] = { {2, 0, 0, 0, 1, 0x20}, {192, 0, 2, 20},
	    {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x20} },
	[H_BGB] = { {2, 0, 0, 0, 1, 0x21}, {192, 0, 2, 21},
	    {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x21} },
	[H_BGC] = { {2, 0, 0, 0, 1, 0x30}, {192, 0, 2, 30},
	    {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x30} },
	[H_BGD] = { {2, 0, 0, 0, 1, 0x31}, {192, 0, 2, 31},
	    {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x31} },
	[H_SRC] = { {2, 0, 0, 0, 2, 1}, {198, 51, 100, 1},
	    {0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 0x01} },
	[H_DST] = { {2, 0, 0, 0, 2, 2}, {198, 51, 100, 2},
	    {0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 0x02} },
	[H_ADMIN] = { {2, 0, 0, 0, 2, 9}, {198, 51, 100, 9},
	    {0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 0x09} },
	[H_BCAST] = { {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, {0}, {0} },
	[H_NONE] = { {0}, {0}, {0} },
};

const char *progname = "mkpcap";
static uint64_t rng_state;

/* xorshift64*: a small generator that gives the same numbers everywhere. */
uint64_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

/* A uniform integer in [0, n). */
uint64_t
rng_below(uint64_t n)
{
	return n ? rng() % n : 0;
}

void
die(int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

struct ev *
ev_add(struct evlist *l, int64_t ts, enum evkind kind, enum mark mark)
{
	struct ev *e;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 4096;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
		if (l->v == NULL)
			die(2, "out of memory");
	}
	e = &l->v[l->n];
	memset(e, 0, sizeof *e);
	e->ts = ts;
	e->order = l->n;
	e->kind = kind;
	e->mark = mark;
	e->dmac = H_NONE;
	l->n++;
	return e;
}

int
ev_cmp(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* ---- option values ---------------------------------------------------- */

/*
 * A duration: "10ms", "1.5s", "250us", "100ns", "0.3" (seconds when
 * unitless). Decimal digits are read exactly (no binary rounding).
 */
static int
parse_duration(const char *s, int64_t *ns)
{
	int64_t ip = 0, frac = 0, fscale = 1, unit;
	const char *p = s;
	int digits = 0;

	if (*p == '\0')
		return -1;
	while (*p >= '0' && *p <= '9') {
		if (ip > INT64_MAX / 100)
			return -1;
		ip = ip * 10 + (*p++ - '0');
		digits++;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			if (fscale < NS_PER_S) {
				frac = frac * 10 + (*p - '0');
				fscale *= 10;
			}
			p++;
			digits++;
		}
	}
	if (digits == 0)
		return -1;
	if (*p == '\0' || strcmp(p, "s") == 0)
		unit = NS_PER_S;
	else if (strcmp(p, "ms") == 0)
		unit = NS_PER_MS;
	else if (strcmp(p, "us") == 0)
		unit = NS_PER_US;
	else if (strcmp(p, "ns") == 0)
		unit = 1;
	else
		return -1;
	if (ip > INT64_MAX / unit)
		return -1;
	*ns = ip * unit + frac * unit / fscale;
	return 0;
}

/* A rate in bits/s: "100M", "1G", "95000000", "100mbit", "10Mbit/s". */
static int
parse_rate(const char *s, uint64_t *bps)
{
	char *end;
	double v;
	uint64_t mul = 1;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno != 0 || v <= 0)
		return -1;
	switch (*end) {
	case 'k': case 'K': mul = 1000; end++; break;
	case 'm': case 'M': mul = 1000000; end++; break;
	case 'g': case 'G': mul = 1000000000; end++; break;
	default: break;
	}
	if (*end != '\0' && strcmp(end, "bit") != 0 && strcmp(end, "bit/s") != 0 &&
	    strcmp(end, "bps") != 0)
		return -1;
	v = v * (double)mul;
	if (v < 1 || v > 1e13)
		return -1;
	*bps = (uint64_t)llround(v);
	return 0;
}

/* An unsigned integer with an optional k/M/G (powers of 1000) suffix. */
static int
parse_count(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	if (*s == '-')
		return -1;
	v = strtoull(s, &end, 10);
	if (end == s || errno != 0)
		return -1;
	if (*end == 'k' || *end == 'K')
		v *= 1000, end++;
	else if (*end == 'M')
		v *= 1000000, end++;
	else if (*end == 'G')
		v *= 1000000000, end++;
	if (*end != '\0')
		return -1;
	*out = v;
	return 0;
}

static int
parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || errno != 0 || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* ---- main ------------------------------------------------------------- */

static void
usage(FILE *f)
{
	fprintf(f,
"usage: %s [options] -w PATH\n"
"Write synthetic captures of a VM live migration with exactly known values.\n"
"\n"
"  -w, --write PATH        output file; with --role both a prefix:\n"
"                          PATH-ext.pcap and PATH-mgmt.pcap (.pcapng)\n"
"  -t, --truth FILE        write the expected measures as JSON ('-': stdout)\n"
"  -r, --role ROLE         ext, mgmt or both (default ext)\n"
"  -l, --linktype TYPE     en10mb, sll, sll2, raw, null, loop (default en10mb);\n"
"                          a number writes that link type in the header over\n"
"                          Ethernet frames (for bad-input tests)\n"
"  -p, --precision P       us or ns (default us)\n"
"  -f, --format F          pcap or pcapng (default pcap)\n"
"      --swapped           pcap in the other byte order (written by hand)\n"
"      --vlan N            stack N VLAN tags (802.1ad outside, 802.1Q inside)\n"
"  -6, --ipv6              IPv6 and ICMPv6 instead of IPv4 (no ARP)\n"
"      --probe-interval D  echo request spacing (default 10ms)\n"
"      --outage START:DUR  the VM is silent in [START, START+DUR) after the\n"
"                          scenario start (default 1s:300ms); repeatable; the\n"
"                          longest is the migration's\n"
"      --announce-lead D   first RARP this long before the outage ends\n"
"                          (default 40ms); RARPs at +0,50,200,450,800 ms\n"
"      --stream-rate R     migration payload rate in bits/s (default 100M)\n"
"      --stream-bytes N    migration payload bytes (default 10M = 10000000)\n"
"      --stream-start D    first migration data segment (default 200ms)\n"
"      --retrans N         retransmitted segments (default 0)\n"
"      --overlap N         segments sent as a half, then whole: resends that\n"
"                          overlap old data and carry new (default 0)\n"
"      --zero-windows N    zero-window ACKs, each pausing the sender (default 0)\n"
"      --zero-window-pause D  (default 20ms)\n"
"  -s, --snaplen N         captured bytes per frame (default 128)\n"
"      --seed N            random seed for jitter (default 1)\n"
"      --start-time S      scenario start, seconds since the epoch\n"
"                          (default 1767225600 = 2026-01-01T00:00:00Z)\n"
"      --duration D        scenario length (default: all events + 500ms)\n"
"      --ns-offset N       add N ns (0-999) to every timestamp (ns only)\n"
"      --af-inet6 N        AF_INET6 value for null/loop (24, 28, 30; default 30)\n"
"      --min-gap D         gap threshold for the truth (default 3 intervals)\n"
"      --bin D             bin width for the truth's peak (default 100ms)\n"
"      --reply-delay D     each echo reply D after its request (default\n"
"                          150-250us): late replies in the timeline\n"
"      --link RATE         link rate for the truth's utilisation (default none)\n"
"      --no-probes, --no-announce, --no-background, --no-stream, --no-arp\n"
"                          leave that traffic out\n"
"      --multifd N         N more migration channels to port 49152 (multifd\n"
"                          magic), sharing --stream-bytes and --stream-rate\n"
"      --garp              a gratuitous ARP from the VM 1 ms after each RARP\n"
"      --vm-chatter D      the VM sends a UDP datagram every D (not in outages)\n"
"      --garbage N         N frames of random bytes at random times per file\n"
"      --vm-upload D       the client uploads to the VM over TCP, a segment\n"
"                          every D; outages stall it (RTO 200 ms, doubling)\n"
"      --extra-if LINKTYPE pcapng: a second interface of that link type\n"
"      --backwards         one background frame 500 ms before its predecessor\n"
"  -h, --help              this text\n",
	    progname);
}

static void
set_defaults(struct opts *o)
{
	memset(o, 0, sizeof *o);
	o->link = 0;
	o->role_ext = 1;
	o->t0 = 1767225600LL * NS_PER_S;
	o->probe_interval = 10 * NS_PER_MS;
	o->bin = 100 * NS_PER_MS;
	o->announce_lead = 40 * NS_PER_MS;
	o->stream_rate = 100000000;
	o->stream_bytes = 10000000;
	o->stream_start = 200 * NS_PER_MS;
	o->zero_window_pause = 20 * NS_PER_MS;
	o->snaplen = 128;
	o->seed = 1;
	o->af_inet6 = 30;
	o->extra_if = -1;
}

enum {
	O_VLAN = 256, O_PROBE, O_OUTAGE, O_LEAD, O_RATE, O_BYTES, O_SSTART,
	O_RETRANS, O_OVERLAP, O_ZW, O_ZWP, O_SEED, O_START, O_DURATION, O_NSOFF, O_AF6,
	O_MINGAP, O_TBIN, O_TLINK, O_NOPROBES, O_NOANN, O_NOBG, O_NOSTREAM, O_NOARP, O_EXTRAIF,
	O_BACK, O_SWAPPED, O_MULTIFD, O_GARP, O_CHATTER, O_GARBAGE, O_UPLOAD,
	O_RDELAY
};

static const struct option longopts[] = {
	{ "write", required_argument, NULL, 'w' },
	{ "truth", required_argument, NULL, 't' },
	{ "role", required_argument, NULL, 'r' },
	{ "linktype", required_argument, NULL, 'l' },
	{ "precision", required_argument, NULL, 'p' },
	{ "format", required_argument, NULL, 'f' },
	{ "swapped", no_argument, NULL, O_SWAPPED },
	{ "vlan", required_argument, NULL, O_VLAN },
	{ "ipv6", no_argument, NULL, '6' },
	{ "probe-interval", required_argument, NULL, O_PROBE },
	{ "outage", required_argument, NULL, O_OUTAGE },
	{ "announce-lead", required_argument, NULL, O_LEAD },
	{ "stream-rate", required_argument, NULL, O_RATE },
	{ "stream-bytes", required_argument, NULL, O_BYTES },
	{ "stream-start", required_argument, NULL, O_SSTART },
	{ "retrans", required_argument, NULL, O_RETRANS },
	{ "overlap", required_argument, NULL, O_OVERLAP },
	{ "zero-windows", required_argument, NULL, O_ZW },
	{ "zero-window-pause", required_argument, NULL, O_ZWP },
	{ "snaplen", required_argument, NULL, 's' },
	{ "seed", required_argument, NULL, O_SEED },
	{ "start-time", required_argument, NULL, O_START },
	{ "duration", required_argument, NULL, O_DURATION },
	{ "ns-offset", required_argument, NULL, O_NSOFF },
	{ "af-inet6", required_argument, NULL, O_AF6 },
	{ "min-gap", required_argument, NULL, O_MINGAP },
	{ "bin", required_argument, NULL, O_TBIN },
	{ "reply-delay", required_argument, NULL, O_RDELAY },
	{ "link", required_argument, NULL, O_TLINK },
	{ "no-probes", no_argument, NULL, O_NOPROBES },
	{ "no-announce", no_argument, NULL, O_NOANN },
	{ "no-background", no_argument, NULL, O_NOBG },
	{ "no-stream", no_argument, NULL, O_NOSTREAM },
	{ "no-arp", no_argument, NULL, O_NOARP },
	{ "extra-if", required_argument, NULL, O_EXTRAIF },
	{ "backwards", no_argument, NULL, O_BACK },
	{ "multifd", required_argument, NULL, O_MULTIFD },
	{ "garp", no_argument, NULL, O_GARP },
	{ "garbage", required_argument, NULL, O_GARBAGE },
	{ "vm-upload", required_argument, NULL, O_UPLOAD },
	{ "vm-chatter", required_argument, NULL, O_CHATTER },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void
bad_arg(const char *opt, const char *val)
{
	fprintf(stderr, "%s: invalid %s '%s'\n", progname, opt, val);
	fprintf(stderr, "Try '%s --help'.\n", progname);
	exit(1);
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct evlist ext = { 0 }, mgmt = { 0 };
	struct filestat fs_ext, fs_mgmt;
	json_t *root;
	char *ext_path = NULL, *mgmt_path = NULL;
	int c, i;
	long v;
	uint64_t u;

	set_defaults(&o);
	while ((c = getopt_long(argc, argv, "w:t:r:l:p:f:6s:h", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'w':
			o.out = optarg;
			break;
		case 't':
			o.truth = optarg;
			break;
		case 'r':
			if (strcmp(optarg, "ext") == 0)
				o.role_ext = 1, o.role_mgmt = 0;
			else if (strcmp(optarg, "mgmt") == 0)
				o.role_ext = 0, o.role_mgmt = 1;
			else if (strcmp(optarg, "both") == 0)
				o.role_ext = 1, o.role_mgmt = 1;
			else
				bad_arg("--role", optarg);
			break;
		case 'l':
			o.link = -1;
			for (i = 0; i < (int)(sizeof linktypes / sizeof linktypes[0]); i++)
				if (strcmp(optarg, linktypes[i].name) == 0)
					o.link = i;
			if (o.link < 0) {
				if (parse_int(optarg, 0, 65535, &v) != 0)
					bad_arg("--linktype", optarg);
				o.link_number = (int)v;
			}
			break;
		case 'p':
			if (strcmp(optarg, "us") == 0)
				o.nano = 0;
			else if (strcmp(optarg, "ns") == 0)
				o.nano = 1;
			else
				bad_arg("--precision", optarg);
			break;
		case 'f':
			if (strcmp(optarg, "pcap") == 0)
				o.pcapng = 0;
			else if (strcmp(optarg, "pcapng") == 0)
				o.pcapng = 1;
			else
				bad_arg("--format", optarg);
			break;
		case O_SWAPPED:
			o.swapped = 1;
			break;
		case O_VLAN:
			if (parse_int(optarg, 0, 8, &v) != 0)
				bad_arg("--vlan", optarg);
			o.vlan = (int)v;
			break;
		case '6':
			o.ipv6 = 1;
			break;
		case O_PROBE:
			if (parse_duration(optarg, &o.probe_interval) != 0 ||
			    o.probe_interval < NS_PER_MS ||
			    o.probe_interval % NS_PER_US != 0)
				bad_arg("--probe-interval (at least 1ms, whole us)",
				    optarg);
			break;
		case O_OUTAGE: {
			char *colon = strchr(optarg, ':');
			struct outage *u2;

			if (o.noutages == MAX_OUTAGES)
				bad_arg("--outage (too many)", optarg);
			u2 = &o.outages[o.noutages];
			if (colon == NULL)
				bad_arg("--outage", optarg);
			*colon = '\0';
			if (parse_duration(optarg, &u2->start) != 0 ||
			    parse_duration(colon + 1, &u2->dur) != 0 ||
			    u2->dur <= 0)
				bad_arg("--outage", optarg);
			*colon = ':';
			o.noutages++;
			break;
		}
		case O_LEAD:
			if (parse_duration(optarg, &o.announce_lead) != 0)
				bad_arg("--announce-lead", optarg);
			break;
		case O_RATE:
			if (parse_rate(optarg, &o.stream_rate) != 0)
				bad_arg("--stream-rate", optarg);
			break;
		case O_BYTES:
			if (parse_count(optarg, &o.stream_bytes) != 0 ||
			    o.stream_bytes == 0 || o.stream_bytes > 4000000000ULL)
				bad_arg("--stream-bytes (1 to 4G)", optarg);
			break;
		case O_SSTART:
			if (parse_duration(optarg, &o.stream_start) != 0 ||
			    o.stream_start < 10 * NS_PER_MS)
				bad_arg("--stream-start (at least 10ms)", optarg);
			break;
		case O_RETRANS:
			if (parse_int(optarg, 0, 100000, &v) != 0)
				bad_arg("--retrans", optarg);
			o.retrans = (int)v;
			break;
		case O_OVERLAP:
			if (parse_int(optarg, 0, 100000, &v) != 0)
				bad_arg("--overlap", optarg);
			o.overlaps = (int)v;
			break;
		case O_ZW:
			if (parse_int(optarg, 0, 100000, &v) != 0)
				bad_arg("--zero-windows", optarg);
			o.zero_windows = (int)v;
			break;
		case O_ZWP:
			if (parse_duration(optarg, &o.zero_window_pause) != 0 ||
			    o.zero_window_pause < NS_PER_MS)
				bad_arg("--zero-window-pause (at least 1ms)", optarg);
			break;
		case 's':
			if (parse_int(optarg, 68, 262144, &v) != 0)
				bad_arg("--snaplen (68-262144)", optarg);
			o.snaplen = (uint32_t)v;
			break;
		case O_SEED:
			if (parse_count(optarg, &u) != 0)
				bad_arg("--seed", optarg);
			o.seed = u;
			break;
		case O_START:
			if (parse_count(optarg, &u) != 0 || u > 4000000000ULL)
				bad_arg("--start-time", optarg);
			o.t0 = (int64_t)u * NS_PER_S;
			break;
		case O_DURATION:
			if (parse_duration(optarg, &o.duration) != 0 || o.duration <= 0)
				bad_arg("--duration", optarg);
			break;
		case O_NSOFF:
			if (parse_int(optarg, 0, 999, &v) != 0)
				bad_arg("--ns-offset (0-999)", optarg);
			o.ns_offset = (int)v;
			break;
		case O_AF6:
			if (parse_int(optarg, 1, 255, &v) != 0)
				bad_arg("--af-inet6", optarg);
			o.af_inet6 = (int)v;
			break;
		case O_MINGAP:
			if (parse_duration(optarg, &o.min_gap) != 0)
				bad_arg("--min-gap", optarg);
			break;
		case O_RDELAY:
			if (parse_duration(optarg, &o.reply_delay) != 0 ||
			    o.reply_delay < NS_PER_US)
				bad_arg("--reply-delay (at least 1us)", optarg);
			break;
		case O_TBIN:
			if (parse_duration(optarg, &o.bin) != 0 || o.bin < NS_PER_MS)
				bad_arg("--bin (at least 1ms)", optarg);
			break;
		case O_TLINK:
			if (parse_rate(optarg, &o.link_bps) != 0 || o.link_bps == 0)
				bad_arg("--link", optarg);
			break;
		case O_NOPROBES: o.no_probes = 1; break;
		case O_NOANN: o.no_announce = 1; break;
		case O_NOBG: o.no_background = 1; break;
		case O_NOSTREAM: o.no_stream = 1; break;
		case O_NOARP: o.no_arp = 1; break;
		case O_EXTRAIF:
			if (parse_int(optarg, 0, 65535, &v) != 0)
				bad_arg("--extra-if", optarg);
			o.extra_if = (int)v;
			break;
		case O_BACK:
			o.backwards = 1;
			break;
		case O_MULTIFD:
			if (parse_int(optarg, 0, 15, &v) != 0)
				bad_arg("--multifd (0-15)", optarg);
			o.multifd = (int)v;
			break;
		case O_GARP:
			o.garp = 1;
			break;
		case O_UPLOAD:
			if (parse_duration(optarg, &o.vm_upload) != 0 ||
			    o.vm_upload < NS_PER_MS || o.vm_upload % NS_PER_US != 0)
				bad_arg("--vm-upload (at least 1ms, whole us)", optarg);
			break;
		case O_GARBAGE:
			if (parse_int(optarg, 0, 1000000, &v) != 0)
				bad_arg("--garbage", optarg);
			o.garbage = (int)v;
			break;
		case O_CHATTER:
			if (parse_duration(optarg, &o.vm_chatter) != 0 ||
			    o.vm_chatter < 100 * NS_PER_US ||
			    o.vm_chatter % NS_PER_US != 0)
				bad_arg("--vm-chatter (at least 100us, whole us)",
				    optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "Try '%s --help'.\n", progname);
			return 1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", progname,
		    argv[optind]);
		return 1;
	}
	if (o.out == NULL) {
		fprintf(stderr, "%s: no output file (use -w PATH)\n", progname);
		return 1;
	}
	if (o.ns_offset != 0 && !o.nano)
		die(1, "--ns-offset needs --precision ns");
	if (o.vlan > 0 && o.link >= 0 && linktypes[o.link].kind != LK_EN10MB)
		die(1, "--vlan needs --linktype en10mb");
	if (o.swapped && o.pcapng)
		die(1, "--swapped is for --format pcap");
	if (o.extra_if >= 0 && !o.pcapng)
		die(1, "--extra-if is for --format pcapng");
	if (o.noutages == 0) {
		o.outages[0].start = 1 * NS_PER_S;
		o.outages[0].dur = 300 * NS_PER_MS;
		o.noutages = 1;
	}
	rng_state = o.seed * 0x9e3779b97f4a7c15ULL + 0x2545f4914f6cdd1dULL;
	if (rng_state == 0)
		rng_state = 1;

	if (o.role_ext && o.role_mgmt) {
		const char *sfx = o.pcapng ? "pcapng" : "pcap";
		size_t n = strlen(o.out) + 16;

		ext_path = malloc(n);
		mgmt_path = malloc(n);
		if (ext_path == NULL || mgmt_path == NULL)
			die(2, "out of memory");
		snprintf(ext_path, n, "%s-ext.%s", o.out, sfx);
		snprintf(mgmt_path, n, "%s-mgmt.%s", o.out, sfx);
	} else if (o.role_ext)
		ext_path = strdup(o.out);
	else
		mgmt_path = strdup(o.out);

	/* Generate both roles (fixed order, so the random numbers are the
	 * same whichever file is written), write those asked for. */
	gen_ext(&o, &ext);
	gen_mgmt(&o, &mgmt);
	add_garbage(&o, &ext);
	add_garbage(&o, &mgmt);
	root = json_object();
	json_object_set_new(root, "generator", json_string("mkpcap"));
	json_object_set_new(root, "seed", json_integer((json_int_t)o.seed));
	if (ext_path != NULL) {
		write_role(&o, 1, &ext, ext_path, &fs_ext);
		json_object_set_new(root, "ext_file", json_string(ext_path));
		truth_ext(&o, &ext, root);
	}
	if (mgmt_path != NULL) {
		write_role(&o, 0, &mgmt, mgmt_path, &fs_mgmt);
		json_object_set_new(root, "mgmt_file", json_string(mgmt_path));
		truth_mgmt(&o, &mgmt, root);
	}
	if (ext_path == NULL) {
		/* No external network: no probes, no announce, no VM. */
		json_t *ann = json_object(), *vm = json_object();

		json_object_set_new(root, "interruption", json_null());
		json_object_set_new(ann, "first_ns", json_null());
		json_object_set_new(ann, "count", json_integer(0));
		json_object_set_new(ann, "rarp", json_integer(0));
		json_object_set_new(ann, "garp", json_integer(0));
		json_object_set_new(ann, "mac", json_null());
		json_object_set_new(ann, "to_first_reply_s", json_null());
		json_object_set_new(root, "announce", ann);
		json_object_set_new(vm, "ip", json_null());
		json_object_set_new(vm, "mac", json_null());
		json_object_set_new(root, "vm", vm);
	}
	if (mgmt_path == NULL)	/* no management network: no stream */
		json_object_set_new(root, "migration", json_null());
	truth_whole(&o, &mgmt, ext_path, &fs_ext, mgmt_path, &fs_mgmt, root);
	if (o.truth != NULL) {
		int rc = strcmp(o.truth, "-") == 0 ?
		    json_dumpf(root, stdout, JSON_INDENT(2) | JSON_SORT_KEYS) :
		    json_dump_file(root, o.truth, JSON_INDENT(2) | JSON_SORT_KEYS);

		if (rc != 0)
			die(2, "%s: cannot write the truth", o.truth);
		if (strcmp(o.truth, "-") == 0)
			putchar('\n');
	}
	json_decref(root);
	free(ext.v);
	free(mgmt.v);
	free(ext_path);
	free(mgmt_path);
	return 0;
}
