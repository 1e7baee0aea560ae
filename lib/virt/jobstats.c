/*
 * jobstats.c: libvirt job statistics: the stored fields, typed parameters
 * in (virDomainGetJobStats, JOB_COMPLETED event, jobstats.json), file
 * loading and form detection, and the report's "jobstats" section.
 * Parameter names and types: docs/libvirt-jobstats.md (libvirt 9.0).
 * libvirt's header types only: no libvirt function is called here (the
 * live fetch, which needs libvirt's code, is in jobstats_fetch.c).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "virt/jobstats_int.h"

/* Job statistics are a few hundred bytes; refuse anything absurd. */
#define JS_MAX_FILE (4 * 1024 * 1024)

#define F(name, kind, member) { name, kind, offsetof(struct jobstats, member) }
const struct js_field js_fields[] = {
	F(VIR_DOMAIN_JOB_OPERATION, JS_INT, operation),
	F(VIR_DOMAIN_JOB_TIME_ELAPSED, JS_MS, time_elapsed),
	F(VIR_DOMAIN_JOB_TIME_ELAPSED_NET, JS_MS, time_elapsed_net),
	F(VIR_DOMAIN_JOB_DOWNTIME, JS_MS, downtime),
	F(VIR_DOMAIN_JOB_DOWNTIME_NET, JS_MS, downtime_net),
	F(VIR_DOMAIN_JOB_SETUP_TIME, JS_MS, setup_time),
	F(VIR_DOMAIN_JOB_DATA_TOTAL, JS_BYTES, data_total),
	F(VIR_DOMAIN_JOB_DATA_PROCESSED, JS_BYTES, data_processed),
	F(VIR_DOMAIN_JOB_DATA_REMAINING, JS_BYTES, data_remaining),
	F(VIR_DOMAIN_JOB_MEMORY_TOTAL, JS_BYTES, memory_total),
	F(VIR_DOMAIN_JOB_MEMORY_PROCESSED, JS_BYTES, memory_processed),
	F(VIR_DOMAIN_JOB_MEMORY_REMAINING, JS_BYTES, memory_remaining),
	F(VIR_DOMAIN_JOB_MEMORY_CONSTANT, JS_COUNT, memory_constant),
	F(VIR_DOMAIN_JOB_MEMORY_NORMAL, JS_COUNT, memory_normal),
	F(VIR_DOMAIN_JOB_MEMORY_NORMAL_BYTES, JS_BYTES, memory_normal_bytes),
	F(VIR_DOMAIN_JOB_MEMORY_BPS, JS_BPS, memory_bps),
	F(VIR_DOMAIN_JOB_MEMORY_DIRTY_RATE, JS_PAGES_S, memory_dirty_rate),
	F(VIR_DOMAIN_JOB_MEMORY_PAGE_SIZE, JS_PAGESIZE, memory_page_size),
	F(VIR_DOMAIN_JOB_MEMORY_ITERATION, JS_COUNT, memory_iteration),
	F(VIR_DOMAIN_JOB_MEMORY_POSTCOPY_REQS, JS_COUNT, memory_postcopy_reqs),
	F(VIR_DOMAIN_JOB_AUTO_CONVERGE_THROTTLE, JS_INT, auto_converge_throttle),
	F(VIR_DOMAIN_JOB_SUCCESS, JS_BOOL, success),
	{ NULL, 0, 0 }
};
#undef F

/* Documented in libvirt-domain.h (9.0) but not used by migtrace. */
static const char *const js_unused[] = {
	VIR_DOMAIN_JOB_TIME_REMAINING, VIR_DOMAIN_JOB_DISK_TOTAL,
	VIR_DOMAIN_JOB_DISK_PROCESSED, VIR_DOMAIN_JOB_DISK_REMAINING,
	VIR_DOMAIN_JOB_DISK_BPS, VIR_DOMAIN_JOB_COMPRESSION_CACHE,
	VIR_DOMAIN_JOB_COMPRESSION_BYTES, VIR_DOMAIN_JOB_COMPRESSION_PAGES,
	VIR_DOMAIN_JOB_COMPRESSION_CACHE_MISSES,
	VIR_DOMAIN_JOB_COMPRESSION_OVERFLOW, VIR_DOMAIN_JOB_DISK_TEMP_USED,
	VIR_DOMAIN_JOB_DISK_TEMP_TOTAL, NULL
};

const struct js_field *
js_field_by_param(const char *name)
{
	for (const struct js_field *f = js_fields; f->param != NULL; f++)
		if (strcmp(f->param, name) == 0)
			return f;
	return NULL;
}

