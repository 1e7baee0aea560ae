/*
 * floor.c: the floor of the benchmarks: a bare libpcap read loop over the
 * given capture files, one after the other, opened as migtrace opens them
 * (pcap_open_offline_with_tstamp_precision, nanoseconds; REFERENCE.md 5)
 * and read with pcap_next_ex. It touches each record's header and first
 * byte so the work cannot be optimised away, and prints what it read.
 * No decoding, no merge, no measures: what any analyzer must at least pay.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include <pcap/pcap.h>

int
main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	uint64_t packets = 0, wire = 0, sum = 0;

	if (argc < 2) {
		fprintf(stderr, "Usage: floor FILE...\n");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
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
		while ((r = pcap_next_ex(p, &h, &data)) == 1) {
			packets++;
			wire += h->len;
			sum += (uint64_t)h->ts.tv_sec + (uint64_t)h->ts.tv_usec +
			    (h->caplen > 0 ? data[0] : 0);
		}
		if (r == PCAP_ERROR) {
			fprintf(stderr, "floor: %s: %s\n", argv[i],
			    pcap_geterr(p));
			pcap_close(p);
			return 2;
		}
		pcap_close(p);
	}
	printf("%" PRIu64 " packets, %" PRIu64 " wire bytes (check %" PRIx64
	    ")\n", packets, wire, sum);
	return 0;
}
