/*
 * jobstats_text.c: read `virsh domjobinfo --completed` output, the default
 * form (labels, rounded sizes) and the --rawstats form ("Job type: N",
 * then the raw parameters as "name: value", exact). Format: docs/libvirt-jobstats.md;
 * virsh pads labels to 17 columns, sizes are printed with 3
 * decimals in powers of 1024 (so lossy), times in ms.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "virt/jobstats_int.h"

/* A label of the default form and the parameter it shows. */
struct js_label {
	const char *label;
	const char *param;	/* NULL: known, not used by migtrace */
	enum js_kind kind;
};

static const struct js_label js_labels[] = {
	{ "Time elapsed", VIR_DOMAIN_JOB_TIME_ELAPSED, JS_MS },
	{ "Time elapsed w/o network", VIR_DOMAIN_JOB_TIME_ELAPSED_NET, JS_MS },
	{ "Data processed", VIR_DOMAIN_JOB_DATA_PROCESSED, JS_BYTES },
	{ "Data remaining", VIR_DOMAIN_JOB_DATA_REMAINING, JS_BYTES },
	{ "Data total", VIR_DOMAIN_JOB_DATA_TOTAL, JS_BYTES },
	{ "Memory processed", VIR_DOMAIN_JOB_MEMORY_PROCESSED, JS_BYTES },
	{ "Memory remaining", VIR_DOMAIN_JOB_MEMORY_REMAINING, JS_BYTES },
	{ "Memory total", VIR_DOMAIN_JOB_MEMORY_TOTAL, JS_BYTES },
	{ "Memory bandwidth", VIR_DOMAIN_JOB_MEMORY_BPS, JS_BPS },
	{ "Dirty rate", VIR_DOMAIN_JOB_MEMORY_DIRTY_RATE, JS_PAGES_S },
	{ "Page size", VIR_DOMAIN_JOB_MEMORY_PAGE_SIZE, JS_PAGESIZE },
	{ "Iteration", VIR_DOMAIN_JOB_MEMORY_ITERATION, JS_COUNT },
	{ "Postcopy requests", VIR_DOMAIN_JOB_MEMORY_POSTCOPY_REQS, JS_COUNT },
	{ "Constant pages", VIR_DOMAIN_JOB_MEMORY_CONSTANT, JS_COUNT },
	{ "Normal pages", VIR_DOMAIN_JOB_MEMORY_NORMAL, JS_COUNT },
	{ "Normal data", VIR_DOMAIN_JOB_MEMORY_NORMAL_BYTES, JS_BYTES },
	{ "Total downtime", VIR_DOMAIN_JOB_DOWNTIME, JS_MS },
	{ "Downtime w/o network", VIR_DOMAIN_JOB_DOWNTIME_NET, JS_MS },
	{ "Setup time", VIR_DOMAIN_JOB_SETUP_TIME, JS_MS },
	{ "Auto converge throttle", VIR_DOMAIN_JOB_AUTO_CONVERGE_THROTTLE,
	    JS_INT },
	/* Printed by virsh, not used here. */
	{ "Time remaining", NULL, 0 },
	{ "Expected downtime", NULL, 0 },	/* running jobs only */
	{ "File processed", NULL, 0 },
	{ "File remaining", NULL, 0 },
	{ "File total", NULL, 0 },
	{ "File bandwidth", NULL, 0 },
	{ "Compression cache", NULL, 0 },
	{ "Compressed data", NULL, 0 },
	{ "Compressed pages", NULL, 0 },
	{ "Compression cache misses", NULL, 0 },
	{ "Compression overflows", NULL, 0 },
	{ "Temporary disk space use", NULL, 0 },
	{ "Temporary disk space total", NULL, 0 },
	{ NULL, NULL, 0 }
};

/* virDomainJobType and virDomainJobOperation as virsh names them. */
static const char *const js_job_types[] = {
	"None", "Bounded", "Unbounded", "Completed", "Failed", "Cancelled",
	NULL
};
static const char *const js_operations[] = {
	"Unknown", "Start", "Save", "Restore", "Incoming migration",
	"Outgoing migration", "Snapshot", "Snapshot revert", "Dump", "Backup",
	"Snapshot delete", NULL
};

static int
js_name_index(const char *const *names, const char *s)
{
	for (int i = 0; names[i] != NULL; i++)
		if (strcasecmp(names[i], s) == 0)
			return i;
	return -1;
}

