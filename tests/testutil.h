/*
 * testutil.h: the byte writer the Check suites build frames and capture
 * files with: headers written byte by byte, as on the wire or in the
 * file, every byte checked against the buffer's size (ck_assert).
 */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

struct fb {
	uint8_t b[8192];
	size_t n;		/* bytes written */
	uint32_t wire;		/* wire length to hand a decoder, 0 = none */
	int le;			/* p16/p32 little-endian; 0: network order */
};

void	p8(struct fb *, unsigned);
void	p16(struct fb *, unsigned);
void	p32(struct fb *, uint32_t);
void	ple32(struct fb *, uint32_t);	/* little-endian whatever le says */
void	pbytes(struct fb *, const void *, size_t);

#endif /* TESTUTIL_H */
