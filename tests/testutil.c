/* testutil.c: the byte writer of the Check suites (testutil.h). */
#include "config.h"

#include <check.h>

#include "testutil.h"

void
p8(struct fb *f, unsigned v)
{
	ck_assert_uint_lt(f->n, sizeof(f->b));
	f->b[f->n++] = (uint8_t)v;
}

void
p16(struct fb *f, unsigned v)
{
	if (f->le) {
		p8(f, v & 0xff);
		p8(f, (v >> 8) & 0xff);
	} else {
		p8(f, (v >> 8) & 0xff);
		p8(f, v & 0xff);
	}
}

void
p32(struct fb *f, uint32_t v)
{
	if (f->le) {
		p16(f, v & 0xffff);
		p16(f, v >> 16);
	} else {
		p16(f, v >> 16);
		p16(f, v & 0xffff);
	}
}

void
ple32(struct fb *f, uint32_t v)
{
	p8(f, v & 0xff);
	p8(f, (v >> 8) & 0xff);
	p8(f, (v >> 16) & 0xff);
	p8(f, v >> 24);
}

void
pbytes(struct fb *f, const void *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p8(f, ((const uint8_t *)v)[i]);
}