static char *
js_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/*
 * A decimal integer, optionally negative. Return 0 and set *neg, *v and
 * *end, -1 if not a number, -2 if out of range of 64 bits.
 */
static int
js_int(const char *s, int *neg, uint64_t *v, const char **end)
{
	char *e;

	*neg = 0;
	if (*s == '-') {
		*neg = 1;
		s++;
	} else if (*s == '+')
		s++;
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtoull(s, &e, 10);
	if (errno == ERANGE)
		return -2;
	if (*neg && *v > (uint64_t)INT64_MAX + 1)
		return -2;
	*end = e;
	return 0;
}

/* -v for a magnitude v <= 2^63 (js_int checked), without overflow. */
static int64_t
js_neg(uint64_t v)
{
	return v == 0 ? 0 : -(int64_t)(v - 1) - 1;
}

/* The rest of a value after the number: white space, then exactly unit. */
static int
js_unit_is(const char *p, const char *unit)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return strcmp(p, unit) == 0;
}

static const char *const js_size_units[] = {
	"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", NULL
};

/*
 * A virsh size ("91.028 MiB") or rate ("11.296 MiB/s") to bytes, rounded.
 * Return 0, -1 (not a size), -2 (out of range), -3 (negative).
 */
static int
js_size(const char *s, int rate, uint64_t *v, int *approximate)
{
	char unit[16], num[64];
	char *e;
	double x, mult = 1;
	size_t ul, nl;
	int k;

	while (*s == ' ')
		s++;
	if (*s == '-')
		return -3;
	if (!isdigit((unsigned char)*s))
		return -1;
	/*
	 * virsh prints with the user's locale: "91,028 MiB" in de_DE. Read
	 * digits and one separator, either '.' or ',', in the C locale.
	 */
	nl = strspn(s, "0123456789.,");
	if (nl >= sizeof(num))
		return -2;
	memcpy(num, s, nl);
	num[nl] = '\0';
	if (strchr(num, ',') != NULL) {
		if (strchr(num, '.') != NULL ||
		    strchr(num, ',') != strrchr(num, ','))
			return -1;
		*strchr(num, ',') = '.';
	}
	errno = 0;
	x = strtod(num, &e);
	if (e == num || *e != '\0' || errno == ERANGE || !isfinite(x))
		return e == num || *e != '\0' ? -1 : -2;
	e = (char *)(uintptr_t)(s + nl);
	while (*e == ' ' || *e == '\t')
		e++;
	ul = strcspn(e, " \t");
	if (ul == 0 || ul >= sizeof(unit) || e[ul] != '\0')
		return -1;
	memcpy(unit, e, ul);
	unit[ul] = '\0';
	if (rate) {
		if (ul < 3 || strcmp(unit + ul - 2, "/s") != 0)
			return -1;
		unit[ul - 2] = '\0';
	}
	if ((k = js_name_index(js_size_units, unit)) < 0 ||
	    strcmp(js_size_units[k], unit) != 0)
		return -1;
	for (int i = 0; i < k; i++)
		mult *= 1024;
	x *= mult;
	if (x >= 18446744073709551616.0)
		return -2;
	*v = (uint64_t)llround(x);
	/* "0.000 B" and whole bytes are exact; anything scaled is rounded. */
	*approximate = k > 0;
	return 0;
}

/* Store one labelled value of the default form. */
static int
js_text_value(struct jobstats *js, const struct js_label *l, const char *val,
    int lineno, mt_warn_fn warn, void *ctx, char *errbuf)
{
	const struct js_field *f = js_field_by_param(l->param);
	const char *end = NULL;
	uint64_t v = 0;
	int neg = 0, approx = 0, r;

	switch (l->kind) {
	case JS_BYTES:
	case JS_BPS:
		r = js_size(val, l->kind == JS_BPS, &v, &approx);
		break;
	default:
		if ((r = js_int(val, &neg, &v, &end)) < 0)
			break;
		if (neg && l->kind != JS_INT) {
			r = -3;
			break;
		}
		switch (l->kind) {
		case JS_MS:
			r = js_unit_is(end, "ms") ? 0 : -1;
			break;
		case JS_PAGES_S:
			r = js_unit_is(end, "pages/s") ? 0 : -1;
			break;
		case JS_PAGESIZE:
			r = js_unit_is(end, "bytes") ? 0 : -1;
			break;
		case JS_INT:
			r = js_unit_is(end, "") || js_unit_is(end, "%") ? 0 : -1;
			if (r == 0 && v > (neg ? (uint64_t)INT32_MAX + 1 :
			    (uint64_t)INT32_MAX))
				r = -2;
			break;
		default:
			r = js_unit_is(end, "") ? 0 : -1;
			break;
		}
		break;
	}
	switch (r) {
	case -1:
		js_err(errbuf, "%s:%d: cannot read the value of '%s' ('%s')",
		    js->source, lineno, l->label, val);
		return -1;
	case -2:
		js_err(errbuf, "%s:%d: number out of range in '%s' ('%s')",
		    js->source, lineno, l->label, val);
		return -1;
	case -3:
		js_err(errbuf, "%s:%d: negative value of '%s' ('%s')",
		    js->source, lineno, l->label, val);
		return -1;
	}
	if (neg)
		return js_store(js, f, js_neg(v), 0, 0, warn, ctx, errbuf);
	return js_store(js, f, v > (uint64_t)INT64_MAX ? INT64_MAX :
	    (int64_t)v, v, approx, warn, ctx, errbuf);
}

