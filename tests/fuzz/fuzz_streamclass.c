/*
 * fuzz_streamclass.c: libFuzzer target for the classes and walkers of
 * lib/measure/streamclass.c (libvirt RPC, TLS, QEMU's return path).
 * Input: one byte choosing the walker and whether it starts in sync,
 * then segments, each a 2-byte length on the wire, a 1-byte count of the
 * bytes captured, and those bytes (fewer if the input ends). Beyond "no
 * crash": what each segment returns adds up to payload + volume, a
 * segment never counts more than the bytes it walks, and the first of its
 * bytes classify without reading past them (abort() otherwise).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "measure/streamclass.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum sc_class kinds[3] = { SC_RPC, SC_TLS, SC_RETURN };
	struct sc_walk w;
	const uint64_t base = (uint64_t)1 << 32;
	uint64_t seq = base, sum = 0;
	size_t off = 1;
	mt_ns ts = 0;

	if (size < 1)
		return 0;
	sc_walk_init(&w, kinds[data[0] % 3], seq, (data[0] >> 2) & 1);
	while (off + 3 <= size) {
		uint32_t len = (uint32_t)data[off] << 8 | data[off + 1];
		size_t cap = data[off + 2], left = size - off - 3;
		uint64_t before = w.done, n;
		uint8_t *copy;

		off += 3;
		if (cap > left)
			cap = left;
		if (cap > len)
			cap = len;
		/* A copy of exactly cap bytes: ASan sees any read past them. */
		copy = malloc(cap > 0 ? cap : 1);
		if (copy == NULL)
			return 0;
		memcpy(copy, data + off, cap);
		(void)sc_classify(copy, cap);
		/* The length's high bit resends earlier bytes; the next bit
		 * (below) leaves a gap the capture missed. */
		if ((data[off - 3] & 0x80) && seq >= base + 512)
			seq -= 512;
		n = sc_walk_segment(&w, seq, len, copy, cap, ts);
		/* At most the bytes walked: [before, seq + len). */
		if (n > (seq + len > before ? seq + len - before : 0))
			abort();
		sum += n;
		free(copy);
		seq += len + ((data[off - 3] & 0x40) ? 100 : 0);
		off += cap;
		ts += 1000;
	}
	if (sum != sc_walk_bytes(&w))
		abort();
	return 0;
}
