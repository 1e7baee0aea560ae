/* jobstats_int.h: what jobstats.c, jobstats_text.c and jobstats_json.c share. */
#ifndef MT_JOBSTATS_INT_H
#define MT_JOBSTATS_INT_H

#include <stdarg.h>

#include "virt/jobstats.h"

/* What a number is, for parsing virsh's text and for type checks. */
enum js_kind {
	JS_MS,			/* "N ms" */
	JS_BYTES,		/* "X.XXX MiB" (text) / bytes */
	JS_BPS,			/* "X.XXX MiB/s" (text) / bytes/s */
	JS_PAGES_S,		/* "N pages/s" */
	JS_PAGESIZE,		/* "N bytes" */
	JS_COUNT,		/* "N" */
	JS_INT,			/* signed INT (operation, throttle) */
	JS_BOOL,		/* BOOLEAN */
};

/* A typed parameter migtrace stores (docs/libvirt-jobstats.md). */
struct js_field {
	const char *param;	/* libvirt name (VIR_DOMAIN_JOB_*) */
	enum js_kind kind;
	size_t off;		/* offsetof(struct jobstats, member) */
};

/* The stored parameters; NULL-terminated. */
extern const struct js_field js_fields[];

const struct js_field *js_field_by_param(const char *name);
/* Parameters libvirt documents that migtrace does not use (no warning). */
int js_param_known_unused(const char *name);

struct jobstats_val *js_val(struct jobstats *js, const struct js_field *f);

struct jobstats *js_new(enum jobstats_form form, const char *source);

/*
 * Store a value. A second value for the same field: equal -> warning,
 * different -> error ("name: duplicate 'x' (5 and 6)"). Return 0 / -1.
 */
int js_store(struct jobstats *js, const struct js_field *f, int64_t s,
    uint64_t v, int approximate, mt_warn_fn warn, void *ctx, char *errbuf);

void js_warn(mt_warn_fn warn, void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void js_err(char *errbuf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The parsers behind jobstats_parse(); buf is NUL-terminated, no NULs. */
struct jobstats *js_parse_text(const char *name, const char *buf,
    mt_warn_fn warn, void *ctx, char *errbuf);
struct jobstats *js_parse_json(const char *name, const char *buf, size_t len,
    mt_warn_fn warn, void *ctx, char *errbuf);

#endif /* MT_JOBSTATS_INT_H */
