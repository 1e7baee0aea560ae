/*
 * mkpcap.h: what the parts of tests/mkpcap share: the scenario's types
 * (events, options, hosts, link types) and the functions one part calls
 * in another. mkpcap.c (options, random numbers, main),
 * mkpcap_scenario.c (the events of both capture points),
 * mkpcap_frames.c (frames and the file writers), mkpcap_truth.c (the
 * truth JSON from the frames written).
 */
#ifndef MKPCAP_H
#define MKPCAP_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>


#define NS_PER_US	1000LL
#define NS_PER_MS	1000000LL
#define NS_PER_S	1000000000LL

#define MAX_OUTAGES	8
#define MAX_FRAME	2048

/* Link types as written in files (LINKTYPE_*, tcpdump.org/linktypes). */
#define LT_NULL		0
#define LT_EN10MB	1
#define LT_RAW		101
#define LT_LOOP		108
#define LT_SLL		113
#define LT_SLL2		276

enum linkkind { LK_EN10MB, LK_SLL, LK_SLL2, LK_RAW, LK_NULL, LK_LOOP };

struct linktype_def {
	const char *name;
	enum linkkind kind;
	int linktype;		/* in the file */
	int dlt;		/* for pcap_open_dead() on this system */
};
extern const struct linktype_def linktypes[6];

/* The hosts of the scenario (documentation ranges, RFC 5737 / 3849). */
enum host {
	H_CLIENT, H_VM, H_BGA, H_BGB, H_BGC, H_BGD,	/* external network */
	H_SRC, H_DST, H_ADMIN,				/* management network */
	H_BCAST, H_NONE,
	NHOSTS
};

struct host_def {
	uint8_t mac[6];
	uint8_t ip4[4];
	uint8_t ip6[16];
};
extern const struct host_def hosts[NHOSTS];

/* Ports of the management flows. */
#define PORT_MIG_SRC	45678	/* outside 49152-49215 on purpose */
#define PORT_MIG_DST	49152	/* docs/wire-formats.md: first port libvirt picks */
#define PORT_LIBVIRT	16509
#define PORT_LIBVIRT_CL	41000
#define PORT_SSH	22
#define PORT_SSH_CL	51000
#define ECHO_ID		0x4d54	/* client's probes */
#define ECHO_ID_BG	0x0bad	/* background echo between two other hosts */
#define PORT_UP_CL	40100	/* --vm-upload: client -> VM */
#define PORT_UP_VM	5201

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_PSH 0x08
#define TH_ACK 0x10

enum evkind { EV_ECHO, EV_ARP, EV_UDP, EV_TCP, EV_GARBAGE };

/* Payload contents. */
enum paykind { PAY_ZERO, PAY_QEVM, PAY_MULTIFD, PAY_RPC, PAY_PATTERN };

/* What an event is, for the truth. */
enum mark {
	M_NONE, M_PROBE_REQ, M_PROBE_REP, M_ANNOUNCE, M_MIG_DATA,
	M_MIG_RETRANS, M_MIG_ACK, M_MIG_ZEROWIN, M_MIG_CTRL, M_VM_OTHER,
	M_UP_DATA, M_UP_ACK
};

struct ev {
	int64_t ts;		/* ns since the epoch */
	uint64_t order;		/* creation order: ties keep it */
	uint8_t kind;		/* enum evkind */
	uint8_t mark;		/* enum mark */
	uint8_t smac, dmac;	/* link addresses (enum host) */
	uint8_t sip, dip;	/* IP addresses (enum host) */
	uint8_t echo_reply;	/* EV_ECHO */
	uint8_t tcp_flags;
	uint8_t paykind;
	uint16_t arp_op;	/* EV_ARP: 1, 2 or 3 (RARP request) */
	uint16_t arp_ethertype;
	uint8_t arp_sha, arp_spa, arp_tha, arp_tpa;
	uint16_t sport, dport;	/* UDP/TCP; echo id in sport, seq in dport */
	uint32_t seq, ack;	/* TCP */
	uint16_t win;
	uint32_t len;		/* L4 payload bytes (echo data, UDP, TCP) */
	uint32_t payoff;	/* offset of the payload in its stream */
	int syn_opts;		/* TCP SYN options instead of timestamps */
	uint8_t flow;		/* migration flow: 0 main, 1.. multifd */
};