/* Store one "name: value" line of the --rawstats form. */
static int
js_raw_value(struct jobstats *js, const char *name, const char *val,
    int lineno, mt_warn_fn warn, void *ctx, char *errbuf)
{
	const struct js_field *f;
	const char *end = NULL;
	uint64_t v;
	int neg, r;

	if (strcmp(name, VIR_DOMAIN_JOB_ERRMSG) == 0) {
		if (js->errmsg == NULL && (js->errmsg = strdup(val)) == NULL) {
			js_err(errbuf, "%s: out of memory", js->source);
			return -1;
		}
		return 0;
	}
	if ((f = js_field_by_param(name)) == NULL) {
		if (!js_param_known_unused(name))
			js_warn(warn, ctx, "%s:%d: unknown job statistic '%s' "
			    "ignored", js->source, lineno, name);
		return 0;
	}
	if (f->kind == JS_BOOL) {
		/* virTypedParameterToString() prints booleans as yes/no. */
		if (strcasecmp(val, "yes") == 0 || strcmp(val, "1") == 0 ||
		    strcasecmp(val, "true") == 0)
			return js_store(js, f, 1, 1, 0, warn, ctx, errbuf);
		if (strcasecmp(val, "no") == 0 || strcmp(val, "0") == 0 ||
		    strcasecmp(val, "false") == 0)
			return js_store(js, f, 0, 0, 0, warn, ctx, errbuf);
		js_err(errbuf, "%s:%d: '%s' is not a boolean ('%s')",
		    js->source, lineno, name, val);
		return -1;
	}
	r = js_int(val, &neg, &v, &end);
	if (r == 0 && !js_unit_is(end, ""))
		r = -1;
	if (r == -1) {
		js_err(errbuf, "%s:%d: '%s' is not an integer ('%s')",
		    js->source, lineno, name, val);
		return -1;
	}
	if (r == -2) {
		js_err(errbuf, "%s:%d: number out of range in '%s' ('%s')",
		    js->source, lineno, name, val);
		return -1;
	}
	if (neg && f->kind != JS_INT) {
		js_err(errbuf, "%s:%d: negative value of '%s' ('%s')",
		    js->source, lineno, name, val);
		return -1;
	}
	if (neg)
		return js_store(js, f, js_neg(v), 0, 0, warn, ctx, errbuf);
	return js_store(js, f, v > (uint64_t)INT64_MAX ? INT64_MAX :
	    (int64_t)v, v, 0, warn, ctx, errbuf);
}

