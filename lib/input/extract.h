/*
 * extract.h: bounds-checked reads of packet bytes (after tcpdump's
 * extract.h). Packet bytes are hostile: every read goes through these
 * helpers, which check the cursor against the end of the captured data.
 */
#ifndef MT_EXTRACT_H
#define MT_EXTRACT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A read-only window on captured bytes: [p, end). */
struct bytes {
	const uint8_t *p;
	const uint8_t *end;
};

static inline size_t
bytes_left(const struct bytes *b)
{
	return (size_t)(b->end - b->p);
}

/* Return 1 if n bytes are available at offset off, 0 otherwise. */
static inline int
bytes_have(const struct bytes *b, size_t off, size_t n)
{
	size_t left = bytes_left(b);
	return off <= left && n <= left - off;
}

/* Each getter returns 0 on success and stores the value, -1 if short. */
static inline int
get_u8(const struct bytes *b, size_t off, uint8_t *v)
{
	if (!bytes_have(b, off, 1))
		return -1;
	*v = b->p[off];
	return 0;
}

static inline int
get_be16(const struct bytes *b, size_t off, uint16_t *v)
{
	if (!bytes_have(b, off, 2))
		return -1;
	*v = (uint16_t)((uint16_t)b->p[off] << 8 | b->p[off + 1]);
	return 0;
}

static inline int
get_le16(const struct bytes *b, size_t off, uint16_t *v)
{
	if (!bytes_have(b, off, 2))
		return -1;
	*v = (uint16_t)((uint16_t)b->p[off + 1] << 8 | b->p[off]);
	return 0;
}

static inline int
get_be32(const struct bytes *b, size_t off, uint32_t *v)
{
	if (!bytes_have(b, off, 4))
		return -1;
	*v = (uint32_t)b->p[off] << 24 | (uint32_t)b->p[off + 1] << 16 |
	    (uint32_t)b->p[off + 2] << 8 | (uint32_t)b->p[off + 3];
	return 0;
}

static inline int
get_le32(const struct bytes *b, size_t off, uint32_t *v)
{
	if (!bytes_have(b, off, 4))
		return -1;
	*v = (uint32_t)b->p[off + 3] << 24 | (uint32_t)b->p[off + 2] << 16 |
	    (uint32_t)b->p[off + 1] << 8 | (uint32_t)b->p[off];
	return 0;
}

/* Copy n bytes out; -1 if short. */
static inline int
get_bytes(const struct bytes *b, size_t off, void *dst, size_t n)
{
	if (!bytes_have(b, off, n))
		return -1;
	memcpy(dst, b->p + off, n);
	return 0;
}

/* Advance by n; -1 (cursor unchanged) if short. */
static inline int
bytes_skip(struct bytes *b, size_t n)
{
	if (!bytes_have(b, 0, n))
		return -1;
	b->p += n;
	return 0;
}

#endif /* MT_EXTRACT_H */
