/*
 * tcpflow.h: TCP flows that matter to a migration: the QEMU migration
 * stream (payload starting with the magic "QEVM" 0x5145564d, or a port in
 * the migration range; docs/wire-formats.md) and the VM's own TCP flows.
 *
 * Per direction: payload bytes in sequence space (retransmissions not
 * counted twice; a segment the capture missed still counts, since the
 * sequence numbers say it was sent), first and last data segment,
 * retransmissions, zero-window events, and the longest stall (no new data
 * acknowledged while data was outstanding), and the handshake's round
 * trip as the capture point sees it (the opener's SYN to the peer's
 * SYN/ACK: the path from the capture point to the peer and back). Wire
 * lengths only: captures are headers-only.
 *
 * Ownership: tcpflow_new() -> tcpflow_free(). tcpflow_list() returns an
 * array the caller frees with free().
 */
#ifndef MT_TCPFLOW_H
#define MT_TCPFLOW_H

#include "base/mt.h"
#include "input/pkt.h"
#include "measure/streamclass.h"

#define QEMU_VM_FILE_MAGIC 0x5145564dU	/* "QEVM", migration/savevm.c */

/* One direction of a flow that carried data. */
struct tcp_dir_info {
	struct mt_addr src, dst;
	uint16_t sport, dport;
	int migration;		/* this direction is a migration stream */
	int magic;		/* its payload began with "QEVM" */
	uint8_t cls;		/* enum sc_class: what its first bytes are */
	uint8_t by_port;	/* a migration stream by its port alone: a guess */
	uint8_t walked;		/* walk holds its messages (RPC, TLS, return path) */
	struct sc_walk walk;
	int involves_vm;
	uint64_t bytes;		/* sequence-space payload bytes */
	uint64_t segments;	/* data segments seen */
	uint64_t retrans;	/* data segments resending old sequence space */
	uint64_t zero_windows;	/* times the receiver's window fell to 0 */
	mt_ns first_data, last_data;
	mt_ns stall_start, stall_end;	/* longest stall, MT_NS_NONE if none */
	uint64_t stall_retrans;		/* retransmissions inside it */
	/*
	 * This direction opened the connection: its SYN to the peer's first
	 * SYN/ACK, at the capture point. MT_NS_NONE when the handshake was
	 * not captured, or the SYN was sent more than once (which one the
	 * SYN/ACK answers is unknown: Karn's rule, RFC 6298).
	 */
	mt_ns handshake_rtt;
};

/*
 * A post-copy switch: the first page request on a return path, and the
 * migration bytes from the source host to the destination host after it
 * (the pages pushed and fetched while the guest ran on the destination).
 */
struct tcp_postcopy {
	struct mt_addr src, dst;	/* the migration's source, destination */
	mt_ns start;
	uint64_t bytes_after;
};

struct tcpflow_opts {
	uint16_t mig_port_lo, mig_port_hi;	/* destination ports of the stream */
	struct mt_addr vm;			/* family 0: no VM flows tracked */
};

struct tcpflow;

struct tcpflow *tcpflow_new(const struct tcpflow_opts *o);	/* NULL: no memory */
void tcpflow_free(struct tcpflow *t);

/*
 * Feed one packet (non-TCP packets are ignored). Packets come in time
 * order. Sets *new_mig_bytes to the migration-stream bytes this segment
 * added (for the timeline). Return 1 if it is a data segment of a
 * migration stream (new or resent), 0 if not, -1 when out of memory.
 */
int tcpflow_add(struct tcpflow *t, const struct pkt *p, uint64_t *new_mig_bytes);

/*
 * Every direction that carried data, ordered by first data segment. Of a
 * flow retired after two minutes of silence (so memory is bounded by the
 * flows alive at one time, tcpflow.c), only what the report reads stays:
 * its migration directions, and the VM direction with the longest stall
 * of all retired flows. Return 0 with *out (malloc'd) and *n set, or -1
 * when out of memory.
 */
int tcpflow_list(struct tcpflow *t, struct tcp_dir_info **out, size_t *n);

/* What the flow of the last packet given to tcpflow_add() is. */
enum tcpflow_kind { TCPFLOW_OTHER, TCPFLOW_MIGRATION, TCPFLOW_STORAGE,
    TCPFLOW_RPC };
enum tcpflow_kind tcpflow_last_kind(const struct tcpflow *t);

/* The post-copy switches seen, in time order (*n of them; owned by t). */
const struct tcp_postcopy *tcpflow_postcopy(const struct tcpflow *t, size_t *n);

#endif /* MT_TCPFLOW_H */