struct jobstats *
js_parse_text(const char *name, const char *buf, mt_warn_fn warn, void *ctx,
    char *errbuf)
{
	struct jobstats *js;
	char *copy, *line, *next;
	int lineno = 0, known = 0, first = 1;
	enum jobstats_form form = JOBSTATS_FORM_TEXT;

	if ((js = js_new(JOBSTATS_FORM_TEXT, name)) == NULL ||
	    (copy = strdup(buf)) == NULL) {
		jobstats_free(js);
		js_err(errbuf, "%s: out of memory", name);
		return NULL;
	}
	for (line = copy; line != NULL; line = next) {
		char *colon, *label, *val;

		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		label = js_trim(line);
		if (*label == '\0')
			continue;
		if ((colon = strchr(label, ':')) == NULL) {
			if (first)
				goto notjs;
			js_warn(warn, ctx, "%s:%d: line without 'label: value' "
			    "ignored", name, lineno);
			continue;
		}
		*colon = '\0';
		label = js_trim(label);
		val = js_trim(colon + 1);

		if (strcasecmp(label, "Job type") == 0) {
			int neg, t;
			uint64_t v;
			const char *end;

			if (!first) {
				js_err(errbuf, "%s:%d: 'Job type' again: two "
				    "jobs in one file?", name, lineno);
				goto fail;
			}
			if (js_int(val, &neg, &v, &end) == 0 &&
			    js_unit_is(end, "")) {
				/* virsh --rawstats: "Job type: %d". */
				if (neg || v > 5) {
					js_err(errbuf, "%s:%d: unknown job "
					    "type %s", name, lineno, val);
					goto fail;
				}
				form = JOBSTATS_FORM_RAWSTATS;
				js->job_type = (int)v;
			} else if ((t = js_name_index(js_job_types, val)) >= 0) {
				js->job_type = t;
			} else {
				js_err(errbuf, "%s:%d: unknown job type '%s'",
				    name, lineno, val);
				goto fail;
			}
			js->form = form;
			first = 0;
			known++;
			continue;
		}
		if (first && strcasecmp(label, "Operation") != 0 &&
		    strcasecmp(label, "Time elapsed") != 0)
			goto notjs;
		first = 0;

		if (form == JOBSTATS_FORM_RAWSTATS) {
			if (js_raw_value(js, label, val, lineno, warn, ctx,
			    errbuf) < 0)
				goto fail;
			known++;
			continue;
		}
		if (strcasecmp(label, "Operation") == 0) {
			int op = js_name_index(js_operations, val);
			if (op < 0) {
				js_warn(warn, ctx, "%s:%d: unknown operation "
				    "'%s' ignored", name, lineno, val);
				continue;
			}
			if (js_store(js, js_field_by_param(
			    VIR_DOMAIN_JOB_OPERATION), op, (uint64_t)op, 0,
			    warn, ctx, errbuf) < 0)
				goto fail;
			known++;
			continue;
		}
		if (strcasecmp(label, "Error message") == 0) {
			if (js->errmsg == NULL &&
			    (js->errmsg = strdup(val)) == NULL) {
				js_err(errbuf, "%s: out of memory", name);
				goto fail;
			}
			continue;
		}
		const struct js_label *l;
		for (l = js_labels; l->label != NULL; l++)
			if (strcasecmp(l->label, label) == 0)
				break;
		if (l->label == NULL) {
			js_warn(warn, ctx, "%s:%d: unknown line '%s' ignored",
			    name, lineno, label);
			continue;
		}
		if (l->param == NULL)
			continue;
		if (js_text_value(js, l, val, lineno, warn, ctx, errbuf) < 0)
			goto fail;
		known++;
	}
	free(copy);
	if (js->job_type == VIR_DOMAIN_JOB_NONE) {
		js_err(errbuf, "%s: no job (Job type: None): run `virsh "
		    "domjobinfo --completed` on the destination right after "
		    "the migration", name);
		jobstats_free(js);
		return NULL;
	}
	if (known == 0 || (js->job_type < 0 && known < 2)) {
		js_err(errbuf, "%s: not libvirt job statistics (no 'Job type' "
		    "line)", name);
		jobstats_free(js);
		return NULL;
	}
	if (known == 1 && js->job_type >= 0) {
		/* virsh translates its labels; --rawstats does not. */
		js_err(errbuf, "%s: a 'Job type' line but no statistics this "
		    "reader knows (virsh output in another language? save it "
		    "with `virsh domjobinfo --completed --rawstats`)", name);
		jobstats_free(js);
		return NULL;
	}
	if (js->job_type < 0)
		js_warn(warn, ctx, "%s: no 'Job type' line; read as virsh "
		    "domjobinfo text", name);
	else if (js->job_type != VIR_DOMAIN_JOB_COMPLETED)
		js_warn(warn, ctx, "%s: job type %s, not a completed job: the "
		    "numbers describe an unfinished or failed migration",
		    name, js_job_types[js->job_type]);
	return js;
notjs:
	js_err(errbuf, "%s:%d: not libvirt job statistics (expected `virsh "
	    "domjobinfo --completed` text or jobstats.json)", name, lineno);
fail:
	free(copy);
	jobstats_free(js);
	return NULL;
}
