/*
 * mkmodes.c: write one synthetic capture (Ethernet, both capture points
 * in one file) of a VM migrated in one of libvirt's modes, and its truth
 * as JSON, computed from the frames written (docs/migration-modes.md has
 * the formats):
 *
 *   plain      QEMU's stream to the migration port ("QEVM"), QEMU 10's
 *              return path (SWITCHOVER_ACK, PONG, SHUT)
 *   tunnelled  the stream as libvirt RPC STREAM messages on the source
 *              libvirtd's connection to the destination's 16509
 *   tls        TLS records from the first byte (ClientHello, then
 *              application data) to the migration port
 *   postcopy   the main channel, a preempt channel (a RAM page header
 *              first), and page requests on the return path
 *   multifd    a main channel and four channels starting 0x11223344
 *   storage    an NBD copy to port 49153 (server greets NBDMAGIC
 *              IHAVEOPT) before the memory stream; --nbd-port N puts it
 *              on another port (virsh migrate --disks-port)
 *   abort      the stream stops, the destination resets the connection,
 *              the guest goes on answering: no gap, no announce
 *
 * Every mode also has echo probes to the VM every 10 ms, the VM's five
 * RARP announces after a switchover, and a libvirtd control connection
 * whose client port (49160) lies in the migration port range.
 *
 * Usage: mkmodes MODE OUT.pcap TRUTH.json [--snaplen N] [--packed]
 *     [--nbd-port N]
 * --packed: messages and records fill segments back to back (a header
 * mostly lands mid-segment); without it each starts a segment.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <pcap/pcap.h>

#define MS	1000000LL
#define T0	(1767225600LL * 1000000000LL)
#define MSS	1448
#define ETH_IP_TCP	54

enum { H_CLIENT, H_VM, H_SRC, H_DST, H_NFS, NH };
static const uint8_t ip4[NH][4] = { {192, 0, 2, 1}, {192, 0, 2, 10},
    {198, 51, 100, 1}, {198, 51, 100, 2}, {198, 51, 100, 3} };
static const uint8_t mac[NH][6] = { {2, 0, 0, 0, 1, 1},
    {0x52, 0x54, 0x00, 0x12, 0x34, 0x56}, {2, 0, 0, 0, 2, 1},
    {2, 0, 0, 0, 2, 2}, {2, 0, 0, 0, 2, 3} };

static uint16_t nbd_port = 49153;	/* --nbd-port */
static uint64_t nfs_frame_bytes;	/* frames to or from port 2049 */

struct ev {
	int64_t ts;
	uint32_t len;
	uint8_t *f;
	size_t order;
};

static struct ev *evs;
static size_t nev, capev;

static void
die(const char *m)
{
	fprintf(stderr, "mkmodes: %s\n", m);
	exit(2);
}

static uint8_t *
ev_new(int64_t ts, uint32_t len)
{
	if (nev == capev) {
		capev = capev ? 2 * capev : 4096;
		if ((evs = realloc(evs, capev * sizeof(*evs))) == NULL)
			die("out of memory");
	}
	evs[nev].ts = T0 + ts;
	evs[nev].len = len;
	evs[nev].order = nev;
	if ((evs[nev].f = calloc(1, len)) == NULL)
		die("out of memory");
	return evs[nev++].f;
}

static void
eth(uint8_t *f, int s, const uint8_t *dmac, uint16_t type)
{
	memcpy(f, dmac, 6);
	memcpy(f + 6, mac[s], 6);
	f[12] = (uint8_t)(type >> 8);
	f[13] = (uint8_t)type;
}

