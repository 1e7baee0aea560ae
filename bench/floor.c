/*
 * floor.c: the floor of the benchmarks: a bare libpcap read loop over the
 * given capture files, one after the other, opened as migtrace opens them
 * (pcap_open_offline_with_tstamp_precision, nanoseconds; docs/captures.md)
 * and read with pcap_next_ex. It touches each record's header and first
 * byte so the work cannot be optimised away, and prints what it read.
 * No decoding, no merge, no measures: what any analyzer must at least pay.
 * With -d it reads with pcap_dispatch() and a callback instead, to see
 * whether the reading interface matters.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

struct counts {
	uint64_t packets, wire, sum;
};

static void
count(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	struct counts *c = (struct counts *)(void *)user;

	c->packets++;
	c->wire += h->len;
	c->sum += (uint64_t)h->ts.tv_sec + (uint64_t)h->ts.tv_usec +
	    (h->caplen > 0 ? data[0] : 0);
}

int
main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct counts c = { 0, 0, 0 };
	int dispatch = 0, first = 1;

	if (argc > 1 && strcmp(argv[1], "-d") == 0) {
		dispatch = 1;
		first = 2;
	}
	if (argc <= first) {
		fprintf(stderr, "Usage: floor [-d] FILE...\n");
		return 1;
	}
	for (int i = first; i < argc; i++) {
		struct pcap_pkthdr *h;
		const u_char *data;
		pcap_t *p;
		int r;

		p = pcap_open_offline_with_tstamp_precision(argv[i],
		    PCAP_TSTAMP_PRECISION_NANO, errbuf);
		if (p == NULL) {
			fprintf(stderr, "floor: %s: %s\n", argv[i], errbuf);
			return 2;
		}
		if (dispatch)
			r = pcap_dispatch(p, -1, count, (u_char *)&c);
		else
			while ((r = pcap_next_ex(p, &h, &data)) == 1)
				count((u_char *)&c, h, data);
		if (r == PCAP_ERROR) {
			fprintf(stderr, "floor: %s: %s\n", argv[i],
			    pcap_geterr(p));
			pcap_close(p);
			return 2;
		}
		pcap_close(p);
	}
	printf("%" PRIu64 " packets, %" PRIu64 " wire bytes (check %" PRIx64
	    ")\n", c.packets, c.wire, c.sum);
	return 0;
}