int
js_param_known_unused(const char *name)
{
	for (int i = 0; js_unused[i] != NULL; i++)
		if (strcmp(js_unused[i], name) == 0)
			return 1;
	return strcmp(name, VIR_DOMAIN_JOB_ERRMSG) == 0;
}

struct jobstats_val *
js_val(struct jobstats *js, const struct js_field *f)
{
	return (struct jobstats_val *)(void *)((char *)js + f->off);
}

void
js_warn(mt_warn_fn warn, void *ctx, const char *fmt, ...)
{
	char buf[MT_ERRBUF_SIZE];
	va_list ap;

	if (warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	warn(ctx, buf);
}

void
js_err(char *errbuf, const char *fmt, ...)
{
	va_list ap;

	if (errbuf == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(errbuf, MT_ERRBUF_SIZE, fmt, ap);
	va_end(ap);
}

struct jobstats *
js_new(enum jobstats_form form, const char *source)
{
	struct jobstats *js;

	if ((js = calloc(1, sizeof(*js))) == NULL)
		return NULL;
	js->form = form;
	js->job_type = -1;
	js->completed_ts_ns = MT_NS_NONE;
	if ((js->source = strdup(source != NULL ? source : "")) == NULL) {
		free(js);
		return NULL;
	}
	return js;
}

int
js_store(struct jobstats *js, const struct js_field *f, int64_t s, uint64_t v,
    int approximate, mt_warn_fn warn, void *ctx, char *errbuf)
{
	struct jobstats_val *jv = js_val(js, f);

	if (jv->present) {
		if (jv->v == v && jv->s == s) {
			js_warn(warn, ctx, "%s: '%s' given twice, same value",
			    js->source, f->param);
			return 0;
		}
		js_err(errbuf, "%s: '%s' given twice with different values "
		    "(%lld and %lld)", js->source, f->param, (long long)jv->s,
		    (long long)s);
		return -1;
	}
	jv->present = 1;
	jv->approximate = approximate;
	jv->v = v;
	jv->s = s;
	return 0;
}

void
jobstats_free(struct jobstats *js)
{
	if (js == NULL)
		return;
	free(js->source);
	free(js->domain);
	free(js->source_uri);
	free(js->dest_uri);
	free(js->errmsg);
	free(js->iters);
	free(js);
}

const char *
jobstats_job_type_name(int t)
{
	static const char *const names[] = { "none", "bounded", "unbounded",
	    "completed", "failed", "cancelled" };

	return t >= 0 && t < (int)(sizeof(names) / sizeof(names[0])) ?
	    names[t] : NULL;
}

const char *
jobstats_operation_name(int op)
{
	static const char *const names[] = { "unknown", "start", "save",
	    "restore", "migration-in", "migration-out", "snapshot",
	    "snapshot-revert", "dump", "backup", "snapshot-delete" };

	return op >= 0 && op < (int)(sizeof(names) / sizeof(names[0])) ?
	    names[op] : NULL;
}

const char *
jobstats_form_name(enum jobstats_form f)
{
	switch (f) {
	case JOBSTATS_FORM_TEXT:
		return "text";
	case JOBSTATS_FORM_RAWSTATS:
		return "rawstats";
	case JOBSTATS_FORM_JSON:
		return "json";
	case JOBSTATS_FORM_PARAMS:
		return "libvirt";
	}
	return "unknown";
}

static const char *
js_type_name(int type)
{
	switch (type) {
	case VIR_TYPED_PARAM_INT:
		return "int";
	case VIR_TYPED_PARAM_UINT:
		return "uint";
	case VIR_TYPED_PARAM_LLONG:
		return "llong";
	case VIR_TYPED_PARAM_ULLONG:
		return "ullong";
	case VIR_TYPED_PARAM_DOUBLE:
		return "double";
	case VIR_TYPED_PARAM_BOOLEAN:
		return "boolean";
	case VIR_TYPED_PARAM_STRING:
		return "string";
	}
	return "unknown";
}

struct jobstats *
jobstats_from_params(const char *name, int job_type,
    virTypedParameterPtr params, int nparams, mt_warn_fn warn, void *ctx,
    char *errbuf)
{
	struct jobstats *js;

	if (name == NULL)
		name = "job statistics";
	if (nparams < 0 || (nparams > 0 && params == NULL)) {
		js_err(errbuf, "%s: no typed parameters", name);
		return NULL;
	}
	if ((js = js_new(JOBSTATS_FORM_PARAMS, name)) == NULL) {
		js_err(errbuf, "%s: out of memory", name);
		return NULL;
	}
	js->job_type = job_type;
	for (int i = 0; i < nparams; i++) {
		virTypedParameterPtr p = &params[i];
		const struct js_field *f;
		char field[VIR_TYPED_PARAM_FIELD_LENGTH + 1];
		int64_t s = 0;
		uint64_t v = 0;

		/* field is a fixed array that libvirt NUL-terminates; be sure. */
		memcpy(field, p->field, VIR_TYPED_PARAM_FIELD_LENGTH);
		field[VIR_TYPED_PARAM_FIELD_LENGTH] = '\0';

		if (strcmp(field, VIR_DOMAIN_JOB_ERRMSG) == 0 &&
		    p->type == VIR_TYPED_PARAM_STRING) {
			if (js->errmsg == NULL && p->value.s != NULL &&
			    (js->errmsg = strdup(p->value.s)) == NULL)
				goto nomem;
			continue;
		}
		if ((f = js_field_by_param(field)) == NULL) {
			if (!js_param_known_unused(field))
				js_warn(warn, ctx, "%s: unknown job statistic "
				    "'%s' (%s) ignored", name, field,
				    js_type_name(p->type));
			continue;
		}
		switch (p->type) {
		case VIR_TYPED_PARAM_INT:
			s = p->value.i;
			break;
		case VIR_TYPED_PARAM_UINT:
			s = p->value.ui;
			break;
		case VIR_TYPED_PARAM_LLONG:
			s = p->value.l;
			break;
		case VIR_TYPED_PARAM_ULLONG:
			v = p->value.ul;
			s = v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
			goto store;
		case VIR_TYPED_PARAM_BOOLEAN:
			s = p->value.b != 0;
			break;
		default:
			js_err(errbuf, "%s: '%s' is a %s, libvirt documents an "
			    "integer", name, field, js_type_name(p->type));
			goto fail;
		}
		if (s < 0 && f->kind != JS_INT) {
			js_err(errbuf, "%s: '%s' is negative (%lld)", name,
			    field, (long long)s);
			goto fail;
		}
		v = s < 0 ? 0 : (uint64_t)s;
store:
		if (js_store(js, f, s, v, 0, warn, ctx, errbuf) < 0)
			goto fail;
	}
	return js;
nomem:
	js_err(errbuf, "%s: out of memory", name);
fail:
	jobstats_free(js);
	return NULL;
}

struct jobstats *
jobstats_parse(const char *name, const char *buf, size_t len,
    mt_warn_fn warn, void *ctx, char *errbuf)
{
	struct jobstats *js;
	size_t i = 0;
	char *copy;

	if (len == 0) {
		js_err(errbuf, "%s: empty file, not job statistics", name);
		return NULL;
	}
	if (memchr(buf, '\0', len) != NULL) {
		js_err(errbuf, "%s: binary data, not job statistics (expected "
		    "virsh domjobinfo text or jobstats.json)", name);
		return NULL;
	}
	/* Skip a UTF-8 byte order mark and leading white space. */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' ||
	    buf[i] == '\n'))
		i++;
	if (i == len) {
		js_err(errbuf, "%s: empty file (white space only), not job "
		    "statistics", name);
		return NULL;
	}
	if (buf[i] == '{' || buf[i] == '[')
		return js_parse_json(name, buf + i, len - i, warn, ctx, errbuf);
	if ((copy = malloc(len - i + 1)) == NULL) {
		js_err(errbuf, "%s: out of memory", name);
		return NULL;
	}
	memcpy(copy, buf + i, len - i);
	copy[len - i] = '\0';
	js = js_parse_text(name, copy, warn, ctx, errbuf);
	free(copy);
	return js;
}