static void
ipv4(uint8_t *f, int s, int d, uint8_t proto, uint16_t len)
{
	uint32_t sum = 0;

	f[0] = 0x45;
	f[2] = (uint8_t)(len >> 8);
	f[3] = (uint8_t)len;
	f[8] = 64;
	f[9] = proto;
	memcpy(f + 12, ip4[s], 4);
	memcpy(f + 16, ip4[d], 4);
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)(f[i] << 8 | f[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	f[10] = (uint8_t)(~sum >> 8);
	f[11] = (uint8_t)~sum;
}

static void
be16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
be32(uint8_t *p, uint32_t v)
{
	be16(p, v >> 16);
	be16(p + 2, v);
}

/* A TCP connection: client c:cp -> server s:sp. */
struct conn {
	int c, s;
	uint16_t cp, sp;
	uint32_t seq[2];	/* next seq: [0] client, [1] server */
};

#define F_FIN 0x01
#define F_SYN 0x02
#define F_RST 0x04
#define F_PSH 0x08
#define F_ACK 0x10

static void
tcp(int64_t ts, struct conn *k, int from_server, uint8_t flags,
    const uint8_t *data, size_t n)
{
	int s = from_server ? k->s : k->c, d = from_server ? k->c : k->s;
	uint8_t *f = ev_new(ts, (uint32_t)(ETH_IP_TCP + n)), *t = f + 34;

	if (k->sp == 2049)
		nfs_frame_bytes += ETH_IP_TCP + n;

	eth(f, s, mac[d], 0x0800);
	ipv4(f + 14, s, d, 6, (uint16_t)(40 + n));
	be16(t, from_server ? k->sp : k->cp);
	be16(t + 2, from_server ? k->cp : k->sp);
	be32(t + 4, k->seq[from_server]);
	be32(t + 8, (flags & F_ACK) ? k->seq[!from_server] : 0);
	t[12] = 5 << 4;
	t[13] = flags;
	be16(t + 14, 65535);
	if (n > 0)
		memcpy(t + 20, data, n);
	k->seq[from_server] += (uint32_t)n + ((flags & (F_SYN | F_FIN)) ? 1 : 0);
}

static void
conn_open(int64_t ts, struct conn *k, int c, int s, uint16_t cp, uint16_t sp)
{
	k->c = c, k->s = s, k->cp = cp, k->sp = sp;
	k->seq[0] = 1000000u * cp;
	k->seq[1] = 7000000u + sp;
	tcp(ts, k, 0, F_SYN, NULL, 0);
	tcp(ts + MS / 10, k, 1, F_SYN | F_ACK, NULL, 0);
	tcp(ts + MS / 5, k, 0, F_ACK, NULL, 0);
}

/*
 * Send n bytes of buf from one side in segments of at most MSS, evenly
 * from t0 to t1, the peer ACKing every second; cuts (sorted offsets,
 * ncut of them) start a new segment. Records each segment's time of its
 * bytes in seg_ts when not NULL (seg_ts[i]: time of byte i's segment is
 * not needed; the first and last are returned).
 */
static void
send_buf(struct conn *k, int from_server, const uint8_t *buf, size_t n,
    int64_t t0, int64_t t1, const size_t *cuts, size_t ncut,
    int64_t *first, int64_t *last)
{
	size_t nseg = 0, off = 0, c = 0;

	/* Count segments first, for even spacing. */
	for (size_t o = 0, cc = 0; o < n; nseg++) {
		size_t lim = o + MSS;
		while (cc < ncut && cuts[cc] <= o)
			cc++;
		if (cc < ncut && cuts[cc] < lim)
			lim = cuts[cc];
		o = lim < n ? lim : n;
	}
	for (size_t i = 0; off < n; i++) {
		size_t lim = off + MSS;
		int64_t ts = t0 + (nseg > 1 ? (t1 - t0) * (int64_t)i /
		    (int64_t)(nseg - 1) : 0);
		while (c < ncut && cuts[c] <= off)
			c++;
		if (c < ncut && cuts[c] < lim)
			lim = cuts[c];
		if (lim > n)
			lim = n;
		tcp(ts, k, from_server, F_ACK | F_PSH, buf + off, lim - off);
		if (first != NULL && i == 0)
			*first = ts;
		if (last != NULL)
			*last = ts;
		if (i % 2 == 1)
			tcp(ts + MS / 20, k, !from_server, F_ACK, NULL, 0);
		off = lim;
	}
}

/* Echo probes every 10 ms for 3 s; none answered in [oa, ob). */
static void
echo(int64_t oa, int64_t ob, int64_t *before, int64_t *after)
{
	*before = *after = -1;
	for (int i = 0; i < 300; i++) {
		int64_t t = (int64_t)i * 10 * MS;
		for (int rep = 0; rep < 2; rep++) {
			int s = rep ? H_VM : H_CLIENT, d = rep ? H_CLIENT : H_VM;
			uint8_t *f, *ic;
			int64_t ts = t + (rep ? MS / 5 : 0);
			if (rep && t >= oa && t < ob)
				break;
			f = ev_new(ts, 14 + 20 + 8 + 32);
			eth(f, s, mac[d], 0x0800);
			ipv4(f + 14, s, d, 1, 20 + 8 + 32);
			ic = f + 34;
			ic[0] = rep ? 0 : 8;
			be16(ic + 4, 0x4d54);
			be16(ic + 6, (uint32_t)i);
			if (rep && t < oa)
				*before = T0 + ts;
			if (rep && t >= ob && *after < 0)
				*after = T0 + ts;
		}
	}
}

/* QEMU's five RARP announces (net/announce.c) from ts. */
static void
announce(int64_t ts)
{
	static const int64_t at[5] = { 0, 50, 200, 450, 800 };
	static const uint8_t bc[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	for (int i = 0; i < 5; i++) {
		uint8_t *f = ev_new(ts + at[i] * MS, 60), *a = f + 14;
		eth(f, H_VM, bc, 0x8035);
		be16(a, 1);
		be16(a + 2, 0x0800);
		a[4] = 6;
		a[5] = 4;
		be16(a + 6, 3);
		memcpy(a + 8, mac[H_VM], 6);
		memcpy(a + 18, mac[H_VM], 6);
	}
}

/* A libvirt RPC message header (virnetprotocol.x) at p. */
static void
rpc_hdr(uint8_t *p, uint32_t len, uint32_t proc, uint32_t type,
    uint32_t serial, uint32_t status)
{
	be32(p, len);
	be32(p + 4, 0x20008086);
	be32(p + 8, 1);
	be32(p + 12, proc);
	be32(p + 16, type);
	be32(p + 20, serial);
	be32(p + 24, status);
}

/* n RPC calls on k from t, each answered 1 ms later. */
static void
rpc_calls(struct conn *k, int64_t t, int n, uint32_t *serial)
{
	uint8_t m[64];

	for (int i = 0; i < n; i++, (*serial)++) {
		memset(m, 0, sizeof(m));
		rpc_hdr(m, 64, 1 + (uint32_t)i, 0, *serial, 0);
		tcp(t + i * 2 * MS, k, 0, F_ACK | F_PSH, m, 64);
		rpc_hdr(m, 48, 1 + (uint32_t)i, 1, *serial, 0);
		tcp(t + i * 2 * MS + MS, k, 1, F_ACK | F_PSH, m, 48);
	}
}

/* The QEMU stream's bytes: "QEVM", version 3, then filler. */
static uint8_t *
qemu_bytes(size_t n)
{
	uint8_t *b = malloc(n);

	if (b == NULL)
		die("out of memory");
	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)(0xa5 ^ (i * 7));
	if (n >= 8) {
		be32(b, 0x5145564d);
		be32(b + 4, 3);
	}
	return b;
}

static json_t *truth;
static json_t *channels;

static void
channel(const char *role, size_t bytes)
{
	json_array_append_new(channels, json_pack("{s:s, s:I}", "role", role,
	    "bytes", (json_int_t)bytes));
}

static void rp_msg(struct conn *, int64_t, uint16_t, uint16_t, int);

/*
 * A plain stream of n bytes on a new connection src:sport -> dst:49152;
 * rp: with QEMU 10's early return-path messages (SWITCHOVER_ACK, PONG),
 * written first so that their ACKs ack nothing sent after them.
 */
static void
plain(struct conn *k, uint16_t sport, size_t n, int64_t t0, int64_t t1,
    int64_t *first, int64_t *last, int rp)
{
	uint8_t *b = qemu_bytes(n);

	conn_open(t0 - MS, k, H_SRC, H_DST, sport, 49152);
	if (rp) {
		rp_msg(k, t0 + 100 * MS, 7, 0, 0);	/* SWITCHOVER_ACK */
		rp_msg(k, t0 + 110 * MS, 2, 4, 0);	/* PONG */
	}
	send_buf(k, 0, b, n, t0, t1, NULL, 0, first, last);
	free(b);
}

/* A return-path message (migration/migration.c) from the destination;
 * its ACK acks what the source sent before it was written here. */
static void
rp_msg(struct conn *k, int64_t ts, uint16_t type, uint16_t len, int twice)
{
	uint8_t m[64];
	size_t n = 4 + (size_t)len;

	memset(m, 0, sizeof(m));
	be16(m, type);
	be16(m + 2, len);
	if (twice) {
		memcpy(m + n, m, n);
		n *= 2;
	}
	tcp(ts, k, 1, F_ACK | F_PSH, m, n);
}

static int
ev_cmp(const void *x, const void *y)
{
	const struct ev *a = x, *b = y;

	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

int
main(int argc, char **argv)
{
	const char *mode, *out, *tpath;
	int snaplen = 1514, packed = 0, completed = 1;
	int64_t before, after, first = 0, last = 0, ann = 2150 * MS;
	size_t mig_bytes = 0, flows = 1;
	struct conn main_c, ctl;
	uint32_t serial = 1;
	const char *transport = "tcp";
	pcap_t *pd;
	pcap_dumper_t *w;

	if (argc < 4)
		die("usage: mkmodes MODE OUT.pcap TRUTH.json [--snaplen N] [--packed] [--nbd-port N]");
	mode = argv[1], out = argv[2], tpath = argv[3];
	for (int i = 4; i < argc; i++) {
		if (strcmp(argv[i], "--packed") == 0)
			packed = 1;
		else if (strcmp(argv[i], "--snaplen") == 0 && i + 1 < argc)
			snaplen = atoi(argv[++i]);
		else if (strcmp(argv[i], "--nbd-port") == 0 && i + 1 < argc)
			nbd_port = (uint16_t)atoi(argv[++i]);
		else
			die("unknown option");
	}
	truth = json_object();
	channels = json_array();

	/* The control connection on an ephemeral port in the range. */
	conn_open(300 * MS, &ctl, H_SRC, H_DST, 49160, 16509);
	rpc_calls(&ctl, 301 * MS, 6, &serial);

	if (strcmp(mode, "plain") == 0 || strcmp(mode, "storage") == 0 ||
	    strcmp(mode, "abort") == 0 || strcmp(mode, "postcopy") == 0) {
		int ab = strcmp(mode, "abort") == 0;
		int pc = strcmp(mode, "postcopy") == 0;

		mig_bytes = 2000000;
		plain(&main_c, 45678, mig_bytes, 500 * MS,
		    (ab ? 1500 : pc ? 2000 : 2050) * MS, &first, &last, 1);
		if (ab) {
			completed = 0;
			tcp(1650 * MS, &main_c, 1, F_RST | F_ACK, NULL, 0);
			tcp(1651 * MS, &main_c, 1, F_RST | F_ACK, NULL, 0);
		} else if (!pc)
			rp_msg(&main_c, 2060 * MS, 1, 4, 0);	/* SHUT */
		if (pc) {
			/* After the switch: more pages on the main channel and
			 * on the preempt channel, and the page requests. */
			struct conn pre;
			uint8_t *b = qemu_bytes(500000);
			int64_t f2, l2, rf = -1, rl = -1, nreq = 0;
			size_t after_b = 300000 + 200000;

			memset(b, 0x11, 16);	/* a RAM page header, not QEVM */
			b[7] = 0x08;		/* RAM_SAVE_FLAG_PAGE */
			ann = 2100 * MS;
			rp_msg(&main_c, 2120 * MS, 3, 12 + 1 + 6, 0);
			rf = rl = 2120 * MS;
			nreq = 1;
			for (int i = 0; i < 150; i++) {
				int64_t ts = 2122 * MS + (int64_t)i * MS;
				int two = i % 10 == 9;
				rp_msg(&main_c, ts, 4, 12, two);
				nreq += 1 + two;
				rl = ts;
			}
			/* After the requests: their ACKs must not ack data
			 * sent later. */
			send_buf(&main_c, 0, b + 16, 300000, 2125 * MS,
			    2600 * MS, NULL, 0, &f2, &last);
			conn_open(2040 * MS, &pre, H_SRC, H_DST, 45679, 49152);
			send_buf(&pre, 0, b, 200000, 2121 * MS, 2590 * MS,
			    NULL, 0, &f2, &l2);
			rp_msg(&main_c, 2610 * MS, 1, 4, 0);
			free(b);
			flows = 2;
			mig_bytes += 300000 + 200000;
			channel("main", 2300000);
			channel("preempt", 200000);
			json_object_set_new(truth, "postcopy", json_pack(
			    "{s:I, s:I, s:I, s:I}", "start_ns", (json_int_t)(T0 + rf),
			    "page_requests", (json_int_t)nreq,
			    "last_request_ns", (json_int_t)(T0 + rl),
			    "bytes_after_start", (json_int_t)after_b));
		} else
			channel("main", mig_bytes);
		if (strcmp(mode, "storage") == 0) {
			struct conn nbd;
			uint8_t g[18], fl[4] = { 0, 0, 0, 3 };
			uint8_t *d = qemu_bytes(1000000);
			int64_t sf, sl;

			memcpy(g, "NBDMAGICIHAVEOPT", 16);
			g[16] = 0, g[17] = 3;
			be32(d, 0x25609513);	/* NBD_REQUEST_MAGIC */
			conn_open(100 * MS, &nbd, H_SRC, H_DST, 45690, nbd_port);
			tcp(101 * MS, &nbd, 1, F_ACK | F_PSH, g, sizeof(g));
			tcp(102 * MS, &nbd, 0, F_ACK | F_PSH, fl, sizeof(fl));
			send_buf(&nbd, 0, d, 1000000, 110 * MS, 450 * MS, NULL,
			    0, &sf, &sl);
			free(d);
			/* NFS traffic during the memory stream: the link's
			 * share. */
			{
				struct conn nfs;
				uint8_t *q = qemu_bytes(300000);
				int64_t a, z;
				be32(q, 0x80000064);	/* an RPC record mark, not QEVM */
				conn_open(1000 * MS, &nfs, H_SRC, H_NFS, 800, 2049);
				send_buf(&nfs, 0, q, 300000, 1010 * MS, 1500 * MS,
				    NULL, 0, &a, &z);
				free(q);
			}
			json_object_set_new(truth, "link_share_nfs",
			    json_integer((json_int_t)nfs_frame_bytes));
			json_object_set_new(truth, "storage", json_pack(
			    "{s:I, s:I, s:I, s:i}", "bytes", (json_int_t)(1000000 + 4),
			    "first_ns", (json_int_t)(T0 + 102 * MS),
			    "last_ns", (json_int_t)(T0 + sl), "channels", 1));
		}
	} else if (strcmp(mode, "multifd") == 0) {
		struct conn ch[4];

		plain(&main_c, 45678, 136000, 500 * MS, 2050 * MS, &first, &last, 0);
		channel("main", 136000);
		for (int i = 0; i < 4; i++) {
			uint8_t *b = qemu_bytes(500000);
			int64_t f, l;
			be32(b, 0x11223344);
			conn_open(500 * MS + i * MS / 2, &ch[i], H_SRC, H_DST,
			    (uint16_t)(45680 + i), 49152);
			send_buf(&ch[i], 0, b, 500000, 503 * MS, 2049 * MS, NULL,
			    0, &f, &l);
			free(b);
			channel("multifd", 500000);
		}
		mig_bytes = 136000 + 4 * 500000;
		flows = 5;
	} else if (strcmp(mode, "tunnelled") == 0) {
		/* The source libvirtd's connection: calls, the prepare call,
		 * the stream as STREAM messages (bodies of 65536), its end. */
		struct conn t;
		size_t body = 65536, total = 2000000, nmsg, len, off = 0;
		uint8_t *q = qemu_bytes(total), *buf;
		size_t *cuts;

		nmsg = (total + body - 1) / body;
		len = total + nmsg * 28;
		buf = malloc(len);
		cuts = malloc(nmsg * sizeof(*cuts));
		if (buf == NULL || cuts == NULL)
			die("out of memory");
		for (size_t i = 0, done = 0; i < nmsg; i++) {
			size_t b = total - done < body ? total - done : body;
			rpc_hdr(buf + off, (uint32_t)(28 + b), 350, 3, serial, 2);
			memcpy(buf + off + 28, q + done, b);
			cuts[i] = off;
			off += 28 + b;
			done += b;
		}
		conn_open(50 * MS, &t, H_SRC, H_DST, 41000, 16509);
		rpc_calls(&t, 60 * MS, 5, &serial);
		rpc_calls(&t, 490 * MS, 1, &serial);
		send_buf(&t, 0, buf, len, 500 * MS, 2050 * MS, cuts,
		    packed ? 0 : nmsg, &first, &last);
		{
			uint8_t m[28];
			rpc_hdr(m, 28, 350, 3, serial, 0);	/* end of stream */
			tcp(2052 * MS, &t, 0, F_ACK | F_PSH, m, 28);
		}
		rpc_calls(&t, 2060 * MS, 1, &serial);
		free(q);
		free(buf);
		free(cuts);
		mig_bytes = total;
		transport = "tunnelled";
		channel("rpc", total);
	} else if (strcmp(mode, "tls") == 0) {
		/* TLS 1.3 (RFC 8446): ClientHello, the server's flight, then
		 * application data records of 16384 + 17 bytes. */
		struct conn t;
		size_t total = 2000000, rec = 16401, nrec, len, off = 0, pay = 0;
		uint8_t *buf, sh[128];
		size_t *cuts;

		nrec = (total + rec - 1) / rec;
		len = (5 + 508) + total + 5 * nrec;
		buf = malloc(len);
		cuts = malloc((nrec + 1) * sizeof(*cuts));
		if (buf == NULL || cuts == NULL)
			die("out of memory");
		memset(buf, 0x5a, len);
		buf[0] = 22, buf[1] = 3, buf[2] = 1;
		be16(buf + 3, 508);
		buf[5] = 1;		/* ClientHello */
		cuts[0] = 0;
		off = 5 + 508;
		pay = 508;
		for (size_t i = 0, done = 0; i < nrec; i++) {
			size_t b = total - done < rec ? total - done : rec;
			cuts[i + 1] = off;
			buf[off] = 23, buf[off + 1] = 3, buf[off + 2] = 3;
			be16(buf + off + 3, (uint32_t)b);
			off += 5 + b;
			done += b;
			pay += b;
		}
		conn_open(499 * MS, &t, H_SRC, H_DST, 45678, 49152);
		tcp(500 * MS, &t, 0, F_ACK | F_PSH, buf, 5 + 508);
		memset(sh, 0x3c, sizeof(sh));
		sh[0] = 22, sh[1] = 3, sh[2] = 3;
		be16(sh + 3, 123);
		tcp(502 * MS, &t, 1, F_ACK | F_PSH, sh, sizeof(sh));
		for (size_t i = 1; i <= nrec; i++)
			cuts[i] -= 513;
		send_buf(&t, 0, buf + 513, len - 513, 505 * MS, 2050 * MS,
		    cuts + 1, packed ? 0 : nrec, NULL, &last);
		first = 500 * MS;
		free(buf);
		free(cuts);
		mig_bytes = pay;
		transport = "tls";
		channel("tls", pay);
	} else
		die("unknown mode (plain, tunnelled, tls, postcopy, multifd, storage, abort)");

	echo(completed ? 2000 * MS : 10000 * MS, completed ? 2300 * MS :
	    10000 * MS, &before, &after);
	if (completed)
		announce(ann);

	qsort(evs, nev, sizeof(*evs), ev_cmp);
	if ((pd = pcap_open_dead(DLT_EN10MB, snaplen)) == NULL ||
	    (w = pcap_dump_open(pd, out)) == NULL)
		die("cannot write the capture");
	for (size_t i = 0; i < nev; i++) {
		struct pcap_pkthdr h;
		h.ts.tv_sec = evs[i].ts / 1000000000LL;
		h.ts.tv_usec = (evs[i].ts % 1000000000LL) / 1000;
		h.len = evs[i].len;
		h.caplen = evs[i].len < (uint32_t)snaplen ? evs[i].len :
		    (uint32_t)snaplen;
		pcap_dump((u_char *)w, &h, evs[i].f);
		free(evs[i].f);
	}
	pcap_dump_close(w);
	pcap_close(pd);
	free(evs);

	json_object_set_new(truth, "transport", json_string(transport));
	json_object_set_new(truth, "flows", json_integer((json_int_t)flows));
	json_object_set_new(truth, "bytes", json_integer((json_int_t)mig_bytes));
	json_object_set_new(truth, "first_data_ns", json_integer(T0 + first));
	json_object_set_new(truth, "last_data_ns", json_integer(T0 + last));
	json_object_set_new(truth, "channels", channels);
	json_object_set_new(truth, "outcome", json_string(completed ?
	    "completed" : "aborted"));
	if (completed)
		json_object_set_new(truth, "interruption", json_pack(
		    "{s:I, s:I, s:I}", "last_reply_before_ns", (json_int_t)before,
		    "first_reply_after_ns", (json_int_t)after,
		    "announce_ns", (json_int_t)(T0 + ann)));
	if (json_dump_file(truth, tpath, JSON_INDENT(2) | JSON_SORT_KEYS) < 0)
		die("cannot write the truth");
	json_decref(truth);
	return 0;
}
