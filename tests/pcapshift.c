/*
 * pcapshift: copy a pcap file (either byte order, micro- or nanosecond
 * magic) with every timestamp moved by a signed number of nanoseconds,
 * the way another host's clock would have stamped it. For the clock
 * tests (tests/clocks.test); a microsecond file is moved to the nearest
 * microsecond.
 *
 * usage: pcapshift IN OUT NS
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t
sw32(uint32_t v, int swap)
{
	return swap ? __builtin_bswap32(v) : v;
}

int
main(int argc, char **argv)
{
	FILE *in, *out;
	uint32_t gh[6], rh[4], magic;
	int swap, nano;
	int64_t shift, unit;
	char *end;
	static uint8_t buf[262144];

	if (argc != 4) {
		fprintf(stderr, "usage: pcapshift IN OUT NS\n");
		return 1;
	}
	errno = 0;
	shift = strtoll(argv[3], &end, 10);
	if (errno != 0 || end == argv[3] || *end != '\0') {
		fprintf(stderr, "pcapshift: '%s' is not a number of ns\n", argv[3]);
		return 1;
	}
	if ((in = fopen(argv[1], "rb")) == NULL ||
	    (out = fopen(argv[2], "wb")) == NULL) {
		fprintf(stderr, "pcapshift: %s\n", strerror(errno));
		return 1;
	}
	if (fread(gh, 4, 6, in) != 6) {
		fprintf(stderr, "pcapshift: %s: short header\n", argv[1]);
		return 1;
	}
	magic = gh[0];
	if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d)
		swap = 0;
	else if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1)
		swap = 1;
	else {
		fprintf(stderr, "pcapshift: %s: not a pcap file\n", argv[1]);
		return 1;
	}
	nano = sw32(magic, swap) == 0xa1b23c4d;
	unit = nano ? 1000000000 : 1000000;
	fwrite(gh, 4, 6, out);
	while (fread(rh, 4, 4, in) == 4) {
		uint32_t cap = sw32(rh[2], swap);
		int64_t t = (int64_t)sw32(rh[0], swap) * unit + sw32(rh[1], swap);

		t += nano ? shift : (shift >= 0 ? shift + 500 : shift - 500) / 1000;
		rh[0] = sw32((uint32_t)(t / unit), swap);
		rh[1] = sw32((uint32_t)(t % unit), swap);
		if (cap > sizeof(buf) || fread(buf, 1, cap, in) != cap) {
			fprintf(stderr, "pcapshift: %s: damaged record\n", argv[1]);
			return 1;
		}
		fwrite(rh, 4, 4, out);
		fwrite(buf, 1, cap, out);
	}
	if (fclose(out) != 0) {
		fprintf(stderr, "pcapshift: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	fclose(in);
	return 0;
}