struct jobstats *
jobstats_load(const char *path, mt_warn_fn warn, void *ctx, char *errbuf)
{
	struct jobstats *js;
	struct stat st;
	char *buf;
	size_t len = 0;
	ssize_t r;
	int fd;

	if ((fd = open(path, O_RDONLY)) < 0) {
		js_err(errbuf, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		js_err(errbuf, "%s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		js_err(errbuf, "%s: is a directory, not job statistics", path);
		close(fd);
		return NULL;
	}
	if ((buf = malloc(JS_MAX_FILE + 1)) == NULL) {
		js_err(errbuf, "%s: out of memory", path);
		close(fd);
		return NULL;
	}
	while ((r = read(fd, buf + len, JS_MAX_FILE + 1 - len)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			js_err(errbuf, "%s: %s", path, strerror(errno));
			goto fail;
		}
		len += (size_t)r;
		if (len > JS_MAX_FILE) {
			js_err(errbuf, "%s: larger than %d MiB, not job "
			    "statistics", path, JS_MAX_FILE / (1024 * 1024));
			goto fail;
		}
	}
	close(fd);
	js = jobstats_parse(path, buf, len, warn, ctx, errbuf);
	free(buf);
	return js;
fail:
	close(fd);
	free(buf);
	return NULL;
}

/* An unsigned libvirt number as a JSON integer (a real above INT64_MAX). */
static json_t *
js_num(const struct jobstats_val *v)
{
	if (!v->present)
		return json_null();
	if (v->s < 0 || v->v <= (uint64_t)INT64_MAX)
		return json_integer(v->s < 0 ? v->s : (json_int_t)v->v);
	return json_real((double)v->v);
}

json_t *
jobstats_to_json(const struct jobstats *js)
{
	json_t *o;
	int approx = 0;

	if (js == NULL)
		return json_null();
	for (const struct js_field *f = js_fields; f->param != NULL; f++)
		if (js_val((struct jobstats *)(uintptr_t)js, f)->approximate)
			approx = 1;
	o = json_object();
	json_object_set_new(o, "source", json_string(js->source));
	json_object_set_new(o, "form", json_string(jobstats_form_name(js->form)));
	json_object_set_new(o, "approximate", json_boolean(approx));
	/* Enumerations by name (a number only if this build does not
	 * know it): nobody should need libvirt's header to read them. */
	json_object_set_new(o, "job_type", js->job_type < 0 ? json_null() :
	    jobstats_job_type_name(js->job_type) != NULL ?
	    json_string(jobstats_job_type_name(js->job_type)) :
	    json_integer(js->job_type));
	json_object_set_new(o, "operation", !js->operation.present ?
	    json_null() : jobstats_operation_name((int)js->operation.s) != NULL ?
	    json_string(jobstats_operation_name((int)js->operation.s)) :
	    js_num(&js->operation));
	json_object_set_new(o, "downtime_ms", js_num(&js->downtime));
	json_object_set_new(o, "downtime_net_ms", js_num(&js->downtime_net));
	json_object_set_new(o, "time_elapsed_ms", js_num(&js->time_elapsed));
	json_object_set_new(o, "time_elapsed_net_ms",
	    js_num(&js->time_elapsed_net));
	json_object_set_new(o, "setup_time_ms", js_num(&js->setup_time));
	json_object_set_new(o, "memory_total", js_num(&js->memory_total));
	json_object_set_new(o, "memory_processed",
	    js_num(&js->memory_processed));
	json_object_set_new(o, "memory_remaining",
	    js_num(&js->memory_remaining));
	/* The report's rates are bits/s (*_bps); libvirt's is bytes/s. */
	json_object_set_new(o, "memory_bps", !js->memory_bps.present ?
	    json_null() : js->memory_bps.v <= (uint64_t)INT64_MAX / 8 ?
	    json_integer((json_int_t)js->memory_bps.v * 8) :
	    json_real((double)js->memory_bps.v * 8));
	json_object_set_new(o, "memory_dirty_rate",
	    js_num(&js->memory_dirty_rate));
	json_object_set_new(o, "memory_iteration",
	    js_num(&js->memory_iteration));
	json_object_set_new(o, "memory_constant", js_num(&js->memory_constant));
	json_object_set_new(o, "memory_normal", js_num(&js->memory_normal));
	json_object_set_new(o, "memory_normal_bytes",
	    js_num(&js->memory_normal_bytes));
	json_object_set_new(o, "page_size", js_num(&js->memory_page_size));
	json_object_set_new(o, "data_processed", js_num(&js->data_processed));
	json_object_set_new(o, "success", js->success.present ?
	    json_boolean(js->success.v != 0) : json_null());
	json_object_set_new(o, "iterations", json_integer(js->niters));
	{
		/* MIGRATION_ITERATION events, capture host's clock. */
		json_t *a = json_array();

		for (int i = 0; i < js->niters; i++)
			json_array_append_new(a, json_pack("{s:i, s:I}",
			    "iteration", js->iters[i].iteration, "ts_ns",
			    (json_int_t)js->iters[i].ts_ns));
		json_object_set_new(o, "iteration_events", a);
	}
	return o;
}