struct evlist {
	struct ev *v;
	size_t n, cap;
};

struct outage {
	int64_t start, dur;	/* ns relative to the scenario start */
};

struct opts {
	int link;		/* index in linktypes[], -1: raw number */
	int link_number;	/* --linktype NUM */
	int nano;
	int pcapng;
	int swapped;
	int vlan;
	int ipv6;
	int role_ext, role_mgmt;
	const char *out;
	const char *truth;
	int64_t t0;		/* scenario start, ns since the epoch */
	int64_t probe_interval;
	struct outage outages[MAX_OUTAGES];
	int noutages;
	int64_t announce_lead;
	uint64_t stream_rate;	/* payload bits per second */
	uint64_t stream_bytes;
	int64_t stream_start;
	int retrans;
	int overlaps;
	int zero_windows;
	int64_t zero_window_pause;
	uint32_t snaplen;
	uint64_t seed;
	int64_t duration;	/* 0: automatic */
	int ns_offset;
	int af_inet6;
	int extra_if;		/* pcapng: a second IDB of this link type, -1 none */
	int backwards;
	int no_probes, no_announce, no_background, no_stream, no_arp;
	int64_t min_gap;	/* for the truth's gaps; 0: 3 intervals */
	int multifd;		/* extra migration channels */
	int garp;		/* a gratuitous ARP after each RARP */
	int64_t vm_chatter;	/* the VM sends UDP this often; 0: never */
	int garbage;		/* random frames per file */
	int64_t vm_upload;	/* client -> VM TCP segment spacing; 0: none */
	int64_t bin;		/* for the truth's bins (--bin), default 100ms */
	int64_t reply_delay;	/* --reply-delay; 0: 150-250 us */
	uint64_t link_bps;	/* for the truth's utilisation (--link); 0: none */
};

/* What one file holds, for the truth's inputs[]. */
struct filestat {
	uint64_t packets, bytes;
	uint64_t truncated;	/* TCP frames whose header the snaplen cuts */
	int64_t first, last;
};

extern const char *progname;
/* Where the main migration flow's payload starts in its frames (bytes
 * from the link header on): the magic is in the file only if the
 * snapshot length reaches 4 bytes past it. */
extern size_t mig_payload_off;

/* mkpcap.c */
uint64_t	rng(void);
uint64_t	rng_below(uint64_t);
void		die(int code, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3), noreturn));
struct ev	*ev_add(struct evlist *, int64_t, enum evkind, enum mark);
int		ev_cmp(const void *, const void *);

/* mkpcap_scenario.c */
void		gen_ext(const struct opts *, struct evlist *);
/* The probes gen_ext() made: request and reply times (-1: none). */
extern int64_t	*probe_req, *probe_rep;
extern size_t	nprobe;
void		probe_note(int64_t, int64_t);
void		gen_mgmt(const struct opts *, struct evlist *);
int64_t		add_handshake(struct evlist *, int64_t, int, int, uint16_t,
		    uint16_t, uint32_t, uint32_t, enum mark);
void		add_garbage(const struct opts *, struct evlist *);

/* mkpcap_frames.c */
void		write_role(const struct opts *, int, struct evlist *,
		    const char *, struct filestat *);

/* mkpcap_truth.c */
json_t		*truth_ext(const struct opts *, const struct evlist *, json_t *);
json_t		*truth_stall(const struct opts *, const struct evlist *);
void		truth_mgmt(const struct opts *, const struct evlist *, json_t *);
void		truth_whole(const struct opts *, const struct evlist *,
		    const char *, const struct filestat *, const char *,
		    const struct filestat *, json_t *);

#endif /* MKPCAP_H */
